"""The one small contract every channel implements.

A notifier gets the queued alerts for one target and yields an `Outcome` as soon as each
message is accepted or refused, so the shell records it at once: the only window in which a
crash could send twice is between the channel's answer and that record. A channel subclasses
`Notifier`, and says with two flags how the shell should hand it rows (both off by default).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # annotations only: `--help` builds the channel registry without loading the core
    from bot.decide.alerts import Alert
    from bot.decide.threads import Anchor


@dataclass(frozen=True)
class Delivery:
    id: int  # the notification row
    target: str  # "slack:#x", "email:a@b.org" or "console"
    alert: Alert
    ident: str = ""  # the notification's identity (SPEC §3), the same in every database
    # Set when an earlier post of this row got no answer (a timeout): it may have landed, so the
    # channel must look for it (by `ident`) before posting again; never repost blindly.
    unsure_since: datetime | None = None


@dataclass(frozen=True)
class Outcome:
    ids: tuple[int, ...]  # the rows this message covered (a summary covers several)
    error: str | None = None  # None: delivered
    permanent: bool = False  # True: retrying will not help until someone fixes the cause
    retry_after: float | None = None  # seconds the channel asked us to wait
    meta: dict[str, Any] = field(default_factory=dict)
    # The message was sent but no answer came: it may have landed. The shell keeps the row with
    # `unsure_since` set and retries no sooner than `retry_after`, when it could have landed.
    unsure: bool = False
    anchor: Anchor | None = None  # a thread this message started: the shell records it


    @property
    def ok(self) -> bool:
        return self.error is None


class Notifier(ABC):
    channel: str  # the prefix of the targets it serves: "console", "slack", "email"
    # True: hand it all of a target's due rows in one call, for a channel that sums many alerts up
    # in one message per target per run. False: batches of the shell's size (bot.shell.delivery.BATCH).
    claim_all: bool = False
    # True: `deliver` is safe on several threads at once (one target each), so the shell drains
    # this channel's targets side by side, e.g. Slack's rate limit is per channel. False: one by one.
    parallel_targets: bool = False

    @abstractmethod
    def deliver(self, target: str, batch: Sequence[Delivery]) -> Iterator[Outcome]:
        """Send the batch (one target, one cycle); yield an Outcome per message sent or refused."""

    def serves(self, target: str) -> bool:
        """Whether the settings have what `target` needs. The shell holds the alerts of a target its
        channel cannot serve (SPEC §6.5), exactly as for a channel not configured at all, and releases
        the ones still current once it can. Most channels serve every address once configured; one
        whose addresses each need a setting of their own says so here (a webhook URL per name)."""
        return True


@dataclass(frozen=True)
class Threads:
    """The bot's threads, as every channel's `build` is handed them: where each commitment's thread
    is (`anchors`, storage's record, read through notifiers.slack's ThreadAnchors) and, from the
    channel that starts them, a thread's web address (`link`) for another channel's message to give
    (a mail links a commitment's Slack thread). Either is None when nobody knows it."""

    anchors: Any = None
    link: Callable[[Anchor], str | None] | None = None


@dataclass(frozen=True)
class Checked:
    """What `CHANNEL test TARGET` found, in words for the person who ran it."""

    said: str
    ok: bool = True
    permanent: bool = True  # when not ok: only a person can fix it (exit 1); else it may pass later (exit 3)


@dataclass(frozen=True)
class Channel:
    """One registry line: what the rest of the bot needs to know about a channel.

    `check_target` is pure (no I/O imports), so validating a register never loads an SDK;
    `build` imports the transport only when the channel is configured (a channel whose addresses each
    need a setting of their own says which are served by its notifier's `serves`). `test`, when a channel
    has one, becomes `commitment-bot NAME test TARGET` (bot/shell/cli/channels.py), so a new
    channel's setup check needs no CLI module of its own.
    """

    name: str  # the register key ("slack") and the target prefix ("slack:#x")
    check_target: Callable[[str], str | None]  # why an address is not one of ours, or None
    configured: Callable[[Any], bool]  # whether the settings have what it needs
    build: Callable[[Any, TextIO, Threads], Notifier | None]  # (settings, stream, the bot's threads)
    example: str  # an address as a maintainer would write it, for messages and the README
    test: Callable[[Any, str], Checked] | None = None  # (settings, address): post a test message, say how it went
    # address → the setting it needs of its own, for `status` and `check` to name of its held alerts
    setting: Callable[[str], str] | None = None
    # settings → a maker of web links to the threads this channel starts (Slack's permalinks), which the
    # registry hands every channel in `Threads.link`; None: it starts none, or cannot link them
    links: Callable[[Any], Callable[[Anchor], str | None] | None] | None = None
    messages: tuple[str, str] = ("message", "messages")  # one of its messages, and several, in a summary's words
    # The longest address the database keeps whole (storage.models: a Slack thread's channel is
    # String(200), a notification's target String(400)); `check_target` may refuse sooner, and say why.
    longest: int = 200
