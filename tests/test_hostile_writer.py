"""The register writer's door, `export updates --write` (SPEC §6.1, issue 22 items 5–7, issue 26
item 7), under hostile registers and hostile notes.

The writer inserts lines into a file people review. Whatever the file looks like, it either adds
exactly the recorded updates (read back by the loader to the same updates, the file's own style,
every other byte kept) or changes nothing and says which commitment was left and why. Nothing
recorded is lost either way: a refused update stays in the database and in `export updates`.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.shell.catchup import Additions, pending, write, write_lists
from bot.shell.registerfile import load_texts
from storage.db import connect
from storage.repository import Store
from tests.conftest import Cli

NOW = "2026-11-30T10:00"
HEAD = "version: 1\ncommitments:\n"
ALPHA = """\
  - id: alpha
    title: Alpha
    owner: Home Office
    made_on: 2022-02-21
    due: 2023
"""
BETA = """\
  - id: beta
    title: Beta
    owner: Home Office
    made_on: 2022-02-21
    due: 2023
"""
QUOTE = """\
    source:
      title: Letter
      url: https://example.org/letter
      quote: |
        We will publish the code.
        # Not a comment: the minister's own hashtag line.
"""
NOTE = """\
    updates:
      - date: 2022-03-01
        note: |
          Asked again.
          #NoDate
"""


def scene(tmp_path: Path, text: str, name: str = "commitments.yaml") -> tuple[Path, tuple[str, ...]]:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path, ("--file", str(path), "--database", f"sqlite:///{tmp_path / 'bot.db'}", "--now", NOW)


def record(cli: Cli, base: tuple[str, ...], cid: str, *args: str) -> None:
    result = cli("update", cid, *(args or ("--note", "Recorded")), *base)
    assert result.exit_code == 0, result.output


def added(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`, checking that nothing else changed (in order)."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    out, i = [], 0
    for line in new:
        if i < len(old) and line == old[i]:
            i += 1
        else:
            out.append(line.rstrip("\r\n"))
    assert i == len(old), "a line of the file was changed or removed"
    return out


def register_of(path: Path):  # type: ignore[no-untyped-def]
    loaded = load_texts([(str(path), path.read_text(encoding="utf-8"))])
    assert loaded.register is not None, loaded.problems
    return loaded.register.by_id()


# -- item 5: a `#` line inside a block scalar is text, not a comment ------------------------------

@pytest.mark.parametrize("text", [
    pytest.param(HEAD + ALPHA + QUOTE + "  # the beta section\n" + BETA, id="quote-ending-in-hash-then-more"),
    pytest.param(HEAD + ALPHA + QUOTE, id="quote-ending-in-hash-at-the-end"),
    pytest.param(HEAD + ALPHA + QUOTE.replace("|\n", "|+\n") + "\n\n" + BETA, id="kept-trailing-lines"),
    pytest.param(HEAD + ALPHA + QUOTE.replace("|\n", ">-\n"), id="folded"),
])
def test_a_quote_ending_in_a_hash_line_keeps_it(cli: Cli, tmp_path: Path, text: str) -> None:
    path, base = scene(tmp_path, text)
    quote = register_of(path)["alpha"].source.quote
    record(cli, base, "alpha")
    written = cli("export", "updates", "--write", *base)
    assert written.exit_code == 0, written.output
    alpha = register_of(path)["alpha"]
    assert alpha.source.quote == quote and [u.note for u in alpha.updates] == ["Recorded"]
    after = path.read_text(encoding="utf-8")
    assert added(text, after) == ["    updates:", "      - date: 2026-11-30", "        note: Recorded"]
    assert "already holds" in cli("export", "updates", *base).stderr


def test_a_note_ending_in_a_hashtag_keeps_it(cli: Cli, tmp_path: Path) -> None:
    text = HEAD + ALPHA + NOTE + "  # the beta section\n" + BETA
    path, base = scene(tmp_path, text)
    note = register_of(path)["alpha"].updates[0].note
    assert note.endswith("#NoDate")
    record(cli, base, "alpha", "--note", "Asked a third time", "--due", "2031")
    assert cli("export", "updates", "--write", *base).exit_code == 0
    assert [u.note for u in register_of(path)["alpha"].updates] == [note, "Asked a third time"]
    assert added(text, path.read_text(encoding="utf-8")) == [
        "      - date: 2026-11-30", "        note: Asked a third time", "        due: '2031'"]


# -- item 6: what the writer cannot place is left for a person, the rest is written ---------------

def test_a_flow_style_commitment_is_left_for_a_person(cli: Cli, tmp_path: Path) -> None:
    flow = "  - {id: beta, title: Beta, owner: Home Office, made_on: 2022-02-21, due: 2023}\n"
    text = HEAD + ALPHA + flow
    path, base = scene(tmp_path, text)
    record(cli, base, "alpha")
    record(cli, base, "beta")
    result = cli("export", "updates", "--write", *base)
    assert result.exit_code == 1
    assert "beta: not written" in result.output and "flow style" in result.output
    assert added(text, path.read_text(encoding="utf-8")) == [
        "    updates:", "      - date: 2026-11-30", "        note: Recorded"]  # alpha's, every other byte kept
    assert "- id: beta" in cli("export", "updates", *base).stdout  # beta's update is still there to add


@pytest.mark.parametrize("key", ["    updates:\n", "    updates:   # none yet\n"])
def test_an_empty_updates_key_gets_the_block_list_under_it(cli: Cli, tmp_path: Path, key: str) -> None:
    """`updates:` with no value (null, as the loader reads it) is no flow list: the entries go under it."""
    text = HEAD + ALPHA + key + "  # the beta section\n" + BETA
    path, base = scene(tmp_path, text)
    record(cli, base, "alpha")
    result = cli("export", "updates", "--write", *base)
    assert result.exit_code == 0, result.output
    assert added(text, path.read_text(encoding="utf-8")) == ["      - date: 2026-11-30", "        note: Recorded"]
    assert [u.note for u in register_of(path)["alpha"].updates] == ["Recorded"]


@pytest.mark.parametrize(("value", "said"), [("~", "`~` (no list)"), ("null", "`null` (no list)"),
                                              ("[]", "a flow list […]")])
def test_a_list_key_written_otherwise_is_left_saying_what_is_there(cli: Cli, tmp_path: Path, value: str,
                                                                     said: str) -> None:
    text = HEAD + ALPHA + f"    updates: {value}\n"
    path, base = scene(tmp_path, text)
    record(cli, base, "alpha")
    result = cli("export", "updates", "--write", *base)
    assert result.exit_code == 1
    assert f"alpha: not written: its `updates:` is {said}, not a block list (`- …` lines)" in result.output
    assert path.read_text(encoding="utf-8") == text


def test_a_file_with_old_mac_line_endings_gets_them_in_the_new_lines(cli: Cli, tmp_path: Path) -> None:
    text = (HEAD + ALPHA + BETA).replace("\n", "\r")
    path, base = scene(tmp_path, text)
    record(cli, base, "alpha")
    assert cli("export", "updates", "--write", *base).exit_code == 0
    after = path.read_bytes().decode("utf-8")
    assert "\n" not in after
    assert after == (HEAD + ALPHA + "    updates:\n      - date: 2026-11-30\n        note: Recorded\n" + BETA
                     ).replace("\n", "\r")


@pytest.mark.parametrize("end", ["...\n", "...\n# after the document\n", "\n...\n"])
def test_a_file_ending_in_a_document_end_marker(cli: Cli, tmp_path: Path, end: str) -> None:
    text = HEAD + ALPHA + BETA + end
    path, base = scene(tmp_path, text)
    record(cli, base, "beta")
    assert cli("export", "updates", "--write", *base).exit_code == 0
    after = path.read_text(encoding="utf-8")
    assert after.endswith(BETA + "    updates:\n      - date: 2026-11-30\n        note: Recorded\n" + end)
    assert [u.note for u in register_of(path)["beta"].updates] == ["Recorded"]


def test_an_update_the_file_would_read_as_another_is_not_written(cli: Cli, tmp_path: Path) -> None:
    """Two same-day updates, the first retracted: the second keeps its number 2 in the database,
    but written into the file it would be the file's first of that day, another identity, and
    stay "not in the file" for ever. Reading the new text back catches it; nothing is written."""
    text = HEAD + ALPHA + BETA
    path, base = scene(tmp_path, text)
    record(cli, base, "alpha", "--note", "Wrong")
    record(cli, base, "alpha", "--note", "Right")
    record(cli, base, "beta")
    assert cli("update", "alpha", "--retract", "1", *base).exit_code == 0
    result = cli("export", "updates", "--write", *base)
    assert result.exit_code == 1
    assert "alpha: not written" in result.output and "would be told again" in result.output
    assert added(text, path.read_text(encoding="utf-8")) == [
        "    updates:", "      - date: 2026-11-30", "        note: Recorded"]  # beta's still written
    assert "note: Right" in cli("export", "updates", *base).stdout


def test_a_file_without_a_last_line_break(cli: Cli, tmp_path: Path) -> None:
    text = (HEAD + ALPHA).rstrip("\n")
    path, base = scene(tmp_path, text)
    record(cli, base, "alpha")
    assert cli("export", "updates", "--write", *base).exit_code == 0
    assert path.read_text(encoding="utf-8") == text + "\n    updates:\n      - date: 2026-11-30\n        note: Recorded\n"


def test_a_commitment_ending_in_an_alias(cli: Cli, tmp_path: Path) -> None:
    text = HEAD + ALPHA + "    tags: &both [home-office]\n  # banner\n" + BETA + "    tags: *both\n# the end\n"
    path, base = scene(tmp_path, text)
    record(cli, base, "alpha")
    record(cli, base, "beta")
    assert cli("export", "updates", "--write", *base).exit_code == 0
    assert added(text, path.read_text(encoding="utf-8")) == [
        "    updates:", "      - date: 2026-11-30", "        note: Recorded"] * 2
    assert all([u.note for u in c.updates] == ["Recorded"] for c in register_of(path).values())


def test_an_anchored_quote_and_its_alias(cli: Cli, tmp_path: Path) -> None:
    """The anchor's own text is followed to its end; an alias (`*letter`) is the last text of its value."""
    text = HEAD + ALPHA + QUOTE.replace("source:", "source: &letter") + BETA + "    source: *letter\n  # end\n"
    path, base = scene(tmp_path, text)
    quote = register_of(path)["alpha"].source.quote
    record(cli, base, "alpha")
    record(cli, base, "beta")
    assert cli("export", "updates", "--write", *base).exit_code == 0
    assert all(c.source.quote == quote and [u.note for u in c.updates] == ["Recorded"]
               for c in register_of(path).values())
    assert added(text, path.read_text(encoding="utf-8")) == [
        "    updates:", "      - date: 2026-11-30", "        note: Recorded"] * 2


def test_a_kept_block_scalar_at_the_end_of_the_file(cli: Cli, tmp_path: Path) -> None:
    text = HEAD + ALPHA + QUOTE.replace("|\n", "|+\n") + "\n"
    path, base = scene(tmp_path, text)
    quote = register_of(path)["alpha"].source.quote
    assert quote.endswith("line.\n\n")
    record(cli, base, "alpha")
    assert cli("export", "updates", "--write", *base).exit_code == 0
    assert register_of(path)["alpha"].source.quote == quote
    assert path.read_text(encoding="utf-8") == text + "    updates:\n      - date: 2026-11-30\n        note: Recorded\n"


def test_what_would_not_read_back_as_intended_is_not_written(tmp_path: Path) -> None:
    """The general rule under every case above: the new text is read back by the loader before it
    replaces the file. Here the entry written says one thing and the one expected another (as a
    writer bug would); that commitment is left, the others are written."""
    path = tmp_path / "commitments.yaml"
    text = HEAD + ALPHA + BETA
    path.write_text(text, encoding="utf-8")
    register = load_texts([(str(path), text)]).register
    by_hand = load_texts([("x.yaml", text + "    updates:\n      - date: 2026-11-30\n        note: Fine\n")]).register
    assert register is not None and by_hand is not None
    fine = by_hand.by_id()["beta"].updates[0]
    done = write_lists([(str(path), text)], register, [Additions("updates", {
        "alpha": [({"date": date(2026, 11, 30), "note": "Written"}, replace(fine, note="Not what is written"))],
        "beta": [({"date": date(2026, 11, 30), "note": "Fine"}, fine)]})])
    assert done.files == {str(path): 1} and set(done.left) == {"alpha"} and "add them by hand" in done.left["alpha"]
    assert added(text, path.read_text(encoding="utf-8")) == [
        "    updates:", "      - date: 2026-11-30", "        note: Fine"]


def test_a_file_edited_while_the_updates_were_added_is_not_overwritten(cli: Cli, tmp_path: Path) -> None:
    """The file is written only if it still holds the text the register was read from: a
    maintainer's edit saved meanwhile is never overwritten with the older text plus updates."""
    text = HEAD + ALPHA
    path, base = scene(tmp_path, text)
    record(cli, base, "alpha")
    register = load_texts([(str(path), text)]).register
    assert register is not None
    items = pending(register, Store(connect(base[3])).updates.recorded(None, quarters=register.quarters))
    edited = text + BETA
    path.write_text(edited, encoding="utf-8")  # saved after the register was read
    done = write([(str(path), text)], register, items)
    assert done.files == {} and done.refused and "changed while" in done.refused
    assert path.read_text(encoding="utf-8") == edited


@pytest.mark.parametrize("args", [
    pytest.param(("--note", "Slipped", "--due", "spring 2031"), id="due-words"),
    pytest.param(("--note", "Set by hand", "--deadline", "2031-03-31"), id="deadline-alone"),
    pytest.param(("--note", "Both", "--due", "once evaluated", "--deadline", "2031-03-31"), id="unreadable-due"),
    pytest.param(("--note", "Done", "--status", "delivered", "--source", "https://example.org/d?a=1&b=#x"),
                 id="closed-with-evidence"),
])
def test_every_kind_of_update_reads_back_the_same(cli: Cli, tmp_path: Path, args: tuple[str, ...]) -> None:
    text = HEAD + ALPHA + NOTE
    path, base = scene(tmp_path, text)
    record(cli, base, "alpha", *args)
    before = cli("status", "--json", *base).stdout
    written = cli("export", "updates", "--write", *base)
    assert written.exit_code == 0, written.output
    assert cli("status", "--json", *base).stdout == before  # the same promise, state and deadline
    assert "already holds" in cli("export", "updates", *base).stderr


# -- a recorder's name stored before the Slack app kept names as text only -----------------------
def test_a_stored_name_that_is_not_text_is_written_as_text_not_refusing_every_update(cli: Cli, tmp_path: Path) -> None:
    """Found in the second review (issue 22 item 12): the Slack app stored a display name as Slack
    sent it, U+FFFF and an escape sequence included, and `export updates --write` then refused to
    write any update ("character U+FFFF (a noncharacter) ... is not text ... nothing was written")
    until someone edited the database by hand, and `export site` put the raw characters in the
    page. The app now keeps only a name's text (tests/test_hostile_slack_app.py); a name stored
    before is written and published the same way."""
    from bot.register.recording import UpdateRequest
    from bot.shell import usecases
    from bot.shell.context import Context
    from bot.shell.settings import from_env

    text = HEAD + ALPHA + BETA
    path, base = scene(tmp_path, text)
    record(cli, base, "beta", "--note", "Recorded", "--by", "Siân")
    context = Context(from_env({}, tmp_path), path, base[3])
    loaded = context.load()
    now = datetime.fromisoformat(NOW).replace(tzinfo=ZoneInfo(loaded.register.timezone))
    request = UpdateRequest("alpha", now.date(), "Seen in the Gazette", by="U0SAM0001")
    assert isinstance(usecases.record_update(context.store, loaded.register, loaded.source_hash, request, now,
                                             ref="view:V1", recorded_by="Sam\uffff\x1b]0;owned\x07"), int)
    assert cli("export", "site", str(tmp_path / "public"), *base).exit_code == 0
    page = (tmp_path / "public" / "c" / "alpha.html").read_text(encoding="utf-8")
    assert "Recorded by the team (Sam]0;owned)" in page and not {"\uffff", "\x1b", "\x07"} & set(page)
    written = cli("export", "updates", "--write", *base)
    assert written.exit_code == 0, written.output
    alpha, beta = register_of(path)["alpha"], register_of(path)["beta"]
    assert (alpha.updates[0].note, alpha.updates[0].recorded_by) == ("Seen in the Gazette", "Sam]0;owned")
    assert beta.updates[0].recorded_by == "Siân"
    assert "already holds" in cli("export", "updates", *base).stderr


# -- item 7: the file's mode is respected ---------------------------------------------------------

def test_a_read_only_register_is_not_replaced(cli: Cli, tmp_path: Path) -> None:
    text = HEAD + ALPHA
    path, base = scene(tmp_path, text)
    record(cli, base, "alpha")
    path.chmod(0o444)
    result = cli("export", "updates", "--write", *base)
    assert result.exit_code == 1 and "read-only" in result.output and "alpha" in result.output
    assert path.read_text(encoding="utf-8") == text and path.stat().st_mode & 0o777 == 0o444
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no file left beside it


def test_a_read_only_file_in_a_register_directory_leaves_the_others_written(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "register"
    folder.mkdir()
    (folder / "a.yaml").write_text(HEAD + ALPHA, encoding="utf-8")
    (folder / "b.yaml").write_text("commitments:\n" + BETA, encoding="utf-8")
    (folder / "b.yaml").chmod(0o444)
    base = ("--file", str(folder), "--database", f"sqlite:///{tmp_path / 'bot.db'}", "--now", NOW)
    record(cli, base, "alpha")
    record(cli, base, "beta")
    result = cli("export", "updates", "--write", *base)
    assert result.exit_code == 1 and "beta: not written" in result.output and "read-only" in result.output
    assert "note: Recorded" in (folder / "a.yaml").read_text(encoding="utf-8")
    assert (folder / "b.yaml").read_text(encoding="utf-8") == "commitments:\n" + BETA


# -- issue 26 item 7: the file's own style; hostile notes come back as written --------------------

@pytest.mark.parametrize("note", [
    "# starts like a comment", "key: value", "- looks like an item", "line one\nline two", "ends with a colon:",
    "'single' and \"double\" quotes", "null", "~", "  leading spaces", "trailing #hashtag", "2026-01-01",
    "& * ! | > % @ `", "tab\tinside", "Cymraeg: ŵ ŷ — “quoted”", "line\u2028separator",
])
def test_a_hostile_note_reads_back_as_recorded(cli: Cli, tmp_path: Path, note: str) -> None:
    text = HEAD + ALPHA + NOTE
    path, base = scene(tmp_path, text)
    record(cli, base, "alpha", "--note", note, "--by", "Siân")
    written = cli("export", "updates", "--write", *base)
    assert written.exit_code == 0, written.output
    alpha = register_of(path)["alpha"]
    assert [u.note for u in alpha.updates][1:] == [note.strip()] and alpha.updates[1].by == "Siân"  # as recorded
    assert added(text, path.read_text(encoding="utf-8"))[0] == "      - date: 2026-11-30"  # block, as the file
    assert "already holds" in cli("export", "updates", *base).stderr


FOUR_STEP = """\
version: 1
commitments:
    - id: alpha
      title: Alpha
      owner: Home Office
      made_on: 2022-02-21
      due: 2023
      source:
          title: Letter
          url: https://example.org/letter
      updates:
          - date: 2022-03-01
            note: Asked again.
"""


def test_block_style_follows_the_files_indentation(cli: Cli, tmp_path: Path) -> None:
    """Four spaces a level, CRLF and a BOM: the new update is written the same way."""
    text = "\ufeff" + FOUR_STEP.replace("\n", "\r\n")
    path, base = scene(tmp_path, text)
    record(cli, base, "alpha", "--note", "Sourced", "--source", "https://example.org/b")
    assert cli("export", "updates", "--write", *base).exit_code == 0
    after = path.read_bytes().decode("utf-8")
    assert after.startswith("\ufeff") and "\n" not in after.replace("\r\n", "")
    assert added(text, after) == [
        "          - date: 2026-11-30",
        "            note: Sourced",
        "            source:",
        "                url: https://example.org/b",  # the file's four-space step (a bare link: no title)
    ]


def test_the_written_update_is_what_the_preview_showed(cli: Cli, tmp_path: Path) -> None:
    text = HEAD + ALPHA + NOTE
    path, base = scene(tmp_path, text)
    record(cli, base, "alpha", "--note", "Asked: no date", "--status", "delivered", "--source", "https://example.org/c")
    preview = cli("export", "updates", *base).stdout.splitlines()
    assert cli("export", "updates", "--write", *base).exit_code == 0
    new = added(text, path.read_text(encoding="utf-8"))
    shown = preview[[line.strip() for line in preview].index("updates:") + 1:]
    assert [line.strip() for line in new] == [line.strip() for line in shown]


def test_nothing_is_left_beside_the_register(cli: Cli, tmp_path: Path) -> None:
    path, base = scene(tmp_path, HEAD + ALPHA)
    path.chmod(0o640)
    record(cli, base, "alpha")
    assert cli("export", "updates", "--write", *base).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("bot.db")) == ["commitments.yaml"]
    assert os.stat(path).st_mode & 0o777 == 0o640


def test_the_write_counts_updates_and_actions_in_the_previews_words(cli: Cli, tmp_path: Path) -> None:
    """Found in review (issue 26): the preview said "1 recorded update and 2 actions by the team",
    the write "added 3 recorded updates and actions"."""
    path, base = scene(tmp_path, HEAD + ALPHA)
    record(cli, base, "alpha")
    for until in ("2026-12-10", "2026-12-20"):
        assert cli("snooze", "alpha", "--until", until, "--reason", "After recess", *base).exit_code == 0
    preview = cli("export", "updates", *base).stderr
    assert preview == "1 recorded update and 2 actions by the team not in the register file; --write merges them\n"
    written = cli("export", "updates", "--write", *base)
    assert written.exit_code == 0 and written.stderr == f"{path}: added 1 recorded update and 2 actions by the team\n"
