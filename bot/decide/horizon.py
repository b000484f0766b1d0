"""How long each commitment stays quiet: the first instant its decision could change.

A daily check of 10k commitments spent most of its time deciding again about commitments for
which nothing could have changed: no new update, nothing new sent, and `now` still before
their next heads-up, lapse, reminder or check-in. Once a check has recorded what it decided,
`quiet_until` says until when deciding again would decide nothing, and the shell skips those
commitments while that holds and nothing else changed (see `storage.windows`).

SPEC §3 stays the only rule: every instant here is one of `decide`'s own conditions read
forwards, it errs early (an early instant only costs a decide), and the tests hold it to
`decide` over random histories.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from importlib.resources import files
from importlib.resources.abc import Traversable
from zoneinfo import ZoneInfo

from bot.decide.holds import snoozed_until
from bot.decide.kinds import DECIDED, Kind, Moment
from bot.decide.sent import Sent, SentIndex
from bot.decide.states import start_of, state
from bot.decide.timeline import Track, every_action, every_update, tracks
from bot.register.model import Action, Commitment, Register, Retraction, Update

# Everything `decide` runs lives in the pure core: bot/ outside its shell and the shell's door,
# `python -m bot` (the architecture test keeps it so). Its every file is part of the rules, the
# tables it ships too (bot/when/calendars).
OUTSIDE_THE_CORE = ("shell", "__main__.py", "__pycache__")
TABLES = (".csv",)  # the shipped tables; an editor's backup (engine.py~) or a stray file is not the rules


def core_files(root: Traversable | None = None) -> list[tuple[str, Traversable]]:
    """Every file of the pure core under `root` (the bot package), by name ("bot.when.durations",
    "bot.when.calendars.bank_holidays.csv"), sorted: what the decisions can follow. Not only what
    the engine imports: a change to a duration (grace, remind_every), to how a series recurs, to
    the look-back of a question or to a bank holiday decides differently too."""
    found: list[tuple[str, Traversable]] = []
    todo = [("bot", root if root is not None else files("bot"))]
    while todo:
        prefix, folder = todo.pop()
        for entry in folder.iterdir():
            if entry.name in OUTSIDE_THE_CORE:
                continue
            if entry.is_dir():
                todo.append((f"{prefix}.{entry.name}", entry))
            elif entry.name == "__init__.py":
                found.append((prefix, entry))
            elif entry.name.endswith(".py"):
                found.append((f"{prefix}.{entry.name.removesuffix('.py')}", entry))
            elif entry.name.endswith(TABLES):
                found.append((f"{prefix}.{entry.name}", entry))  # a table it ships: bot.when.calendars.recesses.csv
    return sorted(found, key=lambda f: f[0])


def ruled_by(kinds: Iterable[Kind], root: Traversable | None = None) -> list[str]:
    """What the decisions follow: every file of the pure core, and the module of each kind's rule
    (and of what its rule inherits) wherever it lives."""
    found = [cls.__module__ for k in kinds if k.rule is not None for cls in type(k.rule).__mro__ if cls is not object]
    return sorted({*(name for name, _ in core_files(root)), *found})


def rules(kinds: Iterable[Kind], root: Traversable | None = None) -> int:
    """The version of the rules stored horizons were worked out by: a digest of the kinds' names,
    of every file of the pure core (`core_files`) and of the code of each kind's rule, so a kind
    added, or any code or table the decisions follow changed, voids them by itself (one check then
    decides every commitment again: an early instant only costs a decide)."""
    kinds = tuple(kinds)
    digest = hashlib.sha256(" ".join(k.name for k in kinds).encode())
    core = core_files(root)
    for name, source in core:
        digest.update(name.encode())
        digest.update(source.read_bytes())  # read as the shipped tables are: part of the code
    inside = {name for name, _ in core}
    for name in ruled_by(kinds, root):
        if name in inside:
            continue
        digest.update(name.encode())
        package, _, module = name.rpartition(".")
        rule_source = files(package).joinpath(f"{module}.py")  # a kind's rule kept outside the core
        if rule_source.is_file():
            digest.update(rule_source.read_bytes())
    return int.from_bytes(digest.digest()[:4], "big")


RULES = rules(DECIDED)


def quiet_until(c: Commitment, recorded: Sequence[Update], now: datetime, index: SentIndex,
                first_seen: datetime | None, actions: Sequence[Action] = (),
                retracted: Sequence[Retraction] = ()) -> datetime | None:
    """The first instant after `now` at which `decide` could say something new about `c`.

    `index` must hold everything decided up to `now`, this run's decisions included. None: no
    instant is foreseeable (only a new update or an edit of the register can wake it); `now`
    itself: do not skip it.
    """
    tz = now.tzinfo
    assert tz is not None, "now must be timezone-aware"
    today = now.date()
    if c.made_on is not None and c.made_on > today:
        return start_of(c.made_on, tz)  # decide skips it until it is promised
    taken = every_action(c, actions)
    times = [start_of(u.on, tz) for u in every_update(c, recorded) if u.on > today]  # not yet seen
    times += [start_of(a.on, tz) for a in taken if a.on > today]
    if c.recurs and c.window is not None:
        times.append(start_of(today + timedelta(days=1), tz))  # a new occurrence may begin any day
    for track in tracks(c, recorded, today):
        times += _next_changes(c, track, now, index, first_seen, taken, tuple(retracted))
    return min(times) if times else None


def _next_changes(c: Commitment, track: Track, now: datetime, index: SentIndex, first_seen: datetime | None,
                  actions: Sequence[Action], retracted: tuple[Retraction, ...] = ()) -> list[datetime]:
    """Each kind's own next instant (bot.decide.kinds); a reminder the team snoozed waits for the
    day after the snooze (SPEC §7.3)."""
    slips = tuple(track.slips()) if len(track.promises) > 1 else ()
    m = Moment(c, track, now, index, first_seen, state(track, now, first_seen), slips, tuple(actions), retracted)
    snoozed = snoozed_until(actions, track.period, now.date())
    out = []
    for k in DECIDED:
        assert k.rule is not None
        t = k.rule.next_change(m)
        if t is not None and k.reminder and snoozed is not None:
            t = max(t, start_of(snoozed + timedelta(days=1), now.tzinfo))  # type: ignore[arg-type]
        if t is not None:
            out.append(t)
    return out


def horizons(register: Register, recorded: Mapping[str, Sequence[Update]], sent: Iterable[Sent], now: datetime,
             first_seen: Mapping[str, datetime], actions: Mapping[str, Sequence[Action]] | None = None,
             retracted: Mapping[str, Sequence[Retraction]] | None = None, given: Mapping[str, Sequence[str]] | None = None,
             ) -> dict[str, tuple[float, float | None]]:
    """Each commitment's quiet window as (from, until) POSIX seconds, until None for open-ended.

    `sent` must be what is stored after this run recorded its decisions. A commitment that must
    not be skipped gets an empty window (from == until). `retracted` and `given` as `decide` takes them.
    """
    now = now.astimezone(ZoneInfo(register.timezone))
    index = SentIndex(sent, now, given)
    start = now.timestamp()
    out: dict[str, tuple[float, float | None]] = {}
    for c in register.commitments:
        try:
            until: datetime | None = quiet_until(c, recorded.get(c.id, ()), now, index, first_seen.get(c.id),
                                                 (actions or {}).get(c.id, ()), (retracted or {}).get(c.id, ()))
        except (ArithmeticError, ValueError):  # undecidable (engine.Undecidable): never skipped
            until = now
        out[c.id] = (start, None if until is None else until.timestamp())
    return out


def is_quiet(window: Sequence[float | None] | None, now: datetime) -> bool:
    if not window:
        return False
    start, until = window[0], window[1]
    t = now.timestamp()
    return start is not None and start <= t and (until is None or t < until)
