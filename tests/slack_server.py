"""A local Slack Web API server: the edge of the outside world the Slack tests talk to.

It speaks the handful of methods the bot uses, the way Slack documents them: form or JSON
bodies, a bearer token, `{"ok": false, "error": ...}` answers, `429` with `Retry-After`,
threads and message metadata. Tests script its failures (the next N calls, or one channel,
answer 429 / 5xx / slowly / with any `ok:false` error), take scopes away, and read back every
request it got. A slow post can land before its late answer, land late (after the client gave
up), or never land. History and replies page and filter as Slack documents, returning message
metadata only when asked (`include_all_metadata`). The real `slack_sdk.WebClient` is pointed at
it through `SLACK_API_URL`.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

import pytest

from bot.decide.alerts import Alert, PromiseView, UpdateView

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


class Handler(BaseHTTPRequestHandler):
    server: SlackHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        self._handle()

    def do_GET(self) -> None:
        self._handle()

    def _handle(self) -> None:
        state = self.server.state
        url = urlparse(self.path)
        method = url.path.rsplit("/", 1)[-1]
        params, token = self._read(url.query)
        if url.path.startswith("/response/"):  # a slash command's or a click's response_url
            with state.received:
                state.responses.append({"url": url.path, **params})
                state.received.notify_all()
            self._send(200, "ok")
            return
        call = Call(method, params, token, time.monotonic())
        with state.received:
            state.calls.append(call)
            state.received.notify_all()
        fault = state.take_fault(method, params)
        if fault and fault.status != 200:
            call.status = fault.status
            self._reply_fault(fault)
            return
        if fault and fault.error:
            call.status = 200
            self._send(200, {"ok": False, "error": fault.error})
            return
        if fault and fault.lands != "now":
            self._wait(fault)
            if fault.lands == "never":  # Slack lost it: nothing stored, no answer
                self.close_connection = True
                return
        status, body = self._answer(state, method, params, token)
        call.status = status
        if fault and fault.lands == "now":
            self._wait(fault)
        with state.received:
            state.received.notify_all()  # a late landing wakes tests waiting for it
        self._send(status, body)

    @staticmethod
    def _wait(fault: Fault) -> None:
        if fault.hold is not None:
            fault.hold.wait(60)
        if fault.delay:
            time.sleep(fault.delay)  # the world being slow, not a test waiting

    def _read(self, query: str) -> tuple[dict[str, Any], str | None]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        params: dict[str, Any] = dict(parse_qsl(query))
        if "json" in (self.headers.get("Content-Type") or "") and raw:
            params.update(json.loads(raw))
        elif raw:
            params.update(dict(parse_qsl(raw)))
        for key in ("blocks", "metadata", "view"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        auth = self.headers.get("Authorization") or ""
        token = auth[7:] if auth.startswith("Bearer ") else params.pop("token", None)
        return params, token

    def _reply_fault(self, fault: Fault) -> None:
        if fault.status == 429:
            self._send(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(fault.retry_after)})
        else:
            self._send(fault.status, "upstream connect error or disconnect/reset before headers")

    def _answer(self, state: SlackState, method: str, params: dict[str, Any],
                token: str | None) -> tuple[int, dict[str, Any]]:
        if token is None:
            return 200, {"ok": False, "error": "not_authed"}
        if method == "apps.connections.open":  # the one method that takes the app-level token
            return apps_connections_open(state, token)
        if token not in state.tokens:
            return 200, {"ok": False, "error": "invalid_auth"}
        handler = METHODS.get(method)
        if handler is None:
            return 404, {"ok": False, "error": "unknown_method"}
        with state.lock:
            missing = _missing_scope(state, method, params)
            return missing if missing is not None else handler(state, params)

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = (json.dumps(body) if isinstance(body, dict) else str(body)).encode()
        try:
            self.send_response(status)
            ctype = "application/json; charset=utf-8" if isinstance(body, dict) else "text/plain"
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass


def _true(value: Any) -> bool:
    return str(value).lower() in ("true", "1")


def _ok(**fields: Any) -> tuple[int, dict[str, Any]]:
    return 200, {"ok": True, **fields}


def _err(error: str) -> tuple[int, dict[str, Any]]:
    return 200, {"ok": False, "error": error}


def auth_test(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return _ok(url="https://advocacy.slack.com/", team="Advocacy", user="commitment-bot",
               team_id="T0TEST", user_id="U0BOT", bot_id="B0BOT")


def _missing_scope(state: SlackState, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
    """Slack's answer when the token lacks the scope a method needs, naming the one to add."""
    public, private = NEEDS.get(method, ("", ""))
    channel = state.channel(str(params.get("channel", "")))
    needed = private if channel is not None and channel.private else public
    granted = state.scopes.split(",")
    if not needed or needed in granted:
        return None
    return 200, {"ok": False, "error": "missing_scope", "needed": needed, "provided": state.scopes}


def _writable(state: SlackState, params: dict[str, Any]) -> Channel | str:
    channel = state.channel(str(params.get("channel", "")))
    if channel is None:
        return "channel_not_found"
    if channel.archived:
        return "is_archived"
    if not channel.member:
        return "not_in_channel"
    return channel


def _rate_limited(state: SlackState, channel: Channel) -> float | None:
    if state.rate_per_channel is None:
        return None
    now = time.monotonic()
    last = state.last_post.get(channel.id)
    gap = 1.0 / state.rate_per_channel
    if last is not None and now - last < gap:
        return gap - (now - last)
    state.last_post[channel.id] = now
    return None


def post_message(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    channel = _writable(state, params)
    if isinstance(channel, str):
        return _err(channel)
    if not params.get("text") and not params.get("blocks"):
        return _err("no_text")
    if len(params.get("blocks") or []) > 50:
        return _err("invalid_blocks")
    if len(json.dumps(params.get("metadata") or {})) > METADATA_MAX:
        return _err("metadata_too_large")
    thread_ts = params.get("thread_ts")
    if thread_ts and not any(m.ts == thread_ts and not m.deleted and m.channel == channel.id
                             for m in state.messages):
        return _err("thread_not_found")
    wait = _rate_limited(state, channel)
    if wait is not None:
        return 429, {"ok": False, "error": "ratelimited", "_retry_after": wait}
    m = Message(channel.id, state.next_ts(), str(params.get("text") or ""), params.get("blocks"),
                thread_ts, _true(params.get("reply_broadcast")), params.get("metadata"))
    state.messages.append(m)
    return _ok(channel=channel.id, ts=m.ts, message=_shape(state, m, True))


def update_message(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    channel = _writable(state, params)
    if isinstance(channel, str):
        return _err(channel)
    for m in state.messages:
        if m.channel == channel.id and m.ts == params.get("ts") and not m.deleted:
            m.text = str(params.get("text") or m.text)
            m.blocks = params.get("blocks") or m.blocks
            return _ok(channel=channel.id, ts=m.ts, text=m.text, message=_shape(state, m, True))
    return _err("message_not_found")


def get_permalink(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    channel = state.channels.get(str(params.get("channel", "")))  # Slack wants the id here
    if channel is None:
        return _err("channel_not_found")
    for m in state.messages:
        if m.channel == channel.id and m.ts == params.get("message_ts") and not m.deleted:
            link = f"https://advocacy.slack.com/archives/{channel.id}/p{m.ts.replace('.', '')}"
            if m.thread_ts:
                link += f"?thread_ts={m.thread_ts}&cid={channel.id}"
            return _ok(channel=channel.id, permalink=link)
    return _err("message_not_found")


def list_conversations(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    chans = [{"id": c.id, "name": c.name, "is_archived": c.archived, "is_member": c.member}
             for c in state.channels.values()]
    return _ok(channels=chans, response_metadata={"next_cursor": ""})


def _readable(state: SlackState, params: dict[str, Any]) -> Channel | str:
    channel = state.channels.get(str(params.get("channel", "")))  # Slack wants the id here
    if channel is None:
        return "channel_not_found"
    if not channel.member:  # a private channel the bot is not in does not exist for it
        return "channel_not_found" if channel.private else "not_in_channel"
    return channel


def _page(state: SlackState, found: list[Message], params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """One page of `found` (already in Slack's order), `limit` at a time, with Slack's cursor."""
    start = int(params.get("cursor") or 0)
    limit = max(1, min(int(params.get("limit") or 100), 999))
    with_meta = _true(params.get("include_all_metadata"))
    page = [_shape(state, m, with_meta) for m in found[start:start + limit]]
    more = start + limit < len(found)
    return _ok(messages=page, has_more=more, response_metadata={"next_cursor": str(start + limit) if more else ""})


def _between(m: Message, params: dict[str, Any]) -> bool:
    return float(params.get("oldest") or 0) <= float(m.ts) <= float(params.get("latest") or "inf")


def history(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Newest first; thread replies only when broadcast to the channel, as in Slack."""
    channel = _readable(state, params)
    if isinstance(channel, str):
        return _err(channel)
    found = [m for m in reversed(state.messages) if m.channel == channel.id and not m.deleted
             and _between(m, params) and (m.thread_ts is None or m.reply_broadcast)]
    return _page(state, found, params)


def replies(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The parent first, then the replies in `oldest`..`latest`, oldest first."""
    channel = _readable(state, params)
    if isinstance(channel, str):
        return _err(channel)
    root = params.get("ts")
    parent = [m for m in state.messages if m.channel == channel.id and not m.deleted and m.ts == root]
    if not parent:
        return _err("thread_not_found")
    found = parent + [m for m in state.messages if m.channel == channel.id and not m.deleted
                      and m.thread_ts == root and m.ts != root and _between(m, params)]
    return _page(state, found, params)


def _shape(state: SlackState, m: Message, with_meta: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "message", "ts": m.ts, "text": m.text, "user": "U0BOT", "bot_id": "B0BOT"}
    if m.blocks:
        out["blocks"] = m.blocks
    if m.thread_ts:
        out["thread_ts"] = m.thread_ts
    thread = [r.ts for r in state.messages if r.thread_ts == m.ts and r.ts != m.ts and not r.deleted]
    if thread and m.thread_ts is None:
        out.update(thread_ts=m.ts, reply_count=len(thread), latest_reply=thread[-1])
    if with_meta and m.metadata:
        out["metadata"] = m.metadata
    return out


def apps_connections_open(state: SlackState, token: str) -> tuple[int, dict[str, Any]]:
    if token not in state.app_tokens:
        return _err("invalid_auth")
    if state.socket_url is None:
        return _err("socket_mode_not_enabled")
    return _ok(url=state.socket_url)


def _view_out(view_id: str, view: dict[str, Any]) -> dict[str, Any]:
    return {**view, "id": view_id, "hash": f"h{len(json.dumps(view))}"}


def views_open(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    view = _json(params.get("view"))
    if not params.get("trigger_id"):
        return _err("invalid_trigger_id")
    if view.get("type") != "modal" or len(view.get("blocks") or []) > 100:
        return _err("invalid_arguments")
    view_id = f"V0{len(state.views) + 1:07d}"
    state.views[view_id] = view
    state.view_calls.append(("open", view))
    return _ok(view=_view_out(view_id, view))


def views_update(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    view_id = str(params.get("view_id") or "")
    if view_id not in state.views:
        return _err("not_found")
    view = _json(params.get("view"))
    state.views[view_id] = view
    state.view_calls.append(("update", view))
    return _ok(view=_view_out(view_id, view))


def views_publish(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    view = _json(params.get("view"))
    if view.get("type") != "home":
        return _err("invalid_arguments")
    state.homes[str(params.get("user_id"))] = view
    return _ok(view=_view_out(f"VH{params.get('user_id')}", view))


def post_ephemeral(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    channel = _writable(state, params)
    if isinstance(channel, str):
        return _err(channel)
    state.ephemeral.append({**params, "channel": channel.id})
    return _ok(message_ts=state.next_ts())


def users_conversations(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    mine = state.members.get(str(params.get("user")), set())
    chans = [{"id": c.id, "name": c.name} for c in state.channels.values() if c.id in mine]
    return _ok(channels=chans, response_metadata={"next_cursor": ""})


def usergroup_users(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    group = str(params.get("usergroup"))
    return _ok(users=state.usergroups[group]) if group in state.usergroups else _err("no_such_subteam")


def users_info(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """users.info as Slack answers it (https://api.slack.com/methods/users.info): the profile's
    display_name (empty when the person never set one) and real_name."""
    user = str(params.get("user"))
    names = state.names.get(user)
    if names is None:
        return _err("user_not_found")
    display, real = names
    return _ok(user={"id": user, "name": real.lower().replace(" ", "."), "real_name": real,
                     "profile": {"display_name": display, "real_name": real}})


def _json(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else dict(value or {})


METHODS = {
    "auth.test": auth_test,
    "views.open": views_open,
    "views.update": views_update,
    "views.publish": views_publish,
    "chat.postEphemeral": post_ephemeral,
    "users.conversations": users_conversations,
    "usergroups.users.list": usergroup_users,
    "users.info": users_info,
    "chat.postMessage": post_message,
    "chat.update": update_message,
    "chat.getPermalink": get_permalink,
    "conversations.list": list_conversations,
    "conversations.history": history,
    "conversations.replies": replies,
}


class SlackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # Slack's edge takes many connections at once; a backlog of 5 resets them

    def __init__(self, state: SlackState) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.state = state


class _RateAwareHandler(Handler):
    """Turns the rate limiter's `_retry_after` into a real 429 with a whole-second header."""

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        if isinstance(body, dict) and "_retry_after" in body:
            wait = body.pop("_retry_after")
            headers = {**(headers or {}), "Retry-After": str(max(1, int(wait + 0.999)))}
        super()._send(status, body, headers)


class SlackServer:
    """The server in a background thread on a free loopback port; `url` is SLACK_API_URL."""

    def __init__(self) -> None:
        self.state = SlackState()
        self.httpd = SlackHTTPServer(self.state)
        self.httpd.RequestHandlerClass = _RateAwareHandler
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/api/"

    def __enter__(self) -> SlackServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(name="slack")
def running_slack() -> Iterator[SlackState]:
    """A running server with #mvp-watch and #commitments; `slack.url` is its API base."""
    with SlackServer() as server:
        server.state.add_channel("mvp-watch")
        server.state.add_channel("commitments")
        server.state.url = server.url  # type: ignore[attr-defined]
        yield server.state


# -- what the Slack tests share: a register with every kind of alert, and reading back --------
REGISTER = """\
version: 1
timezone: Europe/London
defaults: {grace: 0 days}
routes:
  - match: {tags: [quiet]}
    slack: ["#commitments"]
  - slack: ["#mvp-watch"]
commitments:
  - id: heads
    title: Publish the review
    owner: Home Office
    made_on: 2022-02-21
    due: 20 September 2022
  - id: lapse
    title: "<!channel> & <http://evil|click>"
    owner: Home Office
    made_by: Lord Sharpe of Epsom
    made_on: 2022-02-21
    due: end August
    source:
      title: Letter to Baroness Meacher
      url: https://example.org/letter.pdf
      quote: "Work has commenced and we aim to implement them by end August."
  - id: slip
    title: Finalise the protocol
    owner: Home Office
    made_on: 2022-02-01
    due: end August
    updates:
      - {date: 2022-08-01, note: now autumn, due: autumn 2022}
      - {date: 2022-09-05, note: Ministers now say later this year, due: later this year}
  - id: quiet
    title: Review the scheme
    owner: DfE
    made_on: 2021-01-01
    due: in due course
    tags: [quiet]
  - id: done
    title: Fund the service
    owner: MoJ
    made_on: 2022-01-01
    due: end of 2022
    tags: [quiet]
    updates:
      - {date: 2022-09-01, note: funded, status: delivered, source: {title: Press release, url: "https://example.org/p"}}
"""
NOW = "2022-09-09T09:00"
EXPECTED = {("heads", "heads-up"), ("lapse", "lapsed"), ("slip", "slipped"), ("quiet", "silent"),
            ("done", "closed")}


def slack_env(state: SlackState, **extra: str) -> dict[str, str]:
    """The environment a user would set, plus fast pacing so tests do not wait a second a message."""
    return {"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": state.url,  # type: ignore[attr-defined]
            "SLACK_MIN_INTERVAL_SECONDS": "0", "SLACK_RETRY_BUDGET_SECONDS": "20", **extra}


def posted_kinds(state: SlackState) -> list[tuple[str, str]]:
    """(commitment, kind) of every message the server kept, from the metadata the bot attaches."""
    out = []
    for m in state.posted():
        payload = (m.metadata or {}).get("event_payload") or {}
        out.append((payload.get("commitment", ""), payload.get("kind", "")))
    return out


def message_for(state: SlackState, commitment: str, kind: str) -> Message:
    found = [m for m in state.posted() if ((m.metadata or {}).get("event_payload") or {}).get("commitment")
             == commitment and m.metadata and m.metadata["event_payload"]["kind"] == kind]
    assert len(found) == 1, f"{commitment}/{kind}: {len(found)} messages"
    return found[0]


def make_alert(**over: Any) -> Alert:
    """A lapsed alert with every register text filled in; `over` replaces any field."""
    base: dict[str, Any] = dict(
        kind="lapsed", id="mvp", title="Implement the protocol", owner="Home Office", made_by="Lord Sharpe",
        made_on="2022-02-21", period=None, source_title="Letter", source_url="https://example.org/letter.pdf",
        quote="We aim to implement them by end August.", words="end August", reading="1 Aug – 31 Aug 2022",
        deadline="2022-08-31", days_overdue=9, n=1, status="open",
        promises=(PromiseView("2022-02-21", "end August", "1 Aug – 31 Aug 2022", "2022-08-31"),), slips=0,
        last_update=UpdateView("2022-08-01", "Still working on it", "Jo", None, "https://example.org/news"),
        routed=("slack:#mvp-watch",))
    return Alert(**{**base, **over})
