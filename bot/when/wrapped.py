"""Dates wrapped in words (issue 25 item 2): "by the statutory deadline of 30 June", "the January 31
Self Assessment deadline", "the 11.59pm, January 31 deadline", "by 24 May 2019 (10am)".

Officials wrap a readable date in a description of it. Such a phrase reads as that date when its
only dated part is one readable date or period and every other word only describes it: a
deadline's name and kind ("statutory", "filing", "closing", "deadline", "date"), a time of day, a
restatement in brackets. The describing words are a closed list, so a phrase with any other word
("once", "publication", "election", "after", "unless", "original") is no wrapped date: its
deadline may hang on an event, and it stays refused. A period before a deadline's name names what
the deadline is for, not when it falls ("the 2023-24 tax return deadline" is 31 January 2025), so
a period reads only after "of", "is" or "on", or in brackets; a day reads anywhere. Dated parts
that disagree are an error naming both.

A family here gets `sub`, the whole reader, from bot.when.phrases, so it never imports bot.when.dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.when.reading import Ctx, Problem, Reading

__all__ = ["family", "names_a_deadline"]

Reader = Callable[[str, Ctx], Reading]

DESCRIBING = frozenset({
    "the", "a", "an", "of", "on", "for", "is", "its", "our", "their", "statutory", "legal", "legislative", "filing",
    "payment", "submission", "closing", "final", "target", "due", "reporting", "required", "official", "formal",
    "revised", "extended", "new", "annual", "consultation", "response", "responses", "tax", "return",
    "returns", "self", "assessment", "self-assessment", "online", "paper", "hmrc", "deadline", "deadlines", "date",
    "cut-off", "cutoff", "implementation", "go-live", "commencement", "launch",
})
# A phrase is a wrapped date only if its words say so: a deadline's head noun, a time of day, or brackets.
_HEADS = frozenset({"deadline", "deadlines", "date", "cut-off", "cutoff"})
_TIME = r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?!\w)|(?:12\s+)?(?:midnight|noon|midday)"
_TOKEN = re.compile(rf"\([^()]*\)|(?:{_TIME}),?|[^\s()]+")
_TIME_ONLY = re.compile(rf"\(?(?:{_TIME})\)?,?")
_DEADLINE = re.compile(r"\b(?:deadlines?|cut-?off|(?:filing|closing|due|submission|payment|target|response)\s+date)\b")
_BEFORE_A_PERIOD = frozenset({"of", "is", "on", "("})  # "the deadline of March 2025", "(March 2025)"
_MOST_RUNS = 3  # a date and a restatement or two; more is no wrapped date, and each run is read in full
PATTERN = r".*(?:\b(?:deadlines?|date|cut-?off|\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)|midnight|noon|midday)\b|\().*"


def names_a_deadline(text: str) -> bool:
    """True when the words name a deadline ("the 5 April filing date"). A deadline is the end of
    its day, so "before" or "ahead of" it reads as by that day (bot.when.dates)."""
    return _DEADLINE.search(text) is not None


def family(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    """The one date or period among words that only describe it; None when any other word is
    there or a part does not read as a date or period. Parts that disagree are a Problem."""
    aside, parts = _split(m.string)
    if not 1 <= len(parts) <= _MOST_RUNS or not (any(_is_head(t) for t in aside) or "(" in m.string):
        return None
    runs = [text for text, _ in parts]
    readings = [_dated(text, ctx, sub) for text in runs]
    if any(r is None or r.window.kind != "day" and after not in _BEFORE_A_PERIOD
           for r, (_, after) in zip(readings, parts, strict=True)):
        return None
    first = readings[0]
    assert first is not None
    for text, other in zip(runs[1:], readings[1:], strict=True):
        assert other is not None
        if other.window.latest != first.window.latest:
            raise Problem(f'names two dates that disagree: "{runs[0]}" ({_day(first)}) and "{text}" ({_day(other)}); '
                          "keep one, or set deadline: by hand")
    return Reading(first.window, f'beyond the table: a date wrapped in words (set aside: "{" ".join(aside)}"), then '
                   f"{first.rule}", first.entry)


def _split(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """(the describing words set aside, each run of other words between them with the word just
    before it, "(" for a bracketed part: a restatement to check)."""
    aside: list[str] = []
    runs: list[tuple[list[str], str]] = [([], "")]
    for token in _TOKEN.findall(text):
        if token.rstrip(",") in DESCRIBING or _TIME_ONLY.fullmatch(token):
            aside.append(token)
            runs.append(([], token.rstrip(",")))
        elif token.startswith("(") and token[1:-1].split() and all(w.strip(",.") in DESCRIBING for w in token[1:-1].split()):
            aside.append(token)  # "(the statutory deadline)": words that only describe the date
            runs.append(([], ""))
        elif token.startswith("("):
            runs += [([token[1:-1]], "("), ([], "")]
        else:
            runs[-1][0].append(token)
    texts = ((" ".join(run).strip().rstrip(","), after) for run, after in runs)
    return aside, [(t, after) for t, after in texts if t]


def _is_head(token: str) -> bool:
    return token.rstrip(",") in _HEADS or _TIME_ONLY.fullmatch(token) is not None


def _dated(text: str, ctx: Ctx, sub: Reader) -> Reading | None:
    """`text` read as a date or period, or None: open words and spans from made_on are no dates."""
    try:
        reading = sub(text, ctx)
    except Problem:
        return None
    w = reading.window
    return None if w.is_open or w.kind == "relative" or w.latest is None else reading


def _day(reading: Reading) -> str:
    d = reading.window.latest
    assert d is not None
    return f"{d.day} {d:%b %Y}"
