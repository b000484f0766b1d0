"""The local Slack's memory: channels, messages, the calls it got and the faults it is told to act out.

Shared by the Web API's handler threads (slack.py) and Socket Mode's edge (socketmode.py) under one
lock, with a condition variable that wakes whoever waits for something to arrive: a test's
`wait_for`, or the sandbox's view of what each channel received.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOKEN = "xoxb-test-token-not-a-secret"
APP_TOKEN = "xapp-test-app-token-not-a-secret"
POSTING = ("chat.postMessage",)
# Slack's limit on a message's metadata is not a number we rely on; the bot keeps its payload
# under 2 KB, and this server refuses anything past 8 KB so a payload that grows is caught.
METADATA_MAX = 8192
# What each method needs beyond a valid token ({public, private} channel for the history ones).
NEEDS = {"chat.postMessage": ("chat:write", "chat:write"), "conversations.list": ("channels:read", "channels:read"),
         "conversations.history": ("channels:history", "groups:history"),
         "conversations.replies": ("channels:history", "groups:history")}


@dataclass
class Fault:
    """One scripted misbehaviour, applied to the next `times` matching calls.

    status 429 answers with `Retry-After`; 5xx with a plain-text body (as Slack's edge does);
    `error` answers 200 `ok:false`; `delay` answers slowly *after* doing the work (the worst
    case: Slack posted, the client never heard); `hold` blocks until the event is set.
    `lands` says when a held or delayed post reaches the channel: "now" (before the wait),
    "late" (after it: the client has given up, then the message appears), "never" (dropped).
    """

    status: int = 200
    error: str | None = None
    retry_after: int = 1
    delay: float = 0.0
    hold: threading.Event | None = None
    method: str | None = "chat.postMessage"
    channel: str | None = None  # an id or a #name; None: any
    times: int = 1
    after: int = 0  # let this many matching calls through first
    lands: str = "now"  # "now" | "late" | "never" (see above)


@dataclass
class Channel:
    id: str
    name: str
    member: bool = True
    archived: bool = False
    private: bool = False


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] | None
    thread_ts: str | None
    reply_broadcast: bool
    metadata: dict[str, Any] | None
    deleted: bool = False


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str | None
    at: float
    status: int = 0


@dataclass
class Noise:
    """Random trouble for benchmarks: a share of postMessage calls answer 429 or 5xx."""

    p429: float = 0.0
    p5xx: float = 0.0
    retry_after: int = 1
    seed: int = 7
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)


class SlackState:
    """Channels, messages and scripted faults, shared by the handler threads under one lock."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.tokens = {TOKEN}
        self.scopes = "chat:write,channels:read,groups:read,channels:history,groups:history"
        self.channels: dict[str, Channel] = {}
        self.messages: list[Message] = []
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self.noise: Noise | None = None
        self.rate_per_channel: float | None = None  # messages per second per channel
        self.last_post: dict[str, float] = {}
        self.received = threading.Condition(self.lock)
        self._last_ts = 0.0
        # The app's side (SPEC §6.2): modals, App Home tabs, ephemeral answers, response_url posts.
        self.app_tokens = {APP_TOKEN}
        self.views: dict[str, dict[str, Any]] = {}  # view id → the view as last opened or updated
        self.view_calls: list[tuple[str, dict[str, Any]]] = []  # ("open" | "update", view) in order
        self.homes: dict[str, dict[str, Any]] = {}  # user id → their published App Home view
        self.ephemeral: list[dict[str, Any]] = []  # chat.postEphemeral bodies
        self.responses: list[dict[str, Any]] = []  # bodies posted to a response_url
        self.members: dict[str, set[str]] = {}  # user id → channel ids they are in
        self.usergroups: dict[str, list[str]] = {}  # user-group id → its users
        self.names: dict[str, tuple[str, str]] = {}  # user id → (display name, real name), for users.info
        self.socket_url: str | None = None  # where apps.connections.open sends the app
        self.connecting_since: float | None = None  # when an app last asked apps.connections.open (monotonic)
        self.url = ""  # SLACK_API_URL, once the server listens
        # Where chat.getPermalink points: a workspace's web pages, in the form Slack gives them. The
        # sandbox points it at its own page (`page`, served by the stand-in), so links stay on loopback.
        self.archive = "https://advocacy.slack.com/archives/"
        self.page: Path | None = None

    # -- setting the scene -------------------------------------------------------------------
    def add_channel(self, name: str, member: bool = True, archived: bool = False, private: bool = False) -> Channel:
        with self.lock:
            cid = f"C0{len(self.channels) + 1:07d}AB"
            channel = Channel(cid, name.lstrip("#"), member, archived, private)
            self.channels[cid] = channel
            return channel

    def channel(self, ref: str) -> Channel | None:
        with self.lock:
            if ref in self.channels:
                return self.channels[ref]
            name = ref.lstrip("#")
            return next((c for c in self.channels.values() if c.name == name), None)

    def fail(self, *faults: Fault) -> None:
        with self.lock:
            self.faults.extend(faults)

    def delete(self, ts: str) -> None:
        with self.lock:
            for m in self.messages:
                if m.ts == ts:
                    m.deleted = True

    # -- reading back --------------------------------------------------------------------------
    def posted(self, channel: str | None = None) -> list[Message]:
        with self.lock:
            c = self.channel(channel) if channel else None
            return [m for m in self.messages if c is None or m.channel == c.id]

    def top_level(self, channel: str | None = None) -> list[Message]:
        """What a person scrolling the channel sees: messages that are not thread replies."""
        return [m for m in self.posted(channel) if m.thread_ts is None]

    def drop_scope(self, scope: str) -> None:
        with self.lock:
            self.scopes = ",".join(s for s in self.scopes.split(",") if s != scope)

    def calls_to(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, predicate: Any, timeout: float = 30.0) -> bool:
        """Block until predicate(state) holds (a condition variable, not a sleep loop)."""
        with self.received:
            return self.received.wait_for(lambda: predicate(self), timeout)

    # -- the handler's side --------------------------------------------------------------------
    def next_ts(self) -> str:
        with self.lock:
            self._last_ts = max(time.time(), self._last_ts + 0.000001)
            return f"{self._last_ts:.6f}"

    def take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        with self.lock:
            ref = str(params.get("channel", ""))
            target = self.channel(ref) if ref else None
            for f in self.faults:
                if f.method not in (None, method):
                    continue
                if f.channel is not None and (target is None or self.channel(f.channel) is not target):
                    continue
                if f.after > 0:
                    f.after -= 1
                    continue
                f.times -= 1
                if f.times <= 0:
                    self.faults.remove(f)
                return f
            if self.noise and method in POSTING:
                roll = self.noise.rng.random()
                if roll < self.noise.p429:
                    return Fault(status=429, retry_after=self.noise.retry_after)
                if roll < self.noise.p429 + self.noise.p5xx:
                    return Fault(status=503)
            return None
