"""Checking an update before it is recorded: the same rules as the file's updates (pure).

`promised` is the one rule for a promise's words with a `deadline` (SPEC §2), shared by the
register file's commitments and updates, `commitment-bot update` and updates read back from the
database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol, TypeVar

from bot.register.devolved import legislature
from bot.register.links import URL_RE, malformed
from bot.register.model import STATUSES, TERMINAL, Action, Commitment, Register
from bot.register.problems import CONTROL, did_you_mean, one_of, refused
from bot.when.dates import FIRST_DAY, LAST_DAY, UnreadableDate, Window, outside, resolve
from bot.when.recurrence import find


@dataclass(frozen=True)
class UpdateRequest:
    commitment_id: str
    on: date
    note: str
    due: str | None = None
    status: str | None = None
    period: str | None = None
    source: str | None = None
    by: str | None = None
    deadline: date | None = None
    said_by: str | None = None  # who gave the words (SPEC §7.2)
    context: bool = False  # someone other than the owner's statement: listed, never news


class _HasKey(Protocol):
    @property
    def key(self) -> str: ...


Keyed = TypeVar("Keyed", bound=_HasKey)


class Numbering:
    """The identity of updates (SPEC §6.1): date, reading, status and period, never the note.

    The same update recorded twice in one place is two updates, so each identity is numbered in
    the order its place holds them (file order, or the order recorded). An update copied from the
    database into the file then has the same key in both, and `unrecorded` drops the copy.
    """

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def key(self, on: date, window: Window | None, status: str | None, period: str | None) -> str:
        return self._numbered("f:", f"{on}|{window}|{status}|{period}")

    def action_key(self, kind: str, on: date, period: str | None, until: date | None, how: str | None,
                   ref: str | None) -> str:
        """An action's identity (SPEC §7.3): what was done, when and for which period, not its note."""
        return self._numbered("a:", f"{kind}|{on}|{period}|{until}|{how}|{ref}")

    def _numbered(self, prefix: str, fingerprint: str) -> str:
        self.seen[fingerprint] = n = self.seen.get(fingerprint, 0) + 1
        return prefix + hashlib.sha1(f"{fingerprint}|{n}".encode()).hexdigest()[:16]


def unrecorded(in_file: Iterable[Keyed], recorded: Sequence[Keyed]) -> list[Keyed]:
    """The recorded updates (or actions) the register file does not hold yet: one record of what happened."""
    keys = {u.key for u in in_file}
    return [u for u in recorded if u.key not in keys]


def promised(due: str | None, on: date | None, deadline: date | None, quarters: str = "calendar",
             owner: str | None = None) -> Window | None:
    """The window set by a promise's words `due` (read against `on`, the day it was made) and an
    optional `deadline` given by hand.

    A `deadline` ends the reading of words that read (their kind and start are kept), and rescues
    words that do not, or that read off the calendar: kind "manual", from `on` (or the deadline)
    to the deadline, the words kept as the promise. Words that do not read with no deadline raise
    UnreadableDate; the caller checks a reading without a deadline stays on the calendar.
    `quarters` is the register's `defaults.quarters`: how a quarter without a year ("Q4") reads.
    `owner` is whose promise it is: a devolved government's words read by Westminster's calendar
    need a deadline (bot.register.devolved).
    """
    window = None
    if due is not None:
        try:
            window = resolve(due, on, quarters)
        except UnreadableDate:
            if deadline is None:
                raise
            return _manual(on, deadline)
        if deadline is None and window.kind == "parliament" and (house := legislature(owner)):
            shown = " ".join(due.split())
            raise UnreadableDate(f'due "{shown}" is read by the UK Parliament\'s calendar (Westminster\'s sessions, '
                                 f"recesses and dissolutions), but {' '.join((owner or '').split())} answers to "
                                 f"{house}, whose calendar the bot does not hold: set deadline: to the day the words "
                                 "mean there", shown)
        if deadline is not None and outside(window.latest, window.earliest) is not None:
            return _manual(on, deadline)
    if deadline is None:
        return window
    earliest = window.earliest if window and window.earliest else deadline
    kind = window.kind if window and not window.is_open else "day"
    return Window(kind, min(earliest, deadline), deadline)


def ends_before(window: Window | None, on: date | None) -> date | None:
    """The last day of words that read to a time already over on the day they were said ("by 2020"
    said in 2022, "autumn 2022" in a slip of January 2023), or None. Such words are a typo in the
    year, and would be alerted as years late at once: the register and `update` refuse them."""
    if window is None or window.latest is None or on is None or window.latest >= on:
        return None
    return window.latest


def _manual(on: date | None, deadline: date) -> Window:
    return Window("manual", min(on, deadline) if on else deadline, deadline)


# How long each text may be, at every door: the command line's checks and Slack's forms
# (notifiers.slack.views reads this table for its fields' max_length), so no door records what another refuses (a 120,000-character note made
# a 127 KB page on the public site). Keyed by option, and for a note by what it is the note of.
LONGEST = {"--note": 3000, "--due": 200, "--source": 2000, "--said-by": 200, "--by": 200,
           "--reason": 500, "--ref": 100, "--to": 200, "chase --note": 1000}


def too_long(option: str, text: str | None, kind: str = "") -> str | None:
    """Why `text` is too long for `option`, or None."""
    limit = LONGEST.get(f"{kind} {option}".strip(), LONGEST.get(option))
    if text is None or limit is None or len(text) <= limit:
        return None
    return f"{option} is {len(text):,} characters: at most {limit:,}; link to the rest"


def as_promised(u: UpdateRequest) -> UpdateRequest:
    """The request with a revised deadline given alone read as the promise's words: the date
    itself (`--deadline 2026-03-31` is `--due 2026-03-31`). A context update has no deadline."""
    if u.due is None and u.deadline is not None and not u.context:
        return replace(u, due=u.deadline.isoformat())
    return u


def check_update(register: Register, u: UpdateRequest, today: date | None = None) -> str | None:
    """The first thing wrong with the request, as a message that says how to fix it; else None.
    With `today`, an update dated after it is refused: an update records what has happened (None:
    any day, for a promise of news recorded on purpose, `update --future`)."""
    c = register.by_id().get(u.commitment_id)
    if c is None:
        return f'no commitment "{u.commitment_id}"{did_you_mean(u.commitment_id, register.by_id())}'
    if not u.note.strip():
        return "--note must say what happened"
    for option, text in (("--note", u.note), ("--due", u.due), ("--source", u.source), ("--by", u.by),
                         ("--said-by", u.said_by)):
        if text and (bad := CONTROL.search(text)):
            return f"{option}: {refused(bad.group())}"
        if long := too_long(option, text):
            return long
    if u.context and (given := next((o for o, v in (("--status", u.status), ("--due", u.due),
                                                     ("--deadline", u.deadline)) if v is not None), None)):
        return (f"--context cannot go with {given}: a context update records what someone other than the owner "
                "said, and only the owner's own word changes a status or a deadline")
    if outside(u.on):
        return f"--on {u.on} is out of range: dates must stay within years {FIRST_DAY.year}–{LAST_DAY.year}"
    if c.made_on and u.on < c.made_on:
        return f"--on {u.on} is before the commitment was made (made_on {c.made_on})"
    if u.status is not None and u.status not in STATUSES:
        return f'--status "{u.status}" is not a status{did_you_mean(u.status, STATUSES) or " (one of: " + one_of(STATUSES) + ")"}'
    if u.status in TERMINAL and u.status != "superseded" and not u.source:
        return f'--status {u.status} needs evidence: add --source URL'
    if u.source and not URL_RE.fullmatch(u.source):
        return f'--source "{u.source}" must be a link starting with http:// or https://'
    if u.source and (why := malformed(u.source)):
        return f'--source "{u.source[:200]}" is not a well-formed link: {why}'
    if u.deadline is not None:
        if outside(u.deadline):
            return (f"--deadline {u.deadline} is out of range: dates must stay within years "
                    f"{FIRST_DAY.year}–{LAST_DAY.year}")
        if u.deadline < u.on:
            return f"--deadline {u.deadline} is before the update's date (--on {u.on}): a revised deadline cannot come before the day it was set"
    if u.due is not None and not u.due.strip():
        return "--due must give the promise's words (or leave it out and give --deadline alone)"
    if u.due is not None:
        try:
            window = promised(u.due, u.on, u.deadline, register.quarters, c.owner)
        except UnreadableDate as e:
            return str(e).replace("set deadline:", "give --deadline YYYY-MM-DD")  # the register's hint, in options
        if window is not None and (far := outside(window.latest, window.earliest)) is not None:
            return f'--due "{u.due}" reads to {far}, out of range: dates must stay within years {FIRST_DAY.year}–{LAST_DAY.year}'
        if u.deadline is None and (ended := ends_before(window, u.on)) is not None:
            return (f'--due "{u.due}" reads to {ended:%-d %B %Y}, before the update\'s date (--on {u.on}): check the '
                    "year, or give --deadline YYYY-MM-DD")

    if u.period is not None:
        if problem := _period(c, u.period, u.on):
            return problem
    elif c.recurs and (u.due is not None or u.deadline is not None):
        return "a recurring commitment's revised --due or --deadline must name its --period"
    if today is not None and u.on > today:
        return (f"--on {u.on.isoformat()} is after today ({today.isoformat()}): an update records what has happened; "
                "give --future if you mean it")
    return None


def _period(c: Commitment, period: str, on: date) -> str | None:
    """Why `period` is not one of the commitment's periods (an update's or an action's), or None."""
    if not c.recurs or c.window is None:
        return "--period is only for recurring commitments"
    if find(c.window, c.recurs, period, date(on.year + 2, 12, 31)) is None:
        return f'--period "{period}" is not one of this series\' periods'
    return None


@dataclass(frozen=True)
class ActionRequest:
    """A step the team took (SPEC §7.3), as the CLI or Slack asks to record it."""

    commitment_id: str
    kind: str  # snooze | chase | reply
    on: date  # a reply: the day it came
    period: str | None = None
    until: date | None = None  # a snooze: its last day; a reply: the day of the chase it answers
    how: str | None = None
    ref: str | None = None
    to: str | None = None
    reply_due: date | None = None
    note: str | None = None
    by: str | None = None
    recorded_by: str | None = None


def reply_request(commitment_id: str, chase: Action, on: date, note: str | None, by: str | None,
                  recorded_by: str | None = None) -> ActionRequest:
    """The team's record that `chase` was replied to on `on`, as every door asks to record it
    (`chase ID --replied`, Slack's Record reply): the chase's way, reference and period, and its
    day kept as the reply's `until`, so the reply answers that chase alone (bot.decide.holds)."""
    return ActionRequest(commitment_id, "reply", on, chase.period, until=chase.on, how=chase.how, ref=chase.ref,
                         note=(note or "").strip() or None, by=by, recorded_by=recorded_by)


def check_action(register: Register, a: ActionRequest) -> str | None:
    """The first thing wrong with the request, as a message that says how to fix it; else None."""
    from bot.register.model import CHASE_HOWS

    c = register.by_id().get(a.commitment_id)
    if c is None:
        return f'no commitment "{a.commitment_id}"{did_you_mean(a.commitment_id, register.by_id())}'
    texts = (("--reason" if a.kind == "snooze" else "--note", a.note), ("--ref", a.ref), ("--to", a.to),
             ("--by", a.recorded_by or a.by))
    for option, text in texts:
        if text and (bad := CONTROL.search(text)):
            return f"{option}: {refused(bad.group())}"
        if long := too_long(option, text, a.kind):
            return long
    if a.kind == "chase" and a.ref and a.ref.strip().startswith("#"):
        return f'--ref "{a.ref}": a reference cannot start with "#", which names a chase by its number (--replied \'#3\')'
    if a.kind == "reply":  # the day the reply came, after the chase it answers (kept as its `until`)
        if outside(a.on):
            return f"--on {a.on} is out of range: dates must stay within years {FIRST_DAY.year}–{LAST_DAY.year}"
        if a.until is not None and a.on < a.until:
            return f"--on {a.on} is before the chase it answers ({a.until}): a reply comes after its chase"
    held = (("--until", a.until),) if a.kind != "reply" else ()
    for option, day in (*held, ("--reply-due", a.reply_due)):
        if day is not None and outside(day):
            return f"{option} {day} is out of range: dates must stay within years {FIRST_DAY.year}–{LAST_DAY.year}"
        if day is not None and day < a.on:
            return f"{option} {day} is before today ({a.on}): give a day from today on"
    if a.kind == "snooze" and a.until is None:
        return "--until must say the last day the reminders are held"
    if a.kind in ("chase", "reply") and a.how not in CHASE_HOWS:
        return f'--how "{a.how}" is not a way to chase{did_you_mean(a.how or "", CHASE_HOWS) or ""} (one of: {one_of(CHASE_HOWS)})'
    if a.period is not None:
        return _period(c, a.period, a.on)
    return None
