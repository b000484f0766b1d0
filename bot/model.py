"""The register as the domain sees it: plain frozen values, no I/O.

Everything here is built once by the loader and then only read, so the engine can be a pure
function of these values and `now`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.dates import Window
from bot.durations import Duration

TERMINAL = ("delivered", "partly-delivered", "dropped", "superseded")
STATUSES = ("open", *TERMINAL)


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None
    quote: str | None = None


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

    `key` is a stable identity wherever the update came from (bot.recording.Numbering):
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
    by: str | None = None
    deadline: date | None = None  # a deadline given by hand (`deadline:`, `--deadline`): kept for export
    recorded: int | None = None  # its row in the database when recorded outside the file, else None

    @property
    def revises_deadline(self) -> bool:
        return self.window is not None


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


@dataclass(frozen=True)
class Schedule:
    check: str = "0 9 * * *"
    digest: str = "0 8 * * MON"
    watch: str = "0 7 * * *"
    export: str | None = None  # `run` writes recorded updates beside the register (SPEC §6.1); off unless set


@dataclass(frozen=True)
class Register:
    timezone: str
    defaults: Policy
    routes: tuple[Route, ...]
    commitments: tuple[Commitment, ...]
    schedule: Schedule = field(default_factory=Schedule)
    quarters: str = "calendar"  # `defaults.quarters`: how a quarter without a year ("Q4") is read
    recorders: tuple[str, ...] = ()  # `access.recorders`: Slack user and user-group ids who may record; () = anyone

    def by_id(self) -> dict[str, Commitment]:
        return {c.id: c for c in self.commitments}
