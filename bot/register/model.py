"""The register as the domain sees it: plain frozen values, no I/O.

Everything here is built once by the loader and then only read, so the engine can be a pure
function of these values and `now`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.register.problems import only_text
from bot.when.dates import Window
from bot.when.durations import Duration

# A Slack user id ("U0SAM0001"): kept in the database as who recorded something, never shown,
# written into the register file or published (SPEC §7.2). Before 0.4.1 one could be stored as
# the name, so `named` is asked of both.
SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{6,20}")


def recorder_of(recorded_by: str | None, by: str | None) -> str | None:
    """Who recorded an update or an action, for a reader, on every surface: the name, else what the
    channel gave if it is one (`named`)."""
    return named(recorded_by) or named(by)


def named(who: str | None) -> str | None:
    """Who recorded something, as a reader may see it: a name, never a bare Slack user id, and only
    its text (a Slack name stored before the app kept only text, with a control or U+FFFF in it,
    must not keep every update from being written into the register file, nor reach a page)."""
    return None if who is None or SLACK_USER_ID.fullmatch(who) else (only_text(who) or None)

TERMINAL = ("delivered", "partly-delivered", "dropped", "superseded")
STATUSES = ("open", *TERMINAL)
# What a commitment is (SPEC §7.1): the owner's own promise, someone else's ask of the owner, or
# what the team expects of the owner without a dated promise. Every surface names it as such.
TYPES = ("promise", "ask", "expectation")
# The team's own steps (SPEC §7.3), never the government's record: a snooze, a chase, and the
# team's record that a chase was replied to (what answers it: bot.decide.holds).
ACTION_KINDS = ("snooze", "chase", "reply")
CHASE_HOWS = ("written-question", "letter", "foi", "meeting", "other")


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None
    quote: str | None = None

    @property
    def named(self) -> str | None:
        """Its title when it has one of its own: a recorded update's bare link is no title."""
        return self.title if self.title != self.url else None


@dataclass(frozen=True)
class Policy:
    """How patient the bot is with one commitment (SPEC §2 `defaults`)."""

    grace: Duration
    remind_every: Duration
    heads_up: Duration
    check_in: Duration


Targets = tuple[str, ...]  # "channel:address" names, e.g. "slack:#mvp-watch", "email:a@b.org"


@dataclass(frozen=True)
class Route:
    tags: tuple[str, ...] | None
    targets: Targets


@dataclass(frozen=True)
class Update:
    """News about a commitment, from the file, `commitment-bot update` or Slack.

    `key` is a stable identity wherever the update came from (bot.register.recording.Numbering):
    notifications about an update (slipped, closed, news) are keyed on it, so re-reading the file,
    or copying a recorded update into it, never announces the same update twice.
    """

    key: str
    on: date
    note: str
    due: str | None = None
    window: Window | None = None  # the reading of `due`/`deadline`, against `on`
    status: str | None = None
    period: str | None = None
    source: Source | None = None
    by: str | None = None  # who recorded it, as its channel knows them (a Slack user id, a name)
    deadline: date | None = None  # a deadline given by hand (`deadline:`, `--deadline`): kept for export
    recorded: int | None = None  # its row in the database when recorded outside the file, else None
    said_by: str | None = None  # who gave its words (SPEC §7.2), as `made_by` does for the first promise
    recorded_by: str | None = None  # the team member's name as people read it (never a bare Slack id)
    # Someone other than the owner's statement about the commitment (a commissioner, a charity,
    # Parliament, the press): shown as context, never the owner's news. It carries no status or
    # deadline, and it neither resets a lapse or a silence nor raises an alert.
    context: bool = False

    @property
    def recorder(self) -> str | None:
        """Who recorded it, for a reader (`recorder_of`)."""
        return recorder_of(self.recorded_by, self.by)


@dataclass(frozen=True)
class Retraction:
    """A recorded update the team withdrew as a mistake (`update --retract`): the update as it
    read while it counted (its identity, `key` and row, is what news of it was told under), when
    it was withdrawn, and the team's note on why. Never counted again (SPEC §6.1); a statement
    made of it is corrected where it was made (bot.decide.kinds.withdrawn)."""

    update: Update
    at: datetime  # aware
    why: str | None = None


@dataclass(frozen=True)
class Action:
    """A step the team took itself (SPEC §7.3): a snooze, a chase, or the team's record that a
    chase was replied to. Stored apart from updates and never counted as news, a slip, a closure
    or evidence: what the team did is not what the government did.

    `key` is its identity wherever it was recorded (the file's `actions:` or the database), so an
    action copied into the file is one action."""

    key: str
    kind: str  # snooze | chase | reply
    on: date  # the day it was taken (a reply: the day the reply came)
    period: str | None = None  # for a recurring commitment: the occurrence it is about
    # snooze: alerts held up to and including this day; reply: the day of the chase it answers
    # (`chased`; kept in the same place, so a reply needs no column of its own)
    until: date | None = None
    how: str | None = None  # chase: written-question | letter | foi | meeting | other (a reply: its chase's)
    ref: str | None = None  # chase: the question's or letter's reference, e.g. HL1234 (a reply: its chase's)
    to: str | None = None  # chase: to whom
    reply_due: date | None = None  # chase: when an answer is due
    note: str | None = None  # a snooze's reason, a chase's note
    by: str | None = None  # who recorded it, as its channel knows them
    recorded_by: str | None = None  # the team member's name as people read it
    recorded: int | None = None  # its row in the database when recorded outside the file

    @property
    def recorder(self) -> str | None:
        """Who recorded it, for a reader (`recorder_of`)."""
        return recorder_of(self.recorded_by, self.by)

    @property
    def chased(self) -> date | None:
        """A reply: the day of the chase it answers (None: any chase of its way and reference)."""
        return self.until if self.kind == "reply" else None


@dataclass(frozen=True)
class Watch:
    """Where news of a commitment would appear (SPEC §6.3): what `commitment-bot watch` asks.

    Each part is optional; a commitment without `watch:` is never watched."""

    govuk_query: str | None = None  # GOV.UK Search API `q`
    govuk_organisations: tuple[str, ...] = ()  # GOV.UK organisation slugs, e.g. "home-office"
    parliament_query: str | None = None  # written questions' and statements' searchTerm
    pages: tuple[str, ...] = ()  # pages watched for any change

    @property
    def is_empty(self) -> bool:
        return not (self.govuk_query or self.parliament_query or self.pages)


@dataclass(frozen=True)
class Commitment:
    id: str
    title: str
    owner: str
    policy: Policy
    made_by: str | None = None
    made_on: date | None = None
    due: str | None = None
    window: Window | None = None  # None: open-ended (no `due`)
    source: Source | None = None
    tags: tuple[str, ...] = ()
    status: str = "open"
    updates: tuple[Update, ...] = ()
    notify: Targets | None = None
    recurs: str | None = None
    superseded_by: str | None = None
    watch: Watch | None = None  # where the bot looks for news itself (`watch:`)
    text_hash: str = ""  # hash of its text in the file: unchanged text, unchanged commitment
    text: str = ""  # its YAML, kept so its history outlives its removal from the file
    type: str = "promise"  # promise | ask | expectation (SPEC §7.1)
    actions: tuple[Action, ...] = ()  # the team's own steps written in the file (`actions:`)


@dataclass(frozen=True)
class Schedule:
    check: str = "0 9 * * *"
    digest: str = "0 8 * * MON"
    watch: str = "0 7 * * *"
    export: str | None = None  # `run` writes recorded updates beside the register (SPEC §6.1); off unless set
    report: str | None = None  # `run` mails the report for trustees (SPEC §7.6); off unless set


@dataclass(frozen=True)
class Register:
    timezone: str
    defaults: Policy
    routes: tuple[Route, ...]
    commitments: tuple[Commitment, ...]
    schedule: Schedule = field(default_factory=Schedule)
    quarters: str = "calendar"  # `defaults.quarters`: how a quarter without a year ("Q4") is read
    recorders: tuple[str, ...] = ()  # `access.recorders`: Slack user and user-group ids who may record; () = anyone
    publish_actions: bool = False  # `publish: {actions: true}`: the team's own steps appear on the site and feeds

    def by_id(self) -> dict[str, Commitment]:
        return {c.id: c for c in self.commitments}
