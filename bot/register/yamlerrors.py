"""Why a register is not YAML, said the way its maintainer would fix it.

libyaml's own words ("mapping values are not allowed in this context", a position on the next
line) describe the parser, not the file. Each function below recognises one common slip (a tab
used for indentation, a missing colon, a missing "- ", a mis-indented line, a colon in a value)
from the error and the text, and says what to write instead.
"""

from __future__ import annotations

import json
import re

import yaml

from bot.register.problems import Problem, refused


def syntax_problem(e: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
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
        return (mark.line + 1, mark.column + 1, f'"{clip(written)}" needs a space after ":": '
                                                f'write "{clip(f"{glued[1]}: {glued[2]}")}"')
    key, _, value = written.partition(" ")
    return (mark.line + 1, mark.column + 1, f'"{clip(written)}" has no ":" after its key: '
                                            f'write "{clip(f"{key}: {value.strip() or chr(8230)}")}"')


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
            f'"{clip(written)}" needs a space after ":": write "{clip(fixed)}"')


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
        new_item = f'write "- {clip(lines[mark.line].strip())}"'
        if (item := ITEMS.get(key.strip())) is not None:
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
ITEMS = {"id": "commitment", "date": "update"}
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
            f"e.g. {key}: {json.dumps(clip(value), ensure_ascii=False)}")


def clip(text: str, length: int = 60) -> str:
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


def reader_problem(e: yaml.reader.ReaderError, text: str, file: str) -> Problem:
    """libyaml refuses a raw control character before parsing; its position counts UTF-8 bytes
    (the pure-Python reader's counts characters)."""
    index = e.position if e.encoding == "unicode" else \
        len(text.encode("utf-8")[: e.position].decode("utf-8", errors="ignore"))
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    char = chr(e.character) if isinstance(e.character, int) else str(e.character)
    return Problem(file, line, col, refused(char))
