"""A local Slack Web API server: the edge of the outside world the Slack tests, and the sandbox, talk to.

It speaks the handful of methods the bot uses (slackmethods.py), the way Slack documents them: form
or JSON bodies, a bearer token, `{"ok": false, "error": ...}` answers, `429` with `Retry-After`,
threads and message metadata. Tests script its failures (the next N calls, or one channel,
answer 429 / 5xx / slowly / with any `ok:false` error), take scopes away, and read back every
request it got. A slow post can land before its late answer, land late (after the client gave
up), or never land. History and replies page and filter as Slack documents, returning message
metadata only when asked (`include_all_metadata`). The real `slack_sdk.WebClient` is pointed at
it through `SLACK_API_URL`. It also takes what an app posts to a `response_url` (`/response/…`).
Under the sandbox (`state.page` set) it is also the workspace's web pages: `/` is the sandbox's
page and a permalink (`/archives/CHANNEL/pTS`) leads to its message there, so links stay on loopback.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlparse

from bot.shell.sandbox.body import StandIn, read_body
from bot.shell.sandbox.slackmethods import METHODS, apps_connections_open, missing_scope
from bot.shell.sandbox.slackstate import (  # noqa: F401 - re-exported: the stand-in's names in one place
    APP_TOKEN,
    TOKEN,
    Call,
    Channel,
    Fault,
    Message,
    Noise,
    SlackState,
)

_PERMALINK = re.compile(r"/archives/(C[A-Z0-9]+)/p(\d+)")  # chat.getPermalink's form, after its base


class Handler(StandIn):
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
        if self.command == "GET" and state.page is not None and not url.path.startswith("/api/"):
            self._web(state.page, url.path)
            return
        method = url.path.rsplit("/", 1)[-1]
        raw = read_body(self)
        if raw is None:
            self._send(413, {"ok": False, "error": "request_too_large"})
            return
        params, token = self._read(url.query, raw.decode("utf-8", "replace"))
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

    def _web(self, page: Path, path: str) -> None:
        """The sandbox's Slack in a browser: its page, and a permalink leading to the message on it."""
        if path in ("/", "/index.html"):
            try:
                self._send(200, page.read_text(encoding="utf-8"), {"Content-Type": "text/html; charset=utf-8"})
            except OSError:
                self._send(404, "the sandbox has not written its page yet")
            return
        found = _PERMALINK.fullmatch(path)
        if found is None:
            self._send(404, "not a page of the sandbox's Slack")
            return
        self._send(302, "", {"Location": f"/#{found.group(1)}-p{found.group(2)}"})

    @staticmethod
    def _wait(fault: Fault) -> None:
        if fault.hold is not None:
            fault.hold.wait(60)
        if fault.delay:
            time.sleep(fault.delay)  # the world being slow, not a test waiting

    def _read(self, query: str, raw: str) -> tuple[dict[str, Any], str | None]:
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
            missing = missing_scope(state, method, params)
            return missing if missing is not None else handler(state, params)

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = (json.dumps(body) if isinstance(body, dict) else str(body)).encode()
        try:
            self.send_response(status)
            ctype = "application/json; charset=utf-8" if isinstance(body, dict) else "text/plain"
            for k, v in {"Content-Type": ctype, "Content-Length": str(len(data)), **(headers or {})}.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass

class SlackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # Slack's edge takes many connections at once; a backlog of 5 resets them

    def __init__(self, state: SlackState, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.state = state


class _RateAwareHandler(Handler):
    """Turns the rate limiter's `_retry_after` into a real 429 with a whole-second header."""

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        if isinstance(body, dict) and "_retry_after" in body:
            wait = body.pop("_retry_after")
            headers = {**(headers or {}), "Retry-After": str(max(1, int(wait + 0.999)))}
        super()._send(status, body, headers)


class SlackServer:
    """The server in a background thread on a loopback port (a free one unless given); `url` is SLACK_API_URL."""

    def __init__(self, port: int = 0) -> None:
        self.state = SlackState()
        self.httpd = SlackHTTPServer(self.state, port)
        self.httpd.RequestHandlerClass = _RateAwareHandler
        self.state.url = self.url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True, name="slack-standin")

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
