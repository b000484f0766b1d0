"""Leads and watched pages: every SQL statement of `commitment-bot watch` (SPEC §6.3, §7.4).

A lead is possible news found by the watch. A URL is one lead, whatever number of commitments
it may answer: `lead_commitments` names each of them, in the order they were found, with the
find's score against it. The same URL found again by the next pass, or by another commitment's
query, is not a second lead: a commitment not named yet is added while the lead is still new. It
stays "new" until a person confirms it (which records an update on the commitment or commitments
they choose) or dismisses it (for all of them). Page marks keep each watched URL's validators
(ETag, Last-Modified) and a hash of its main text: the next pass asks conditionally, and a server
that sends no validators is still noticed changing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from storage.db import serialise
from storage.models import lead_commitments as A
from storage.models import leads as L
from storage.models import page_marks as P
from storage.sql import chunks, dialect_insert, insert_ignoring_duplicates
from storage.times import aware, utc
from storage.updates import NewUpdate, insert_update

STATES = ("new", "confirmed", "dismissed")


@dataclass(frozen=True)
class Answer:
    """A commitment a lead may answer: its score against it (percent) and the update confirming it."""

    commitment_id: str
    score: int | None = None
    update_id: int | None = None


@dataclass(frozen=True)
class Lead:
    id: int
    commitment_id: str  # the first commitment it was found for: where it is posted first
    title: str
    url: str
    published: date | None
    source: str
    snippet: str | None
    state: str
    found_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    update_id: int | None = None
    answers: tuple[Answer, ...] = ()  # every commitment it may answer, in the order found

    @property
    def commitments(self) -> tuple[str, ...]:
        return tuple(a.commitment_id for a in self.answers) or (self.commitment_id,)


@dataclass(frozen=True)
class Found:
    """One URL a pass found, with every commitment (and score) it may answer."""

    url: str
    title: str
    published: date | None
    source: str
    snippet: str | None
    answers: tuple[tuple[str, int | None], ...]


@dataclass(frozen=True)
class Stored:
    lead: Lead
    new: bool  # stored by this call; otherwise an existing new lead gained commitments
    added: tuple[str, ...]  # the commitments named by this call


@dataclass(frozen=True)
class Mark:
    """What a URL answered last time: sent back as If-None-Match / If-Modified-Since."""

    etag: str | None
    last_modified: str | None
    text_hash: str | None


def url_key(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


class Leads:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def store(self, found: Found, now: datetime) -> Stored | None:
        """Store a URL as a lead naming its commitments, or name more commitments on a lead still
        new. None when nothing changed: every commitment is named already, or the lead was decided
        (a dismissed link is not raised again; a confirmed one is on record)."""
        return next(iter(self.store_all([found], now)), None)

    def store_all(self, finds: Sequence[Found], now: datetime) -> list[Stored]:
        """`store` for each of many URLs (one Found each), in one transaction per 500: a first pass
        over a large register finds thousands, and a transaction each kept the pass waiting long
        after its last request. What changed, in the order given.

        Each transaction is serialised with every other replica's (`serialise`; SQLite's write
        lock does it there), so the leads go in in the order found (their ids follow it) and two
        replicas storing the same URLs in different orders never each wait for the other. A row
        another writer stored a moment ago is skipped, not an error, and only what this call stored
        is reported: the channels are told once. A crash loses the transaction under way, never
        one committed, and storing the same finds again adds nothing."""
        assert all(f.answers for f in finds), "a lead answers at least one commitment"
        assert len({f.url for f in finds}) == len(finds), "one Found per URL"
        out: list[Stored] = []
        for chunk in chunks(finds):
            with self.engine.begin() as conn:
                serialise(conn, "leads")
                out += _store(conn, chunk, now)
        return out

    def add(self, commitment_id: str, title: str, url: str, published: date | None, source: str,
            snippet: str | None, now: datetime, score: int | None = None) -> Lead | None:
        """Store a new lead for one commitment; None when the URL is a lead already."""
        stored = self.store(Found(url, title, published, source, snippet, ((commitment_id, score),)), now)
        return stored.lead if stored is not None and stored.new else None

    def named(self, urls: Collection[str]) -> dict[str, frozenset[str]]:
        """For each URL that is a lead still new, the commitments it names; a decided lead's URL maps
        to every commitment (nothing more is added to it). A pass skips what is known before storing."""
        keys = {url_key(u): u for u in urls}
        out: dict[str, frozenset[str]] = {}
        every = frozenset({"*"})
        with self.engine.connect() as conn:
            for chunk in chunks(sorted(keys)):
                rows = conn.execute(select(L.c.url_key, L.c.state, A.c.commitment_id)
                                    .join(A, A.c.lead_id == L.c.id, isouter=True).where(L.c.url_key.in_(chunk)))
                for key, state, cid in rows:
                    url = keys[key]
                    out[url] = every if state != "new" else out.get(url, frozenset()) | ({cid} if cid else set())
        return out

    def still_new(self, urls: Collection[str]) -> list[Lead]:
        """The leads of these URLs that nobody has decided yet, in the order found."""
        keys = sorted({url_key(u) for u in urls})
        out: list[Lead] = []
        with self.engine.connect() as conn:
            for chunk in chunks(keys):
                rows = conn.execute(select(L).where(L.c.url_key.in_(chunk), L.c.state == "new")).all()
                out += _leads(conn, rows)
        return sorted(out, key=lambda lead: lead.id)

    def get(self, lead_id: int) -> Lead | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(L).where(L.c.id == lead_id)).first()
            return _leads(conn, [row])[0] if row is not None else None

    def list(self, state: str | None = None, commitment_id: str | None = None) -> list[Lead]:
        """Leads, newest found first (then by id); `commitment_id`: those that may answer it."""
        query = select(L)
        if state is not None:
            query = query.where(L.c.state == state)
        if commitment_id is not None:
            query = query.where(L.c.id.in_(select(A.c.lead_id).where(A.c.commitment_id == commitment_id)))
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(L.c.found_at.desc(), L.c.id.desc())).all()
            return _leads(conn, rows)

    def decide(self, lead_id: int, state: str, now: datetime, by: str | None = None) -> bool:
        """Confirm or dismiss a lead still new; False when it is not new (decided already, or absent),
        so two people answering at once record one decision. A confirmation that records updates
        is `confirm`."""
        if state not in STATES[1:]:
            raise ValueError(f"a lead is confirmed or dismissed, not {state!r}")
        with self.engine.begin() as conn:
            return _claim(conn, lead_id, state, now, by)

    def confirm(self, lead_id: int, updates: Sequence[NewUpdate], now: datetime, by: str | None) -> tuple[int, ...] | None:
        """Confirm a lead still new as `updates` (one per commitment a person chose), in one
        transaction: the lead is claimed, each update recorded and named on the lead and on the
        commitment it answers. The rows recorded; None when the lead is not new (someone decided
        it first: of two confirming at once, one records). A failure while recording records
        nothing and leaves the lead new, so trying again records it once."""
        with self.engine.begin() as conn:
            if not _claim(conn, lead_id, "confirmed", now, by):
                return None
            rows = tuple(insert_update(conn, new, now) for new in updates)
            if rows:  # the lead keeps the first
                conn.execute(update(L).where(L.c.id == lead_id).values(update_id=rows[0]))
            for new, row in zip(updates, rows, strict=True):
                conn.execute(update(A).where(A.c.lead_id == lead_id, A.c.commitment_id == new.commitment_id)
                             .values(update_id=row))
        return rows

    # -- page marks ------------------------------------------------------------------------
    def mark(self, url: str) -> Mark | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(P.c.etag, P.c.last_modified, P.c.text_hash)
                               .where(P.c.url_key == url_key(url))).first()
        return Mark(row.etag, row.last_modified, row.text_hash) if row is not None else None

    def marks(self, urls: Collection[str]) -> dict[str, Mark]:
        """The marks of many URLs at once: a pass reads them all before it asks (one query per 500)."""
        keys = {url_key(u): u for u in urls}
        out: dict[str, Mark] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(sorted(keys)):
                query = select(P.c.url_key, P.c.etag, P.c.last_modified, P.c.text_hash).where(P.c.url_key.in_(chunk))
                for key, etag, last_modified, text_hash in conn.execute(query):
                    out[keys[key]] = Mark(etag, last_modified, text_hash)
        return out

    def set_marks(self, marks: Sequence[tuple[str, Mark]], now: datetime) -> None:
        """Keep each URL's mark (the last given for it), in one transaction and one statement per
        500 (a pass writes thousands). In key order: two replicas writing the same URLs take them
        in turn, never each waiting for the other."""
        latest = {url_key(url): (url, mark) for url, mark in marks}
        rows = [{"url_key": key, "url": url, "etag": mark.etag, "last_modified": mark.last_modified,
                 "text_hash": mark.text_hash, "checked_at": utc(now)} for key, (url, mark) in sorted(latest.items())]
        with self.engine.begin() as conn:
            for chunk in chunks(rows):
                upsert = dialect_insert(conn, P)
                kept = {c: upsert.excluded[c] for c in ("url", "etag", "last_modified", "text_hash", "checked_at")}
                conn.execute(upsert.on_conflict_do_update(index_elements=[P.c.url_key], set_=kept), list(chunk))


def _claim(conn: Connection, lead_id: int, state: str, now: datetime, by: str | None) -> bool:
    """Decide a lead still new (a conditional UPDATE: one of two deciding at once wins)."""
    done = conn.execute(update(L).where(L.c.id == lead_id, L.c.state == "new").values(
        state=state, decided_at=utc(now), decided_by=by))
    return bool(done.rowcount)


def _store(conn: Connection, finds: Sequence[Found], now: datetime) -> list[Stored]:
    """One transaction of `Leads.store_all`: the leads missing inserted, then the commitments each
    lead still new does not name yet, after those it names."""
    keys = [url_key(f.url) for f in finds]
    rows = _lead_rows(conn, keys)
    made = _insert_leads(conn, [(k, f) for k, f in zip(keys, finds, strict=True) if k not in rows], now)
    rows |= {k: (i, "new") for k, i in made.items()}
    if missing := [k for k in keys if k not in rows]:  # another writer stored them a moment ago
        rows |= _lead_rows(conn, missing)
    still_new = {k: rows[k][0] for k in keys if rows[k][1] == "new"}
    named = _named(conn, list(still_new.values()))
    fresh: list[dict[str, Any]] = []
    for k, f in zip(keys, finds, strict=True):
        if k in still_new:
            have = named.get(still_new[k], {})
            new = [(cid, score) for cid, score in dict(f.answers).items() if cid not in have]
            start = max(have.values(), default=-1) + 1
            fresh += [{"lead_id": still_new[k], "commitment_id": cid, "position": start + i, "score": score}
                      for i, (cid, score) in enumerate(new)]
    added = _insert_answers(conn, fresh)
    touched = sorted({lead_id for lead_id, _ in added})
    found = {lead.id: lead for lead in _leads(conn, conn.execute(select(L).where(L.c.id.in_(touched))).all())}
    out = []
    for k, f in zip(keys, finds, strict=True):
        lead_id = still_new.get(k)
        names = tuple(cid for cid, _ in dict(f.answers).items() if (lead_id, cid) in added)
        if lead_id is not None and names:
            out.append(Stored(found[lead_id], k in made, names))
    return out


def _lead_rows(conn: Connection, keys: Sequence[str]) -> dict[str, tuple[int, str]]:
    """Each stored URL key's lead: (id, state)."""
    query = select(L.c.url_key, L.c.id, L.c.state).where(L.c.url_key.in_(keys))
    return {key: (int(lead_id), state) for key, lead_id, state in conn.execute(query)}


def _insert_leads(conn: Connection, finds: Sequence[tuple[str, Found]], now: datetime) -> dict[str, int]:
    """Insert these leads, in the order given; the ids of those inserted (not of any another
    writer stored a moment ago), by URL key."""
    if not finds:
        return {}
    rows = [{"commitment_id": f.answers[0][0], "url": f.url, "url_key": key, "title": f.title[:2000],
             "published": f.published, "source": f.source, "snippet": f.snippet[:2000] if f.snippet else None,
             "state": "new", "found_at": utc(now)} for key, f in finds]
    made = conn.execute(insert_ignoring_duplicates(conn, L, "uq_lead_url_key").returning(L.c.url_key, L.c.id), rows)
    return {key: int(lead_id) for key, lead_id in made}


def _named(conn: Connection, ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """The commitments each lead names now, with their positions."""
    out: dict[int, dict[str, int]] = {}
    if ids:
        query = select(A.c.lead_id, A.c.commitment_id, A.c.position).where(A.c.lead_id.in_(ids))
        for lead_id, cid, position in conn.execute(query):
            out.setdefault(lead_id, {})[cid] = position
    return out


def _insert_answers(conn: Connection, rows: Sequence[dict[str, Any]]) -> set[tuple[int, str]]:
    """Insert these (lead, commitment) rows; those inserted (not those another writer stored)."""
    if not rows:
        return set()
    made = conn.execute(insert_ignoring_duplicates(conn, A, "lead_commitments_pkey")
                        .returning(A.c.lead_id, A.c.commitment_id), list(rows))
    return {(int(lead_id), cid) for lead_id, cid in made}


def _leads(conn: Connection, rows: Sequence[Any]) -> list[Lead]:
    """Rows of `leads` as Leads, each with every commitment it may answer (one query per 500)."""
    answers: dict[int, list[Answer]] = {}
    ids = [int(r.id) for r in rows]
    for chunk in chunks(ids):
        query = select(A.c.lead_id, A.c.commitment_id, A.c.score, A.c.update_id).where(A.c.lead_id.in_(chunk))
        for lead_id, cid, score, update_id in conn.execute(query.order_by(A.c.lead_id, A.c.position)):
            answers.setdefault(lead_id, []).append(Answer(cid, score, update_id))
    return [_lead(r, tuple(answers.get(int(r.id), ()))) for r in rows]


def _lead(r: Any, answers: tuple[Answer, ...]) -> Lead:
    row = r._mapping
    return Lead(row["id"], row["commitment_id"], row["title"], row["url"], row["published"], row["source"],
                row["snippet"], row["state"], aware(row["found_at"]),
                aware(row["decided_at"]) if row["decided_at"] else None, row["decided_by"], row["update_id"],
                answers)

