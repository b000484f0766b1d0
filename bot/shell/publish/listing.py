"""The tables of the site: every commitment, then one per state, owner and tag, pre-rendered so
filtering and sorting work without JavaScript.

Every listing is complete, page after page, in the order of urgency. The whole register and each
state can also be ranked (earliest deadline, most days overdue, most slips): a ranking is its
first page, which is the whole listing when it fits on one page. Pre-rendering every order of
every filter to its last page put each commitment on about 20 pages: 131.7 MB for 10,000
commitments (issue 26 item 9); now each is on about five.

A listing is addressed by a key ("all", "state-lapsed", "owner-home-office-1a2b3c", "tag-…"),
a sort and a page number; `href` turns that into a file name, and nothing else names pages.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.decide.status import SAID_STATES, SORTS, STATE_OF, StatusRow, said, sort_rows

PAGE = 100  # rows a page: a listing page stays under 50 KB
COMPLETE = "urgency"  # the order every listing is given in whole; the others show their first page
SORT_NAMES = {"urgency": "most urgent first", "deadline": "earliest deadline first",
              "overdue": "most days past due first", "slips": "most slips first"}


def state_key(state: str) -> str:
    """The listing key of a state as said: "state-lapsed", "state-no-news"."""
    return "state-" + state.replace(" ", "-")


def css(state: str) -> str:
    """The colour class of a state as said: its state's, so an ask with no answer looks as a lapse
    does, one past its date with news since as an overdue promise does, one met as a delivery."""
    return STATE_OF[state]


@dataclass(frozen=True)
class Listing:
    key: str
    heading: str  # "Lapsed", "Owner: Home Office", "Tag: mvp"
    rows: tuple[StatusRow, ...]  # in urgency order

    def sorts(self) -> tuple[str, ...]:
        """The orders it is given in: owners and tags in the order of urgency only."""
        return SORTS if self.key == "all" or self.key.startswith("state-") else (COMPLETE,)

    def pages(self, sort: str = COMPLETE) -> int:
        """How many pages the listing has in this order: all of them in the order of urgency, one in the others."""
        return max(1, -(-len(self.rows) // PAGE)) if sort == COMPLETE else 1

    def cut(self, sort: str) -> bool:
        """Whether this order shows only the first page of a longer listing."""
        return sort != COMPLETE and len(self.rows) > PAGE

    def ordered(self, sort: str) -> list[StatusRow]:
        return list(self.rows) if sort == "urgency" else sort_rows(self.rows, sort)


def slug(kind: str, text: str) -> str:
    """A file-safe, unique key for any owner or tag: readable part plus a hash of the exact text."""
    readable = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40].strip("-")
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{kind}-{readable + '-' if readable else ''}{digest}"


def href(key: str, sort: str = "urgency", page: int = 1) -> str:
    """The page's path from the site's root: the first page of everything is index.html."""
    if (key, sort, page) == ("all", "urgency", 1):
        return "index.html"
    return f"l/{key}.{sort}.{page}.html"


def listings(rows: Sequence[StatusRow]) -> list[Listing]:
    ordered = tuple(sort_rows(rows, "urgency"))
    out = [Listing("all", "All commitments", ordered)]
    out += [Listing(state_key(s), s.capitalize(), tuple(r for r in ordered if said(r) == s))
            for s in SAID_STATES if any(said(r) == s for r in ordered)]
    owners: dict[str, list[StatusRow]] = {}
    tags: dict[str, list[StatusRow]] = {}
    for r in ordered:
        owners.setdefault(r.owner, []).append(r)
        for t in dict.fromkeys(r.tags):
            tags.setdefault(t, []).append(r)
    out += [Listing(slug("owner", o), f"Owner: {o}", tuple(owners[o])) for o in sorted(owners, key=_order)]
    out += [Listing(slug("tag", t), f"Tag: {t}", tuple(tags[t])) for t in sorted(tags, key=_order)]
    return out


def _order(text: str) -> tuple[str, str]:
    return text.casefold(), text


def counts(rows: Sequence[StatusRow]) -> list[tuple[str, int]]:
    """How many commitments are in each state as said, in the order of urgency."""
    return [(s, n) for s in SAID_STATES if (n := sum(1 for r in rows if said(r) == s))]
