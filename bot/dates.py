"""The Python surface SPEC §4 promises: `from bot.dates import resolve`. The reader itself lives
in the `bot/when/` room; this module keeps that documented import working, and its `kind` the
stable names SPEC §4 lists (the reader's own families, "week" or "parliament", stay inside)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.when.dates import UnreadableDate, Window
from bot.when.dates import resolve as read

__all__ = ["SPEC_KINDS", "UnreadableDate", "Window", "resolve", "spec_kind"]

# SPEC §4's kinds, and "manual" for a `deadline:` set by hand (the reader never gives it).
SPEC_KINDS = ("day", "month", "season", "quarter", "half", "year", "financial-year", "relative", "open", "manual")


def spec_kind(w: Window) -> str:
    """`kind` as SPEC §4 names it: a week ("this week", "w/c 21 November") is a relative calendar
    word, and a Parliament-calendar reading is a day (the House rises, the end of a session) or a
    window relative to when the words were said (a recess)."""
    if w.kind in SPEC_KINDS:
        return w.kind
    return "day" if w.earliest is not None and w.earliest == w.latest else "relative"


def resolve(phrase: str, made_on: date | None, quarters: str = "calendar") -> Window:
    """SPEC §4: the window `phrase` names, with `kind` one of SPEC_KINDS; raises UnreadableDate
    (a ValueError) rather than guess."""
    w = read(phrase, made_on, quarters)
    return w if w.kind in SPEC_KINDS else replace(w, kind=spec_kind(w))
