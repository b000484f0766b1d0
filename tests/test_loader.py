"""The loader (SPEC §2) as a pure function: YAML 1.2 values, several files as one register,
every problem at once, and no exception for any input."""

from __future__ import annotations

from datetime import date

import pytest

from bot.loader import load
from bot.problems import Problem

HEAD = "version: 1\ncommitments:\n  - id: alpha\n"


def one(body: str):  # type: ignore[no-untyped-def]
    """The single commitment of a register whose first commitment has `id: alpha` and `body`."""
    loaded = load([("c.yaml", HEAD + body)])
    assert loaded.problems == (), [str(p) for p in loaded.problems]
    assert loaded.register is not None
    (commitment,) = loaded.register.commitments
    return commitment


BASE = "    title: Alpha\n    owner: Home Office\n"

# (YAML written by a maintainer, attribute, the value it must keep) — YAML 1.1 would turn these
# into booleans, numbers, dates or null.
YAML12 = [
    pytest.param("    title: No\n    owner: Home Office\n", "title", "No", id="title-No"),
    pytest.param("    title: yes\n    owner: Home Office\n", "title", "yes", id="title-yes"),
    pytest.param("    title: Alpha\n    owner: on\n", "owner", "on", id="owner-on"),
    pytest.param("    title: Alpha\n    owner: OFF\n", "owner", "OFF", id="owner-OFF"),
    pytest.param("    title: 010\n    owner: Home Office\n", "title", "010", id="title-octal-looking"),
    pytest.param("    title: 1_000\n    owner: Home Office\n", "title", "1_000", id="title-yaml11-int"),
    pytest.param("    title: 1.5e3\n    owner: Home Office\n", "title", "1.5e3", id="title-float-looking"),
    pytest.param("    title: 2022-02-21\n    owner: Home Office\n", "title", "2022-02-21", id="title-date-looking"),
    pytest.param("    title: 'null'\n    owner: Home Office\n", "title", "null", id="title-quoted-null"),
    pytest.param(BASE + "    made_by: y\n", "made_by", "y", id="made_by-y"),
    pytest.param(BASE + "    due: 2023\n", "due", "2023", id="due-2023"),
    pytest.param(BASE + "    tags: [no, on, 2023]\n", "tags", ("no", "on", "2023"), id="tags"),
    pytest.param(BASE + "    made_on: 2022-02-21\n", "made_on", date(2022, 2, 21), id="made_on-is-a-date"),
]


@pytest.mark.parametrize(("body", "attribute", "expected"), YAML12)
def test_yaml_1_2_values_stay_what_was_written(body: str, attribute: str, expected: object) -> None:
    assert getattr(one(body), attribute) == expected


def test_due_2023_is_the_whole_year() -> None:
    window = one(BASE + "    due: 2023\n").window
    assert (window.kind, window.earliest, window.latest) == ("year", date(2023, 1, 1), date(2023, 12, 31))


def test_deadline_overrides_the_reading_of_due() -> None:
    c = one(BASE + "    made_on: 2022-02-21\n    due: end August\n    deadline: 2022-09-30\n")
    assert (c.window.earliest, c.window.latest) == (date(2022, 8, 1), date(2022, 9, 30))


PLAIN_NULL_BUG = (
    "bot/yamlnodes.py NodeReader.text()/sequence(): libyaml gives plain scalars style '' (not None), "
    "so `node.style is None` never holds and ~ / null are kept as text"
)


@pytest.mark.parametrize(("value", "message"), [
    pytest.param("~", "title must not be empty", id="tilde"),
    pytest.param("null", "title must not be empty", id="null"),
    pytest.param("", "title must not be empty", id="nothing"),
    pytest.param('""', "title must not be empty", id="empty-string"),
    pytest.param("[a, b]", "title must be a single value", id="list"),
])
def test_a_title_that_is_not_text_is_a_problem(value: str, message: str) -> None:
    loaded = load([("c.yaml", HEAD + f"    title: {value}\n    owner: Home Office\n")])
    assert loaded.register is None
    assert [p.line for p in loaded.problems] == [4]
    assert loaded.problems[0].message.startswith(message)


def test_quoted_null_is_text() -> None:
    assert one("    title: 'null'\n    owner: '~'\n").owner == "~"


@pytest.mark.parametrize("value", [
    pytest.param("", id="nothing"),
    pytest.param("~", id="tilde"),
    pytest.param("null", id="null"),
    pytest.param("[]", id="empty-list"),
])
def test_an_empty_updates_list_may_be_written_as_null(value: str) -> None:
    assert one(BASE + f"    updates: {value}\n").updates == ()


def test_several_files_are_one_register() -> None:
    a = "version: 1\ntimezone: Europe/London\ncommitments:\n  - id: alpha\n" + BASE
    b = "commitments:\n  - id: beta\n" + BASE + "    superseded_by: alpha\n    status: superseded\n"
    loaded = load([("a.yaml", a), ("b.yaml", b)])
    assert loaded.problems == ()
    assert [c.id for c in loaded.register.commitments] == ["alpha", "beta"]


def test_a_setting_given_in_two_files_is_a_problem() -> None:
    a = "version: 1\ntimezone: Europe/London\ncommitments: []\n"
    b = "timezone: Europe/Paris\ncommitments: []\n"
    loaded = load([("a.yaml", a), ("b.yaml", b)])
    assert [(p.file, p.line) for p in loaded.problems] == [("b.yaml", 1)]
    assert "a.yaml" in loaded.problems[0].message


def test_problems_come_sorted_by_file_and_line_and_all_at_once() -> None:
    a = HEAD + "    title: Alpha\n    owner: Home Office\n    status: donne\n"
    b = "commitments:\n  - id: Beta\n    title: B\n    owner: O\n  - id: gamma\n    owner: O\n"
    loaded = load([("b.yaml", b), ("a.yaml", a)])
    assert [(p.file, p.line) for p in loaded.problems] == [("a.yaml", 6), ("b.yaml", 2), ("b.yaml", 5)]


def test_problem_prints_as_file_line_column_message() -> None:
    assert str(Problem("c.yaml", 41, 10, 'due "autum 2022" is wrong')) == 'c.yaml:41:10: due "autum 2022" is wrong'


@pytest.mark.parametrize("text", [
    pytest.param("", id="empty"),
    pytest.param("---\n---\n", id="two-documents"),
    pytest.param("[", id="unclosed-flow"),
    pytest.param("a: *nope", id="undefined-alias"),
    pytest.param("x: &a [*a]\n", id="recursive-alias"),
    pytest.param("version: 1\ncommitments: {a: 1}\n", id="commitments-mapping"),
    pytest.param("version: 1\ncommitments: [1, [2], {id: x}]\n", id="commitments-of-wrong-shapes"),
    pytest.param("version: 2\n", id="version-2"),
    pytest.param(HEAD + "    title: !!python/object/apply:os.system ['echo hi']\n    owner: x\n", id="python-tag"),
    pytest.param(HEAD + BASE + "    updates: {date: 2022-01-01}\n", id="updates-mapping"),
    pytest.param(HEAD + BASE + "    ? [complex]\n    : key\n", id="complex-key"),
    pytest.param(HEAD + BASE + "    deadline: 2022-13-01\n", id="month-13"),
    pytest.param(HEAD + BASE + "    updates:\n      - date: 2022-01-01\n        note: x\n        due: [a]\n",
                 id="update-due-list"),
    pytest.param(HEAD + BASE + "    notify: [a]\n", id="notify-list"),
])
def test_bad_input_gives_problems_never_an_exception(text: str) -> None:
    loaded = load([("c.yaml", text)])
    assert loaded.register is None
    assert loaded.problems
    assert all(p.file == "c.yaml" and p.line >= 1 and p.column >= 1 for p in loaded.problems)


def test_aliased_commitment_is_a_duplicate_id() -> None:
    text = "version: 1\ncommitments:\n  - &c {id: a, title: t, owner: o}\n  - *c\n"
    loaded = load([("c.yaml", text)])
    assert loaded.register is None
    assert any('duplicate id "a"' in p.message for p in loaded.problems)
