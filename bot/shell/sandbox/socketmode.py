"""Slack's side of the app (SPEC §6.2), on loopback: Socket Mode's WebSocket and signed HTTP, for the
tests and the sandbox.

`SocketMode` speaks Socket Mode's envelope protocol over a real WebSocket (the `websockets`
library): a `hello` when the app connects, then `events_api`, `interactive` and
`slash_commands` envelopes, each waiting for the app's ack (and the ack's payload, which is how
a view submission answers with errors). `signed` builds the request Slack's HTTP delivery would
send, signed with the signing secret as Slack documents (v0 HMAC-SHA256 of "v0:ts:body").
The payload builders give the shapes Slack sends for a button click, a view submission, a slash
command and an App Home opening.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from bot.shell.sandbox.slackstate import Channel, SlackState

SIGNING_SECRET = "test-signing-secret-not-a-secret"
TEAM = {"id": "T0TEST", "domain": "advocacy"}
_ids = itertools.count(1)


class SocketMode:
    """The Socket Mode edge: the app asks `apps.connections.open` for `state.socket_url`, connects here."""

    def __init__(self, state: SlackState, port: int = 0) -> None:
        self.state = state
        self.lock = threading.Condition()
        self.connections: list[ServerConnection] = []
        self.acks: dict[str, dict[str, Any] | None] = {}
        self.server: Server = serve(self._session, "127.0.0.1", port)
        port = self.server.socket.getsockname()[1]
        state.socket_url = f"ws://127.0.0.1:{port}/link/?ticket=local"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True, name="socket-mode-standin")

    def __enter__(self) -> SocketMode:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()

    def _session(self, conn: ServerConnection) -> None:
        conn.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0TEST"},
                              "debug_info": {"host": "local", "approximate_connection_time": 18060}}))
        with self.lock:
            self.connections.append(conn)
            self.state.connecting_since = None  # it arrived
            self.lock.notify_all()
        try:
            for raw in conn:
                message = json.loads(raw)
                with self.lock:
                    if "envelope_id" in message:
                        self.acks[message["envelope_id"]] = message.get("payload")
                        self.lock.notify_all()
        except ConnectionClosed:  # the app went away without a close frame (a stopped process): as Slack sees it
            pass
        finally:
            with self.lock:  # a stopped app gets no more envelopes; the next one to connect does
                self.connections.remove(conn)

    def connected(self, timeout: float) -> bool:
        """Whether an app is connected, waiting up to `timeout` seconds for one."""
        with self.lock:
            return bool(self.lock.wait_for(lambda: self.connections, timeout))

    def awaited(self, limit: float) -> bool:
        """Whether an app is connected: at once when none is, or waiting for one that is connecting
        (it asked apps.connections.open less than `limit` seconds ago) until `limit` has passed."""
        since = self.state.connecting_since
        left = 0.0 if since is None else max(0.0, since + limit - time.monotonic())
        return self.connected(left)

    def send(self, kind: str, payload: dict[str, Any], timeout: float = 20.0) -> str:
        """Send one envelope to the connected app; its id, for `ack`."""
        with self.lock:
            if not self.lock.wait_for(lambda: self.connections, timeout):
                raise AssertionError("the app never connected over Socket Mode")
            conn = self.connections[-1]
        envelope_id = f"env-{next(_ids)}"
        conn.send(json.dumps({"envelope_id": envelope_id, "type": kind, "payload": payload,
                              "accepts_response_payload": kind != "events_api", "retry_attempt": 0,
                              "retry_reason": ""}))
        return envelope_id

    def ack(self, envelope_id: str, timeout: float = 20.0) -> dict[str, Any] | None:
        """The payload of the app's ack (None when it acked without one); fails if it never acked."""
        with self.lock:
            if not self.lock.wait_for(lambda: envelope_id in self.acks, timeout):
                raise AssertionError(f"no ack for {envelope_id}")
            return self.acks[envelope_id]


def signature(body: bytes, ts: str, secret: str = SIGNING_SECRET) -> str:
    base = b"v0:" + ts.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed(body: bytes, content_type: str, secret: str = SIGNING_SECRET, ts: str | None = None) -> dict[str, str]:
    ts = ts or str(int(time.time()))
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature(body, ts, secret)}


def as_form(payload: dict[str, Any]) -> bytes:
    """An interactive payload as Slack's HTTP delivery sends it: `payload=<json>`, form-encoded."""
    return urlencode({"payload": json.dumps(payload)}).encode()


def click(state: SlackState, action: str, value: dict[str, Any], user: str, channel: str, message_ts: str,
          thread_ts: str | None = None) -> dict[str, Any]:
    c = _known(state, channel)
    return {"type": "block_actions", "user": {"id": user, "username": user.lower(), "team_id": TEAM["id"]},
            "api_app_id": "A0TEST", "token": "legacy", "team": TEAM, "trigger_id": f"trig-{next(_ids)}",
            "container": {"type": "message", "message_ts": message_ts, "channel_id": c.id, "is_ephemeral": False},
            "channel": {"id": c.id, "name": c.name},
            "message": {"type": "message", "ts": message_ts, "thread_ts": thread_ts or message_ts, "text": ""},
            "response_url": state.url.replace("/api/", f"/response/{next(_ids)}"),
            "actions": [{"action_id": action, "block_id": "actions", "type": "button", "value": json.dumps(value),
                         "action_ts": str(time.time())}]}


def _known(state: SlackState, channel: str) -> Channel:
    found = state.channel(channel)
    if found is None:
        raise ValueError(f"the local Slack has no channel {channel}")
    return found


def submission(view: dict[str, Any], view_id: str, user: str, values: dict[str, Any]) -> dict[str, Any]:
    """A view submission of `view` (as opened) with `values`: {block_id: value}; a date is "YYYY-MM-DD"."""
    state: dict[str, dict[str, Any]] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        bid, element = block["block_id"], block["element"]
        value = values.get(bid)
        kind = element["type"]
        if kind == "datepicker":
            entry: dict[str, Any] = {"type": kind, "selected_date": value}
        elif kind == "static_select":
            entry = {"type": kind, "selected_option": {"text": {"type": "plain_text", "text": value},
                                                       "value": value} if value else None}
        else:
            entry = {"type": kind, "value": value}
        state[bid] = {element["action_id"]: entry}
    return {"type": "view_submission", "team": TEAM, "user": {"id": user, "username": user.lower(), "team_id": TEAM["id"]},
            "api_app_id": "A0TEST", "token": "legacy", "trigger_id": f"trig-{next(_ids)}",
            "view": {**view, "id": view_id, "hash": "h", "state": {"values": state}}, "response_urls": []}


def slash(state: SlackState, text: str, user: str, channel: str) -> dict[str, Any]:
    c = _known(state, channel)
    return {"token": "legacy", "team_id": TEAM["id"], "team_domain": TEAM["domain"], "channel_id": c.id,
            "channel_name": c.name, "user_id": user, "user_name": user.lower(), "command": "/commitments",
            "text": text, "api_app_id": "A0TEST", "trigger_id": f"trig-{next(_ids)}",
            "response_url": state.url.replace("/api/", f"/response/{next(_ids)}")}


def home_opened(user: str) -> dict[str, Any]:
    return {"token": "legacy", "team_id": TEAM["id"], "api_app_id": "A0TEST", "type": "event_callback",
            "event_id": f"Ev{next(_ids)}", "event_time": int(time.time()),
            "event": {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home",
                      "event_ts": str(time.time())}}


def views_opened(state: SlackState) -> Iterator[tuple[str, dict[str, Any]]]:
    with state.lock:
        yield from list(state.views.items())
