"""The Python surface SPEC §4 promises: `from bot.dates import resolve`. The reader itself lives
in the `bot/when/` room; this module keeps that documented import working, and its `kind` the
stable names SPEC §4 lists (the reader's own families, "week" or "parliament", stay inside)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.when.dates import FIRST_DAY, LAST_DAY, UnreadableDate, Window, outside
from bot.when.dates import resolve as read

__all__ = ["SPEC_KINDS", "UnreadableDate", "Window", "in_range", "resolve", "spec_kind"]

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
    w = in_range(phrase, read(phrase, made_on, quarters))
    return w if w.kind in SPEC_KINDS else replace(w, kind=spec_kind(w))


def in_range(phrase: str, w: Window) -> Window:
    """`w`, or UnreadableDate when it runs outside the years SPEC §2 allows (1900–2200), in the
    words the register's own check uses: "9999-12-31" reads, but no register may hold it."""
    if (beyond := outside(w.latest, w.earliest)) is not None:
        raise UnreadableDate(f'due "{phrase}" reads to {beyond.day} {beyond:%B %Y}, out of range: dates must stay '
                             f"within years {FIRST_DAY.year}–{LAST_DAY.year} (check the year, or set deadline:)", phrase)
    return w
