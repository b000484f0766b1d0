"""`export updates`: the register file catches up with updates recorded outside it (SPEC §6.1).

Updates recorded with `commitment-bot update` or from Slack live in the database; the reviewed
register in git should hold them too. bot.shell.listwriter inserts each update's lines into the
file's own text, in the file's style, so every other byte stays as the maintainer wrote it.

Before a file is replaced, the new text is read back by the loader: every commitment must read
exactly as before, plus its new updates with the identities they were recorded with
(bot.register.recording.Numbering), so an update copied into the file is never told twice and no
evidence is cut. A commitment that would read otherwise is left for a person, with the reason,
and the others are written; a text that would not validate at all is not written. Nothing
recorded is lost either way: what is left stays in the database and in `export updates`.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bot.register.model import Action, Commitment, Register, Update
from bot.register.problems import only_text
from bot.register.recording import unrecorded
from bot.shell.listwriter import Entry, insert, ruamel

SLACK_ID = re.compile(r"[UW][A-Z0-9]{6,20}")  # kept in the database; never written into the file (SPEC §7.2)


@dataclass(frozen=True)
class Pending:
    """An update, or one of the team's actions (SPEC §7.3), recorded outside the file."""

    commitment_id: str
    entry: Update | Action

    @property
    def key(self) -> str:
        """The list it goes under: `updates:`, or the team's own `actions:`."""
        return "actions" if isinstance(self.entry, Action) else "updates"


def pending(register: Register, recorded: Mapping[str, Sequence[Update]],
            actions: Mapping[str, Sequence[Action]] | None = None) -> list[Pending]:
    """What the register file does not hold yet, in register order, then date order: updates,
    then the team's actions."""
    out: list[Pending] = []
    for c in register.commitments:
        out += [Pending(c.id, u) for u in unrecorded(c.updates, recorded.get(c.id, ()))]
        out += [Pending(c.id, a) for a in unrecorded(c.actions, (actions or {}).get(c.id, ()))]
    return out


def recorder(entry: Update | Action) -> str | None:
    """Who recorded it, as the file may name them: a name, never a bare Slack user id (one was stored
    as the name before 0.4.1), and only its text: a Slack name stored before the app dropped what is
    not text in it (a control, U+FFFF) is written without that, so it cannot keep every update
    from being written."""
    for name in (entry.recorded_by, entry.by):
        if name and not SLACK_ID.fullmatch(name) and (text := only_text(name)):
            return text
    return None


def as_yaml(entry: Update | Action) -> dict[str, Any]:
    """One update or action as the register writes it: only the keys it has."""
    if isinstance(entry, Action):
        return _action_yaml(entry)
    u = entry
    out: dict[str, Any] = {"date": u.on, "note": u.note}
    if u.due is not None:  # a deadline given alone was recorded with its date as the words: kept so
        out["due"] = u.due  # `status` shows the same promise before and after the export
    if u.deadline is not None:
        out["deadline"] = u.deadline
    for key, value in (("status", u.status), ("period", u.period), ("said_by", u.said_by),
                       ("recorded_by", recorder(u))):
        if value is not None:
            out[key] = value
    if u.context:  # someone else's statement: the file says so, so it stays context there
        out["context"] = True
    if u.source is not None and u.source.url:
        # a link recorded with no title is written as a link alone, never as its own title
        out["source"] = {"title": u.source.named, "url": u.source.url} if u.source.named else {"url": u.source.url}
    return out


def _action_yaml(a: Action) -> dict[str, Any]:
    out: dict[str, Any] = {"date": a.on, "kind": a.kind}
    until = ("chased", a.until) if a.kind == "reply" else ("until", a.until)  # a reply: the day of its chase
    for key, value in (("period", a.period), until, ("how", a.how), ("ref", a.ref), ("to", a.to),
                       ("reply_due", a.reply_due), ("note", a.note), ("recorded_by", recorder(a))):
        if value is not None:
            out[key] = value
    return out


def as_read_back(entry: Update | Action) -> Update | Action:
    """What the loader reads back from the written entry: no database row, and the recorder by name."""
    name = recorder(entry)
    return replace(entry, recorded=None, by=name, recorded_by=name)


def show(items: Sequence[Pending]) -> str:
    """What --write would add, as YAML a maintainer can read or paste."""
    if not items:
        return ""
    by: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for p in items:
        by.setdefault(p.commitment_id, {}).setdefault(p.key, []).append(as_yaml(p.entry))
    out = io.StringIO()
    ruamel().dump([{"id": cid, **lists} for cid, lists in by.items()], out)
    return out.getvalue()


@dataclass(frozen=True)
class Additions:
    """Entries for one list under commitments. `key` is both the file's key and the Commitment
    field the loader reads it into ("updates"; the team's `actions:` go the same way). Each entry
    is given as the file writes it and as the loader must read it back."""

    key: str
    entries: Mapping[str, Sequence[tuple[Entry, Any]]]  # commitment id -> (as written, as read back)


@dataclass(frozen=True)
class Written:
    files: dict[str, int]  # file -> entries added to it
    left: dict[str, str]  # commitment id -> why its entries were not written (they are still recorded)
    refused: str | None = None  # why nothing (more) was written
    kinds: dict[str, dict[str, int]] = field(default_factory=dict)  # file -> list key ("updates", "actions") -> entries


AS_BEFORE = ("read back from the file, it would not be as it is plus these updates (a layout the writer cannot "
             "follow), so it was left as it is: add them by hand")
IDENTITY = ("read back from the file, an update would be another update (its identity, numbered among the file's "
            "updates of that date and reading, would not be the one it was recorded with, as after a same-day update "
            "was retracted), so it would be told again: it stays recorded in the database")


def write(sources: Sequence[tuple[str, str]], register: Register, items: Sequence[Pending]) -> Written:
    """Add each pending update (and action) to the file that holds its commitment. `sources` are
    the texts the register was read from, `register` what they read as."""
    entries: dict[str, dict[str, list[tuple[Entry, Any]]]] = {"updates": {}, "actions": {}}
    for p in items:
        entries[p.key].setdefault(p.commitment_id, []).append((as_yaml(p.entry), as_read_back(p.entry)))
    return write_lists(sources, register, [Additions(key, found) for key, found in entries.items() if found])


def write_lists(sources: Sequence[tuple[str, str]], register: Register, additions: Sequence[Additions]) -> Written:
    """Insert every addition, read the new texts back, and replace the files only if each
    commitment reads as it did plus its new entries. A commitment that does not is left, and the
    others are tried once more without it."""
    left: dict[str, str] = {}
    for _ in range(2):
        plan = _plan(sources, additions, left)
        left |= plan.left
        if not any(plan.counts.values()):
            return Written({}, left)
        wrong = _read_back(plan, register, additions)
        if isinstance(wrong, str):
            return Written({}, left, wrong)
        if not wrong:
            return _replace(sources, plan, left)
        left |= wrong
    return Written({}, left, "the new text still did not read back as intended, so nothing was written")


@dataclass
class _Plan:
    texts: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # file -> entries placed in it
    kinds: dict[str, dict[str, int]] = field(default_factory=dict)  # file -> list key -> entries placed in it
    placed: dict[str, set[str]] = field(default_factory=dict)  # list key -> commitments given entries
    left: dict[str, str] = field(default_factory=dict)


def _plan(sources: Sequence[tuple[str, str]], additions: Sequence[Additions], left: Mapping[str, str]) -> _Plan:
    """Each file's new text; a read-only file keeps its text and its commitments are left."""
    plan = _Plan(placed={a.key: set() for a in additions})
    for name, text in sources:
        new, placed = text, {}
        for add in additions:
            skip = {*left, *plan.left}  # a commitment left for one list gets none of its entries
            todo = {cid: [e for e, _ in es] for cid, es in add.entries.items() if cid not in skip}
            done = insert(new, name, add.key, todo)
            new, placed[add.key] = done.text, done.placed
            plan.left |= done.left
        ids = {cid for p in placed.values() for cid in p}
        why = _read_only(Path(name)) if ids else None
        if why:
            plan.left |= dict.fromkeys(ids, why)
            new, placed = text, {}
        for key, p in placed.items():
            plan.placed[key] |= set(p)
        plan.texts.append((name, new))
        plan.counts[name] = sum(n for p in placed.values() for n in p.values())
        plan.kinds[name] = {key: sum(p.values()) for key, p in placed.items()}
    return plan


def _read_only(path: Path) -> str | None:
    """A file whose mode says it is not to be written is not replaced (a rename would not ask)."""
    real = path.resolve()
    mode = real.stat().st_mode
    if not mode & 0o222 or not os.access(real, os.W_OK):
        return (f"{path} is read-only (mode {mode & 0o777:o}), so it was left as it is: make it writable "
                f"(chmod u+w {path}) and run this again")
    return None


def _read_back(plan: _Plan, register: Register, additions: Sequence[Additions]) -> dict[str, str] | str:
    """The commitments that would not read back as before plus their new entries, and why; or,
    when the new text would not read as the same register at all, why nothing can be written."""
    from bot.shell.registerfile import load_texts

    loaded = load_texts(plan.texts)
    if loaded.register is None:
        first = loaded.problems[0] if loaded.problems else "no register"
        return f"with the new updates the register would not validate ({first}), so nothing was written"
    new = loaded.register.by_id()
    if set(new) != set(register.by_id()) or replace(loaded.register, commitments=()) != replace(register, commitments=()):
        return "with the new updates the register would read differently beyond them, so nothing was written"
    wrong: dict[str, str] = {}
    for c in register.commitments:
        got, want = _plain(new[c.id]), _plain(_grown(c, additions, plan.placed))
        if got != want:
            wrong[c.id] = IDENTITY if _unkeyed(got) == _unkeyed(want) else AS_BEFORE
    return wrong


def _grown(c: Commitment, additions: Sequence[Additions], placed: Mapping[str, set[str]]) -> Commitment:
    """The commitment as it must read once its entries are in the file."""
    for add in additions:
        if c.id in placed[add.key]:
            c = replace(c, **{add.key: getattr(c, add.key) + tuple(m for _, m in add.entries[c.id])})
    return c


def _plain(c: Commitment) -> Commitment:
    return replace(c, text="", text_hash="")  # its text in the file grows, by design


def _unkeyed(c: Commitment) -> Commitment:
    return replace(c, updates=tuple(replace(u, key="") for u in c.updates),
                   actions=tuple(replace(a, key="") for a in c.actions))


def _replace(sources: Sequence[tuple[str, str]], plan: _Plan, left: dict[str, str]) -> Written:
    """Replace each changed file, unless one changed on disk since it was read (then none)."""
    changed = [(name, new, old) for (name, old), (_, new) in zip(sources, plan.texts, strict=True) if new != old]
    for name, _, old in changed:
        if Path(name).resolve().read_bytes() != old.encode("utf-8"):
            return Written({}, left, f"{name} changed while the updates were being added, so nothing was written: "
                                     "run this again")
    written: dict[str, int] = {}
    for name, new, _ in changed:
        try:
            replace_file(Path(name).resolve(), new)
        except OSError as e:
            return Written(written, left, f"{name}: cannot write it ({e.strerror or e}), so it was left as it was",
                           {n: plan.kinds[n] for n in written})
        written[name] = plan.counts[name]
    return Written(written, left, kinds={n: plan.kinds[n] for n in written})


def replace_file(path: Path, text: str) -> None:
    """Write `text` to `path` through a file beside it and one rename, keeping the file's mode (and
    its owner, when we may). The caller resolves a symlink first, so the link stays a link."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        if path.exists():
            st = path.stat()
            os.chmod(tmp, st.st_mode & 0o7777)
            _same_owner(tmp, st)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _same_owner(tmp: str, st: os.stat_result) -> None:
    """Root rewriting a maintainer's register leaves it theirs; anyone else cannot, and need not."""
    mine = os.stat(tmp)
    if (mine.st_uid, mine.st_gid) != (st.st_uid, st.st_gid):
        try:
            os.chown(tmp, st.st_uid, st.st_gid)
        except OSError:
            pass
