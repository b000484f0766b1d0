"""Every SQL statement about digests: one row per recipient per period, claimed before sending.

The row is the digest's "notification row": a worker claims it with a conditional UPDATE
(only one replica can win), sends, then marks it sent. A re-run in the same period finds it
sent and does nothing, so a double-fired cron never mails a coordinator twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, and_, case, func, or_, select, update

from storage.models import digests as D
from storage.sql import insert_ignoring_duplicates
from storage.times import aware, utc


@dataclass(frozen=True)
class Owed:
    """A digest of this period that is not sent yet, and why."""

    recipient: str
    status: str  # pending | failed
    last_error: str | None
    attempts: int


@dataclass(frozen=True)
class Claimed:
    """A digest row this worker may send now."""

    id: int
    unsure_since: datetime | None  # an earlier send of it was never confirmed: the mail says it may repeat it


class DigestStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def last_covered(self, recipient: str, period: str) -> datetime | None:
        """Where the recipient's last sent digest of an earlier period stopped."""
        query = select(func.max(D.c.covered_until)).where(
            D.c.recipient == recipient, D.c.period != period, D.c.status == "sent")
        with self.engine.connect() as conn:
            value = conn.execute(query).scalar()
        return aware(value) if value else None

    def was_sent(self, recipient: str, period: str) -> bool:
        with self.engine.connect() as conn:
            status = conn.execute(select(D.c.status).where(D.c.recipient == recipient, D.c.period == period)).scalar()
        return status == "sent"

    def claim(self, recipient: str, period: str, covered_from: datetime | None, covered_until: datetime,
              worker: str, now: datetime, stale_before: datetime, force: bool = False) -> Claimed | None:
        """The row if this worker may send the digest now; None if sent or held by another."""
        values = {"covered_from": utc(covered_from) if covered_from else None,
                  "covered_until": utc(covered_until)}
        with self.engine.begin() as conn:
            conn.execute(insert_ignoring_duplicates(conn, D, "uq_digest_period"), {
                "recipient": recipient, "period": period, "status": "pending", "attempts": 0, **values})
            free = or_(D.c.claimed_by.is_(None), D.c.claimed_at < utc(stale_before))
            cond = and_(D.c.recipient == recipient, D.c.period == period, free)
            if not force:
                cond = and_(cond, D.c.status != "sent")
            # A dead worker's claim may have been sent just before it died: as unsure as an unconfirmed send.
            taken_over = case((D.c.claimed_by.is_not(None), func.coalesce(D.c.unsure_since, D.c.claimed_at)),
                              else_=D.c.unsure_since)
            result = conn.execute(update(D).where(cond).values(claimed_by=worker, claimed_at=utc(now),
                                                               unsure_since=taken_over, **values))
            if result.rowcount != 1:
                return None
            row = conn.execute(select(D.c.id, D.c.unsure_since).where(
                D.c.recipient == recipient, D.c.period == period)).one()
        return Claimed(row.id, aware(row.unsure_since) if row.unsure_since else None)

    def sent(self, row: int, now: datetime) -> None:
        """Confirmed by the server: a forced send after it is the person's choice, not a possible repeat."""
        self._finish(row, status="sent", sent_at=utc(now), last_error=None, unsure_since=None)

    def not_sent(self, row: int, error: str, permanent: bool, unsure_at: datetime | None = None) -> None:
        """Kept owed (or failed). `unsure_at`: the server took the mail whole then but never confirmed
        it, so it may have arrived; the first such time is kept, a later failure (sure or not)
        never replaces it, until a send is confirmed."""
        unsure = func.coalesce(D.c.unsure_since, utc(unsure_at)) if unsure_at else D.c.unsure_since
        self._finish(row, status="failed" if permanent else "pending", last_error=error[:2000], unsure_since=unsure)

    def owed(self, period: str) -> list[Owed]:
        query = select(D.c.recipient, D.c.status, D.c.last_error, D.c.attempts).where(
            D.c.period == period, D.c.status != "sent").order_by(D.c.recipient)
        with self.engine.connect() as conn:
            return [Owed(r.recipient, r.status, r.last_error, r.attempts) for r in conn.execute(query)]

    def _finish(self, row: int, **values: object) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(D).where(D.c.id == row).values(
                claimed_by=None, claimed_at=None, attempts=D.c.attempts + 1, **values))

