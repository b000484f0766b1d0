"""How well a find answers a commitment (SPEC §7.4): a plain share of words a person can check.

    score = 0.75 × (share of the watch query's words found) + 0.25 × (share of the title's other words found)

"Found" means in the find's title or snippet. Words are compared lower-cased, without the
commonest English words ("the", "of", "for", ...) and with a plural "s" dropped, so "Migrant
Victims Protocol" finds "migrant victim protocol". A query with no word left scores on the title
alone, a title with no word beyond the query on the query alone. A find scoring below THRESHOLD
(0.6) is counted in `watch`'s summary and not stored: it takes every query word (0.75), or most
of them and a good part of the title, to be a lead. GOV.UK already matches the whole phrase
somewhere in a document; this asks that what a person will read (its title and summary) be
about the commitment too. A watched page that changed needs no score: a person chose that page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

THRESHOLD = 0.6
QUERY_WEIGHT = 0.75
STOP = frozenset("""a about after all also an and any are as at be been before but by can could did do
does for from had has have he her his how if in into is it its may more must no not of on or our out over
per she should so such than that the their them then there these they this those to under up was we were
what when where which who will with would you""".split())
WORD = re.compile(r"[^\W_]+")


def words(text: str | None) -> frozenset[str]:
    """The words that count: NFKC, lower case, no stop words or single letters, plural "s" dropped."""
    if not text:
        return frozenset()
    folded = unicodedata.normalize("NFKC", text).lower()
    return frozenset(_stem(w) for w in WORD.findall(folded) if len(w) > 1 and w not in STOP)


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Score:
    value: float  # 0 to 1
    query: tuple[str, ...]  # the query's words found, then the title's
    title: tuple[str, ...]
    query_of: int  # how many words each had
    title_of: int

    @property
    def passes(self) -> bool:
        return self.value >= THRESHOLD

    @property
    def percent(self) -> int:
        return round(self.value * 100)

    def __str__(self) -> str:
        return (f"{self.percent}%: {len(self.query)} of {self.query_of} query words, "
                f"{len(self.title)} of {self.title_of} title words")


def score(query: str | None, title: str, found_title: str, snippet: str | None) -> Score:
    """The score of a find (its title and snippet) against a commitment (its query and title)."""
    q = words((query or "").replace('"', " "))
    t = words(title) - q
    seen = words(found_title) | words(snippet)
    q_found, t_found = sorted(q & seen), sorted(t & seen)
    q_share = len(q_found) / len(q) if q else None
    t_share = len(t_found) / len(t) if t else None
    if q_share is None or t_share is None:
        value = q_share if q_share is not None else t_share or 0.0
    else:
        value = QUERY_WEIGHT * q_share + (1 - QUERY_WEIGHT) * t_share
    return Score(value, tuple(q_found), tuple(t_found), len(q), len(t))
