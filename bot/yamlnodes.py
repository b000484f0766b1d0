"""Reading YAML as nodes, so every value keeps its line and column.

We compose with libyaml (CSafeLoader) for speed but never let YAML 1.1 resolve plain scalars:
each value is read as text and interpreted by the key's own rule, which is what YAML 1.2's
core schema asks of us here (`no`, `on`, `2023` stay text).
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml
from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]  # PyPI's wheels ship libyaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from bot.problems import CONTROL, Problem, did_you_mean, one_of, refused


class _Loader(_Parser, BaseResolver):  # type: ignore[misc,valid-type]
    """libyaml's parser with no implicit typing at all: the YAML 1.1 resolvers (`no` → False,
    `2023-01-01` → date) never run, which is both YAML 1.2's reading of these values and a
    third of the parse time saved."""

    yaml_implicit_resolvers: dict = {}  # type: ignore[type-arg]

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        BaseResolver.__init__(self)

    def resolve(self, kind: type, value: object, implicit: object) -> str:  # noqa: ARG002
        return _DEFAULT_TAGS[kind]


_DEFAULT_TAGS = {ScalarNode: BaseResolver.DEFAULT_SCALAR_TAG, SequenceNode: BaseResolver.DEFAULT_SEQUENCE_TAG,
                 MappingNode: BaseResolver.DEFAULT_MAPPING_TAG}

NULLS = frozenset({"", "~", "null", "Null", "NULL"})


def compose(text: str, file: str) -> tuple[Node | None, list[Problem]]:
    """The document's node graph, or None and the reason it cannot be read.

    A graph whose aliases would multiply it (SPEC §2: at most tenfold) is refused here, before
    anything walks it; text holding control characters is reported and still read, so every
    other problem comes out in the same run.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)  # type: ignore[arg-type]
    except yaml.MarkedYAMLError as e:
        return None, [_syntax_problem(e, text, file)]
    except yaml.reader.ReaderError as e:
        return None, [_reader_problem(e, text, file)]
    except yaml.YAMLError as e:
        return None, [Problem(file, 1, 1, f"not valid YAML: {' '.join(str(e).split())}")]
    if root is None:
        return None, []
    if not (_has_anchor(text) or "\\" in text):
        return root, []  # no anchor, so no alias; no backslash, so no escape that writes a control
    walk = _walk(root)
    if walk.blown is not None:
        return None, [_alias_problem(walk, text, file)]
    return root, [control_problem(node, text, file) for node in walk.controlled]


def _syntax_problem(e: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    # An unclosed quote or bracket is only noticed at the end of the file: point at its start.
    at_end = "end of stream" in (e.problem or "")
    mark = (e.context_mark if at_end else None) or e.problem_mark or e.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if (tab := _indenting_tab(text, e)) is not None:
        return Problem(file, *tab, "a tab is used for indentation here: YAML indents with spaces only "
                       "(replace the tab with spaces)")
    lines = text.split("\n")
    if (said := _missing_colon(e, lines) or _glued_colon(e, lines) or _misindented(e, lines)
            or _colon_in_value(e, lines)) is not None:
        return Problem(file, *said)
    what = f"{e.context} that is never closed" if at_end and e.context else (e.problem or str(e))
    return Problem(file, line, col, f"not valid YAML: {what} (check indentation and quoting)")


# A line of the register as YAML's block structure sees it: indentation, an optional "- ", and a
# plain key followed by ":" and a space or the line's end.
_LINE = re.compile(r"(?P<indent> *)(?P<dash>-(?: +|$))?(?P<key>[^\s#\-\[\]{}'\"][^:#]*)?(?P<colon>:(?=\s|$))?")
Said = tuple[int, int, str]  # line, column (1-based) and message


def _missing_colon(e: yaml.MarkedYAMLError, lines: list[str]) -> Said | None:
    """libyaml notices a key without ":" only on the line after it (it reads on, looking for
    the colon): report the line that lacks it, with the line as it should be written."""
    mark = e.context_mark
    if e.problem != "could not find expected ':'" or mark is None or mark.line >= len(lines):
        return None
    written = lines[mark.line][mark.column:].split(" #")[0].strip()
    if not written:
        return None
    if (glued := re.match(r"([^:\s]+):(\S.*)", written)) is not None:
        return (mark.line + 1, mark.column + 1, f'"{_clip(written)}" needs a space after ":": '
                                                f'write "{_clip(f"{glued[1]}: {glued[2]}")}"')
    key, _, value = written.partition(" ")
    return (mark.line + 1, mark.column + 1, f'"{_clip(written)}" has no ":" after its key: '
                                            f'write "{_clip(f"{key}: {value.strip() or chr(8230)}")}"')


_GLUED = re.compile(r"(?P<lead> *(?:- +)?)(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:/].*)")


def _glued_colon(e: yaml.MarkedYAMLError, lines: list[str]) -> Said | None:
    """`title:"A: b"` or `match:{tags: [x]}`: with no space after its colon the key is not a key,
    and libyaml stops further on, at a colon or bracket of the value."""
    mark = e.problem_mark
    if mark is None or mark.line >= len(lines) or e.problem not in _INDENT_PROBLEMS:
        return None
    glued = _GLUED.fullmatch(lines[mark.line].rstrip())
    if glued is None:
        return None
    written = lines[mark.line].strip()
    fixed = f"{glued['lead'].strip()} {glued['key']}: {glued['value']}".strip()
    return (mark.line + 1, len(glued["lead"]) + 1,
            f'"{_clip(written)}" needs a space after ":": write "{_clip(fixed)}"')


def _misindented(e: yaml.MarkedYAMLError, lines: list[str]) -> Said | None:
    """Name the line indented out of step, and the indentation that fits it.

    libyaml's words depend on how the line is off ("mapping values are not allowed in this
    context", "did not find expected key", "did not find expected '-' indicator"); all of them
    stop at the start of a key (or at its colon) on a line whose indentation matches nothing above it."""
    mark = e.problem_mark
    if mark is None or mark.line >= len(lines) or e.problem not in _INDENT_PROBLEMS:
        return None
    shape = _LINE.match(lines[mark.line])
    assert shape is not None  # every group is optional
    indent, dash, key = len(shape["indent"]), shape["dash"], shape["key"]
    at_colon = shape["colon"] is not None and mark.column == shape.end("key")
    if not key or not (mark.column == indent or at_colon):
        return None
    if e.problem == "did not find expected '-' indicator" and not dash and e.context_mark is not None \
            and indent == e.context_mark.column:
        new_item = f'write "- {_clip(lines[mark.line].strip())}"'
        if (item := _ITEMS.get(key.strip())) is not None:
            return mark.line + 1, indent + 1, f'a new {item} starts here but has no "- " before it: {new_item}'
        or_new = f' (or, if a new item starts here, {new_item})'
    else:
        or_new = ""
    levels = [level for level in _levels(_keys_above(lines, mark.line)) if level[3] == bool(dash)]
    fits = [(abs(at - indent), -at, -line, label) for line, label, at, _ in levels if at != indent]
    if not levels or not fits:
        return None
    _, at, line, label = min(fits)
    at, line = -at, -line
    previous = levels[0][0]  # the nearest key (or "- " item, for a line that is one) above
    how = "more" if indent > levels[0][2] else "less"
    to = f"indent it {at} space{'s' if at != 1 else ''}" if at else "start it at the beginning of the line"
    where = "" if line == previous else f" on line {line + 1}"
    return (mark.line + 1, indent + 1,
            f'line {mark.line + 1} is indented {how} than the {"item" if dash else "key"} above it '
            f'(line {previous + 1}): {to}, like "{label}"{where}{or_new}')


# The key each kind of list item starts with, by which a missing "- " is recognised.
_ITEMS = {"id": "commitment", "date": "update"}
_INDENT_PROBLEMS = frozenset({"mapping values are not allowed in this context", "did not find expected key",
                              "did not find expected '-' indicator"})


def _keys_above(lines: list[str], before: int) -> list[tuple[int, str, int, bool]]:
    """The key lines the line `before` could line up with, nearest first: each key line above
    that is indented less than every key line between it and `before` (its enclosing keys), as
    (line, key, indent, whether it starts with "- ")."""
    out: list[tuple[int, str, int, bool]] = []
    for number in range(before - 1, -1, -1):
        shape = _LINE.match(lines[number])
        if shape is None or not shape["key"] or shape["colon"] is None:
            continue
        indent = len(shape["indent"])
        if not out or indent < out[-1][2]:
            out.append((number, shape["key"].strip(), indent, shape["dash"] is not None))
    return out


def _levels(above: list[tuple[int, str, int, bool]]) -> list[tuple[int, str, int, bool]]:
    """Each indentation a line may take there, as (line, label, indent, is a "- " item): a key
    line's key, and for a "- key:" line also its dash."""
    out = []
    for line, key, indent, dash in above:
        if dash:
            out.append((line, f"- {key}", indent, True))
            out.append((line, key, indent + 2, False))
        else:
            out.append((line, key, indent, False))
    return out


def _colon_in_value(e: yaml.MarkedYAMLError, lines: list[str]) -> Said | None:
    """`title: Note: this` — a second ": " on a key's line starts a mapping YAML cannot have there."""
    mark = e.problem_mark
    if e.problem != "mapping values are not allowed in this context" or mark is None or mark.line >= len(lines):
        return None
    shape = _LINE.match(lines[mark.line])
    if shape is None or shape["colon"] is None or shape.end("colon") > mark.column:
        return None
    value = lines[mark.line][shape.end("colon"):].strip()
    if not value or value[0] in "'\"":
        return None
    key = (shape["key"] or "").strip()
    return (mark.line + 1, mark.column + 1,
            f'the value of "{key}" holds ": ", which YAML reads as a new key: put the value in quotes, '
            f"e.g. {key}: {json.dumps(_clip(value), ensure_ascii=False)}")


def _clip(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _indenting_tab(text: str, e: yaml.MarkedYAMLError) -> tuple[int, int] | None:
    """(line, column) of a tab in the indentation of the line libyaml stopped at, if any: it
    mostly blames the tab's neighbour ("cannot start any token") and never says "tab"."""
    if e.problem_mark is None or "end of stream" in (e.problem or ""):
        return None
    start = sum(len(line) + 1 for line in text.split("\n")[: e.problem_mark.line])
    indent = re.match(r"[ \t]*", text[start:])
    if indent is None or "\t" not in indent[0]:
        return None
    return e.problem_mark.line + 1, indent[0].index("\t") + 1


def _reader_problem(e: yaml.reader.ReaderError, text: str, file: str) -> Problem:
    """libyaml refuses a raw control character before parsing; its position counts UTF-8 bytes
    (the pure-Python reader's counts characters)."""
    index = e.position if e.encoding == "unicode" else \
        len(text.encode("utf-8")[: e.position].decode("utf-8", errors="ignore"))
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    char = chr(e.character) if isinstance(e.character, int) else str(e.character)
    return Problem(file, line, col, refused(char))


# `&` then a name character. Text such as "R &D" matches too: then the walk just runs.
_ANCHOR = re.compile(r"&[^\s\[\]{},]")


def _has_anchor(text: str) -> bool:
    """Whether the text may define an anchor: `&name` after a line start, whitespace, a flow
    indicator or `:`. Without one the graph has no aliases; and as libyaml refuses raw control
    characters, only a double-quoted escape (so a backslash) can put one in a value. Checking
    both first keeps the walk off an ordinary register's path."""
    return any(m.start() == 0 or text[m.start() - 1] in " \t\r\n\x85\u2028\u2029\ufeff[{,:"
               for m in _ANCHOR.finditer(text))


_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "v": "\v", "f": "\f", "r": "\r", "e": "\x1b", "N": "\x85"}


def control_problem(node: ScalarNode, text: str, file: str) -> Problem:
    """A control character in a scalar, at the character itself: the escape that wrote it in a
    double-quoted scalar (libyaml refuses raw ones), else the scalar's start."""
    index, written = node.start_mark.index, None
    char = CONTROL.search(node.value)[0]  # type: ignore[index]
    if node.style == '"':
        for m in _ESCAPE.finditer(text, node.start_mark.index, node.end_mark.index):
            code = m[1]
            decoded = chr(int(code[1:], 16)) if len(code) > 1 else _ESCAPES.get(code, "")
            if CONTROL.match(decoded):
                index, written, char = m.start(), m[0], decoded
                break
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return Problem(file, line, col, refused(char, written))


@dataclass
class _Walk:
    """What one pass over the distinct nodes found: sizes with aliases expanded, and where."""

    own: int = 0  # distinct nodes: what the file itself writes
    totals: list[int] = field(default_factory=list)  # expanded size so far, at each alias in order
    blown: int | None = None  # index of the alias that exceeds the bound or loops
    loop: bool = False
    controlled: list[ScalarNode] = field(default_factory=list)


MAX_EXPANSION = 10  # SPEC §2: aliases may not make the register more than 10 times larger


def _walk(root: Node) -> _Walk:
    """Visit each distinct node once, in document order, memoising each node's expanded size.

    An alias is the very Node object it names, so the second visit of a node is an alias and
    costs its memoised size: O(distinct nodes), however many times the file repeats itself. The
    n-th repeated visit is the n-th alias event, which is how its position is found afterwards.
    """
    w, size, total, open_ = _Walk(), {}, 0, set()
    stack: list[tuple[Node, Iterator[Node], list[int]]] = []

    def enter(node: Node) -> None:
        nonlocal total
        w.own, total = w.own + 1, total + 1
        if isinstance(node, ScalarNode) and CONTROL.search(node.value):
            w.controlled.append(node)
        open_.add(id(node))
        stack.append((node, _children(node), [1]))

    enter(root)
    while stack:
        node, children, acc = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            open_.discard(id(node))
            size[id(node)] = acc[0]
            if stack:
                stack[-1][2][0] += acc[0]
        elif id(child) in size:
            total += size[id(child)]
            acc[0] += size[id(child)]
            w.totals.append(total)
        elif id(child) in open_:
            w.blown, w.loop = len(w.totals), True
            return w
        else:
            enter(child)
    if total > MAX_EXPANSION * w.own and w.totals:
        w.blown = min(bisect.bisect_right(w.totals, MAX_EXPANSION * w.own), len(w.totals) - 1)
    return w


def _children(node: Node) -> Iterator[Node]:
    if isinstance(node, SequenceNode):
        yield from node.value
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield key
            yield value


def _alias_problem(walk: _Walk, text: str, file: str) -> Problem:
    """Name the alias at fault: the n-th alias event of the file (parsed again only on this path)."""
    n = walk.blown or 0
    aliases = (e for e in yaml.parse(text, Loader=_Loader) if isinstance(e, yaml.AliasEvent))  # type: ignore[arg-type]
    event = next(itertools.islice(aliases, n, None), None)
    mark = event.start_mark if event is not None else None
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    name = f'"*{event.anchor}"' if event is not None else "an alias"
    if walk.loop:
        return Problem(file, line, col, f"alias {name} points into the node that contains it, "
                       "so it would repeat forever: remove the alias")
    return Problem(file, line, col,
                   f"alias {name} makes the register {walk.totals[n]:,} nodes, more than "
                   f"{MAX_EXPANSION} times the {walk.own:,} written in the file: aliases may repeat at most "
                   "tenfold (use fewer aliases, or write the repeated part out where it is needed)")


class NodeReader:
    """Collects problems while turning nodes into values; never raises on bad input."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def error(self, node: Node, message: str) -> None:
        m = node.start_mark
        self.problems.append(Problem(self.file, m.line + 1, m.column + 1, message))

    def text(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode):
            self.error(node, f"{what} must be a single value, not a list or mapping")
            return None
        if not node.style and node.value in NULLS:
            return None
        return str(node.value)

    def required_text(self, node: Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is None or not value.strip():
            if isinstance(node, ScalarNode):
                self.error(node, f"{what} must not be empty")
            return None
        return value.strip()

    def text_list(self, node: Node, what: str) -> tuple[str, ...]:
        if isinstance(node, ScalarNode) and node.value not in NULLS:
            value = self.text(node, what)
            return (value,) if value else ()
        if not isinstance(node, SequenceNode):
            if not (isinstance(node, ScalarNode) and node.value in NULLS):
                self.error(node, f"{what} must be a list, e.g. [a, b]")
            return ()
        out = (self.text(item, f"each of {what}") for item in node.value)
        return tuple(v for v in out if v)

    def sequence(self, node: Node, what: str) -> list[Node]:
        if isinstance(node, SequenceNode):
            return list(node.value)
        if isinstance(node, ScalarNode) and not node.style and node.value in NULLS:
            return []
        self.error(node, f"{what} must be a list (items start with '- ')")
        return []

    def items(self, node: Node, what: str, lead: str) -> list[Node]:
        """The items of a list; an item holding its leading key (`lead`: `id` for a commitment)
        twice is split where the second one starts. That is a new item whose "- " was left out,
        so its keys merged into the item above: said once, there, rather than as a duplicate of
        each key (whose advice, "keep only one", would delete the new item)."""
        noun = _ITEMS.get(lead, "item")
        out: list[Node] = []
        for item in self.sequence(node, what):
            pairs = item.value if isinstance(item, MappingNode) else []
            starts = _item_starts([k.value if isinstance(k, ScalarNode) else None for k, _ in pairs], lead)
            if not isinstance(item, MappingNode) or item.flow_style or len(starts) == 1:  # `{...}` has no "- " to miss
                out.append(item)
                continue
            for begin, end in itertools.pairwise([*starts, len(pairs)]):
                chunk = pairs[begin:end]
                first_key, first_value = chunk[0]
                if begin:
                    shown = first_value.value if isinstance(first_value, ScalarNode) else "…"
                    self.error(first_key, f'a new {noun} starts here but has no "- " before it: '
                                          f'write "- {_clip(f"{first_key.value}: {shown}")}"')
                start = first_key.start_mark if begin else item.start_mark
                out.append(MappingNode(item.tag, chunk, start, chunk[-1][1].end_mark, item.flow_style))
        return out

    def mapping(
        self, node: Node, what: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()
    ) -> dict[str, Node]:
        """Keys of a mapping, with unknown, duplicate and missing keys reported."""
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} must be a mapping of key: value")
            return {}
        out: dict[str, Node] = {}
        for key_node, value in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key is not None and (glued := re.fullmatch(r"([\w-]+):(\S.*)", key)) and glued[1] in allowed:
                # `title:"A: b"` reads as the key `title:"A`: the colon inside the value made it one
                rest = f"{glued[2]}: {value.value}" if isinstance(value, ScalarNode) else f"{glued[2]}: …"
                self.error(key_node, f'"{glued[1]}:" needs a space after ":": write "{_clip(f"{glued[1]}: {rest}")}"')
            elif key is None or key not in allowed:
                hint = did_you_mean(str(key), allowed) or f" (allowed: {one_of(allowed)})"
                self.error(key_node, f'unknown key "{key}" in {what}{hint}')
            elif key in out:
                self.error(key_node, f'duplicate key "{key}" in {what}: keep only one')
            else:
                out[key] = value
        for key in required:
            if key not in out:
                self.error(node, f'{what} is missing "{key}"')
        return out


def _item_starts(keys: list[str | None], lead: str) -> list[int]:
    """Where each merged item begins: at each `lead` key after the first, or earlier, at the keys
    just before it that the item above already has (`title` then `id` both start the new one)."""
    starts = [0]
    for at, key in enumerate(keys):
        if key != lead or at == 0 or lead not in keys[starts[-1]:at]:
            continue
        begin = at
        while begin - 1 > starts[-1] and keys[begin - 1] in keys[starts[-1]:begin - 1] \
                and keys[begin - 1] not in keys[begin:at + 1]:
            begin -= 1
        starts.append(begin)
    return starts


def span(text: str, node: Node) -> str:
    """The node's own text: hashing it tells whether a commitment changed without re-reading it."""
    return text[node.start_mark.index : node.end_mark.index]
