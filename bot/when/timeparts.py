"""Parts of a period: its start, middle or end third, and its quarters and halves.

"Towards the end of 2023", "the middle of the summer", "the last quarter of this financial
year": the table reads a month's parts as days 1-10 / 11-20 / 21-end and a year's as
Jan-Apr / May-Aug / Sep-Dec; these functions extend the same cut to any period, so a part
of a period always ends where the table would end it.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

__all__ = ["following", "full_span", "label", "nth_part", "third", "whole_months"]


def whole_months(start: date, end: date) -> int | None:
    """How many whole calendar months `start`..`end` covers exactly, or None if it is not whole months."""
    if start.day != 1 or (end + timedelta(days=1)).day != 1:
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


_MONTHS_OF_KIND = {"year": 12, "financial-year": 12, "half": 6, "quarter": 3, "season": 3, "month": 1}


_FIRST_MONTHS_OF_KIND = {"year": (1,), "financial-year": (4,), "half": (1, 7), "quarter": (1, 4, 7, 10),
                         "season": (3, 6, 9, 12), "month": tuple(range(1, 13))}


def full_span(kind: str, start: date, end: date) -> tuple[date, date]:
    """The whole period a window belongs to: "this year" read on 15 June runs from made_on,
    but its parts ("towards the end of this year") are parts of the whole year. So does "this
    year" read on 1 June (seven whole months, not a year), but not a window that begins where
    no such period begins ("early 2023", January to April, is its own)."""
    months = _MONTHS_OF_KIND.get(kind)
    if months is None or whole_months(start, end) == months or (end + timedelta(days=1)).day != 1:
        return start, end
    first = end + timedelta(days=1) - relativedelta(months=months)
    whole = first <= start and first.month in _FIRST_MONTHS_OF_KIND[kind]
    return (first, end) if whole else (start, end)


def third(start: date, end: date, which: int) -> tuple[date, date]:
    """The start (0), middle (1) or end (2) third of `start`..`end`, cut as the table cuts."""
    months = whole_months(start, end)
    if months == 1:  # a month: days 1-10, 11-20, 21-end, as "early/mid/late August"
        first = start + timedelta(days=10 * which)
        return first, end if which == 2 else first + timedelta(days=9)
    if months is not None and months % 3 == 0:
        step = months // 3
        first = start + relativedelta(months=step * which)
        return first, end if which == 2 else first + relativedelta(months=step, days=-1)
    length = (end - start).days + 1
    step = max(length // 3, 1)
    first = min(start + timedelta(days=step * which), end)
    return first, end if which == 2 else min(first + timedelta(days=step - 1), end)


def nth_part(start: date, end: date, n: int, parts: int) -> tuple[date, date] | None:
    """Part `n` (1-based) of `parts` equal runs of whole months, or None when it does not divide so."""
    months = whole_months(start, end)
    if months is None or months % parts or not 1 <= n <= parts:
        return None
    step = months // parts
    first = start + relativedelta(months=step * (n - 1))
    return first, first + relativedelta(months=step, days=-1)


_SEASON_NAMES = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}


def label(kind: str, start: date, end: date) -> str | None:
    """A whole period in words that read on their own, or None: "2024", "2024-25", "June 2024",
    "Q2 2024", "H1 2024", "summer 2024", "the week commencing 3 June 2024"."""
    months = whole_months(start, end)
    if kind == "week" and (end - start).days == 6:
        return f"the week commencing {start.day} {start:%B %Y}"
    if months == 12 and start.month == 1:
        return str(start.year)
    if months == 12 and start.month == 4:
        return f"{start.year}-{(start.year + 1) % 100:02d}"
    if months == 1:
        return f"{start:%B %Y}"
    if months == 3 and kind == "season" and start.month in _SEASON_NAMES:
        return f"{_SEASON_NAMES[start.month]} {start.year}"
    if months == 3 and start.month in (1, 4, 7, 10):
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if months == 6 and start.month in (1, 7):
        return f"H{(start.month - 1) // 6 + 1} {start.year}"
    return None


def following(kind: str, start: date, end: date) -> tuple[date, date]:
    """The next period of the same name: next year's, next month's, next week's; a season's is next year's."""
    if kind == "week":
        return start + timedelta(days=7), end + timedelta(days=7)
    months = 12 if kind == "season" else whole_months(start, end) or 12
    return start + relativedelta(months=months), end + timedelta(days=1) + relativedelta(months=months, days=-1)
