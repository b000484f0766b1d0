"""Issue 13: what a new team sees in its first hour must be true.

Item 11: a validation message says what is wrong, where it is, and a fix that keeps the data
(the registers and their exact lines are rows of tests/test_validation_cases.py's table).
Item 9: every comment in the shipped `commitments.yaml` agrees with the data beside it, read
through `commitment-bot when` as a maintainer would check it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import cast

import pytest
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.register.loader import COMMITMENT_KEYS, TOP_KEYS, UPDATE_KEYS
from bot.register.model import STATUSES, TERMINAL
from bot.register.problems import did_you_mean
from bot.register.yamlnodes import compose
from bot.shell.registerfile import load_texts
from tests.test_validation_cases import CASES, REGISTERS

SHIPPED = Path(__file__).resolve().parent.parent / "commitments.yaml"

# -- item 11 --------------------------------------------------------------------------------
ISSUE_13 = {"bad-indentation", "missing-dash", "missing-dash-on-an-update", "missing-dash-at-the-dash-column",
            "indented-less-than-the-key-above", "list-item-misindented", "missing-colon",
            "missing-space-after-colon", "missing-space-before-a-list", "key-indented-to-the-dash",
            "colon-in-unquoted-value", "unknown-key-due-date"}
ISSUE_26 = {"commitment-indented-under-the-updates-above", "commitment-indented-between-two-others",
            "source-key-indented-as-a-commitments", "commitment-key-indented-into-its-source",
            "apostrophe-inside-single-quotes", "double-quotes-inside-double-quotes", "a-note-that-is-no-key",
            "deadline-before-made-on", "update-deadline-before-its-date"}


def _exact(values: Sequence[object]) -> tuple[object, ...]:
    """A table row as (register, line, column, its one message): these rows' hint is the whole message."""
    name, _, line, col, hints = values
    (message,) = cast(list[str], hints)
    return name, line, col, message


@pytest.mark.parametrize(("name", "line", "col", "message"),
                         [pytest.param(*_exact(c.values), id=c.id) for c in CASES if c.id in ISSUE_13 | ISSUE_26])
def test_the_one_problem_is_said_once_and_exactly(cli, tmp_path, name, line, col, message) -> None:
    """The whole of `validate`'s output is the one line: no "duplicate key … keep only one" for
    each key of a commitment whose "- " was left out (advice that would delete it)."""
    shutil.copyfile(REGISTERS / name, tmp_path / name)  # the tests run in tmp_path
    result = cli("validate", "--file", name)
    assert result.exit_code == 1
    assert result.stdout == f"{name}:{line}:{col}: {message}\n"


def test_keys_after_a_missing_dash_are_checked_as_their_own_commitment(cli, tmp_path: Path) -> None:
    """The merged keys are read as the new commitment they are: its own mistakes are still found,
    at their own lines, and its keys are not duplicates of the commitment above."""
    path = tmp_path / "merged.yaml"
    path.write_text("version: 1\ncommitments:\n  - id: alpha\n    title: Alpha\n    owner: Home Office\n"
                    "    title: Beta\n    id: beta\n    owner: Home Office\n    titel: typo\n", encoding="utf-8")
    result = cli("validate", "--file", str(path))
    assert result.stdout.splitlines() == [
        f'{path}:6:5: a new commitment starts here but has no "- " before it: write "- title: Beta"',
        f'{path}:9:5: unknown key "titel" in a commitment (did you mean "title"?)',
    ]


@pytest.mark.parametrize(("word", "choices", "expected"), [
    pytest.param("due_date", COMMITMENT_KEYS, "due", id="part-before-underscore"),
    pytest.param("due_date", UPDATE_KEYS, "due", id="part-before-underscore-in-an-update"),
    pytest.param("duedate", COMMITMENT_KEYS, "due", id="prefix-without-separator"),
    pytest.param("made_on_date", COMMITMENT_KEYS, "made_on", id="longest-known-prefix"),
    pytest.param("heads_up_days", COMMITMENT_KEYS, "heads_up", id="key-with-underscore-then-more"),
    pytest.param("id_number", COMMITMENT_KEYS, "id", id="short-key-before-underscore"),
    pytest.param("titel", COMMITMENT_KEYS, "title", id="typo-still-by-spelling"),
    pytest.param("alpha-tow", ("alpha", "alpha-two"), "alpha-two", id="longer-form-spelt-close-wins"),
    pytest.param("deliverd", STATUSES, "delivered", id="status-typo"),
    pytest.param("colour", TOP_KEYS, None, id="nothing-close"),
    pytest.param("mvp-implement", ("mvp-implement-by-end-august-2022", "code-of-practice-by-end-august-2022"),
                 "mvp-implement-by-end-august-2022", id="the-start-of-one-long-id"),
    pytest.param("smv", ("smv-evaluation", "smv-funding"), None, id="the-start-of-two-ids-names-neither"),
])
def test_did_you_mean_reads_prefixes(word: str, choices: tuple[str, ...], expected: str | None) -> None:
    assert did_you_mean(word, choices) == (f' (did you mean "{expected}"?)' if expected else "")


def test_email_test_hint_names_no_option_it_lacks(cli) -> None:
    """`email test` without SMTP_URL says how to set it, not "--dry-run", which it does not take."""
    result = cli("email", "test", "me@example.org")
    assert result.exit_code == 1
    assert "SMTP_URL is not set" in result.output and "--dry-run" not in result.output


# -- item 9: the shipped register's comments ------------------------------------------------
TEXT = SHIPPED.read_text(encoding="utf-8")
LINES = TEXT.split("\n")
REGISTER = load_texts([(str(SHIPPED), TEXT)]).register


def _reading(cli, phrase: str, made_on: date) -> date | None:  # type: ignore[no-untyped-def]
    """The deadline `commitment-bot when PHRASE --made-on DATE` prints, or None for open-ended."""
    result = cli("when", phrase, "--made-on", made_on.isoformat())
    assert result.exit_code == 0, result.output
    found = re.search(r"deadline (\d{4}-\d{2}-\d{2})", result.output)
    return date.fromisoformat(found[1]) if found else None


def _comment_above(line: int) -> str:
    """The comment lines just above 0-based `line`, joined."""
    out: list[str] = []
    while line > 0 and LINES[line - 1].strip().startswith("#"):
        line -= 1
        out.insert(0, LINES[line].strip().lstrip("#").strip())
    return " ".join(out)


def _mappings(node: Node) -> list[MappingNode]:
    found = [node] if isinstance(node, MappingNode) else []
    children = node.value if isinstance(node, SequenceNode) else \
        [v for _, v in node.value] if isinstance(node, MappingNode) else []
    return found + [m for child in children for m in _mappings(child)]


def _fields(node: MappingNode) -> dict[str, Node]:
    return {k.value: v for k, v in node.value if isinstance(k, ScalarNode)}


def test_the_shipped_register_is_what_the_readme_counts(cli) -> None:
    assert REGISTER is not None and len(REGISTER.commitments) == 13
    assert cli("validate", "--file", str(SHIPPED)).output.startswith("ok: 13 commitments")


def test_read_against_made_on_comments_give_the_reading_when_gives(cli) -> None:
    """`due: later this year   # read against made_on: 31 Dec 2022` says what `when` says."""
    assert REGISTER is not None
    checked = 0
    for c in REGISTER.commitments:
        for line in c.text.split("\n"):
            said = re.match(r"\s*due: (.+?)\s+# read against made_on: (\d+ \w+ \d{4})$", line)
            if said and c.made_on:
                assert _reading(cli, said[1], c.made_on) == datetime.strptime(said[2], "%d %b %Y").date(), line
                checked += 1
    assert checked >= 3


def test_a_pinned_deadline_says_whether_it_changes_the_reading(cli) -> None:
    """A `deadline:` that the words already read to is said to change nothing; one that differs
    is said to be pinned. (The 2023 "later this year" was once said to need its pin.)"""
    root, problems = compose(TEXT, str(SHIPPED))
    assert root is not None and not problems
    pinned = [m for m in _mappings(root) if "deadline" in _fields(m)]
    assert pinned
    for mapping in pinned:
        f = _fields(mapping)
        when = f.get("date") or f.get("made_on")
        assert isinstance(when, ScalarNode) and isinstance(f["due"], ScalarNode)
        deadline = date.fromisoformat(f["deadline"].value)
        comment = _comment_above(f["deadline"].start_mark.line)
        if _reading(cli, f["due"].value, date.fromisoformat(when.value)) == deadline:
            assert f"reads as {deadline.day} {deadline:%b %Y} without help" in comment, comment
            assert "Pinned" not in comment and "not read as" not in comment, comment
        else:
            assert "Pinned" in comment, comment


def test_what_comments_say_of_a_funding_year_is_its_status() -> None:
    """A comment sentence naming a financial year as "left open" or "delivered" matches the
    status the register's updates give that year."""
    assert REGISTER is not None
    closed = {u.period: u.status for c in REGISTER.commitments if c.recurs for u in c.updates
              if u.period and u.status in TERMINAL}
    comments = " ".join(line.strip().lstrip("#").strip() for line in LINES if line.strip().startswith("#"))
    claims = 0
    for sentence in re.split(r"(?<=\.) ", comments):
        years = re.findall(r"\b(\d{4}-\d{2})\b", sentence)
        if "left open" in sentence:
            assert not [y for y in years if y in closed], sentence
            claims += 1
        if re.search(r"\bmarked delivered\b", sentence):
            assert years and all(closed.get(y) == "delivered" for y in years), sentence
            claims += 1
    assert claims >= 1


def test_open_ended_comments_sit_on_promises_with_no_deadline() -> None:
    assert REGISTER is not None
    for c in REGISTER.commitments:
        if re.search(r"^\s*# Open-ended", c.text, re.MULTILINE):
            assert c.window is None or c.window.is_open, c.id


def test_delivered_comments_match_the_dated_update() -> None:
    """`status: open   # the status when promised; the delivery is the dated update below`."""
    assert REGISTER is not None
    for c in REGISTER.commitments:
        if "the delivery is the dated update below" in c.text:
            assert c.status == "open" and any(u.status == "delivered" and u.source for u in c.updates), c.id


def test_comments_name_no_path_of_one_machine() -> None:
    """A fresh clone is elsewhere: a comment may say where the sources are kept (the README does),
    but not as an absolute path on the machine the register was written on."""
    comments = [line for line in LINES if line.strip().startswith("#")]
    assert not [line for line in comments if re.search(r"(?<![\w.])/(?:work|home|tmp|Users)/", line)]
