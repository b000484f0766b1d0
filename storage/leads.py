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

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.models import lead_commitments as A
from storage.models import leads as L
from storage.models import page_marks as P
from storage.models import updates as U
from storage.sql import chunks
from storage.times import aware, utc

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
        assert found.answers, "a lead answers at least one commitment"
        with self.engine.begin() as conn:
            lead_id, new = self._lead_row(conn, found, now)
            if lead_id is None:
                return None
            have = dict(conn.execute(select(A.c.commitment_id, A.c.position).where(A.c.lead_id == lead_id)).all())
            fresh = [(cid, score) for cid, score in dict(found.answers).items() if cid not in have]
            if not fresh:
                return None
            start = max(have.values(), default=-1) + 1
            try:
                with conn.begin_nested():
                    conn.execute(insert(A), [{"lead_id": lead_id, "commitment_id": cid, "position": start + i,
                                              "score": score} for i, (cid, score) in enumerate(fresh)])
            except IntegrityError:  # another replica named them a moment ago, and told the channels
                return None
        lead = self.get(lead_id)
        assert lead is not None
        return Stored(lead, new, tuple(cid for cid, _ in fresh))

    def _lead_row(self, conn: Connection, found: Found, now: datetime) -> tuple[int | None, bool]:
        """The lead's id (None when decided), and whether it was inserted now."""
        key = url_key(found.url)
        row = conn.execute(select(L.c.id, L.c.state).where(L.c.url_key == key)).first()
        if row is None:
            try:
                with conn.begin_nested():
                    made = conn.execute(insert(L).values(
                        commitment_id=found.answers[0][0], url=found.url, url_key=key, title=found.title[:2000],
                        published=found.published, source=found.source,
                        snippet=found.snippet[:2000] if found.snippet else None, state="new", found_at=utc(now)))
                return int(made.inserted_primary_key[0]), True  # type: ignore[index]
            except IntegrityError:  # another replica stored this URL a moment ago
                row = conn.execute(select(L.c.id, L.c.state).where(L.c.url_key == key)).first()
                if row is None:
                    raise
        return (int(row.id) if row.state == "new" else None), False

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

    def decide(self, lead_id: int, state: str, now: datetime, by: str | None = None,
               update_id: int | None = None) -> bool:
        """Confirm or dismiss a lead still new; False when it is not new (decided already, or absent),
        so two people answering at once record one decision."""
        if state not in STATES[1:]:
            raise ValueError(f"a lead is confirmed or dismissed, not {state!r}")
        with self.engine.begin() as conn:
            done = conn.execute(update(L).where(L.c.id == lead_id, L.c.state == "new").values(
                state=state, decided_at=utc(now), decided_by=by, update_id=update_id))
        return bool(done.rowcount)

    def attach(self, lead_id: int, update_id: int, commitment_id: str | None = None) -> None:
        """An update a confirmed lead became (claimed first with `decide`, recorded after), on the
        commitment it was recorded for (read from the update when not given). The lead keeps the first."""
        with self.engine.begin() as conn:
            if commitment_id is None:
                commitment_id = conn.execute(select(U.c.commitment_id).where(U.c.id == update_id)).scalar()
            conn.execute(update(L).where(L.c.id == lead_id, L.c.update_id.is_(None)).values(update_id=update_id))
            if commitment_id is not None:
                conn.execute(update(A).where(A.c.lead_id == lead_id, A.c.commitment_id == commitment_id)
                             .values(update_id=update_id))

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

    def set_mark(self, url: str, mark: Mark, now: datetime) -> None:
        self.set_marks([(url, mark)], now)

    def set_marks(self, marks: Sequence[tuple[str, Mark]], now: datetime) -> None:
        """Keep each URL's mark, in one transaction (a pass writes thousands)."""
        with self.engine.begin() as conn:
            for url, mark in marks:
                key = url_key(url)
                values = {"url": url, "etag": mark.etag, "last_modified": mark.last_modified,
                          "text_hash": mark.text_hash, "checked_at": utc(now)}
                if conn.execute(update(P).where(P.c.url_key == key).values(**values)).rowcount == 0:
                    conn.execute(insert(P).values(url_key=key, **values))


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

