"""The loader (SPEC §2) as a pure function: YAML 1.2 values, several files as one register,
every problem at once, and no exception for any input."""

from __future__ import annotations

from datetime import date

import pytest

from bot.register.problems import Problem
from bot.shell.registerfile import load_texts as load

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
    "bot/register/yamlnodes.py NodeReader.text()/sequence(): libyaml gives plain scalars style '' (not None), "
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
    assert loaded.register is not None
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


# -- issue 11: what a register must hold, and the calendar it must stay on ----------------------
@pytest.mark.parametrize(("texts", "expected"), [
    pytest.param(["timezone: Europe/London\n"], [("a.yaml", 1, 1, 'no "commitments"'), ("a.yaml", 1, 1, 'no "version"')],
                 id="settings-only"),
    pytest.param(["# a comment\nversion: 1\n"], [("a.yaml", 2, 1, 'no "commitments"')], id="version-only"),
    pytest.param(["commitments: []\n"], [("a.yaml", 1, 1, 'no "version"')], id="commitments-only"),
    pytest.param(["timezone: Europe/London\n", "routes:\n  - slack: ['#a']\n"],
                 [("a.yaml", 1, 1, 'no "commitments"'), ("a.yaml", 1, 1, 'no "version"')], id="directory-of-settings"),
    pytest.param(["version: 1\n", "commitments: []\n"], [], id="directory-split-between-files"),
    pytest.param(["version: 1\ncommitments: []\n"], [], id="explicitly-empty"),
    pytest.param(["version: 1\ncommitments:\n"], [], id="empty-value"),
    pytest.param(["timezone: [\n", "version: 1\n"], [("a.yaml", 2, 1, "not valid YAML")],
                 id="a-file-that-does-not-parse-may-hold-the-missing-key"),
])
def test_version_and_commitments_are_required(texts: list[str], expected: list[tuple[str, int, int, str]]) -> None:
    loaded = load([(name, text) for name, text in zip(("a.yaml", "b.yaml"), texts, strict=False)])
    found = [(p.file, p.line, p.column, p.message) for p in loaded.problems]
    assert len(found) == len(expected), found
    for (file, line, col, message), want in zip(found, expected, strict=True):
        assert (file, line, col) == want[:3] and want[3] in message
    assert (loaded.register is None) == bool(expected)


DATES = [  # (YAML for a date field, where the date sits) — each must stay within 1900-2200
    pytest.param("    made_on: {}\n", "made_on", id="made_on"),
    pytest.param("    made_on: 1900-01-01\n    deadline: {}\n", "deadline", id="deadline"),
    pytest.param("    updates:\n      - date: {}\n        note: n\n", "update date", id="update-date"),
    pytest.param("    updates:\n      - date: 1900-01-01\n        note: n\n        deadline: {}\n", "deadline",
                 id="update-deadline"),
]


@pytest.mark.parametrize(("body", "what"), DATES)
@pytest.mark.parametrize("day", ["1900-01-01", "2200-12-31"])
def test_dates_at_either_end_of_the_range_are_fine(body: str, what: str, day: str) -> None:
    one(BASE + body.format(day))


@pytest.mark.parametrize(("body", "what"), DATES)
@pytest.mark.parametrize("day", ["1899-12-31", "2201-01-01", "9999-12-31", "0001-01-01"])
def test_dates_outside_the_range_are_a_problem_at_the_date(body: str, what: str, day: str) -> None:
    text = HEAD + BASE + body.format(day)
    loaded = load([("c.yaml", text)])
    (problem,) = loaded.problems
    i = text.index(day)
    assert (problem.line, problem.column) == (text.count("\n", 0, i) + 1, i - text.rfind("\n", 0, i))
    assert problem.message == f'{what} "{day}" is out of range: dates must stay within years 1900–2200'


@pytest.mark.parametrize(("due", "deadline"), [
    pytest.param("by 2200", date(2200, 12, 31), id="year-2200"),
    pytest.param("2199-00", date(2200, 3, 31), id="financial-year-ending-2200"),
    pytest.param("winter 2199", date(2200, 2, 28), id="winter-into-2200"),
    pytest.param("1900-01-01", date(1900, 1, 1), id="first-day"),
])
def test_phrases_that_read_within_the_range_keep_their_reading(due: str, deadline: date) -> None:
    assert one(BASE + f"    due: {due}\n").window.deadline == deadline


@pytest.mark.parametrize(("due", "shown"), [
    pytest.param("by 2201", "31 December 2201", id="year-2201"),
    pytest.param("2200-01", "31 March 2201", id="financial-year-into-2201"),
    pytest.param("within 200 years", "21 February 2222", id="relative"),
    pytest.param("by 1899", "31 December 1899", id="year-1899"),
    pytest.param("by 9999", "years 1900–2200", id="year-9999"),
])
def test_phrases_that_read_outside_the_range_are_a_problem(due: str, shown: str) -> None:
    loaded = load([("c.yaml", HEAD + BASE + f"    made_on: 2022-02-21\n    due: {due}\n")])
    (problem,) = loaded.problems
    assert (problem.line, problem.column) == (7, 10)
    assert problem.message.startswith(f'due "{due}"') and shown in problem.message


@pytest.mark.parametrize("key", ["grace", "remind_every", "heads_up", "check_in"])
@pytest.mark.parametrize(("span", "fine"), [
    pytest.param("100 years", True, id="100-years"),
    pytest.param("P1200M", True, id="1200-months"),
    pytest.param("36525 days", True, id="36525-days"),
    pytest.param("100 years 1 day", False, id="100-years-1-day"),
    pytest.param("P101Y", False, id="101-years"),
    pytest.param("9000 years", False, id="9000-years"),
    pytest.param("99999999999999999999 days", False, id="huge-number"),
])
@pytest.mark.parametrize("where", ["defaults", "commitment"])
def test_durations_are_at_most_100_years(key: str, span: str, fine: bool, where: str) -> None:
    if where == "defaults":
        text = f"version: 1\ndefaults:\n  {key}: {span}\ncommitments:\n  - id: alpha\n" + BASE
        line, col = 3, 5 + len(key)
    else:
        text = HEAD + BASE + f"    {key}: {span}\n"
        line, col = 6, 7 + len(key)
    problems = load([("c.yaml", text)]).problems
    if fine:
        assert problems == ()
        return
    (problem,) = problems
    assert (problem.line, problem.column) == (line, col)
    assert problem.message.startswith(f'{key} "{span}" is too long: at most 100 years')


def test_a_number_too_long_to_read_is_a_problem_not_a_crash() -> None:
    (problem,) = load([("c.yaml", HEAD + BASE + "    grace: " + "9" * 5000 + " days\n")]).problems
    assert problem.line == 6 and "is not a duration" in problem.message and len(problem.message) < 200


NEVER = "gives no date in the 10 years after the first deadline (2022-08-31)"


@pytest.mark.parametrize(("recurs", "refused"), [
    pytest.param("monthly", None, id="monthly"),
    pytest.param("yearly", None, id="yearly"),
    pytest.param("financial-year", None, id="financial-year"),
    pytest.param("RRULE:FREQ=MONTHLY;BYMONTHDAY=15", None, id="rrule-monthly-mid-month"),
    pytest.param("RRULE:FREQ=YEARLY;COUNT=3", None, id="rrule-three-years"),
    pytest.param("RRULE:FREQ=YEARLY;BYMONTH=8;BYMONTHDAY=31", None, id="rrule-yearly"),
    pytest.param("RRULE:FREQ=YEARLY;INTERVAL=3000", NEVER, id="rrule-every-3000-years"),
    pytest.param("RRULE:FREQ=DAILY;INTERVAL=2900000", NEVER, id="rrule-every-7940-years"),
    pytest.param('"RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;BYSETPOS=1"', NEVER, id="rrule-30-february"),
    pytest.param('"RRULE:FREQ=MONTHLY;INTERVAL=12;BYMONTH=2"', NEVER, id="rrule-steps-over-its-month"),
])
def test_a_recurring_series_stays_on_the_calendar(recurs: str, refused: str | None) -> None:
    """A rule that never comes round is refused at its line, and reading it returns at once
    (dateutil alone looks for 30 February day by day to year 9999: two seconds a commitment)."""
    text = HEAD + BASE + f"    made_on: 2022-02-21\n    due: 2022-08-31\n    recurs: {recurs}\n"
    problems = load([("c.yaml", text)]).problems
    assert (problems == ()) == (refused is None), problems
    if refused is not None:
        (problem,) = problems
        assert (problem.line, problem.column) == (8, 13) and refused in problem.message


@pytest.mark.parametrize(("made_on", "message"), [
    pytest.param("2024-11-31", "is not a real date: November 2024 has 30 days", id="november-31"),
    pytest.param("2023-02-29", "is not a real date: February 2023 has 28 days", id="february-29-not-leap"),
    pytest.param("2024-02-30", "is not a real date: February 2024 has 29 days", id="february-30-leap"),
    pytest.param("2024-04-00", "is not a real date: April 2024 has 30 days", id="day-0"),
    pytest.param("2022-13-01", "is not a real date: there is no month 13", id="month-13"),
    pytest.param("21/02/2022", "must be a date written YYYY-MM-DD", id="day-first"),
])
def test_a_date_that_does_not_exist_says_why(made_on: str, message: str) -> None:
    (problem,) = load([("c.yaml", HEAD + BASE + f"    made_on: {made_on}\n")]).problems
    assert (problem.line, problem.column) == (6, 14)
    assert problem.message.startswith(f'made_on "{made_on}" {message}')


# -- issue 13, item 11: a commitment whose "- " was left out is said to be one -----------------------
@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(HEAD + "    title: A\n    owner: o\n    id: beta\n    title: B\n    owner: o\n",
                 [(6, 5, 'a new commitment starts here but has no "- " before it: write "- id: beta"')],
                 id="block-items-merged"),
    pytest.param("version: 1\ncommitments:\n  - {id: a, title: t, owner: o, id: b}\n",
                 [(3, 33, 'duplicate key "id" in a commitment: keep only one')], id="flow-mapping-has-no-dash-to-miss"),
    pytest.param(HEAD + "    title: A\n    owner: o\n    title: B\n", [(6, 5, 'duplicate key "title" in a commitment: keep only one')],
                 id="a-repeated-key-without-a-second-id-is-a-duplicate"),
])
def test_a_missing_dash_is_told_apart_from_a_duplicate_key(text: str, expected: list[tuple[int, int, str]]) -> None:
    loaded = load([("c.yaml", text)])
    assert [(p.line, p.column, p.message) for p in loaded.problems] == expected


# -- issue 17, item 1: `deadline:` rescues any `due` (SPEC §2) ---------------------------------------
PILOT = "once the pilot has been evaluated"  # words no reading of Whitehall time will ever take

# (YAML after BASE, the commitment's window as (kind, earliest, latest)): the words are kept as written
RESCUED = [
    pytest.param(f"    made_on: 2024-11-04\n    due: {PILOT}\n    deadline: 2025-03-31\n",
                 ("manual", date(2024, 11, 4), date(2025, 3, 31)), id="unreadable-from-made-on"),
    pytest.param(f"    due: {PILOT}\n    deadline: 2025-03-31\n",
                 ("manual", date(2025, 3, 31), date(2025, 3, 31)), id="unreadable-without-made-on"),
    pytest.param("    made_on: 2022-02-21\n    due: autum 2022\n    deadline: 2022-11-30\n",
                 ("manual", date(2022, 2, 21), date(2022, 11, 30)), id="a-typo-the-maintainer-keeps"),
    pytest.param("    due: end August\n    deadline: 2022-09-30\n",
                 ("manual", date(2022, 9, 30), date(2022, 9, 30)), id="no-year-and-no-made-on"),
    pytest.param("    made_on: 2022-02-21\n    due: by 2500\n    deadline: 2030-12-31\n",
                 ("manual", date(2022, 2, 21), date(2030, 12, 31)), id="reads-off-the-calendar"),
    # words that read keep their reading's kind and start: as before issue 17
    pytest.param("    made_on: 2022-02-21\n    due: end August\n    deadline: 2022-09-30\n",
                 ("month", date(2022, 8, 1), date(2022, 9, 30)), id="readable-keeps-its-kind"),
    pytest.param("    made_on: 2022-02-21\n    due: in due course\n    deadline: 2022-09-30\n",
                 ("day", date(2022, 9, 30), date(2022, 9, 30)), id="open-with-a-deadline"),
    pytest.param("    made_on: 2022-02-21\n    deadline: 2022-09-30\n",
                 ("day", date(2022, 9, 30), date(2022, 9, 30)), id="deadline-alone"),
]


@pytest.mark.parametrize(("body", "window"), RESCUED)
def test_a_deadline_rescues_any_due(body: str, window: tuple[str, date, date]) -> None:
    c = one(BASE + body)
    assert (c.window.kind, c.window.earliest, c.window.latest) == window
    written = next((line.split(": ", 1)[1] for line in body.splitlines() if line.startswith("    due: ")), None)
    assert c.due == written


@pytest.mark.parametrize(("update", "window"), [
    pytest.param(f"        due: {PILOT}\n        deadline: 2022-12-31\n",
                 ("manual", date(2022, 8, 9), date(2022, 12, 31)), id="unreadable"),
    pytest.param("        due: autumn 2022\n        deadline: 2022-12-31\n",
                 ("season", date(2022, 9, 1), date(2022, 12, 31)), id="readable-keeps-its-kind"),
    pytest.param("        deadline: 2022-12-31\n", ("day", date(2022, 12, 31), date(2022, 12, 31)), id="deadline-alone"),
])
def test_a_deadline_rescues_an_updates_due(update: str, window: tuple[str, date, date]) -> None:
    c = one(BASE + "    made_on: 2022-02-21\n    due: end August\n    updates:\n      - date: 2022-08-09\n"
            "        note: Slipped\n" + update)
    (u,) = c.updates
    assert (u.window.kind, u.window.earliest, u.window.latest) == window


@pytest.mark.parametrize(("body", "expected"), [
    pytest.param(f"    due: {PILOT}\n    deadline: 2025-02-30\n",
                 [(7, 15, 'deadline "2025-02-30" is not a real date: February 2025 has 28 days')],
                 id="only-the-deadline-is-wrong"),
    pytest.param("    due: by 2500\n    deadline: 25/03/2031\n",
                 [(7, 15, 'deadline "25/03/2031" must be a date written YYYY-MM-DD, e.g. 2022-02-21')],
                 id="only-the-deadline-is-wrong-off-the-calendar"),
    pytest.param(f"    made_on: 2022-02-21\n    due: {PILOT}\n    deadline: 2022-12-31\n    updates:\n"
                 f"      - date: 2022-08-09\n        note: Slipped\n        due: {PILOT} in Wales\n",
                 [(12, 14, f'due "{PILOT} in Wales" is not a date this bot can read')],
                 id="the-commitments-deadline-does-not-rescue-an-update"),
    pytest.param(f"    made_on: 2022-02-21\n    due: end August\n    updates:\n      - date: 2022-08-09\n"
                 f"        note: Slipped\n        due: {PILOT}\n        deadline: 2022-12-31\n"
                 f"      - date: 2022-09-09\n        note: Again\n        due: {PILOT}\n",
                 [(15, 14, f'due "{PILOT}" is not a date this bot can read')],
                 id="one-updates-deadline-does-not-rescue-another"),
    pytest.param(f"    made_on: 2025-06-01\n    due: {PILOT}\n    deadline: 2025-03-31\n",
                 [(8, 15, "deadline 2025-03-31 is before the commitment was made (made_on 2025-06-01)")],
                 id="a-deadline-before-made-on-rescues-nothing"),
])
def test_what_a_deadline_does_not_rescue(body: str, expected: list[tuple[int, int, str]]) -> None:
    loaded = load([("c.yaml", HEAD + BASE + body)])
    found = [(p.line, p.column, p.message) for p in loaded.problems]
    assert [(line, col) for line, col, _ in found] == [(line, col) for line, col, _ in expected], found
    for (_, _, message), (_, _, want) in zip(found, expected, strict=True):
        assert message.startswith(want)


# -- defaults.quarters (issue 17 item 3) ---------------------------------------------------------
QUARTERLY = ("commitments:\n  - id: alpha\n" + BASE + "    made_on: 2024-05-10\n    due: Q4\n"
             "    updates:\n      - date: 2024-06-01\n        note: Slipped.\n        due: end of Q2\n"
             "  - id: beta\n" + BASE + "    made_on: 2024-05-10\n    due: Q3 2024/25\n"
             "  - id: gamma\n" + BASE + "    made_on: 2024-05-10\n    due: Q4\n    deadline: 2025-02-14\n")


@pytest.mark.parametrize(("defaults", "quarters", "alpha", "update", "gamma"), [
    pytest.param("", "calendar", (date(2024, 10, 1), date(2024, 12, 31)), date(2024, 6, 30),
                 (date(2024, 10, 1), date(2025, 2, 14)), id="default-calendar"),
    pytest.param("defaults: {quarters: calendar}\n", "calendar", (date(2024, 10, 1), date(2024, 12, 31)),
                 date(2024, 6, 30), (date(2024, 10, 1), date(2025, 2, 14)), id="calendar"),
    pytest.param("defaults: {quarters: financial, grace: 3 days}\n", "financial", (date(2025, 1, 1), date(2025, 3, 31)),
                 date(2024, 9, 30), (date(2025, 1, 1), date(2025, 2, 14)), id="financial"),
])
def test_defaults_quarters_reads_a_quarter_without_a_year(
    defaults: str, quarters: str, alpha: tuple[date, date], update: date, gamma: tuple[date, date]
) -> None:
    loaded = load([("c.yaml", "version: 1\n" + defaults + QUARTERLY)])
    assert loaded.problems == (), [str(p) for p in loaded.problems]
    assert loaded.register is not None
    assert loaded.register.quarters == quarters
    a, b, g = loaded.register.commitments
    assert a.window is not None and (a.window.earliest, a.window.latest) == alpha
    assert a.updates[0].window is not None and a.updates[0].window.latest == update
    assert b.window is not None and (b.window.earliest, b.window.latest) == (date(2024, 10, 1), date(2024, 12, 31))
    assert g.window is not None and (g.window.kind, g.window.earliest, g.window.latest) == ("quarter", *gamma)


def test_defaults_quarters_in_another_file_of_the_register_applies() -> None:
    loaded = load([("a.yaml", "version: 1\n" + QUARTERLY), ("b.yaml", "defaults:\n  quarters: financial\n")])
    assert loaded.problems == ()
    assert loaded.register is not None
    window = loaded.register.commitments[0].window
    assert window is not None and window.latest == date(2025, 3, 31)


@pytest.mark.parametrize(("value", "message"), [
    ("finacial", 'quarters "finacial" must be calendar or financial (did you mean "financial"?): how a quarter '
                 'without a year ("Q4") is read'),
    ("april", 'quarters "april" must be calendar or financial: how a quarter without a year ("Q4") is read'),
    ('""', "quarters must not be empty"),
])
def test_a_bad_defaults_quarters_is_a_problem_with_a_hint(value: str, message: str) -> None:
    loaded = load([("c.yaml", f"version: 1\ndefaults:\n  quarters: {value}\n" + QUARTERLY)])
    assert [(p.line, p.column) for p in loaded.problems] == [(3, 13)]
    assert loaded.problems[0].message.startswith(message)


def test_quarters_is_a_register_default_not_a_commitments() -> None:
    loaded = load([("c.yaml", HEAD + BASE + "    quarters: financial\n")])
    assert len(loaded.problems) == 1 and "quarters" in loaded.problems[0].message


# -- issue 26: one precise message for each mistake ------------------------------------------------
DELIVERED = "    made_on: 2022-02-21\n    updates:\n      - date: 2022-08-09\n        note: Published\n"


@pytest.mark.parametrize(("body", "expected"), [
    pytest.param(DELIVERED + "        status: delivered\n        source: {quote: published}\n",
                 [(11, 17, "source needs a title or a url")], id="an-updates-source-without-title-or-url"),
    pytest.param("    status: delivered\n" + DELIVERED + "        source: {quote: published}\n",
                 [(11, 17, "source needs a title or a url")], id="the-evidence-for-a-commitments-status"),
    pytest.param("    source: Written answer 12345\n",
                 [(6, 13, 'source must be a mapping, not one value: write "source:" alone, and '
                          '"title: Written answer 12345" on the line below it, indented 2 more spaces')],
                 id="a-source-written-as-one-value"),
    pytest.param("    made_on: 2022-02-21\n    due: 2022-08-31\n    recurs: annually\n",
                 [(8, 13, 'recurs "annually" is not a rule this bot can follow (use yearly, quarterly, monthly, '
                          'financial-year or an RFC 5545 "RRULE:FREQ=…")')], id="recurs-says-its-hint-once"),
])
def test_each_mistake_is_said_once(body: str, expected: list[tuple[int, int, str]]) -> None:
    loaded = load([("c.yaml", HEAD + BASE + body)])
    assert [(p.line, p.column, p.message) for p in loaded.problems] == expected


SUPERSEDED = "    status: superseded\n    superseded_by: {target}\n  - id: refuge-guidance-2026\n" + BASE


@pytest.mark.parametrize(("target", "message"), [
    pytest.param("alpha-two", 'superseded_by "alpha-two" is not the id of any commitment', id="never-its-own-id"),
    pytest.param("alpha", 'superseded_by "alpha" is this commitment\'s own id: name the commitment that replaced it',
                 id="not-by-itself"),
])
def test_superseded_by_never_points_back_at_its_own_commitment(target: str, message: str) -> None:
    """`refuge-guidance-2028` on `refuge-guidance-2027` once got 'did you mean "refuge-guidance-2027"?': itself."""
    loaded = load([("c.yaml", HEAD + BASE + SUPERSEDED.format(target=target))])
    assert [(p.line, p.column, p.message) for p in loaded.problems] == [(7, 20, message)]
