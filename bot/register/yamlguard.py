"""What the register may not do with YAML itself (SPEC §2): hold control characters, or use
aliases to grow more than tenfold. Checked once on the composed node graph, before any reading.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.register.problems import CONTROL, Problem, refused

# `&` then a name character. Text such as "R &D" matches too: then the walk just runs.
_ANCHOR = re.compile(r"&[^\s\[\]{},]")


def has_anchor(text: str) -> bool:
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


def walk_nodes(root: Node) -> _Walk:
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


def alias_problem(walk: _Walk, text: str, file: str, loader: type) -> Problem:
    """Name the alias at fault: the n-th alias event of the file (parsed again only on this path)."""
    n = walk.blown or 0
    aliases = (e for e in yaml.parse(text, Loader=loader) if isinstance(e, yaml.AliasEvent))  # type: ignore[arg-type]
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
