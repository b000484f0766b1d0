"""`export updates`: the register file catches up with updates recorded outside it (SPEC §6.1).

Updates recorded with `commitment-bot update` or from Slack live in the database; the reviewed
register in git should hold them too. This writes each one into its commitment's `updates:`
list with ruamel.yaml's round trip, so comments, key order, quoting and flow style stay as the
maintainer wrote them and a reviewer sees a few added lines. An update copied into the file has
the same identity as the recorded one (bot.recording.Numbering), so it is never told twice.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    if u.due is not None and not (u.deadline is not None and u.due == u.deadline.isoformat()):
        out["due"] = u.due
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


def write(files: Sequence[Path], items: Sequence[Pending]) -> dict[Path, int]:
    """Add each pending update to the file that holds its commitment; how many went to each file.
    Each file is replaced whole (written beside it, then renamed), so a crash leaves it as it was."""
    y = _yaml()
    wanted: dict[str, list[Update]] = {}
    for p in items:
        wanted.setdefault(p.commitment_id, []).append(p.update)
    done: dict[Path, int] = {}
    for path in files:
        doc = y.load(path.read_text(encoding="utf-8"))
        added = 0
        for entry in (doc.get("commitments") or []) if hasattr(doc, "get") else []:
            ups = wanted.pop(str(entry.get("id")), None) if hasattr(entry, "get") else None
            if not ups:
                continue
            if entry.get("updates") is None:
                entry["updates"] = _block_list()
            for u in ups:
                entry["updates"].append(_flow(as_yaml(u)))
                added += 1
        if added:
            out = io.StringIO()
            y.dump(doc, out)
            replace_file(path, out.getvalue())
            done[path] = added
    return done


def _block_list() -> Any:
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq()


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


def replace_file(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
