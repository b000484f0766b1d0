"""`history ID`: every promised date, slip and update of one commitment, oldest first.

Register text and recorded notes are shown inert (bot.register.inert): the only line breaks are the
ones put here, and an escape sequence in a note prints as `\\x1b[2J`, never as a cleared screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bot.decide import words
from bot.decide.alerts import times
from bot.decide.states import state
from bot.decide.timeline import Promise, every_action, tracks
from bot.register.inert import inert
from bot.register.model import Action, Commitment, Retraction, Update
from bot.when.dates import describe

if TYPE_CHECKING:
    from storage.register import Versions


def from_text(text: str) -> Commitment | None:
    """Read a stored commitment text (an archived or earlier version): storage's `versions` reader."""
    stripped = text.lstrip(" ")
    indent = len(text) - len(stripped)
    doc = "version: 1\ncommitments:\n" + " " * max(indent - 2, 0) + "- " + stripped
    from bot.shell.registerfile import load_texts

    loaded = load_texts([("archive", doc)])
    return loaded.register.commitments[0] if loaded.register and loaded.register.commitments else None


def render_history(
    current: Commitment | None, stored: Versions | None, recorded: Sequence[Update], now: datetime,
    retracted: Sequence[Retraction] = (), actions: Sequence[Action] = (),
) -> str:
    versions = list(stored.earlier) if stored else []
    c = current or (stored.last if stored else None)
    if c is None:
        return "no readable history"
    w = words.of(c.type)
    since = (f" (tracked since {words.written(c.made_on)})" if c.type == "expectation" else f" on {words.written(c.made_on)}") if c.made_on else ""
    lines = [f"{c.title} ({c.id})", "  " + w.by(c.owner, c.made_by) + since]
    if current is None:
        lines.append("  (archived: no longer in the register)")
    if c.source:
        lines.append(f"  source: {c.source.title}" + (f" <{c.source.url}>" if c.source.url else ""))
        if c.source.quote:
            lines.append(f'  "{c.source.quote}"')
    earlier = [v for v in versions if (v.due, v.window) != (c.due, c.window)]
    for v in earlier:
        lines.append(f"  earlier in the register: due {v.due or 'open-ended'} → {_reading(v)}")
    lines.append("")
    for track in tracks(c, recorded, now.date()):
        if track.period:
            lines.append(f"  period {track.period}:")
        slips = {s.update.key: s for s in track.slips()}
        for i, p in enumerate(track.promises):
            reading = describe(p.window) if p.window else "open-ended"
            before = track.promises[i - 1].deadline if i else None
            moved_up = before is not None and p.deadline is not None and p.deadline < before
            mark = f"  SLIP {slips[p.origin].count}" if p.origin in slips else "  BROUGHT FORWARD" if moved_up else ""
            verb = "date given" if i and words.answered(c.type) else w.time_label.lower()  # the asker did not ask again, nor the team expect
            lines.append(f"  {p.on or '?'}  {verb} {p.phrase or '(no date given)'} → {reading}{mark}{_said(p)}")
        for u in track.updates:
            title = u.source.named if u.source else None
            named = ("source", words.source_of(title, u.said_by)) if title else ("said by", u.said_by)
            shown = (("status", w.status(u.status) if u.status else None), ("due", u.due), named,
                     ("recorded by", None if u.recorded else u.recorder))
            extra = "".join(f" [{k}: {v}]" for k, v in shown if v)
            src = f" <{u.source.url}>" if u.source and u.source.url else ""
            lines.append(f"  {u.on}  {_update_label(u, c.owner)}: {u.note}{extra}{src}")
        slipped = f"slipped {times(len(slips))}" if slips else "never slipped"
        lines.append(f"  now: {words.state_word(state(track, now), words.stated_as(c.type, len(track.promises)))}, deadline {track.deadline or 'none'}, {slipped}")
    for r in retracted:
        why = f" ({r.why})" if r.why else ""
        u = r.update
        lines.append(f"  {u.on}  update #{u.recorded} RETRACTED on {r.at.astimezone(now.tzinfo).date()}{why}, not counted: {u.note}")
    taken = every_action(c, actions)
    if taken:
        lines += ["", "  the team's own actions (not the government's record):"]
        lines += [f"  {a.on}  {_action(a)}" for a in taken]
    return "\n".join(inert(line) for line in lines)


def _said(p: Promise) -> str:
    """Who gave a slip's words, else where they were given (SPEC §7.2); the first promise's
    speaker is on the line above."""
    if p.origin == "made":
        return ""
    if p.said_by:
        return f", said by {p.said_by}"
    return f", in {p.source.named}" if p.source and p.source.named else ""  # a bare link is no title


def _action(a: Action) -> str:
    """A snooze, a chase or a reply recorded, in one line, with who took it and where it is kept."""
    period = f" for {a.period}" if a.period else ""
    if a.kind == "reply":
        noun = words.CHASE_NOUN.get(a.how or "", "chase")
        what = (f"recorded the reply{period} to the team's {noun}" + (f" {a.ref}" if a.ref else "")
                + (f" of {a.until}" if a.until else "") + (f" ({a.note})" if a.note else ""))
    elif a.kind == "snooze":
        what = f"snoozed reminders{period} until {a.until}" + (f" ({a.note})" if a.note else "")
    else:
        how = words.chased_by(a.how, a.ref)
        what = f"chased{period}" + (f" {how}" if how else "") + (f" {'with' if a.how == 'meeting' else 'to'} {a.to}" if a.to else "") \
            + (f", reply due {a.reply_due}" if a.reply_due else "") + (f" ({a.note})" if a.note else "")
    by = f" [by {a.recorder}]" if a.recorder else ""
    where = f" (action #{a.recorded}, in the database)" if a.recorded else ""
    return f"{what}{by}{where}"


def _update_label(u: Update, owner: str) -> str:
    """What an update is: "update", where a recorded one is kept, and for someone else's
    statement the context label first, so it never reads as the owner's word."""
    origin = _update_origin(u) if u.recorded else "update"
    if not u.context:
        return origin
    label = words.context_label(owner)
    return f"{label}, {origin}" if u.recorded else label


def _update_origin(u: Update) -> str:
    """Where a recorded update came from, in plain words (the register file does not hold it yet),
    with the number `update --retract N` takes."""
    by = f" by {u.recorder}" if u.recorder else ""
    return f"update #{u.recorded} recorded{by} (in the database, not the register file)"


def _reading(c: Commitment) -> str:
    return describe(c.window) if c.window else "open-ended"
