"""A tiny harness for the pure engine: run `decide` at successive instants, remembering what was
sent, exactly as the stored notification rows would (no database: the core is pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.decide.engine import Decision, Sent, decide
from bot.register.model import Register, Update
from bot.shell.registerfile import load_texts as load

LONDON = ZoneInfo("Europe/London")

HEADER = """\
version: 1
timezone: Europe/London
defaults: {grace: 7 days, remind_every: 30 days, heads_up: 14 days, check_in: 6 months}
commitments:
"""


def register(body: str) -> Register:
    loaded = load([("test.yaml", HEADER + body)])
    assert not loaded.problems, [str(p) for p in loaded.problems]
    assert loaded.register is not None
    return loaded.register


def at(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=LONDON)


@dataclass
class Bot:
    """Runs decide() like a cron job would, keeping what it decided as 'sent'."""

    register: Register
    recorded: dict[str, list[Update]] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)

    def run(self, when: str) -> list[Decision]:
        now = at(when)
        decisions = decide(self.register, self.recorded, self.sent, now)
        self.sent += [Sent(d.ident, d.commitment_id, d.kind, d.period, d.deadline, d.n, now) for d in decisions]
        return decisions

    def kinds(self, when: str) -> list[tuple[str, int | None]]:
        return [(d.kind, d.n) for d in self.run(when)]


def not_after(phrase: str, made: date) -> date:
    """`made`, or a day a year before the end `phrase` reads to when, said on `made`, it would read
    to a time already over ("early 2023" made in 2024), which the register refuses as a typo in the
    year: for generated registers."""
    from bot.when.dates import resolve

    window = resolve(phrase, made)
    if window.latest is None or window.latest >= made:
        return made
    return window.latest - timedelta(days=365)
