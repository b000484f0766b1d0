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


def syntax_problem(e: yaml.MarkedYAMLError, text: str, file: str, keys: frozenset[str] = frozenset()) -> Problem:
    """`keys` are the keys a register may hold: a line without ":" that starts with one is a key
    missing its colon, and any other is a note that belongs to no entry."""
    # An unclosed quote or bracket is only noticed at the end of the file: point at its start.
    at_end = "end of stream" in (e.problem or "")
    mark = (e.context_mark if at_end else None) or e.problem_mark or e.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if (tab := _indenting_tab(text, e)) is not None:
        return Problem(file, *tab, "a tab is used for indentation here: YAML indents with spaces only "
                       "(replace the tab with spaces)")
    lines = text.split("\n")
    if (said := _quote_ends_early(e, lines) or _missing_colon(e, lines, keys) or _glued_colon(e, lines)
            or _misindented(e, lines) or _colon_in_value(e, lines)) is not None:
        return Problem(file, *said)
    what = f"{e.context} that is never closed" if at_end and e.context else (e.problem or str(e))
    return Problem(file, line, col, f"not valid YAML: {what} (check indentation and quoting)")


# A line of the register as YAML's block structure sees it: indentation, an optional "- ", and a
# plain key followed by ":" and a space or the line's end.
_LINE = re.compile(r"(?P<indent> *)(?P<dash>-(?: +|$))?(?P<key>[^\s#\-\[\]{}'\"][^:#]*)?(?P<colon>:(?=\s|$))?")
Said = tuple[int, int, str]  # line, column (1-based) and message


def _missing_colon(e: yaml.MarkedYAMLError, lines: list[str], keys: frozenset[str]) -> Said | None:
    """libyaml notices a key without ":" only on the line after it (it reads on, looking for
    the colon): report the line that lacks it, with the line as it should be written; or, when
    it starts with no key (`Checked by Jo`), say it is a note that belongs to no entry."""
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
    if key not in keys:
        return (mark.line + 1, mark.column + 1, f'"{clip(written)}" is not a key: value line, so it belongs to no '
                                                f'entry: to keep it as a note, make it a comment: write "# {clip(written)}"')
    return (mark.line + 1, mark.column + 1, f'"{clip(written)}" has no ":" after its key: '
                                            f'write "{clip(f"{key}: {value.strip() or chr(8230)}")}"')


# A key's line whose value opens with a quote: the quote, and where the value starts.
_QUOTED = re.compile(r" *(?:- +)?(?P<key>[^\s#\-\[\]{}'\"][^:#]*): +(?P<quote>['\"])")


def _quote_ends_early(e: yaml.MarkedYAMLError, lines: list[str]) -> Said | None:
    """`quote: 'We won't …'` or `quote: "He said "soon" …"`: the same quote inside the value ends
    it, and libyaml stops at the text after it. Name that quote and give the line written so that
    it reads: in the other kind of quotes, or with the quote escaped."""
    mark = e.problem_mark
    if mark is None or mark.line >= len(lines) or e.problem not in _INDENT_PROBLEMS:
        return None
    line = lines[mark.line].rstrip()
    shape = _QUOTED.match(line)
    if shape is None:
        return None
    quote, opened = shape["quote"], shape.end("quote") - 1
    closed = _closing_quote(line, opened)
    last = line.rfind(quote)
    rest = line[closed + 1:].strip() if closed is not None else ""
    if closed is None or closed >= mark.column or not rest or rest.startswith("#") or last <= closed:
        return None
    words = line[opened + 1:last].replace("''", "'") if quote == "'" else line[opened + 1:last]
    if "\\" in words and quote == '"':
        return None  # escapes already written: the fix is not one of quoting alone
    before = re.search(rf"[^\s{quote}]*$", line[:closed])
    after = re.match(rf"[^\s{quote}]*", line[closed + 1:])
    assert before is not None and after is not None  # both may be empty
    where = (f'in "{before[0]}{quote}{after[0]}"' if before[0] and after[0] else
             f'before "{after[0]}"' if after[0] else f'after "{before[0]}"' if before[0] else f"at column {closed + 1}")
    key = shape["key"].strip()
    if quote == "'":
        fixed = f'"{words}"' if '"' not in words else "'" + words.replace("'", "''") + "'"
        how = "put the value in double quotes" if '"' not in words else "write each ' inside twice"
        also = f" (or write the ' twice: {before[0]}''{after[0]})" if '"' not in words else ""
    else:
        fixed = f"'{words}'" if "'" not in words else '"' + words.replace('"', '\\"') + '"'
        how = "put the value in single quotes" if "'" not in words else 'write each " inside as \\"'
        also = ' (or write each " inside as \\")' if "'" not in words else ""
    return (mark.line + 1, closed + 1, f"the {quote} {where} ends the quoted value early: {how}, as in "
                                       f"{key}: {clip(fixed, 80)}{also}")


def _closing_quote(line: str, opened: int) -> int | None:
    """Where the quoted value opening at `opened` ends: at the next quote of its kind, except a
    doubled one inside single quotes ('') or an escaped one inside double quotes (\\")."""
    quote, at = line[opened], opened + 1
    while at < len(line):
        if quote == '"' and line[at] == "\\":
            at += 2
            continue
        if line[at] == quote:
            if quote == "'" and line[at + 1:at + 2] == "'":
                at += 2
                continue
            return at
        at += 1
    return None


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
    if dash and (noun := ITEMS.get(key.strip())) is not None and (same := next(
            (level for level in levels if level[1] == f"- {key.strip()}"), None)) is not None and same[2] != indent:
        # `- id:` starts a commitment wherever it is written: it lines up with the commitment above,
        # not with the nearer update item it happens to follow
        line, label, at, _ = same
        how = "more" if indent > at else "less"
        return (mark.line + 1, indent + 1, f"line {mark.line + 1} is indented {how} than the {noun} above it "
                                           f'(line {line + 1}): {_indent_to(at)}, like "{label}"')
    fits = [(abs(at - indent), -at, -line, label) for line, label, at, _ in levels if at != indent]
    if not levels or not fits:
        return None
    _, at, line, label = min(fits)
    at, line = -at, -line
    previous = levels[0][0]  # the nearest key (or "- " item, for a line that is one) above
    how = "more" if indent > levels[0][2] else "less"
    where = "" if line == previous else f" on line {line + 1}"
    return (mark.line + 1, indent + 1,
            f'line {mark.line + 1} is indented {how} than the {"item" if dash else "key"} above it '
            f'(line {previous + 1}): {_indent_to(at)}, like "{label}"{where}{or_new}')


def _indent_to(at: int) -> str:
    return f"indent it {at} space{'s' if at != 1 else ''}" if at else "start it at the beginning of the line"


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
