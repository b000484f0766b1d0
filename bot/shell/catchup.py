"""`export updates`: the register file catches up with updates recorded outside it (SPEC §6.1).

Updates recorded with `commitment-bot update` or from Slack live in the database; the reviewed
register in git should hold them too. ruamel.yaml's round-trip reader says where each
commitment and its `updates:` are (lines and columns, the id as written, aliases), and ruamel
writes each new update as one flow line, quoted as YAML needs; the lines are then inserted into
the file's own text, so every other byte (comments, indentation, CRLF) stays as the maintainer
wrote it and a reviewer sees one added line per update. An update copied into the file has the
same identity as the recorded one (bot.recording.Numbering), so it is never told twice.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedSeq

from bot.model import Register, Update
from bot.recording import unrecorded


@dataclass(frozen=True)
class Pending:
    commitment_id: str
    update: Update


def pending(register: Register, recorded: Mapping[str, Sequence[Update]]) -> list[Pending]:
    """Recorded updates the register file does not hold yet, in register order, then date order."""
    return [Pending(c.id, u) for c in register.commitments for u in unrecorded(c.updates, recorded.get(c.id, ()))]


def as_yaml(u: Update) -> dict[str, Any]:
    """One update as the register writes it: only the keys it has."""
    out: dict[str, Any] = {"date": u.on, "note": u.note}
    if u.due is not None:  # a deadline given alone was recorded with its date as the words: kept so
        out["due"] = u.due  # `status` shows the same promise before and after the export
    if u.deadline is not None:
        out["deadline"] = u.deadline
    for key, value in (("status", u.status), ("period", u.period), ("by", u.by)):
        if value is not None:
            out[key] = value
    if u.source is not None and u.source.url:
        out["source"] = {"title": u.source.title, "url": u.source.url}
    return out


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a maintainer's long lines
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def show(items: Sequence[Pending]) -> str:
    """What --write would add, as YAML a maintainer can read or paste."""
    if not items:
        return ""
    by: dict[str, list[dict[str, Any]]] = {}
    for p in items:
        by.setdefault(p.commitment_id, []).append(as_yaml(p.update))
    out = io.StringIO()
    _yaml().dump([{"id": cid, "updates": ups} for cid, ups in by.items()], out)
    return out.getvalue()


def write(files: Sequence[Path], items: Sequence[Pending]) -> tuple[dict[Path, int], list[Pending]]:
    """Add each pending update to the file that holds its commitment: (how many went to each
    file, those that could not be placed). Lines are inserted into the text as it is: every
    other byte (comments, indentation, quoting, CRLF, a BOM) stays as the maintainer wrote it.
    A file is replaced whole (written beside it, then renamed), keeping its mode and, for a
    symlink, writing the file it points to."""
    wanted: dict[str, list[Update]] = {}
    for p in items:
        wanted.setdefault(p.commitment_id, []).append(p.update)
    done: dict[Path, int] = {}
    for path in files:
        real = path.resolve()
        text = real.read_bytes().decode("utf-8")
        lines = text.splitlines(keepends=True)
        before = sum(map(len, wanted.values()))
        inserts = _inserts(text, lines, wanted)  # takes the commitments it places out of `wanted`
        if inserts:
            for after, new in sorted(inserts, key=lambda x: -x[0]):
                lines[after + 1:after + 1] = new
            replace_file(real, "".join(lines))
            done[path] = before - sum(map(len, wanted.values()))
    left = [Pending(cid, u) for cid, ups in wanted.items() for u in ups]
    return done, left


def _inserts(text: str, lines: list[str], wanted: dict[str, list[Update]]) -> list[tuple[int, list[str]]]:
    """Where new update lines go in one file: after the last line of each commitment's `updates:`
    (or, without one, after the commitment's last line), never after a comment that follows it."""
    nl = "\r\n" if "\r\n" in text else "\n"
    doc = _yaml().load(text)
    seq = doc.get("commitments") if hasattr(doc, "get") else None
    if not seq:
        return []
    keys = list(doc)
    after_seq = keys.index("commitments") + 1
    seq_end = doc.lc.key(keys[after_seq])[0] if after_seq < len(keys) else len(lines)
    shared = _shared(seq)
    out: list[tuple[int, list[str]]] = []
    for i, entry in enumerate(seq):
        if not hasattr(entry, "lc") or "id" not in entry:
            continue
        cid = _id_text(entry, lines)
        ups = wanted.get(cid)
        if not ups:
            continue
        end = seq.lc.item(i + 1)[0] if i + 1 < len(seq) else seq_end
        fields = list(entry)
        if "updates" in entry:
            node = entry["updates"]
            if id(node) in shared or not hasattr(node, "lc") or not len(node) or node.fa.flow_style():
                continue  # an alias shared with another commitment, or a flow list: left for a person
            k = fields.index("updates")
            region_end = entry.lc.key(fields[k + 1])[0] if k + 1 < len(fields) else end
            last = _last_content(lines, entry.lc.key("updates")[0], region_end)
            item_line = lines[node.lc.item(len(node) - 1)[0]]
            indent = item_line[:len(item_line) - len(item_line.lstrip())]
            out.append((last, [f"{indent}- {_flow_text(u)}{nl}" for u in ups]))
        else:
            col = entry.lc.key(fields[0])[1]
            last = _last_content(lines, seq.lc.item(i)[0], end)
            out.append((last, [f"{' ' * col}updates:{nl}"] + [f"{' ' * (col + 2)}- {_flow_text(u)}{nl}" for u in ups]))
        del wanted[cid]
    return out


def _shared(seq: Any) -> set[int]:
    """The `updates:` lists written once and aliased elsewhere (`&ups` … `*ups`)."""
    seen: dict[int, int] = {}
    for entry in seq:
        node = entry.get("updates") if hasattr(entry, "get") else None
        if node is not None:
            seen[id(node)] = seen.get(id(node), 0) + 1
    return {k for k, n in seen.items() if n > 1}


def _id_text(entry: Any, lines: list[str]) -> str:
    """The id as written (`007` stays "007", not the number 7 a YAML reader makes of it)."""
    line, col = entry.lc.value("id")
    token = re.match(r"\"([^\"]*)\"|'([^']*)'|([^\s,#}\]]+)", lines[line][col:])
    return next((g for g in token.groups() if g is not None), "") if token else str(entry["id"])


def _last_content(lines: list[str], start: int, end: int) -> int:
    """The last line in [start, end) that is neither blank nor a comment."""
    for n in range(min(end, len(lines)) - 1, start - 1, -1):
        stripped = lines[n].strip()
        if stripped and not stripped.startswith("#"):
            return n
    return start


def _flow(values: dict[str, Any]) -> Any:
    """An update on one line, `- {date: …, note: …}`, as the shipped register writes them."""
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap(values)
    m.fa.set_flow_style()
    if "source" in values:
        src = CommentedMap(values["source"])
        src.fa.set_flow_style()
        m["source"] = src
    return m


def _flow_text(u: Update) -> str:
    out = io.StringIO()
    _yaml().dump(CommentedSeq([_flow(as_yaml(u))]), out)
    return out.getvalue().strip().removeprefix("- ")


def replace_file(path: Path, text: str) -> None:
    """Write `text` to `path` through a file beside it and one rename, keeping the file's mode."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
