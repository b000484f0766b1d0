"""`commitment-bot sources` (SPEC §6.3): is every source still there, and does it still say what
the register quotes?

Every `source.url` of the register and of recorded updates is fetched once (through the one HTTP
client): reachable, moved (redirected: the new URL is suggested), gone (404 / 410), withdrawn
(a GOV.UK page whose Content API item has a `withdrawn_notice`), or unreachable. Each `quote` is
looked for word for word in the document's main text (HTML) or text (PDF), whitespace,
typographic quotes and dashes normalised; when it is not there, the closest passage is reported.

SPEC §7.4: an elision in a quote (`...`, `…`, `[…]`) stands for words left out, so the pieces
around it must appear in that order; a word the PDF hyphenated across lines matches with its
hyphen or without (bot.shell.watch.text.rejoin). A source that never answered has its quote
`unchecked`, never "not found" and never "no quote". Different hosts are asked side by side
(bot.shell.watch.pacing), so one slow server holds up only the sources on it.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import partial
from itertools import accumulate

from bot.register.model import Register, Source, Update
from bot.shell.http import Client, PrivateAddress, Refused, Response, Unreachable
from bot.shell.watch import govuk
from bot.shell.watch.pacing import side_by_side
from bot.shell.watch.pages import words
from bot.shell.watch.text import FOLD, SOFT, normal

ELISION = re.compile(r"\s*\[?\s*\.{3,}\s*\]?\s*")  # after NFKC, "…" is "..."
KEEP_SOFT = {**FOLD, ord(SOFT): SOFT}


@dataclass(frozen=True)
class Cited:
    url: str
    commitment: str
    update: str | None  # the update's date (and database row when recorded); None for the promise itself
    quote: str | None


@dataclass(frozen=True)
class SourceCheck:
    url: str
    commitment: str
    update: str | None
    status: str  # reachable | moved | gone | withdrawn | unreachable (SPEC §6.3's words)
    quote_found: bool | None  # None: no quote to look for, or no document to look in
    detail: str
    quoted: bool = False  # the register gives a quote for it
    private: str | None = None  # unreachable because its host is a private address not allowed: that host

    @property
    def failed(self) -> bool:
        """What makes `sources` exit 1 (SPEC §6.3)."""
        return self.status == "gone" or self.quote_found is False

    @property
    def reached(self) -> bool:
        """The source answered at all (a 404 is an answer)."""
        return self.status != "unreachable"

    @property
    def quote(self) -> str:
        """The quote's column: found, NOT FOUND, unchecked (no document to look in), or no quote."""
        if not self.quoted:
            return "no quote"
        return {True: "quote found", False: "QUOTE NOT FOUND", None: "unchecked"}[self.quote_found]

    def to_dict(self) -> dict[str, object]:
        return {"url": self.url, "commitment": self.commitment, "update": self.update, "status": self.status,
                "quote_found": self.quote_found, "detail": self.detail}


def cited(register: Register, recorded: Mapping[str, Sequence[Update]]) -> list[Cited]:
    """Every source with a URL, in register order: the promise's, its updates', then recorded ones."""
    out = []
    for c in register.commitments:
        if c.source and c.source.url:
            out.append(Cited(c.source.url, c.id, None, c.source.quote))
        out += [_cited(c.id, u, u.source) for u in c.updates if u.source and u.source.url]
        out += [_cited(c.id, u, u.source) for u in recorded.get(c.id, ()) if u.source and u.source.url]
    return out


def _cited(cid: str, u: Update, s: Source | None) -> Cited:
    assert s is not None and s.url
    label = u.on.isoformat() + (f" (recorded {u.recorded})" if u.recorded is not None else "")
    return Cited(s.url, cid, label, s.quote)


def check_sources(register: Register, recorded: Mapping[str, Sequence[Update]], client: Client,
                  govuk_base: str = govuk.DEFAULT_BASE) -> list[SourceCheck]:
    """One check per cited source, in register order; each URL fetched once, hosts side by side."""
    every = cited(register, recorded)
    urls = list(dict.fromkeys(c.url for c in every))
    answers = side_by_side([(url, partial(_fetch, client, url, govuk_base)) for url in urls], client,
                           failed=lambda i, e: (None, None, _unexpected(e), None))
    fetched = dict(zip(urls, answers, strict=True))  # url -> (answer, withdrawn, problem, private host)
    return [_judged(c, *fetched[c.url]) for c in every]


def _unexpected(error: Exception) -> str:
    return f"unexpected {type(error).__name__} ({str(error)[:160]}); the other sources were checked: please report it"


def _judged(c: Cited, r: Response | None, withdrawn: str | None, problem: str, private: str | None) -> SourceCheck:
    """`_judge`, and a check that failed unexpectedly as this source's problem, never the pass's."""
    try:
        return _judge(c, r, withdrawn, problem, private)
    except Exception as e:  # noqa: BLE001 - told as this source's detail; every other source is judged
        return SourceCheck(c.url, c.commitment, c.update, "reachable" if r is not None else "unreachable", None,
                           f"the document could not be read: {_unexpected(e)}", bool(c.quote), private)


def summary(checks: Sequence[SourceCheck]) -> str:
    """The line `sources` ends with: how many of each status, and what became of the quotes."""
    statuses = Counter(c.status for c in checks)
    quotes = Counter(c.quote for c in checks if c.quoted)
    said = ", ".join(f"{n} {s}" for s, n in statuses.items()) or "none"
    found = ", ".join(f"{n} {q.lower().removeprefix('quote ')}" for q, n in quotes.items())
    return f"checked {len(checks)} source{'' if len(checks) == 1 else 's'}: {said}" + (
        f"; quotes: {found}" if found else "")


def none_reached(checks: Sequence[SourceCheck]) -> str:
    """Why `sources` reached none of them, in words: refused as private addresses (and how to allow
    them) is not "offline"."""
    private = [c for c in checks if c.private]
    hosts = sorted({c.private for c in private if c.private})
    allow = f"HTTP_ALLOW_PRIVATE={','.join(hosts)}"
    n, rest = len(checks), len(checks) - len(private)
    head = f"none of the {n} source{'' if n == 1 else 's'} could be reached"
    them = "them" if len(private) > 1 else "it"
    if not private:
        return f"{head} (is this machine offline?); no quote was checked"
    if not rest:
        return (f"{head}: {'each was' if n > 1 else 'it was'} refused because its host is a loopback or private "
                f"address ({', '.join(hosts)}), which the bot fetches only when told to: to allow {them}, set "
                f"{allow}; no quote was checked")
    return (f"{head}: {len(private)} {'was' if len(private) == 1 else 'were'} refused because "
            f"{'its host is a loopback or private address' if len(private) == 1 else 'their hosts are loopback or private addresses'} "
            f"({', '.join(hosts)}; to allow {them}, set {allow}), and {rest} did not answer (is this machine offline?); "
            "no quote was checked")


def _fetch(client: Client, url: str, govuk_base: str) -> tuple[Response | None, str | None, str, str | None]:
    """(answer, withdrawn, problem, the host refused as private when that was the problem)."""
    try:
        r = client.get(url)
    except PrivateAddress as e:
        return None, None, str(e), e.host
    except (Refused, Unreachable) as e:
        return None, None, str(e), None
    gone = None
    content = govuk.content_url(r.url, govuk_base) if r.status == 200 else None
    if content:
        try:
            item = client.get(content, api=True)
            gone = govuk.withdrawn(item.json()) if item.status == 200 else None
        except (Refused, Unreachable, ValueError):
            gone = None
    return r, gone, "", None


def _judge(c: Cited, r: Response | None, withdrawn: str | None, problem: str, private: str | None) -> SourceCheck:
    def result(status: str, found: bool | None, detail: str) -> SourceCheck:
        return SourceCheck(c.url, c.commitment, c.update, status, found, detail, bool(c.quote), private)

    if r is None:
        return result("unreachable", None, problem)
    if r.status in (404, 410):
        return result("gone", None, f"HTTP {r.status}: the document is gone; find where it moved and update the register")
    if r.status != 200:
        return result("unreachable", None, f"HTTP {r.status}")
    status, detail = ("moved", f"redirected to {r.url}: cite that URL instead") if r.redirects else ("reachable", "the document answered")
    if withdrawn:
        status, detail = "withdrawn", f"GOV.UK says {withdrawn}"
    if not c.quote:
        return result(status, None, detail)
    _title, text = words(r)
    if not text:
        return result(status, False, f"{detail}; no text could be read from the document to look for the quote in")
    found, closest = quote_in(c.quote, text)
    return result(status, found, detail if found else f"{detail}; quote not found word for word; closest passage: "
                                                     f'"{closest}"')


def quote_in(quote: str, text: str) -> tuple[bool, str]:
    """Whether `quote` is in `text` once both are normalised (its pieces in order, when it
    elides words), and else the closest passage. The text is normalised once; finding is `find`
    (a regular expression only around a PDF's soft hyphens), and the closest passage's search is
    bounded (`_closest`): linear in the page."""
    pieces = [p for p in ELISION.split(normal(quote)) if p]
    t = " ".join(unicodedata.normalize("NFKC", text).translate(KEEP_SOFT).split())
    at = 0
    for piece in pieces:
        found = _find(piece, t, at)
        if found is None:
            plain = " ".join(t.replace(SOFT, "").split()) if SOFT in t else t  # normal(text), from t
            return False, _closest(" ".join(pieces), plain)
        at = found
    return bool(pieces), " ... ".join(pieces)


def _find(piece: str, text: str, start: int) -> int | None:
    """Where `piece` ends in `text` from `start`; a soft hyphen in the text (a PDF's line-end
    hyphen) may stand for a hyphen of the quote or for nothing."""
    if SOFT not in text:
        at = text.find(piece, start)
        return None if at < 0 else at + len(piece)
    pattern = f"{SOFT}?".join("[-\u00ad]" if ch == "-" else re.escape(ch) for ch in piece)
    match = re.compile(pattern).search(text, start)
    return match.end() if match else None


WORK = 25_000_000  # characters × characters compared in full at most (about a second): a page of near-copies
# of the quote cannot hold the pass; as many as 40 windows of a 100-word quote, 25,000 of a five-word one
RANKED = 5_000  # windows ranked by quick_ratio's bound at most: those sharing the most words with the quote
PUNCTUATION = "\"'.,;:!?()[]"


def _closest(q: str, t: str) -> str:
    """The passage of `t` most like `q`: of the windows as many words long as `q` (a third of
    that apart), the one with the best difflib ratio, the earliest of equals. A full comparison
    costs the product of the lengths, so windows are ranked by quick_ratio's bound (the characters
    they have in common with `q`, counted cheaply) and compared best first, stopping once no window
    left can beat the best, or once WORK is spent: on a real page the quote's few near neighbours lead
    the ranking and the answer is the same as comparing every window; on a page made of shuffled
    copies of the quote every window ties on the bound, and the work stays bounded. A page of more
    than RANKED windows (some 15,000 words for a ten-word quote) has only the RANKED sharing the
    most words with the quote ranked, counted in one pass over its words: linear in the page."""
    words_t, a = t.split(), q.lower()
    n, cap = max(1, len(q.split())), max(400, 4 * len(a))  # a window of n words 4 × longer is no neighbour
    chars = Counter(a)

    def passage(start: int) -> str:
        return " ".join(words_t[start:start + n])[:cap]

    starts = _candidates(words_t, a, n)
    ranked = sorted(starts, key=lambda start: -_bound(chars, len(a), passage(start).lower()))
    best, best_score, best_start = "", -1.0, -1
    spent = 0
    for start in ranked:
        text = passage(start)
        spent += len(a) * max(1, len(text))
        if _bound(chars, len(a), text.lower()) < best_score or (spent > WORK and best_start >= 0):
            break
        score = SequenceMatcher(None, a, text.lower(), autojunk=False).ratio()
        if score > best_score or (score == best_score and start < best_start):
            best, best_score, best_start = text, score, start
    return best[:400]


def _candidates(words_t: list[str], quote: str, n: int) -> list[int]:
    """Where the windows start, in order: every one (n // 3 words apart), or on a longer page the
    RANKED sharing the most words with `quote` (the earliest of equals)."""
    starts = range(0, max(1, len(words_t) - n + 1), max(1, n // 3))
    if len(starts) <= RANKED:
        return list(starts)
    wanted = {w.strip(PUNCTUATION) for w in quote.split()}
    shared = list(accumulate((w.lower().strip(PUNCTUATION) in wanted for w in words_t), initial=0))
    last = len(words_t)
    return sorted(heapq.nlargest(RANKED, starts, key=lambda s: shared[min(s + n, last)] - shared[s]))


def _bound(chars: Counter[str], length: int, b: str) -> float:
    """SequenceMatcher.quick_ratio, at C speed: no ratio can be higher."""
    if not length + len(b):
        return 1.0
    have = Counter(b)
    return 2.0 * sum(min(k, have[c]) for c, k in chars.items()) / (length + len(b))
