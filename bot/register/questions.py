"""A written parliamentary question as the register names it: its reference ("HL1234" is a Lords
question, "12345" a Commons one: each House numbers its questions its own way) and its page on
Parliament's site (`/written-questions/detail/<day tabled>/<UIN>`, the page an answer lead links
to and a confirmed answer keeps as its source). Pure: no I/O.

A chase by written question (`chase --how written-question --ref HL1234`) is linked to its
answer by that page: an update whose source is the page of the question the chase names,
tabled around the day the chase was recorded (a UIN is numbered afresh each session), is that
question's answer (bot.decide.holds.answer), whatever day it is dated.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

_LORDS = re.compile(r"HL\d{1,7}")
_COMMONS = re.compile(r"\d{1,7}")
_PAGE = re.compile(r"/written-questions/detail/(\d{4}-\d{2}-\d{2})/([^/]+)/?")

# The team's question is one tabled from 90 days before the day it recorded its chase to 7 days
# after: a chase may be recorded some time after it was tabled (or handed in a few days before).
LOOK_BACK = timedelta(days=90)
LOOK_AHEAD = timedelta(days=7)


def reference(ref: str) -> tuple[str, str] | None:
    """(UIN, house) for a written question's reference: "HL1234" (also "hl 1234") is the Lords,
    "12345" the Commons; None for any other form."""
    squeezed = "".join(ref.split()).upper()
    if _LORDS.fullmatch(squeezed):
        return squeezed, "Lords"
    if _COMMONS.fullmatch(squeezed):
        return squeezed, "Commons"
    return None


def page_path(tabled: date, uin: str) -> str:
    """The path of a written question's own page on Parliament's site."""
    return f"/written-questions/detail/{tabled.isoformat()}/{uin}"


def question_of(url: str | None) -> tuple[str, date] | None:
    """(UIN as `reference` writes it, day tabled) of a written question's page; None for any
    other link."""
    if not url:
        return None
    found = _PAGE.fullmatch(urlsplit(url).path)
    if found is None:
        return None
    try:
        tabled = date.fromisoformat(found.group(1))
    except ValueError:
        return None
    named = reference(found.group(2))
    return (named[0], tabled) if named else None


def tabled_around(chased_on: date, tabled: date) -> bool:
    """A question tabled on `tabled` may be the one the team recorded chasing on `chased_on`."""
    return chased_on - LOOK_BACK <= tabled <= chased_on + LOOK_AHEAD


def is_page_of(ref: str | None, chased_on: date, url: str | None) -> bool:
    """`url` is the page of the written question `ref` that the team recorded chasing on `chased_on`."""
    wanted = reference(ref) if ref else None
    page = question_of(url)
    return wanted is not None and page is not None and page[0] == wanted[0] and tabled_around(chased_on, page[1])
