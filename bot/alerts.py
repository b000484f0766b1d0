"""What a notification says: everything a channel needs to render it, decided once.

An `Alert` is stored with its notification row, so a delivery hours later (or by another
process) says exactly what was decided, and notifiers never re-derive domain facts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from bot.dates import describe
from bot.timeline import Promise, Slip, Track


@dataclass(frozen=True)
class PromiseView:
    on: str | None
    words: str | None
    reading: str
    deadline: str | None


@dataclass(frozen=True)
class UpdateView:
    on: str
    note: str
    by: str | None = None
    status: str | None = None
    source_url: str | None = None


@dataclass(frozen=True)
class Alert:
    kind: str
    id: str
    title: str
    owner: str
    made_by: str | None
    made_on: str | None
    period: str | None
    source_title: str | None
    source_url: str | None
    quote: str | None
    words: str | None  # the promised words now in force
    reading: str  # how the bot reads them, e.g. "1 – 31 Aug 2022"
    deadline: str | None
    days_overdue: int
    n: int | None
    status: str
    promises: tuple[PromiseView, ...]  # every promised time, first to latest
    slips: int
    last_update: UpdateView | None
    routed: tuple[str, ...]  # where the register routes it (slack:#x, email:a@b)

    @property
    def update_command(self) -> str:
        return f'commitment-bot update {self.id} --note "what happened" --source URL'

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Alert:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["promises"] = tuple(PromiseView(**p) for p in values.get("promises", ()))
        values["routed"] = tuple(values.get("routed", ()))
        if values.get("last_update"):
            values["last_update"] = UpdateView(**values["last_update"])
        return cls(**values)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def view(p: Promise) -> PromiseView:
    reading = describe(p.window) if p.window is not None else "open-ended"
    return PromiseView(_iso(p.on), p.phrase, reading, _iso(p.deadline))


def build(
    kind: str, track: Track, slips: list[Slip], today: date, n: int | None, routed: tuple[str, ...],
    days_overdue: int,
) -> Alert:
    c = track.commitment
    current = track.promises[-1]
    last = track.last_update
    return Alert(
        kind=kind, id=c.id, title=c.title, owner=c.owner, made_by=c.made_by,
        made_on=_iso(c.made_on), period=track.period,
        source_title=c.source.title if c.source else None,
        source_url=c.source.url if c.source else None,
        quote=c.source.quote if c.source else None,
        words=current.phrase, reading=view(current).reading, deadline=_iso(current.deadline),
        days_overdue=days_overdue, n=n, status=track.status,
        promises=tuple(view(p) for p in track.promises), slips=len(slips),
        last_update=UpdateView(
            last.on.isoformat(), last.note, last.by, last.status, last.source.url if last.source else None
        ) if last else None,
        routed=routed,
    )
