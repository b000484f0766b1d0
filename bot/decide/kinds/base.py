"""What a kind of notification is: one rule (when it is due, when it next could be, whether a
held one is still true) and one entry of words (headline, icon, colour, digest section, the
sentence that says it). The engine, the quiet windows (bot.decide.horizon), held alerts
(bot.decide.held) and every channel's alerts read the same entry, so a new kind is one module
here, one line in the registry, and its tests. The digest is not made of alerts: it lists
states and events, and only takes a colour from the kind whose `section` it names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Protocol

from bot.decide.kinds.told import News
from bot.decide.sent import SentIndex, ident, told_as
from bot.decide.states import start_of
from bot.decide.timeline import Slip, Track
from bot.register.model import Action, Commitment, Policy, Retraction, Update

if TYPE_CHECKING:
    from bot.decide.alerts import Alert
    from bot.decide.correction import WithdrawnView
    from bot.when.durations import Duration

Day = Callable[[str], str]  # an ISO date as the channel writes it ("31 Aug 2022")
Said = tuple[str, str]  # (the words to stress, the rest): each channel adds its own emphasis


@dataclass(frozen=True)
class Moment:
    """One track at one instant: everything a kind's rule reads."""

    c: Commitment
    track: Track
    now: datetime  # aware, in the register's timezone
    index: SentIndex  # what was decided before
    first_seen: datetime | None
    state: str  # bot.decide.states.state(track, now, first_seen)
    slips: tuple[Slip, ...]
    actions: tuple[Action, ...] = ()  # the team's own snoozes and chases of the commitment, oldest first
    retracted: tuple[Retraction, ...] = ()  # its recorded updates the team withdrew, oldest first

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def tz(self) -> tzinfo:
        assert self.now.tzinfo is not None
        return self.now.tzinfo

    def ident(self, kind: str, *parts: object) -> str:
        return ident(kind, self.c.id, self.track.period, *parts)

    def fresh(self, kind: str, u: Update, since: datetime) -> str | None:
        """The identity of news about `u` not yet told; None once told or too old to tell."""
        if any(self.ident(kind, k) in self.index.idents for k in told_as(u)) or start_of(u.on, self.tz) < since:
            return None
        return self.ident(kind, u.key)


@dataclass(frozen=True)
class Due:
    """One notification a rule finds due: its identity, its number (a reminder's n), the deadline
    it is about, and the update it reports (news, a closure), if any."""

    key: str
    n: int | None = None
    deadline: date | None = None
    about: Update | None = None
    action: Action | None = None  # the team's action it reminds of (an overdue reply to a chase)
    nth: int | None = None  # which reminder it is since the last news, as people are told (None: `n`)
    rooms: tuple[str, ...] | None = None  # where it goes, when not where the commitment is routed (a correction)
    withdrawn: WithdrawnView | None = None  # the update a correction says the team withdrew


class Rule(Protocol):
    def due(self, m: Moment) -> list[Due]:
        """What of this kind is due at `m`."""
        ...

    def next_change(self, m: Moment) -> datetime | None:
        """The first instant after `m.now` at which `due` could find something new (`m.now`
        itself: something is due now; None: only a new update or an edit can)."""
        ...

    def still_true(self, kind_deadline: date | None, state: str, deadline: date | None) -> bool:
        """Whether a held alert of this kind, about `kind_deadline`, still tells the truth of a
        track now in `state` with `deadline` (SPEC §6.5)."""
        ...


def same(word: str) -> Callable[[str, str], str]:
    """A headline that is the same for every type."""
    return lambda type_name, status: word


def by_type(promise: str, ask: str, expectation: str) -> Callable[[str, str], str]:
    """A headline that names what is tracked: only a promise "lapses" (SPEC §7.1)."""
    words = {"promise": promise, "ask": ask, "expectation": expectation}
    return lambda type_name, status: words.get(type_name, promise)


def _sentence_missing(alert: Alert, day: Day) -> Said:
    return alert.kind.capitalize(), ""


@dataclass(frozen=True)
class Kind:
    """A kind's words, and everything a channel decides by kind: channels read these and never
    compare `alert.kind` with a name (tests/test_kinds.py holds them to it)."""

    name: str  # as decided and stored with the notification
    icon: str  # for chat channels
    colour: str  # for mail: the band beside the alert
    # The digest section that lists the same news, whose cards take this colour. The digest is built
    # from states and events (bot.decide.digest), not from alerts: None when no section lists it.
    section: str | None
    headlines: Callable[[str, str], str]  # the headline, by (type, status): see `same` and `by_type`
    says: Callable[[Alert, Day], Said] = _sentence_missing  # the one sentence that says it
    rule: Rule | None = None  # None: decided outside the engine (a lead, by the watch)
    reminder: bool = False  # a reminder (due soon, lapsed, gone silent): a snooze holds it (SPEC §7.3)
    each_its_own: bool = False  # held alerts of this kind are each news of their own: a later one does not replace it
    icons: Mapping[str, str] = field(default_factory=dict)  # the icon by status, where it differs (a closure)
    brief: Callable[[Alert, Day], str] | None = None  # a phone notification's line, where not the sentence
    every: Callable[[Policy], Duration] | None = None  # how often it repeats (SPEC §3), for its words
    several: Mapping[str, str] = field(default_factory=dict)  # a headline counted more than once, where it changes
    # It says the commitment is closed: no channel asks to record what happened, Slack offers only
    # "Record update" (no snooze, no closing button), and its facts say how late the closing came.
    closes: bool = False
    broadcast: bool = False  # Slack: its reply in the commitment's thread is also shown in the channel
    follow_up: bool = False  # Slack offers a drafted follow-up while the commitment is open (SPEC §7.5)
    ages_update: bool = False  # the console says how long ago an update since the deadline was (a lapse despite one)
    # It is about a lead (SPEC §6.3) that a person confirms or dismisses: a held one is still true
    # only while nobody has (bot.decide.held), whatever its rule says, or when it has none.
    until_decided: bool = False

    @property
    def announces(self) -> bool:
        """It reports one recorded update, as its rule is news (bot.decide.kinds.told.News): a Slack
        summary line quotes that update's note, and an update recorded from Slack is told in its
        thread by this alert alone (bot.shell.slackapp.recorder.told)."""
        return isinstance(self.rule, News)

    def counted(self, n: int, headline: str) -> str:
        """Counted as people say it: "1 lead", "3 leads"; "3 lapsed" stays, as most headlines are not nouns."""
        return f"{n} {self.several.get(headline, headline) if n != 1 else headline}"

    def headline(self, type_name: str | None, status: str = "") -> str:
        """The word an alert of this kind leads with, for this type of commitment (SPEC §7.1)."""
        return self.headlines(type_name or "promise", status)

    def headline_of(self, alert: Alert) -> str:
        """The headline of this alert: as its type says it, and as a promise's once the owner of an
        ask gave a date of its own (`Alert.headline_type`)."""
        return self.headline(alert.headline_type, alert.status)

    def icon_for(self, status: str) -> str:
        return self.icons.get(status, self.icon)

    def line(self, alert: Alert, day: Day) -> str:
        """One line for a phone notification or a plain fallback."""
        return self.brief(alert, day) if self.brief else "".join(self.says(alert, day))
