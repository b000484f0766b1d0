"""The dated calendars Whitehall time is read against, shipped as cited data (one row per event).

recesses.csv (each House's recesses), sessions.csv, parliaments.csv (elections, first meetings,
dissolutions), fiscal_events.csv (Budgets, Pre-Budget Reports, Autumn, Spring and Summer Statements,
Spending Reviews) and bank_holidays.csv (England and Wales, for working days) each carry the source
of every row. They are read once, on first use, with the
standard library only (importlib.resources and csv), so the pure core still reads no files of
its own choosing and a fresh `pip install -e .` ships them (pyproject.toml package-data).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from io import StringIO

__all__ = ["rows"]


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of the shipped table `name` (e.g. "recesses.csv"), read once."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return tuple(csv.DictReader(StringIO(text, newline="")))
