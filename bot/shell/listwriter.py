"""Adding entries to a list under commitments, in the register file's own text (SPEC §6.1, §7.3).

People review the register in git, so a file is never re-dumped: new lines are inserted into
the text as it is, and every other byte (comments, quoting, indentation, CRLF or CR, a BOM) stays.
Where they go is found with libyaml's marks, the reader the loader uses: after the end of the
list's last entry, or of the commitment's last value for a new list. An end is where the value's
text ends, so a `# line` inside a block scalar (`quote: |`) is text, and a `...` after the last
commitment stays last. Entries are written as the file writes that list: block or flow like the
list's last entry (a new list like the file's other such lists, else block), at its indentation,
with the file's own step for nested mappings. A key with no value (`updates:`, null) gets its
block list under it.

What it cannot place safely is left for a person, with the reason: a flow-style commitment
(`- {id: …}`), a flow list (`[…]`), a `~` or other value, a list shared through a YAML alias
with another commitment; the reason says what is there.
The caller reads the new text back before writing it (bot.shell.catchup), so a layout this
module misjudges is refused there, never written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.register.yamlguard import has_anchor
from bot.register.yamlnodes import compose

Entry = Mapping[str, Any]  # one entry as the file writes it: plain values, dates, nested mappings


@dataclass(frozen=True)
class Inserted:
    text: str
    placed: dict[str, int]  # commitment id -> entries added
    left: dict[str, str]  # commitment id -> why its entries were left for a person


@dataclass(frozen=True)
class _Spot:
    after: int  # the line after which the new lines go
    lines: list[str]


def insert(text: str, name: str, key: str, entries: Mapping[str, Sequence[Entry]]) -> Inserted:
    """`text` with each commitment's `entries` added to its list `key` (created when missing).
    Commitments not in this file are neither placed nor left: another file may hold them."""
    root, _ = compose(text, name)
    seq = _value(root, "commitments") if root is not None else None
    if root is None or not isinstance(seq, SequenceNode):
        return Inserted(text, {}, {})
    lines = text.splitlines(keepends=True)  # libyaml's line breaks, for a text the loader accepted
    doc = _Doc(lines, _line_break(text), _repeated(root) if has_anchor(text) else set())
    file_flow = _file_flow(seq, key)
    spots: list[_Spot] = []
    placed: dict[str, int] = {}
    left: dict[str, str] = {}
    for i, item in enumerate(seq.value):
        cid = _id(item)
        if cid is None or not entries.get(cid):
            continue
        region_end = seq.value[i + 1].start_mark.line if i + 1 < len(seq.value) else _line_after(lines, seq.end_mark)
        spot = _spot(doc, item, key, entries[cid], region_end, file_flow)
        if isinstance(spot, str):
            left[cid] = spot
        else:
            spots.append(spot)
            placed[cid] = len(entries[cid])
    for spot in sorted(spots, key=lambda s: -s.after):
        if not lines[spot.after].endswith(("\n", "\r")):  # the file's last line had no line break
            lines[spot.after] += doc.nl
        lines[spot.after + 1:spot.after + 1] = spot.lines
    return Inserted("".join(lines), placed, left)


def _line_break(text: str) -> str:
    """The file's own line break for new lines: CRLF, a lone CR (old Mac files) or LF."""
    if "\r\n" in text:
        return "\r\n"
    return "\r" if "\r" in text and "\n" not in text else "\n"


@dataclass(frozen=True)
class _Doc:
    lines: list[str]
    nl: str
    repeated: set[int]  # nodes that appear more than once (an anchor and its aliases)


def _spot(doc: _Doc, item: Node, key: str, entries: Sequence[Entry], region_end: int, file_flow: bool) -> _Spot | str:
    """Where and what to insert for one commitment, or why it is left for a person."""
    if not isinstance(item, MappingNode):
        return "it is not a mapping"
    if item.flow_style:
        return "it is written in flow style ({id: …, …}) on its line(s): add them by hand, or write it in block style"
    if id(item) in doc.repeated:
        return "it is a YAML alias of another entry: add them by hand"
    node = _value(item, key)
    step = _step(node.value[-1] if isinstance(node, SequenceNode) and node.value else None, item)
    if node is None:
        after = _end_line(doc, item, region_end)
        col = item.start_mark.column
        head = [f"{' ' * col}{key}:{doc.nl}"]
        return _Spot(after, head + _render(entries, file_flow, col + 2, col + 4, step, doc.nl))
    if id(node) in doc.repeated:
        return (f"its `{key}:` is a YAML alias shared with another entry (&name … *name): adding there would add "
                "to both; add them by hand")
    if _empty(doc, item, key, node):  # `updates:` and nothing (null): the block list goes under the key
        col = item.start_mark.column
        return _Spot(_key_line(item, key), _render(entries, file_flow, col + 2, col + 4, step, doc.nl))
    if not isinstance(node, SequenceNode) or node.flow_style or not node.value:
        return f"its `{key}:` is {_what(node)}, not a block list (`- …` lines): it is left as written; add them by hand"
    layout = _dash(doc.lines, node)
    if layout is None:
        return f"its `{key}:` list is laid out in a way the writer cannot follow: add them by hand"
    last = node.value[-1]
    flow = isinstance(last, MappingNode) and bool(last.flow_style)
    return _Spot(_end_line(doc, node, region_end), _render(entries, flow, *layout, step, doc.nl))


def _empty(doc: _Doc, item: MappingNode, key: str, node: Node) -> bool:
    """`key:` with no value at all on its line (a comment aside), which YAML reads as null."""
    if not isinstance(node, ScalarNode) or node.value or node.style:  # plain and empty (tags are not resolved)
        return False
    k = next(k for k, v in item.value if v is node)
    rest = doc.lines[k.end_mark.line][k.end_mark.column:] if k.end_mark.line < len(doc.lines) else ""
    return re.fullmatch(r"[ \t]*:[ \t]*(#.*)?\s*", rest) is not None


def _key_line(item: MappingNode, key: str) -> int:
    return next(k.end_mark.line for k, _ in item.value if isinstance(k, ScalarNode) and k.value == key)


def _what(node: Node) -> str:
    """What a list's key holds instead of a block list, in words."""
    if isinstance(node, SequenceNode):
        return "a flow list […]" if node.flow_style else "an empty list"
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, ScalarNode):
        shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
        null = not node.style and node.value in ("", "~", "null", "Null", "NULL")
        return f"`{shown}` ({'no list' if null else 'not a list'})"
    return "not a list"


def _value(mapping: Node, key: str) -> Node | None:
    if not isinstance(mapping, MappingNode):
        return None
    return next((v for k, v in mapping.value if isinstance(k, ScalarNode) and k.value == key), None)


def _id(item: Node) -> str | None:
    """The id as written (`007` stays "007"), as the loader reads it."""
    node = _value(item, "id")
    return node.value if isinstance(node, ScalarNode) else None


def _repeated(root: Node) -> set[int]:
    """Nodes reached more than once: each is an anchor with its aliases (libyaml gives an alias
    the very node it names, so its marks are the anchor's, not the alias's place)."""
    seen: set[int] = set()
    repeated: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            repeated.add(id(node))
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            stack.extend(n for pair in node.value for n in pair)
    return repeated


def _file_flow(seq: SequenceNode, key: str) -> bool:
    """A new list is written like the file's first list of the same key: flow only if its last
    entry is a flow mapping (`- {date: …}`), else block."""
    for item in seq.value:
        node = _value(item, key)
        if isinstance(node, SequenceNode) and not node.flow_style and node.value:
            last = node.value[-1]
            return isinstance(last, MappingNode) and bool(last.flow_style)
    return False


def _step(*mappings: Node | None) -> int:
    """How far the file indents a nested mapping under its key (`source:` then `title:`), as the
    list's last entry or else the commitment shows it; 2 when neither has one."""
    for mapping in mappings:
        for k, v in mapping.value if isinstance(mapping, MappingNode) else ():
            if isinstance(v, MappingNode) and not v.flow_style and v.start_mark.line > k.start_mark.line:
                if (step := v.start_mark.column - k.start_mark.column) > 0:
                    return step
    return 2


def _dash(lines: list[str], node: SequenceNode) -> tuple[int, int] | None:
    """(the dash's column, the column of an entry's text) of the list's items, as written."""
    for entry in node.value:
        line, col = entry.start_mark.line, entry.start_mark.column
        head = lines[line][:col] if line < len(lines) else ""
        m = re.fullmatch(r"( *)- +", head)
        if m:
            return len(m.group(1)), col
    return None


def _end_line(doc: _Doc, node: Node, region_end: int) -> int:
    """The last line of `node`'s text. A block collection ends where its last value ends; a scalar or
    flow collection at its last character, or, for a block scalar that keeps its final line breaks
    (`|+`), at its last line, blank or not. An alias (`*name`) carries its anchor's marks, from
    before its own key: then the last line before `region_end` that is neither blank nor a comment
    is taken, as nothing of the value's text follows the alias."""
    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        if isinstance(node, MappingNode):
            key, last = node.value[-1]
            before = key.end_mark
        else:
            last = node.value[-1]
            before = node.value[-2].end_mark if len(node.value) > 1 else node.start_mark
        if id(last) in doc.repeated and _pos(last.start_mark) < _pos(before):
            return _last_content(doc.lines, 0, region_end)
        node = last
    end = node.end_mark
    if isinstance(node, ScalarNode) and node.style in ("|", ">") and _keeps(doc.lines, node):
        ends_text = end.line < len(doc.lines) and doc.lines[end.line][:end.column].strip()
        return end.line if ends_text else end.line - 1
    return _last_text(doc.lines, end.line, end.column)


def _pos(mark: Any) -> tuple[int, int]:
    return mark.line, mark.column


def _keeps(lines: list[str], node: ScalarNode) -> bool:
    """Whether a block scalar's header says keep (`|+`, `>2+`): its trailing blank lines are text."""
    start = node.start_mark
    header = re.match(r"[|>][0-9+-]*", lines[start.line][start.column:])
    return bool(header and "+" in header.group())


def _last_text(lines: list[str], line: int, column: int) -> int:
    """The line of the last character before (line, column) that is not white space."""
    before = lines[line][:column] if line < len(lines) else ""
    while not before.strip() and line > 0:
        line -= 1
        before = lines[line]
    return line


def _last_content(lines: list[str], start: int, end: int) -> int:
    """The last line in [start, end) that is neither blank nor a comment."""
    for n in range(min(end, len(lines)) - 1, start - 1, -1):
        stripped = lines[n].strip()
        if stripped and not stripped.startswith("#"):
            return n
    return start


def _line_after(lines: list[str], mark: Any) -> int:
    """The first line past a collection whose end mark is `mark` (the next token, or the end)."""
    if mark.line < len(lines) and lines[mark.line][:mark.column].strip():
        return mark.line + 1
    return mark.line


def _render(entries: Sequence[Entry], flow: bool, dash: int, text_col: int, step: int, nl: str) -> list[str]:
    """The entries' lines: `- {…}` one a line, or block mappings with the file's step."""
    if flow:
        gap = " " * max(text_col - dash - 1, 1)
        return [f"{' ' * dash}-{gap}{flow_text(e)}{nl}" for e in entries]
    y = ruamel()
    y.indent(mapping=step, sequence=max(text_col - dash, 2), offset=0)
    out = io.StringIO()
    y.dump([_breaks_quoted(e) for e in entries], out)
    return [f"{' ' * dash}{line}{nl}" if line else nl for line in out.getvalue().removesuffix("\n").split("\n")]


_ODD_BREAKS = ("\x85", "\u2028", "\u2029")


def _breaks_quoted(values: Mapping[str, Any]) -> dict[str, Any]:
    """Text holding a character YAML reads as a line break (U+0085, U+2028, U+2029) is written
    double-quoted, where it becomes the escape \\N, \\L or \\P: raw, the loader refuses it (it
    shifts every line number after it), and ruamel writes it raw in a plain scalar."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    def one(v: Any) -> Any:
        if isinstance(v, Mapping):
            return _breaks_quoted(v)
        if isinstance(v, str) and any(c in v for c in _ODD_BREAKS):
            return DoubleQuotedScalarString(v)
        return v

    return {k: one(v) for k, v in values.items()}


def ruamel() -> Any:
    """The one YAML writer: never re-wraps a long line, quotes only what YAML needs quoted."""
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def flow_text(entry: Entry) -> str:
    """One entry on one line, `{date: …, note: …}`, nested mappings in braces too."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def flow(values: Mapping[str, Any]) -> CommentedMap:
        m = CommentedMap({k: flow(v) if isinstance(v, Mapping) else v for k, v in _breaks_quoted(values).items()})
        m.fa.set_flow_style()
        return m

    out = io.StringIO()
    ruamel().dump(CommentedSeq([flow(entry)]), out)
    return out.getvalue().strip().removeprefix("- ")
