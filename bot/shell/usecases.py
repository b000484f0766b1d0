"""The use cases every entry point calls (the CLI, the scheduler, the Slack app): record or retract
an update, draft a chase, record a snooze or a chase, confirm or dismiss a lead, record the
watch's leads for delivery, and check. A draft is made (`draft_chase`) at the instant the door was
asked, and a chase's reply due is worked out from that instant too (bot.chase.standards.
chase_reply_due, which both doors call), so a Commons question drafted after the day's tabling
cut-off is tabled the next day from the command line and from Slack alike. Each recording checks the request with the core's rules (bot.register.recording), then
stores it, so no door repeats the checks or the storage calls, and the doors cannot drift apart (a
lead is claimed and its update recorded in one transaction, from the command line as from Slack;
`check` syncs the register the same way for `commitment-bot check`, each scheduled run and the
Slack app's deliveries; a lead's alerts are held for the targets a check would hold them for).

Each recording returns what it stored, or a sentence saying why it stored nothing: a refusal is an
answer, never an exception, so every door can say it in its own way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bot.register.model import Action, Register, named
from bot.register.recording import ActionRequest, UpdateRequest, as_promised, check_action, check_update
from storage.repository import Store
from storage.updates import NewUpdate

if TYPE_CHECKING:
    from bot.chase.draft import Draft
    from bot.decide.engine import Decision
    from bot.register.model import Commitment
    from bot.shell.service import CheckResult
    from notifiers.base import Notifier


def record_update(store: Store, register: Register, source_hash: str, request: UpdateRequest, now: datetime,
                  ref: str | None = None, recorded_by: str | None = None, future: bool = False) -> int | str:
    """Record an update (news, a slip, a closure): its row number, or why it was refused (nothing
    changed). `ref` names where it was recorded (a Slack view, a slash command): a replay records once.
    One dated after today is refused unless `future` (a promise of news, recorded on purpose)."""
    request = as_promised(request)
    problem = check_update(register, request, None if future else now.date())
    if problem:
        return problem
    store.register.sync(register, source_hash, now)  # only now: a refused update changes nothing
    return store.updates.record(_new(request, ref, recorded_by), now)


def _new(request: UpdateRequest, ref: str | None, recorded_by: str | None) -> NewUpdate:
    return NewUpdate(request.commitment_id, request.on, request.note.strip(), request.due, request.status,
                     request.period, request.source, request.by, request.deadline, ref, request.said_by,
                     recorded_by or named(request.by), request.context)


def retract_update(store: Store, register: Register, commitment_id: str, row: int, why: str | None,
                   now: datetime) -> str | None:
    """Withdraw recorded update `row` (kept in history, no longer counted); why not, or None. One
    that `export updates --write` copied into the file would still count: it is refused."""
    c = register.by_id().get(commitment_id)
    recorded = store.updates.recorded([commitment_id], quarters=register.quarters).get(commitment_id, [])
    copied = {u.key for u in c.updates} if c else set()
    if any(u.recorded == row and u.key in copied for u in recorded):
        return (f"update #{row} is in the register file too (export updates wrote it there), so it would still count: "
                "remove it from the file instead, and nothing needs retracting here")
    problem = store.updates.retract(commitment_id, row, (why or "").strip() or None, now)
    if problem and c is None:
        from bot.register.problems import did_you_mean

        return f'no commitment "{commitment_id}"{did_you_mean(commitment_id, register.by_id())}'
    return problem


def draft_chase(store: Store, register: Register, c: Commitment, form: str, house: str | None,
                now: datetime) -> Draft:
    """The draft of a chase of `c` by `form` (bot.chase.draft.draft) as it stands at `now`, with
    the updates recorded outside the file: `commitment-bot draft` and Slack's "Draft follow-up".
    Raises what `draft` raises (DraftRefused, UnknownOwner)."""
    from bot.chase.draft import draft
    from bot.chase.tabling import london_time

    recorded = store.updates.recorded([c.id], quarters=register.quarters).get(c.id, [])
    return draft(c, recorded, now.date(), form, house, at=london_time(now))


def record_action(store: Store, register: Register, source_hash: str, request: ActionRequest, now: datetime,
                  origin: str | None = None) -> int | str:
    """Record the team's snooze or chase (SPEC §7.3): its row number, or why it was refused (nothing
    changed). `origin` names where it was recorded (a Slack view): a replay records once."""
    problem = check_action(register, request) or _closed(store, register, request)
    if problem:
        return problem
    action = Action("", request.kind, request.on, request.period, request.until, request.how, request.ref,
                    request.to, request.reply_due, request.note, request.by, request.recorded_by)
    if origin is None and (same := _same_action(store, request.commitment_id, action)) is not None:
        return f"the same {action.kind} was already recorded today (#{same}): nothing was added"
    store.register.sync(register, source_hash, now)  # only now: a refused action changes nothing
    return store.actions.add(request.commitment_id, action, now, origin)


def _closed(store: Store, register: Register, request: ActionRequest) -> str | None:
    """A chase of a closed commitment is refused as `draft` refuses it (bot.chase.draft), and a
    snooze of one in the same words: it has no reminders to hold; so is either for one year of a
    recurring commitment (`period`) that is closed, though other years are open. Closed by the file
    or by an update recorded outside it, so this is asked of the store, not of the register alone."""
    from bot.chase.draft import nothing_to_chase

    c = register.by_id().get(request.commitment_id)
    if request.kind not in ("chase", "snooze") or c is None:
        return None
    recorded = store.updates.recorded([c.id], register.quarters).get(c.id, [])
    return nothing_to_chase(c, recorded, request.on, request.kind, request.period)


def _same_action(store: Store, cid: str, action: Action) -> int | None:
    """The row of an action recorded outside the file that says the same, the same day: a command
    given twice (a shell's history, a cron line run twice) is one action. Slack's replays are
    caught by their origin instead, and told nothing."""
    fields = ("kind", "on", "period", "until", "how", "ref", "to", "reply_due", "note")
    for a in store.actions.recorded([cid]).get(cid, ()):
        if all(getattr(a, f) == getattr(action, f) for f in fields):
            return a.recorded
    return None


def confirm_lead(store: Store, register: Register, source_hash: str, lead_id: int,
                 requests: Sequence[UpdateRequest], now: datetime, by: str | None, ref: str | None = None,
                 recorded_by: str | None = None) -> list[int] | str:
    """Confirm a lead (SPEC §6.3) as one update per request (one per commitment a person chose): the
    rows recorded, or why nothing was. Every request is checked first; then the lead is claimed and
    its updates recorded in one transaction, so of two people confirming it (or one dismissing it)
    one wins, and a failure while recording leaves the lead open, to be confirmed again."""
    requests = [as_promised(request) for request in requests]
    for request in requests:
        problem = check_update(register, request, now.date())
        if problem:
            return f"it cannot be recorded for {request.commitment_id} as it is: {problem}"
    store.register.sync(register, source_hash, now)
    rows = store.leads.confirm(lead_id, [_new(r, ref, recorded_by) for r in requests], now, by)
    if rows is None:
        return "someone confirmed or dismissed it a moment ago: nothing was recorded"
    return list(rows)


def dismiss_lead(store: Store, lead_id: int, by: str | None, now: datetime) -> bool:
    """Dismiss a lead for every commitment it named; False when someone decided it first."""
    return bool(store.leads.decide(lead_id, "dismissed", now, by))


def record_leads(store: Store, decisions: Sequence[Decision], now: datetime,
                 channels: Mapping[str, Notifier]) -> tuple[int, dict[str, tuple[str, ...]]]:
    """Store the watch's lead alerts (bot.shell.watch.notify.decisions) for delivery as `check` stores
    its own: to the targets served now, held for the others (bot.shell.service.targeted); one stored
    already (same identity and target) is kept as is. The console, standing in for every channel not
    configured, shows a lead once, however many threads it goes in. How many rows were new, and the
    targets each alert is held for (by identity), as `check` gives them."""
    from bot.shell.service import targeted
    from bot.shell.watch.notify import once_each

    with_targets, held = targeted(decisions, channels)
    return store.notifications.record(once_each(with_targets), now, held), held


def check(store: Store, register: Register, source_hash: str, now: datetime, channels: Mapping[str, Notifier], *,
          dry_run: bool = False, lease_seconds: float = 600.0, stop: threading.Event | None = None,
          only: Collection[str] | None = None) -> CheckResult:
    """Sync the register, decide what is due, store it and deliver everything queued
    (bot.shell.service.check): what `commitment-bot check`, each scheduled run and the Slack app
    after a click run. The register is synced under the sync lock first: two replicas must not
    insert the same new commitments. `only`: just these commitments are decided (a click's)."""
    from bot.shell.delivery import NEVER
    from bot.shell.gcpause import paused_gc
    from bot.shell.service import check as decide_and_deliver

    with store.register.lock(), paused_gc():  # as the check itself: a large register's sync makes many objects
        synced = store.register.sync(register, source_hash, now)
    return decide_and_deliver(store, register, source_hash, now, channels, dry_run, lease_seconds,
                              stop if stop is not None else NEVER, only, synced)


def check_file(asleep_key: str | None, *, open_store: Callable[[], Store],
               build_channels: Callable[[], Mapping[str, Notifier]],
               read_register: Callable[[], tuple[Register, str]], now_in: Callable[[str], datetime],
               guard: Callable[[str, datetime], None], dry_run: bool = False,
               lease_seconds: float = 600.0) -> tuple[CheckResult, datetime]:
    """`check` of a register file, as `commitment-bot check` runs it; the result and the `now` used.

    First `check_asleep` under `asleep_key`, the file's fingerprint (None when the file cannot be
    read or no database exists yet), which guards a real run too. Unless that settles it, `read_register` (which may fall back
    to the last valid register), take `now` in its timezone, let `guard` refuse a real run that
    travels in time (a dry run may), then `check` (below). The inputs are callables because each is opened
    only on the path that needs it: a register that fails validation must not create the database,
    and a register the last check left quiet is never parsed.
    """
    from bot.shell.service import check_asleep

    channels = None
    if asleep_key is not None:
        channels = build_channels()
        done = check_asleep(open_store(), asleep_key, now_in, channels, dry_run, lease_seconds, guard)
        if done is not None:
            return done
    register, source_hash = read_register()
    now = now_in(register.timezone)
    if not dry_run:
        guard(register.timezone, now)
    channels = channels if channels is not None else build_channels()
    return check(open_store(), register, source_hash, now, channels, dry_run=dry_run, lease_seconds=lease_seconds), now
