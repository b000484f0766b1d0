"""Validation problems, reported all at once as `FILE:LINE:COL: message`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

# What register text may not hold (SPEC §2: every text is text): C0 controls except tab and line
# feed, DEL, C1; a lone surrogate (half of a character: no UTF-8 encoder takes it) and U+FFFE and
# U+FFFF (not characters: XML refuses them, so one would break the feed and the site for everyone).
# Written as escapes, so the JSON Schema's pattern (bot/register/schema.py) reads the same rule.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What a printed problem may not hold: the same, and tab and line feed too (a problem is one line).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_C0 = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB "
       "ESC FS GS RS US").split()


def only_text(text: str) -> str:
    """`text` as one line of text: without the characters register text may not hold (`CONTROL`),
    its tabs and line breaks one space. For a name that is a courtesy (a Slack display name), which
    is better cut short than refused; "" when nothing of it is text."""
    return " ".join(CONTROL.sub("", text).split())


def visible(text: str) -> str:
    """`text` with every control character written as an escape (`\\x1b`, `\\n`), so a message
    quoting hostile register text can neither split its line nor drive the terminal."""
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True)
class Problem:
    """Ordered by every field, so problems at the same place always print in the same order."""

    file: str
    line: int  # 1-based
    column: int  # 1-based
    message: str

    def __str__(self) -> str:
        return visible(f"{self.file}:{self.line}:{self.column}: {self.message}")


def in_order(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Each problem once, by file, line, column and message: the same input prints the same
    lines in the same order on every run (a set alone iterates in a per-process hash order)."""
    return tuple(sorted(set(problems)))


def refused(char: str, written: str | None = None) -> str:
    """Why `char` (as `written` in a double-quoted escape, if given) cannot be in the register."""
    code = ord(char)
    name = f"U+{code:04X}" + (f" ({_C0[code]})" if code < 32 else " (DEL)" if code == 0x7F else
                              " (a C1 control)" if code < 0xA0 else "")
    how = f', written "{written}",' if written else ""
    if not CONTROL.match(char):
        return f"character {name}{how} is not allowed in YAML: remove it"
    if code >= 0xD800:
        what = "a lone surrogate, half of a character" if code < 0xE000 else "a noncharacter"
        return f"character {name} ({what}){how} is not text: remove it"
    return (f"control character {name}{how} is not allowed in register text: remove it "
            "(text may hold tabs and line breaks, but no other control characters)")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the closest choice, or '' when nothing is close.

    A word that starts with a choice (`due_date`, `made_on_date`, `owners`) means that choice,
    however close another choice is in spelling (`due_date` is nearer "updates" letter by
    letter); unless the closest choice is a longer form of it (`alpha-tow` → "alpha-two", not
    "alpha"). The start of just one choice means it, however far it is in spelling: a person
    types the start of a long id (`mvp-implement` → "mvp-implement-by-end-august-2022")."""
    options = list(choices)
    longer = [c for c in options if c.startswith(word)] if len(word) >= 3 else []
    if len(longer) == 1:
        return f' (did you mean "{longer[0]}"?)'
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    stem = _stem(word, options)
    best = stem if stem and not (close and close[0].startswith(stem)) else (close[0] if close else None)
    return f' (did you mean "{best}"?)' if best else ""


_SEPARATOR = re.compile(r"[_\-\s]")


def _stem(word: str, choices: list[str]) -> str | None:
    """The longest choice the word starts with: followed by `_`, `-` or a space (`due_date`,
    `id_number`), or, for a choice of three letters or more, by anything (`duedate`, `titles`)."""
    lowered = word.lower()
    stems = [c for c in choices if c and lowered != c.lower() and lowered.startswith(c.lower())
             and (len(c) >= 3 or _SEPARATOR.match(lowered, len(c)))]
    return max(stems, key=len) if stems else None


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(choices)
