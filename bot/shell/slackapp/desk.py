"""What the Slack app's handlers need from the rest of the bot, built once by `slack serve` or `run`.

Handlers never read files or the clock themselves: the desk gives them the register (the last
valid one when an edit broke the file), the store, `now`, who is in which user group, and a way
to deliver what a recorded update decided, through the same check every other run uses (so a
reply in the thread is the alert itself, sent exactly once).

Delivery happens after the handler has answered Slack (Slack gives three seconds; a post can take
longer): `deliver` hands it to one courier thread, and asks made while it works are folded into
its next pass, so ten people recording at once cost one or two passes, not ten in a row.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from bot.register.model import Commitment, Register
from bot.register.problems import only_text
from bot.register.routing import routed
from bot.shell.slackapp.access import Groups
from notifiers.slack.blocks import clip

if TYPE_CHECKING:
    from bot.shell.context import Context
    from bot.shell.service import CheckResult
    from storage.repository import Store

log = logging.getLogger("commitment_bot.slack")


def plain_error(e: BaseException) -> str:
    """One line saying what went wrong, without the SQL or the values it carried (user text)."""
    orig = getattr(e, "orig", None) or e
    first = (str(orig).strip().splitlines() or [""])[0]
    return f"{type(orig).__name__}: {first}"[:200]


def database_trouble(e: BaseException) -> str | None:
    """What a person is told when the database failed a read, or None when `e` is not the
    database's (a bug: let it be logged with its traceback). The log gets one line."""
    from storage.errors import is_busy, trouble

    said = trouble(e)
    if said is None:
        return None
    log.warning("answering from the database failed: %s", plain_error(e))
    if is_busy(e):
        return "The bot's database is busy (another process holds it). Try again in a minute."
    return f"The bot's database is out of reach ({said}). Try again in a minute."


def not_recorded(e: BaseException) -> str:
    """What a person is told when recording failed (a locked or unreachable database): nothing was
    recorded, and when to try again. The log gets one line."""
    log.warning("recording from Slack failed: %s", plain_error(e))
    return (f"Nothing was recorded: the database is busy or out of reach ({clip(plain_error(e), 200)}). "
            "Try again in a minute.")


class Courier:
    """Runs `work` in one background thread at a time; each `ask` is served by a pass that starts
    after it, and its `then` runs after that pass. A pass is given the commitments the asks it
    serves touched (None: all of them)."""

    def __init__(self, work: Callable[[set[str] | None], object]) -> None:
        self.work = work
        self.cv = threading.Condition()
        self.asked = self.done = 0
        self.running = False
        self.waiting: list[tuple[int, Callable[[], None]]] = []
        self.touched: set[str] | None = set()  # what the asks not yet served touched; None: everything

    def ask(self, then: Callable[[], None] | None = None, touched: str | None = None) -> None:
        with self.cv:
            self.asked += 1
            if then is not None:
                self.waiting.append((self.asked, then))
            if touched is None:
                self.touched = None
            elif self.touched is not None:
                self.touched.add(touched)
            if self.running:
                return
            self.running = True
        threading.Thread(target=self._run, daemon=True, name="slack-app-delivery").start()

    def idle(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the passes asked for so far to finish."""
        with self.cv:
            return self.cv.wait_for(lambda: not self.running, timeout)

    def served(self, asks: int, timeout: float) -> bool:
        """Wait up to `timeout` seconds until the first `asks` asks have had their pass."""
        with self.cv:
            return self.cv.wait_for(lambda: self.done >= asks, timeout)

    def _run(self) -> None:
        while True:
            with self.cv:
                upto = self.asked
                if self.done >= upto:
                    self.running = False
                    self.cv.notify_all()
                    return
                touched, self.touched = self.touched, set()
            _quietly("delivering what Slack recorded", partial(self.work, touched))
            with self.cv:
                due = [then for n, then in self.waiting if n <= upto]
                self.waiting = [(n, then) for n, then in self.waiting if n > upto]
            for then in due:
                _quietly("answering after a delivery", then)
            with self.cv:
                self.done = upto
                self.cv.notify_all()


def _quietly(what: str, do: Callable[[], object]) -> None:
    """Run `do`; a failure is one line in the log (the next scheduled check delivers what is owed)."""
    try:
        do()
    except Exception as e:  # noqa: BLE001 - the courier must outlive a locked database or a Slack outage
        log.warning("%s failed: %s", what, plain_error(e))


@dataclass
class Desk:
    context: Context  # the settings, the store and the register, as every entry point shares them
    clock: Callable[[str], datetime]  # now, in a timezone: the wall clock, or a fixed `--now` in tests
    lock: threading.Lock = field(default_factory=threading.Lock)  # the context keeps what it read: one reader at a time
    groups: Groups = field(default_factory=Groups)
    delivering: threading.Lock = field(default_factory=threading.Lock)
    courier: Courier = field(init=False)
    names: dict[str, str | None] = field(default_factory=dict)  # user id → display name, asked once per process

    def __post_init__(self) -> None:
        self.courier = Courier(self.check_now)

    @property
    def store(self) -> Store:
        return self.context.store

    def register(self) -> tuple[Register, str]:
        with self.lock:
            loaded = self.context.load()
            return loaded.register, loaded.source_hash

    def now(self, register: Register) -> datetime:
        return self.clock(register.timezone)

    def commitment(self, commitment_id: str) -> tuple[Register, Commitment | None]:
        register, _ = self.register()
        return register, register.by_id().get(commitment_id)

    def display_name(self, client: object, user: str, payload: dict[str, object] | None = None) -> str | None:
        """The name people know `user` by, as Slack shows it now (SPEC §7.2: kept with what they
        record, so the register file and the site never show a bare id). When Slack cannot say (no
        `users:read` scope, a rate limit), the name Slack put in the interaction `payload` itself;
        None when there is none either: the user id is kept in the database either way, never as a name.
        A name is text (SPEC §2): what Slack sends that is not (a control, a noncharacter) is dropped."""
        if user in self.names:
            return self.names[user]
        try:
            profile = (client.users_info(user=user).get("user") or {})  # type: ignore[attr-defined]
        except Exception as e:  # noqa: BLE001 - a name is a courtesy: recording never waits on it
            log.info("users.info for a recorder failed: %s", plain_error(e))
            return payload_name(payload, user)
        names = ((profile.get("profile") or {}).get("display_name"), profile.get("real_name"))
        self.names[user] = next((name for given in names if (name := _text(given))), None)
        return self.names[user]

    def slack_channels(self, register: Register, c: Commitment) -> tuple[str, ...]:
        """The channel names (without #) the commitment's alerts go to."""
        return tuple(t.split(":", 1)[1].lstrip("#") for t in routed(c, register.routes) if t.startswith("slack:"))

    def deliver(self, then: Callable[[], None] | None = None, touched: str | None = None) -> None:
        """Decide and deliver soon, after the handler answered Slack; `then` runs after a pass
        that began after this call, so it sees what this call's update decided. `touched` is the
        commitment the update was recorded for: only it is decided (None: the whole register)."""
        self.courier.ask(then, touched)

    def check_now(self, only: set[str] | None = None) -> CheckResult:
        """Decide and deliver now, as a scheduled check would: what a recorded update decided
        (news, a slip, a closure) reaches every channel it is routed to, once. Reading the
        register does not wait for a delivery in progress; two deliveries never overlap."""
        import notifiers
        from bot.shell import usecases

        register, source_hash = self.register()
        store, settings = self.context.store, self.context.settings
        with self.delivering:
            channels = notifiers.build(settings, sys.stdout, store.threads)
            return usecases.check(store, register, source_hash, self.now(register), channels,
                                  lease_seconds=settings.claim_lease_seconds, only=only)


def payload_name(payload: dict[str, object] | None, user: str) -> str | None:
    """The name Slack sends with an interaction: `user.username` (or `user.name`) in a block action
    or a view submission, `user_name` in a slash command; None when absent or only the id again."""
    if not payload:
        return None
    who = payload.get("user")
    names = [who.get("username"), who.get("name")] if isinstance(who, dict) else []
    for given in [*names, payload.get("user_name")]:
        if (name := _text(given)) and name.upper() != user.upper():
            return name
    return None


def _text(name: object) -> str:
    """A name Slack sent, as text (its controls and noncharacters dropped); "" when it holds none."""
    return only_text(name) if isinstance(name, str) else ""
