"""The shipped tables of this room, read once on first use with the standard library only.

Reading a file the package ships (importlib.resources) is not I/O of the core's own choosing: the
data is part of the code, cited row by row, and a fresh `pip install` ships it (package-data).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from io import StringIO

__all__ = ["rows"]


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of `data/NAME` (e.g. "service_standards.csv"), as the CSV header names them."""
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return tuple(csv.DictReader(StringIO(text, newline="")))
