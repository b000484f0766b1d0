"""Reading YAML as nodes, so every value keeps its line and column.

We compose with libyaml (CSafeLoader) for speed but never let YAML 1.1 resolve plain scalars:
each value is read as text and interpreted by the key's own rule, which is what YAML 1.2's
core schema asks of us here (`no`, `on`, `2023` stay text).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping

import yaml
from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]  # PyPI's wheels ship libyaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from bot.register.problems import Problem, did_you_mean, one_of
from bot.register.yamlerrors import ITEMS, clip, reader_problem, syntax_problem
from bot.register.yamlguard import alias_problem, control_problem, has_anchor, walk_nodes


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


def compose(text: str, file: str, keys: frozenset[str] = frozenset()) -> tuple[Node | None, list[Problem]]:
    """The document's node graph, or None and the reason it cannot be read (`keys`: those the
    register may hold, to tell a key written without its colon from a line that is no key).

    A graph whose aliases would multiply it (SPEC §2: at most tenfold) is refused here, before
    anything walks it; text holding control characters is reported and still read, so every
    other problem comes out in the same run.
    """
    if (odd := _ODD_BREAK.search(text)) is not None:
        return None, [_odd_break(odd, text, file)]
    try:
        root = yaml.compose(text, Loader=_Loader)  # type: ignore[arg-type]
    except yaml.MarkedYAMLError as e:
        return None, [syntax_problem(e, text, file, keys)]
    except yaml.reader.ReaderError as e:
        return None, [reader_problem(e, text, file)]
    except yaml.YAMLError as e:
        return None, [Problem(file, 1, 1, f"not valid YAML: {' '.join(str(e).split())}")]
    if root is None:
        return None, []
    if not (has_anchor(text) or "\\" in text):
        return root, []  # no anchor, so no alias; no backslash, so no escape that writes a control
    walk = walk_nodes(root)
    if walk.blown is not None:
        return None, [alias_problem(walk, text, file, _Loader)]
    return root, [control_problem(node, text, file) for node in walk.controlled]


# Line breaks to YAML (YAML 1.1, as PyYAML reads it), though not to editors, git or this bot's
# FILE:LINE:COL: raw in the file they shift every line number after them and mislead a message
# about a missing ":" (a hostile-input audit). Written as an escape ("\\L") they are text.
_ODD_BREAK = re.compile("[\x85\u2028\u2029]")
_BREAK_NAMES = {"\x85": ("NEXT LINE", "N"), "\u2028": ("LINE SEPARATOR", "L"), "\u2029": ("PARAGRAPH SEPARATOR", "P")}


def _odd_break(m: re.Match[str], text: str, file: str) -> Problem:
    line = text.count("\n", 0, m.start()) + 1
    col = m.start() - text.rfind("\n", 0, m.start())
    name, escape = _BREAK_NAMES[m[0]]
    return Problem(file, line, col, f"U+{ord(m[0]):04X} ({name}) is here: YAML reads it as a line break, your "
                   f'editor does not; write a space, or in a double-quoted value the escape "\\{escape}"')


class NodeReader:
    """Collects problems while turning nodes into values; never raises on bad input."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        # Where an unknown key is allowed one level up or down, by the key's (line, column): said
        # instead of the list of allowed keys, since its indentation put it under the wrong parent.
        self.belongs: dict[tuple[int, int], str] = {}

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
        noun = ITEMS.get(lead, "item")
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
                                          f'write "- {clip(f"{first_key.value}: {shown}")}"')
                start = first_key.start_mark if begin else item.start_mark
                out.append(MappingNode(item.tag, chunk, start, chunk[-1][1].end_mark, item.flow_style))
        return out

    def mapping(
        self, node: Node, what: str, allowed: tuple[str, ...], required: tuple[str, ...] = (),
        children: Mapping[str, tuple[str, ...]] | None = None,
    ) -> dict[str, Node]:
        """Keys of a mapping, with unknown, duplicate and missing keys reported. `children` are the
        keys whose value is a mapping (or a list of them), with that mapping's keys: a key written
        one level too far in or out, between this mapping and one of them, is told where it belongs."""
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} must be a mapping of key: value")
            return {}
        if children:
            self._misplaced(node, what, allowed, children)
        out: dict[str, Node] = {}
        for key_node, value in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key in allowed and key not in out:  # the usual case, first: an allowed key has no colon
                out[key] = value
            elif key is not None and (glued := re.fullmatch(r"([\w-]+):(\S.*)", key)) and glued[1] in allowed:
                # `title:"A: b"` reads as the key `title:"A`: the colon inside the value made it one
                rest = f"{glued[2]}: {value.value}" if isinstance(value, ScalarNode) else f"{glued[2]}: …"
                self.error(key_node, f'"{glued[1]}:" needs a space after ":": write "{clip(f"{glued[1]}: {rest}")}"')
            elif key is None or key not in allowed:
                at = (key_node.start_mark.line, key_node.start_mark.column)
                hint = self.belongs.get(at) or did_you_mean(str(key), allowed) or f" (allowed: {one_of(allowed)})"
                self.error(key_node, f'unknown key "{key}" in {what}{hint}')
            else:
                self.error(key_node, f'duplicate key "{key}" in {what}: keep only one')
        for key in required:
            if key not in out:
                self.error(node, f'{what} is missing "{key}"')
        return out


    def _misplaced(self, node: MappingNode, what: str, allowed: tuple[str, ...],
                   children: Mapping[str, tuple[str, ...]]) -> None:
        """Note, for the unknown-key problem, each key indented as this mapping's that only a child
        allows (`quote:` under a commitment, just after its `source:`), and each key indented as the
        child's that only this mapping allows (`tags:` inside `source:`)."""
        pairs = [(k, v) for k, v in node.value if isinstance(k, ScalarNode)]
        lost = [(at, k) for at, (k, _) in enumerate(pairs) if k.value not in allowed]
        for at, (parent, value) in enumerate(pairs):
            inner = children.get(parent.value)
            child = value.value[-1] if isinstance(value, SequenceNode) and value.value else value
            if inner is None or not isinstance(child, MappingNode) or child.flow_style or not child.value:
                continue
            first = child.value[0][0]
            for key, _ in child.value:  # in the last item only: indented out, a key there ends the list
                if isinstance(key, ScalarNode) and key.value not in inner and key.value in allowed:
                    self.belongs[(key.start_mark.line, key.start_mark.column)] = (
                        f': it belongs to {what}, so indent it {parent.start_mark.column} spaces, like "{parent.value}"')
            for after, key in lost:
                if key.value not in inner:
                    continue
                where = (key.start_mark.line, key.start_mark.column)
                if after > at and all(k.value in inner and k.value not in allowed for k, _ in pairs[at + 1:after]):
                    self.belongs[where] = (f': it belongs under "{parent.value}:", so indent it '
                                           f'{child.start_mark.column} spaces, like "{first.value}" there')
                elif sum(key.value in children[c.value] for c, _ in pairs if c.value in children) == 1:
                    self.belongs.setdefault(where, f': it belongs under "{parent.value}:" (line '
                                                   f"{parent.start_mark.line + 1}): move it there, indented "
                                                   f'{child.start_mark.column} spaces like "{first.value}"')


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
