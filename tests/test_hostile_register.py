"""Issue 11: registers written to hurt (control characters, alias bombs, FIFOs, foreign bytes,
tabs) are refused at the exact FILE:LINE:COL with a message saying how to fix them, never hang,
never reach the database, and print nothing that can drive a terminal.

Speed and memory are measured by hand (README), not asserted here: these tests only prove the
hostile files are refused, with the right message at the right place.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.register.problems import Problem
from bot.shell.registerfile import load_texts as load
from bot.when.durations import MAX_YEARS

REPO = Path(__file__).resolve().parent.parent
HEAD = "version: 1\ncommitments:\n  - id: alpha\n    title: Alpha\n    owner: Home Office\n"
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # anything but a line feed


def problems(text: str) -> tuple[Problem, ...]:
    loaded = load([("c.yaml", text)])
    assert loaded.register is None, "the register was accepted"
    return loaded.problems


def at(text: str, needle: str) -> tuple[int, int]:
    """1-based (line, column) of the first `needle` in `text`."""
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


# -- item 3: control characters, decoded from double-quoted escapes -----------------------------
# (escape as written in a double-quoted scalar, how the message names the character)
CONTROLS = [
    pytest.param("\\0", "U+0000 (NUL)", id="nul"),
    pytest.param("\\a", "U+0007 (BEL)", id="bel"),
    pytest.param("\\b", "U+0008 (BS)", id="backspace"),
    pytest.param("\\v", "U+000B (VT)", id="vertical-tab"),
    pytest.param("\\f", "U+000C (FF)", id="form-feed"),
    pytest.param("\\r", "U+000D (CR)", id="carriage-return"),
    pytest.param("\\e", "U+001B (ESC)", id="escape-e"),
    pytest.param("\\x1b", "U+001B (ESC)", id="escape-x1b"),
    pytest.param("\\u001B", "U+001B (ESC)", id="escape-u001b"),
    pytest.param("\\U0000001f", "U+001F (US)", id="unit-separator"),
    pytest.param("\\x7f", "U+007F (DEL)", id="delete"),
    pytest.param("\\N", "U+0085 (a C1 control)", id="next-line"),
    pytest.param("\\x9b", "U+009B (a C1 control)", id="c1-csi"),
]


@pytest.mark.parametrize(("escape", "name"), CONTROLS)
def test_an_escaped_control_character_is_reported_at_its_escape(escape: str, name: str) -> None:
    text = HEAD.replace("title: Alpha", f'title: "Alpha \\t{escape} promise"')
    (problem,) = problems(text)
    assert (problem.line, problem.column) == at(text, escape + " promise")
    assert name in problem.message
    assert f'written "{escape}"' in problem.message and "remove it" in problem.message


# every kind of register text: (what, the register, the escape to find)
PLACES = [
    pytest.param(HEAD + '    made_by: "Lord \\0X"\n', id="made_by"),
    pytest.param(HEAD + '    made_on: 2022-01-01\n    due: "end August\\0"\n', id="due"),
    pytest.param(HEAD + '    tags: [a, "b\\0"]\n', id="tag"),
    pytest.param(HEAD + '    source: {title: "Letter\\0", url: "https://example.org/x"}\n', id="source-title"),
    pytest.param(HEAD + '    source: {title: Letter, quote: "we will\\0"}\n', id="source-quote"),
    pytest.param(HEAD + '    notify: {email: ["a@example.org\\0"]}\n', id="notify-email"),
    pytest.param(HEAD + '    updates:\n      - {date: 2022-01-01, note: "x\\0"}\n', id="update-note"),
    pytest.param(HEAD + '    updates:\n      - {date: 2022-01-01, note: x, by: "Ann\\0"}\n', id="update-by"),
    pytest.param(HEAD + '    "ti\\0tle": Alpha\n', id="a-key"),
    pytest.param('version: 1\ntimezone: "Europe/London\\0"\ncommitments: []\n', id="timezone"),
    pytest.param('version: 1\nroutes:\n  - slack: ["#a\\0"]\ncommitments: []\n', id="route-channel"),
]


@pytest.mark.parametrize("text", PLACES)
def test_a_control_character_anywhere_in_the_register_is_a_problem_at_its_place(text: str) -> None:
    found = [p for p in problems(text) if "control character U+0000" in p.message]
    assert [(p.line, p.column) for p in found] == [at(text, "\\0")]


@pytest.mark.parametrize("title", [
    pytest.param('"tab\\there"', id="tab-escape"),
    pytest.param("'tab\there'", id="raw-tab"),
    pytest.param('"two\\nlines"', id="newline-escape"),
    pytest.param("|\n      two\n      lines", id="literal-block"),
    pytest.param('"Caf\\u00e9 \\_ \\u2014 ok"', id="letters-nbsp-dash"),
])
def test_tabs_line_breaks_and_printable_text_are_allowed(title: str) -> None:
    loaded = load([("c.yaml", HEAD.replace("title: Alpha", f"title: {title}"))])
    assert loaded.problems == ()


def test_a_control_character_in_an_aliased_text_is_reported_once_where_it_is_written() -> None:
    text = HEAD + '    source: &s {title: "Letter\\0"}\n  - {id: beta, title: B, owner: O, source: *s}\n'
    found = [p for p in problems(text) if "control character" in p.message]
    assert [(p.line, p.column) for p in found] == [at(text, "\\0")]


def test_a_raw_control_byte_is_placed_by_characters_not_utf8_bytes() -> None:
    text = HEAD.replace("title: Alpha", "title: Café déjà vu \x07 promise")
    (problem,) = problems(text)
    assert (problem.line, problem.column) == at(text, "\x07")
    assert "control character U+0007 (BEL)" in problem.message


def test_printed_problems_never_carry_a_control_character(cli, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(HEAD + '    "ti\\e]0;owned\\atle": x\n    made_by: "\\e[2J"\n', encoding="utf-8")
    result = cli("validate", "--file", str(path))
    assert result.exit_code == 1
    assert 'unknown key "ti\\x1b]0;owned\\x07tle"' in result.stdout  # shown, but inert
    assert not RAW_CONTROL.search(result.output)


# -- item 7: alias amplification (SPEC §2: at most tenfold) --------------------------------------
def hostile(updates: int = 2000, copies: int = 1000) -> str:
    """The issue's register: one list of 2,000 updates, reused by 1,000 commitments."""
    lines = ["version: 1", "commitments:", "  - id: c0", "    title: T", "    owner: O", "    made_on: 2022-01-01",
             "    due: 2023", "    updates: &u"]
    lines += [f"      - {{date: 2022-01-02, note: note {i}}}" for i in range(updates)]
    lines += [f"  - {{id: c{i}, title: T, owner: O, made_on: 2022-01-01, due: 2023, updates: *u}}"
              for i in range(1, copies)]
    return "\n".join(lines) + "\n"


def test_the_issues_alias_register_is_refused_before_it_is_read(cli, tmp_path: Path) -> None:
    path = tmp_path / "commitments.yaml"
    path.write_text(hostile(), encoding="utf-8")
    result = cli("validate", "--file", str(path))
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()  # one problem: nothing after it was read
    # 22,006 nodes written; each alias adds the 10,001-node list, so the 21st passes 220,060
    assert line.startswith(f"{path}:2029:76: ")
    assert 'alias "*u"' in line and "more than 10 times the 22,006 written" in line


def test_the_issues_alias_register_makes_check_change_nothing(cli, tmp_path: Path) -> None:
    path = tmp_path / "commitments.yaml"
    path.write_text(hostile(), encoding="utf-8")
    database = tmp_path / "bot.db"
    result = cli("check", "--file", str(path), "--database", f"sqlite:///{database}", "--now", "2023-06-01")
    assert result.exit_code == 1
    assert 'alias "*u"' in result.output
    assert not database.exists()


def repeats(items: int, aliases: int) -> str:
    """A register of 9 + `items` nodes whose `items`-long list is repeated by `aliases` aliases."""
    listed = ", ".join("x" for _ in range(items))
    return f"version: 1\ncommitments: []\nx: &a [{listed}]\ny: [{', '.join('*a' for _ in range(aliases))}]\n"


def test_aliases_may_repeat_up_to_tenfold_and_no_further() -> None:
    # 18 nodes written, each alias adds 10: 16 aliases make 178 (allowed), the 17th 188 (> 180)
    allowed = problems(repeats(9, 16))
    assert not any("alias" in p.message for p in allowed)
    text = repeats(9, 17)
    (problem,) = problems(text)
    assert (problem.line, problem.column) == (4, 5 + 4 * 16)  # `y: [` then `*a, ` sixteen times
    assert "makes the register 188 nodes, more than 10 times the 18 written" in problem.message


def test_a_billion_laughs_is_refused_at_once() -> None:
    levels = ["version: 1", "commitments: []", "l0: &l0 [" + ", ".join(["lol"] * 10) + "]"]
    levels += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 10)]  # 10**10 nodes
    (problem,) = problems("\n".join(levels) + "\n")
    assert problem.line == 5 and 'alias "*l1"' in problem.message


def _json_laughs() -> str:
    levels = ['"l0":&l0 [' + ",".join(['"lol"'] * 10) + "]"]
    levels += [f'"l{n}":&l{n} [' + ",".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 6)]
    return '{"version":1,"commitments":[],' + ",".join(levels) + "}"


@pytest.mark.parametrize(("text", "alias"), [
    pytest.param(_json_laughs(), "*l1", id="json-style-anchor-right-after-colon"),
    pytest.param("version: 1\ncommitments: []\nl0:\t&l0 [a, a, a, a, a, a, a, a, a, a]\nl1:\t["
                 + ", ".join(["*l0"] * 30) + "]\n", "*l0", id="anchor-after-a-tab"),
])
def test_anchors_written_without_spaces_are_still_bounded(text: str, alias: str) -> None:
    (problem,) = problems(text)
    assert f'alias "{alias}" makes the register' in problem.message


def test_normal_anchors_still_work() -> None:
    text = ("version: 1\ncommitments:\n"
            "  - {id: a, title: A, owner: O, source: &src {title: Letter, url: 'https://example.org/l'},"
            " tags: &t [home-office, mvp]}\n"
            + "".join(f"  - {{id: c{i}, title: C, owner: O, source: *src, tags: *t}}\n" for i in range(5)))
    loaded = load([("c.yaml", text)])
    assert loaded.problems == ()
    assert loaded.register is not None
    assert {(c.source.title if c.source else None, c.tags) for c in loaded.register.commitments} == {
        ("Letter", ("home-office", "mvp"))}


# -- item 4: a register at the very edge of what validates can still be decided -------------------
EDGE = f"""version: 1
defaults: {{grace: {MAX_YEARS} years, remind_every: {MAX_YEARS} years, heads_up: {MAX_YEARS} years,
           check_in: {MAX_YEARS} years}}
commitments:
  - {{id: last-day, title: T, owner: O, made_on: 1900-01-01, deadline: 2200-12-31}}
  - {{id: open-ended, title: T, owner: O, made_on: 1900-01-01, due: in due course}}
  - {{id: yearly, title: T, owner: O, made_on: 1900-01-01, due: 2200, recurs: yearly}}
  - {{id: monthly, title: T, owner: O, made_on: 2199-01-01, due: 2199-01-31,
     recurs: "RRULE:FREQ=MONTHLY;BYMONTHDAY=31"}}
"""


@pytest.mark.parametrize("now", ["1900-01-01", "2026-11-22", "2200-12-31T23:00", "2201-12-31"])
def test_the_longest_durations_on_the_last_dates_never_overflow(cli, tmp_path: Path, sqlite_url: str, now: str) -> None:
    path = tmp_path / "commitments.yaml"
    path.write_text(EDGE, encoding="utf-8")
    base = ("--file", str(path), "--database", sqlite_url, "--now", now)
    decided = cli("check", *base, "--dry-run", "--json")
    assert decided.exit_code == 0, decided.output
    status = cli("status", *base, "--json")
    assert status.exit_code == 0, status.output
    assert "Traceback" not in decided.output + status.output


# -- item 8: only regular files are read ---------------------------------------------------------
def validate(path: Path) -> subprocess.CompletedProcess[str]:
    """The real CLI in a child process, so a read that blocks fails the test instead of hanging it."""
    return subprocess.run([sys.executable, "-m", "bot", "validate", "--file", str(path)], cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    folder = tmp_path / "register"
    folder.mkdir()
    (folder / "a.yaml").write_text(HEAD, encoding="utf-8")
    return folder


def test_a_fifo_in_a_directory_register_is_reported_not_read(good: Path) -> None:
    os.mkfifo(good / "z.yaml")
    result = validate(good)
    assert result.returncode == 1
    assert f"{good / 'z.yaml'}:1:1: this is a FIFO (named pipe), not a regular file" in result.stdout


def test_a_fifo_given_as_the_file_is_reported_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "commitments.yaml")
    result = validate(tmp_path / "commitments.yaml")
    assert result.returncode == 1
    assert "this is a FIFO (named pipe), not a regular file: give --file a YAML file" in result.stdout


def test_a_device_given_as_the_file_is_reported_not_read() -> None:
    result = validate(Path(os.devnull))
    assert result.returncode == 1
    assert "this is a character device, not a regular file" in result.stdout


def test_a_directory_named_like_a_yaml_file_is_reported(good: Path) -> None:
    (good / "old.yaml").mkdir()
    result = validate(good)
    assert result.returncode == 1
    assert f"{good / 'old.yaml'}:1:1: this is a directory, not a regular file" in result.stdout


# -- bad input messages ---------------------------------------------------------------------------
@pytest.mark.parametrize(("data", "line", "col", "byte"), [
    pytest.param(HEAD.replace("Alpha", "Caf\xe9").encode("latin-1"), 4, 15, "0xE9", id="latin-1-e-acute"),
    pytest.param(b"# \x93smart quotes\x94\n" + HEAD.encode(), 1, 3, "0x93", id="windows-1252-quote"),
    pytest.param(HEAD.replace("Alpha", "Déjà vu \xff").encode("utf-8").replace(b"\xc3\xbf", b"\xff"), 4, 20,
                 "0xFF", id="after-multibyte-utf8"),
])
def test_bytes_that_are_not_utf8_are_placed_exactly(cli, tmp_path: Path, data: bytes, line: int, col: int,
                                                    byte: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(data)
    result = cli("validate", "--file", str(path))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}:{line}:{col}: cannot read the file: it must be UTF-8, and byte {byte}")


@pytest.mark.parametrize(("text", "line", "col"), [
    pytest.param("version: 1\ncommitments:\n\t- id: alpha\n", 3, 1, id="before-a-dash"),
    pytest.param(HEAD.replace("    title", "\ttitle"), 4, 1, id="a-key"),
    pytest.param(HEAD.replace("    title", "   \ttitle"), 4, 4, id="after-spaces"),
    pytest.param(HEAD.replace("    owner", "  \towner"), 5, 3, id="a-later-key"),
    pytest.param(HEAD.replace("title: Alpha", "title:\n\t Alpha"), 5, 1, id="a-continued-value"),
])
def test_a_tab_used_for_indentation_is_named_and_placed(text: str, line: int, col: int) -> None:
    (problem,) = problems(text)
    assert (problem.line, problem.column) == (line, col)
    assert problem.message.startswith("a tab is used for indentation here: YAML indents with spaces only")


def test_a_tab_inside_a_value_is_fine() -> None:
    assert load([("c.yaml", HEAD.replace("title: Alpha", "title: Alpha\tpromise"))]).problems == ()


def test_problems_at_the_same_place_always_come_in_the_same_order() -> None:
    channels = ", ".join(f"bad{n}" for n in range(6, 0, -1))
    found = problems(HEAD + f"    notify: {{slack: [{channels}]}}\n")
    assert [p.message.split('"')[1] for p in found] == [f"bad{n}" for n in range(1, 7)]
    assert len({(p.line, p.column) for p in found}) == 1


@pytest.mark.parametrize(("url", "says"), [
    ("http://example.org:99999/", "Port out of range"),
    ("http://[::1/x", "Invalid IPv6 URL"),
    ("https://a..b/", "empty label"),
])
def test_a_link_that_cannot_be_fetched_is_a_validation_error(url: str, says: str) -> None:
    """It used to validate, then stop `sources` and the watch for every commitment."""
    from bot.shell.registerfile import load_texts as load

    text = ("version: 1\ncommitments:\n  - id: a\n    title: A\n    owner: HO\n    made_on: 2022-02-21\n"
            f"    due: 2023\n    source: {{title: T, url: \"{url}\"}}\n")
    problems = [str(p) for p in load([("c.yaml", text)]).problems]
    assert len(problems) == 1 and "c.yaml:8:" in problems[0] and "not a well-formed link" in problems[0] \
        and says in problems[0], problems
