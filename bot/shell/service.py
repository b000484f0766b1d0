"""The imperative shell: gather inputs, call the pure core, store and deliver what it decided."""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from bot.decide.engine import Decision, Undecidable, decide
from bot.decide.held import awaiting_decision, settle
from bot.decide.horizon import RULES, horizons, is_quiet
from bot.register.model import Register
from bot.register.routing import deliverable, waiting
from bot.shell.delivery import NEVER, DeliveryReport, deliver
from bot.shell.gcpause import paused_gc
from bot.shell.watch.answers import open_answers
from notifiers.base import Notifier
from storage.notifications import Undelivered
from storage.register import SyncReport
from storage.repository import Store

SKEW = timedelta(minutes=5)  # clocks of two hosts may differ this much without being time travel


@dataclass(frozen=True)
class CheckResult:
    decisions: list[tuple[Decision, tuple[str, ...]]]
    sync: SyncReport
    delivery: DeliveryReport | None
    checked: int  # commitments in the register, quiet ones included
    waiting: list[Undelivered] = field(default_factory=list)  # every row still owed, and why
    elsewhere: list[Undelivered] = field(default_factory=list)  # rows another live run is delivering now
    undecidable: list[Undecidable] = field(default_factory=list)
    held: dict[str, tuple[str, ...]] = field(default_factory=dict)  # ident → targets not configured

    @property
    def undelivered(self) -> int:
        return len(self.waiting)


def time_travel_problem(store: Store, now: datetime, wall: datetime) -> str | None:
    """Why a real (not dry-run) run at `now` would send stale news or use up tomorrow's alerts
    (SPEC §6.5), or None when it may run."""
    hint = "; to see what the bot would say then, add --dry-run"
    if now > wall + SKEW:
        return f"--now {now.isoformat(timespec='minutes')} is later than the clock ({wall.isoformat(timespec='minutes')}): " \
               f"a real run would use up alerts that are not due yet{hint}"
    latest = store.notifications.latest_run()
    if latest is not None and now < latest - SKEW:
        return f"--now {now.isoformat(timespec='minutes')} is earlier than the last real run here " \
               f"({latest.astimezone(now.tzinfo).isoformat(timespec='minutes')}): its news would be stale{hint}"
    return None


def worker_name() -> str:
    """host:pid:random, at most 80 characters (the claimed_by columns): the host's name is cut at 60."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def check(store: Store, register: Register, source_hash: str, now: datetime,
          notifiers: Mapping[str, Notifier], dry_run: bool = False,
          lease_seconds: float = 600.0, stop: threading.Event = NEVER,
          only: Collection[str] | None = None, synced: SyncReport | None = None) -> CheckResult:
    """Sync, decide, then (unless dry-run) store the decisions and deliver everything queued.

    A dry run records the register (that only caches what the file says) but decides nothing
    into the database and sends nothing. Commitments still inside the quiet window the last
    check stored (bot.decide.horizon) are not decided again: deciding would decide nothing, and only
    the others' history is read from the database. With `only` (the commitments an update from
    Slack touched), just those are decided, and everything queued is delivered: a click costs what
    its commitment costs, not what the whole register does. `synced`: the register was synced
    just now (bot.shell.usecases.check, under the sync lock), and this is what that changed.
    """
    with paused_gc():
        report = synced if synced is not None else store.register.sync(register, source_hash, now)
        # Read once, before the windows: they are used only if stored under this mark, and the
        # ones we store are stamped with it, so an update recorded from here on voids them too.
        mark = store.windows.mark()
        quiet = store.windows.quiet(source_hash, RULES, mark)
        active = replace(register, commitments=tuple(
            c for c in register.commitments
            if (c.id in only if only is not None else not is_quiet(quiet.get(c.id), now))))
        every = len(register.commitments)
        wanted = None if len(active.commitments) == every else [c.id for c in active.commitments]
        decisions: list[Decision] = []
        failures: list[Undecidable] = []
        if active.commitments:
            recorded, retracted = store.updates.recorded_and_retracted(wanted, register.quarters)
            seen = store.register.first_seen(wanted)
            actions = store.actions.recorded(wanted)
            found = open_answers(store, active, actions)  # a chased question's answer waiting to be confirmed
            given = store.notifications.given(retracted) if retracted else {}  # where news of a withdrawn update went
            decisions = decide(active, recorded, store.notifications.sent(wanted), now, seen, failures, actions, found,
                               retracted, given)
        with_targets, held = targeted(decisions, notifiers)
    if not dry_run:
        store.notifications.record(with_targets, now, held)
        store.notifications.note_run(now)
        _release_held(store, register, now, notifiers)
        if active.commitments:
            with paused_gc():  # from what is stored now, this run's decisions and any replica's included
                given = store.notifications.given(retracted) if retracted else {}  # this run's corrections included
                windows = horizons(active, recorded, store.notifications.sent(wanted), now, seen, actions, retracted, given)
            store.windows.save(source_hash, RULES, mark, {**quiet, **windows}, register, now)
    result = _deliver(store, with_targets, report, now, notifiers, dry_run, lease_seconds, every, stop)
    return replace(result, undecidable=failures, held=held)


def targeted(decisions: Sequence[Decision], notifiers: Mapping[str, Notifier],
             ) -> tuple[list[tuple[Decision, tuple[str, ...]]], dict[str, tuple[str, ...]]]:
    """Each decision with the targets that are served now, and (by ident) the targets it is held for
    (SPEC §6.5): what `store.notifications.record` stores, for a check's decisions as for the watch's leads."""
    serves = served_by(notifiers)
    with_targets = [(d, deliverable(d.routed, serves)) for d in decisions]
    held = {d.ident: w for d in decisions if (w := waiting(d.routed, serves))}
    return with_targets, held


def served_by(notifiers: Mapping[str, Notifier]) -> Callable[[str], bool]:
    """Whether a target is served: its channel has a notifier here, which serves that address (one whose
    addresses each need a setting of their own may not). The alerts of a target not served are held (SPEC §6.5)."""

    def serves(target: str) -> bool:
        notifier = notifiers.get(target.split(":", 1)[0])
        return notifier is not None and notifier.serves(target)

    return serves


def _held_now_served(store: Store, notifiers: Mapping[str, Notifier]) -> list[str]:
    """The targets with held alerts that are served now (a channel configured, an address's own setting set)."""
    serves = served_by(notifiers)
    return [t for t in store.notifications.held_targets(set(notifiers)) if serves(t)]


def _release_held(store: Store, register: Register, now: datetime, notifiers: Mapping[str, Notifier]) -> None:
    """Alerts held for a target that is served now: the ones still true go out (bot.decide.held)."""
    targets = _held_now_served(store, notifiers)
    held = store.notifications.held(targets=targets) if targets else []
    if held:
        ids = list({h.commitment_id for h in held})
        leads = awaiting_decision(held)
        open_leads = {lead.url for lead in store.leads.still_new(leads)} if leads else set()
        release, expire = settle(register, store.updates.recorded(ids, register.quarters), now, store.register.first_seen(ids),
                                 held, store.actions.recorded(ids), open_leads)
        store.notifications.settle_held(release, expire, "no longer current when its channel was configured")


def check_asleep(store: Store, source_hash: str, now_in: Callable[[str], datetime],
                 notifiers: Mapping[str, Notifier], dry_run: bool = False,
                 lease_seconds: float = 600.0,
                 guard: Callable[[str, datetime], None] | None = None) -> tuple[CheckResult, datetime] | None:
    """`check` before reading the register, when the last check left every one of its commitments
    quiet past `now_in(its timezone)`: then `check` would decide nothing, so only delivery runs
    (queued retries). None when that is not so, and the caller reads the register and checks.
    A real run is still a real run: `guard(timezone, now)` may refuse it (time travel, SPEC §6.5)
    and it is noted as the latest real run, as `check` notes it.

    The windows count only while this very file is also the one synced and no update was recorded
    since (`store.windows.asleep`); on a large register this skips reading the register back from the cache.
    """
    asleep = store.windows.asleep(source_hash, RULES, store.windows.mark())
    if asleep is None or _held_now_served(store, notifiers):  # held alerts to settle need the register
        return None
    now = now_in(asleep.timezone)
    if not all(is_quiet(window, now) for window in asleep.windows.values()):
        return None
    if not dry_run:
        if guard is not None:
            guard(asleep.timezone, now)
        store.notifications.note_run(now)
    nothing = SyncReport(0, 0, 0, 0)
    return _deliver(store, [], nothing, now, notifiers, dry_run, lease_seconds, asleep.commitments), now


def _deliver(store: Store, with_targets: list[tuple[Decision, tuple[str, ...]]], report: SyncReport, now: datetime,
             notifiers: Mapping[str, Notifier], dry_run: bool, lease_seconds: float, checked: int,
             stop: threading.Event = NEVER) -> CheckResult:
    if dry_run:
        return CheckResult(with_targets, report, None, checked)
    delivery = deliver(store, notifiers, worker_name(), now, lease_seconds, stop=stop)
    # This run gave back every claim it did not settle, so a row still claimed is another run's,
    # and while that run renews its claim the row is that run's to send (or to keep queued), not
    # this run's failure. A claim past its lease is a dead run's: this run would have taken it over.
    live_since = datetime.now(UTC) - timedelta(seconds=lease_seconds)  # leases are wall-clock time
    waiting: list[Undelivered] = []
    elsewhere: list[Undelivered] = []
    for row in store.notifications.undelivered():
        taken = row.claimed_by is not None and row.claimed_at is not None and row.claimed_at >= live_since
        (elsewhere if taken else waiting).append(row)
    return CheckResult(with_targets, report, delivery, checked, waiting, elsewhere)
