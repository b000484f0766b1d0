"""Leads and watched pages: every SQL statement of `commitment-bot watch` (SPEC §6.3).

A lead is possible news found by the watch. It is stored once per (commitment, URL), so the same
hit found by the next pass, or by two sources, is not a second lead; it stays "new" until a person
confirms it (which records an update) or dismisses it. Page marks keep each watched URL's
validators (ETag, Last-Modified) and a hash of its main text: the next pass asks conditionally,
and a server that sends no validators is still noticed changing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.models import leads as L
from storage.models import page_marks as P
from storage.times import aware, utc

STATES = ("new", "confirmed", "dismissed")


@dataclass(frozen=True)
class Lead:
    id: int
    commitment_id: str
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

    def add(self, commitment_id: str, title: str, url: str, published: date | None, source: str,
            snippet: str | None, now: datetime) -> Lead | None:
        """Store a new lead; None when this commitment already has one for this URL (any state)."""
        key = url_key(url)
        with self.engine.begin() as conn:
            if conn.execute(select(L.c.id).where(L.c.commitment_id == commitment_id, L.c.url_key == key)).first():
                return None
            try:
                with conn.begin_nested():
                    row = conn.execute(insert(L).values(
                        commitment_id=commitment_id, url=url, url_key=key, title=title[:2000], published=published,
                        source=source, snippet=snippet[:2000] if snippet else None, state="new", found_at=utc(now)))
            except IntegrityError:  # another replica stored it a moment ago
                return None
            lead_id = int(row.inserted_primary_key[0])  # type: ignore[index]
        return self.get(lead_id)

    def known(self, commitment_ids: Collection[str] | None = None) -> set[tuple[str, str]]:
        """(commitment, URL) of every lead stored: a pass skips them before asking for more."""
        query = select(L.c.commitment_id, L.c.url)
        if commitment_ids is not None:
            query = query.where(L.c.commitment_id.in_(sorted(commitment_ids)))
        with self.engine.connect() as conn:
            return {(cid, url) for cid, url in conn.execute(query)}

    def get(self, lead_id: int) -> Lead | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(L).where(L.c.id == lead_id)).first()
        return _lead(row) if row is not None else None

    def list(self, state: str | None = None, commitment_id: str | None = None) -> list[Lead]:
        """Leads, newest found first (then by id)."""
        query = select(L)
        if state is not None:
            query = query.where(L.c.state == state)
        if commitment_id is not None:
            query = query.where(L.c.commitment_id == commitment_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(L.c.found_at.desc(), L.c.id.desc())).all()
        return [_lead(r) for r in rows]

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

    def attach(self, lead_id: int, update_id: int) -> None:
        """The update a confirmed lead became (claimed first with `decide`, recorded after)."""
        with self.engine.begin() as conn:
            conn.execute(update(L).where(L.c.id == lead_id).values(update_id=update_id))

    # -- page marks ------------------------------------------------------------------------
    def mark(self, url: str) -> Mark | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(P.c.etag, P.c.last_modified, P.c.text_hash)
                               .where(P.c.url_key == url_key(url))).first()
        return Mark(row.etag, row.last_modified, row.text_hash) if row is not None else None

    def set_mark(self, url: str, mark: Mark, now: datetime) -> None:
        key = url_key(url)
        values = {"url": url, "etag": mark.etag, "last_modified": mark.last_modified, "text_hash": mark.text_hash,
                  "checked_at": utc(now)}
        with self.engine.begin() as conn:
            if conn.execute(update(P).where(P.c.url_key == key).values(**values)).rowcount == 0:
                conn.execute(insert(P).values(url_key=key, **values))


def _lead(r: object) -> Lead:
    row = r._mapping  # type: ignore[attr-defined]
    return Lead(row["id"], row["commitment_id"], row["title"], row["url"], row["published"], row["source"],
                row["snippet"], row["state"], aware(row["found_at"]),
                aware(row["decided_at"]) if row["decided_at"] else None, row["decided_by"], row["update_id"])
