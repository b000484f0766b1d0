"""Who is told of a lead, and where (SPEC §6.3, §7.4). One URL is one lead, and each target sees
it once: in the thread of the first commitment it may answer that the target follows (the best
match first), naming every other commitment it may answer.

Identity per SPEC §6.3: ("lead", that commitment, lead URL). A lead that later names one more
commitment is decided again: commitments are only ever added after the ones it named, so a target
that had it keeps the same commitment, the same identity, and is not told twice; only a target new
to the lead gets it. A lead found again while still new is decided again too (recording keeps
one row per identity and target): that is how a lead stored by a pass that died before telling
anyone is told, and how a channel routed to since hears of a lead nobody has decided yet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from bot.decide.alerts import lead_alert
from bot.decide.engine import Decision, ident
from bot.decide.timeline import Track, tracks
from bot.register.model import TERMINAL, Commitment, Register, Update
from bot.register.routing import CONSOLE, routed
from bot.shell.watch.listing import lead_view
from storage.leads import Lead


def decisions(register: Register, recorded: Mapping[str, Sequence[Update]], found: Sequence[Lead],
              today: date) -> list[Decision]:
    """A "lead" notification per lead and commitment whose thread it goes in, for the targets
    that commitment is the first (of those the lead names) to be routed to."""
    by_id: dict[str, Commitment] = register.by_id()
    out = []
    for lead in found:
        named = [by_id[cid] for cid in lead.commitments if cid in by_id]
        view = lead_view(lead, {c.id: c.title for c in named})
        for cid, targets in threads(named, register).items():
            c = by_id[cid]
            track = lead_track(c, recorded.get(c.id, ()), today)
            out.append(Decision(ident("lead", c.id, None, lead.url), "lead", c.id, track.deadline, None, None,
                                targets, lead_alert(track, view, today, targets)))
    return out


def threads(named: Sequence[Commitment], register: Register) -> dict[str, tuple[str, ...]]:
    """Each target under the first commitment routed to it; a lead whose commitments route
    nowhere still goes to the console, once, under the first."""
    out: dict[str, tuple[str, ...]] = {}
    taken: set[str] = set()
    for c in named:
        mine = tuple(t for t in routed(c, register.routes) if t not in taken)
        taken.update(mine)
        if mine:
            out[c.id] = mine
    if not out and named:
        out[named[0].id] = ()
    return out


def once_each(decided: Sequence[tuple[Decision, tuple[str, ...]]]) -> list[tuple[Decision, tuple[str, ...]]]:
    """The console stands in for every channel not configured: one lead in several threads would
    print once per thread. Keep it in the first only."""
    shown: set[str] = set()
    out = []
    for d, targets in decided:
        url = d.alert.lead.url if d.alert.lead else d.ident
        if CONSOLE in targets and url in shown:
            targets = tuple(t for t in targets if t != CONSOLE)
        if CONSOLE in targets:
            shown.add(url)
        out.append((d, targets))
    return out


def lead_track(c: Commitment, recorded: Sequence[Update], today: date) -> Track:
    """The commitment as a lead on it shows it: its earliest open occurrence (the one the watch
    asks from), else its latest."""
    found = tracks(c, recorded, today)
    return next((t for t in found if t.status not in TERMINAL), found[-1])
