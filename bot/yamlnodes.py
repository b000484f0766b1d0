"""Reading YAML as nodes, so every value keeps its line and column.

We compose with libyaml (CSafeLoader) for speed but never let YAML 1.1 resolve plain scalars:
each value is read as text and interpreted by the key's own rule, which is what YAML 1.2's
core schema asks of us here (`no`, `on`, `2023` stay text).
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from bot.problems import Problem, did_you_mean, one_of

try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - libyaml missing: slower but identical
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


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
    try:
        return yaml.compose(text, Loader=_Loader), []  # type: ignore[arg-type]
    except yaml.MarkedYAMLError as e:
        # An unclosed quote or bracket is only noticed at the end of the file: point at its start.
        at_end = "end of stream" in (e.problem or "")
        mark = (e.context_mark if at_end else None) or e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = f"{e.context} that is never closed" if at_end and e.context else (e.problem or str(e))
        return None, [Problem(file, line, col, f"not valid YAML: {what} (check indentation and quoting)")]
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + 1
        col = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        return None, [Problem(file, line, col, f"not valid YAML: character {e.character!r} is not allowed here "
                              "(remove it or quote the text)")]
    except yaml.YAMLError as e:
        return None, [Problem(file, 1, 1, f"not valid YAML: {' '.join(str(e).split())}")]


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
            if key is None or key not in allowed:
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


def items(node: Node) -> Iterator[tuple[Node, Node]]:
    if isinstance(node, MappingNode):
        yield from node.value


def span(text: str, node: Node) -> str:
    """The node's own text: hashing it tells whether a commitment changed without re-reading it."""
    return text[node.start_mark.index : node.end_mark.index]
