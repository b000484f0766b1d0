"""Running the Slack app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP at POST /slack/events.

Over HTTP, slack-bolt checks `X-Slack-Signature` with SLACK_SIGNING_SECRET and refuses a request
older than five minutes (401, nothing run). Before that, the server bounds what any client, signed
or not, can take (`Limits`): it is waitress, a production WSGI server, behind slack-bolt's WSGI
adapter. Waitress reads requests in one I/O thread and hands only complete ones to a fixed pool of
threads, so an idle or slow connection costs a socket, never a thread; a body over the cap is
refused from its Content-Length before it is read; and a connection idle, or one still sending
its request, past its time is closed. `gate` checks the signature and the timestamp on the raw
body before bolt parses anything (401), and refuses a signed body bolt could not read (400), quietly.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from bot.shell.slackapp.desk import Desk
from bot.shell.slackapp.listeners import register

if TYPE_CHECKING:
    from bot.shell.context import Context

DEFAULT_API = "https://slack.com/api/"
PATH = "/slack/events"
log = logging.getLogger("commitment_bot.slack")
# slack-bolt reads SLACK_BOT_TOKEN from the environment itself and warns that the client we pass
# (pointed at SLACK_API_URL) wins over it: true, intended, and confusing in every `run` log.
log.addFilter(lambda record: "token` will be unused" not in record.getMessage())


class NotConfigured(Exception):
    """The settings name neither Socket Mode nor HTTP: what to set, in a sentence."""


def bolt_app(context: Context, clock: Callable[[str], datetime]) -> Any:
    from slack_bolt import App as Bolt

    from notifiers.slack.answers import Patience
    from notifiers.slack.transport import BoundedClient

    settings = context.settings
    if not settings.slack_bot_token:
        raise NotConfigured("SLACK_BOT_TOKEN is not set: the app posts and opens forms as the bot")
    base = settings.slack_api_url or DEFAULT_API
    # The notifier's client (each call bounded as a whole by SLACK_TIMEOUT_SECONDS, so a server that
    # dribbles its answer cannot hold a listener's thread), with slack_sdk's default retry handlers,
    # which the app always had; a WebClient subclass, as Bolt requires.
    timeout = Patience.from_env(getattr(settings, "env", None) or os.environ).timeout
    client = BoundedClient(token=settings.slack_bot_token, base_url=base if base.endswith("/") else base + "/",
                           timeout=timeout)
    bolt = Bolt(client=client, signing_secret=settings.slack_signing_secret or "unused-in-socket-mode",
                request_verification_enabled=bool(settings.slack_signing_secret), logger=log)
    desk = Desk(context, clock)
    register(bolt, desk)
    bolt.desk = desk  # type: ignore[attr-defined]  # `Serving.close` waits for its last delivery
    return bolt


@dataclass(frozen=True)
class Limits:
    """What one HTTP client may take, before its signature is checked."""

    body_bytes: int = 1 << 20  # Slack's largest payloads (a click on a 50-block message) are a few hundred KB
    header_bytes: int = 64 << 10
    threads: int = 8  # requests answered at once; the rest wait their turn, read and queued
    connections: int = 1000  # sockets open at once; past it a new one closes the longest-silent idle one
    idle_seconds: int = 10  # a connection with nothing to say is closed
    read_seconds: int = 15  # a request still arriving after this (one byte at a time) is cut off
    sweep_seconds: int = 1  # how often the two above are enforced


_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")  # HMAC-SHA256 in hex, as Slack signs: anything else reached compare_digest
FRESH_SECONDS = 5 * 60  # SPEC §6.2: a request older than five minutes is refused


def gate(app: Callable[..., Iterable[bytes]], secret: str,
         wall: Callable[[], float] = time.time) -> Callable[..., Iterable[bytes]]:
    """Check every request before slack-bolt sees it, because bolt parses the body before it checks
    the signature (`payload=null` from anyone was a 500 and a traceback): any other path is 404; a
    signature not in Slack's form, a timestamp that is not a number or not within five minutes of
    `wall`, or a signature that does not match the raw body under `secret` is 401; a signed body
    that is not UTF-8, or not the JSON object bolt expects, is 400. Each quietly: nothing is logged."""

    def checked(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return _refuse(start_response, "404 Not Found")
        stamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or ""
        signature = environ.get("HTTP_X_SLACK_SIGNATURE") or ""
        if not _TIMESTAMP.fullmatch(stamp) or not _SIGNATURE.fullmatch(signature) \
                or abs(wall() - int(stamp)) > FRESH_SECONDS:
            return _refuse(start_response, "401 Unauthorized")
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))  # waitress has bounded it
        mac = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest("v0=" + mac, signature):
            return _refuse(start_response, "401 Unauthorized")
        if not _parses(body, environ.get("CONTENT_TYPE")):
            return _refuse(start_response, "400 Bad Request")
        environ["wsgi.input"] = io.BytesIO(body)
        return app(environ, start_response)

    return checked


def _parses(body: bytes, content_type: str | None) -> bool:
    """Whether slack-bolt can read `body` as it does (slack_bolt.request.internals.parse_body):
    UTF-8, and where it reads JSON (a JSON body, or a form's `payload`), a JSON object."""
    try:
        text = body.decode("utf-8")
        if not text:
            return True
        if content_type == "application/json" or text.startswith("{"):
            found: Any = json.loads(text)
        elif "payload" in text:
            found = dict(parse_qsl(text, keep_blank_values=True)).get("payload", "{}")
            found = json.loads(found)
        else:
            return True
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return False
    return isinstance(found, dict)


def _refuse(start_response: Callable[..., Any], status: str) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "0")])
    return [b""]


class HttpServer:
    """Waitress on one port, with `Limits`; `serve_forever` in a thread, `shutdown` from another.

    Waitress alone stops accepting at its connection limit, so a client holding that many idle
    sockets (and opening them again as they are cut) kept Slack in the backlog for as long as it
    went on. Here, at the limit, a new connection is let in and the connection that has been
    silent longest, with no request being answered, is closed: Slack's request arrives whole as
    soon as it connects, so it is never the one closed, and is answered however many sockets a
    client holds open."""

    def __init__(self, application: Callable[..., Iterable[bytes]], host: str, port: int, limits: Limits) -> None:
        from waitress.server import create_server

        self.map: dict[int, Any] = {}
        connections = _room(limits.connections)
        self.server = create_server(
            application, map=self.map, host=host, port=port, threads=limits.threads,
            connection_limit=connections + 8,  # never reached: `TimedChannel` makes room first
            channel_timeout=limits.idle_seconds,
            cleanup_interval=limits.sweep_seconds, max_request_body_size=limits.body_bytes,
            max_request_header_size=limits.header_bytes, inbuf_overflow=128 << 10, asyncore_use_poll=True,
            ident="commitment-bot", clear_untrusted_proxy_headers=True)
        listening = [d for d in self.map.values() if hasattr(d, "effective_port")]  # one per address of `host`
        channel_class = _channel_class(limits.read_seconds, connections + len(self.map))  # the map holds the listeners and a trigger too
        for d in listening:
            d.channel_class = channel_class
        self.server_port = int(listening[0].effective_port)
        self.stopping = threading.Event()
        self.stopped = threading.Event()

    def serve_forever(self) -> None:
        from waitress import wasyncore

        try:
            while not self.stopping.is_set():
                wasyncore.loop(timeout=0.5, map=self.map, use_poll=True, count=1)
        finally:
            for dispatcher in list(self.map.values()):
                dispatcher.close()
            self.server.task_dispatcher.shutdown(timeout=5)
            self.stopped.set()

    def shutdown(self) -> None:
        self.stopping.set()
        try:
            self.server.pull_trigger()  # wake the loop now rather than at its next half-second
        except OSError:  # the loop already stopped and closed its trigger (EBADF): nothing to wake
            pass
        self.stopped.wait(10)


def _room(connections: int) -> int:
    """How many connections may be open at once: `connections`, raising this process's soft limit
    on open files toward its hard limit to fit them, and fewer if the hard limit is lower (a
    socket is a file; 64 are left for the database, the log and Slack's API)."""
    try:
        import resource
    except ImportError:  # not Unix: no limit to read
        return connections
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = connections + 64
    if soft != resource.RLIM_INFINITY and soft < want:
        raised = want if hard == resource.RLIM_INFINITY else min(want, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
            soft = raised
        except (ValueError, OSError):
            pass
    return connections if soft == resource.RLIM_INFINITY else max(8, min(connections, soft - 64))


def _channel_class(read_seconds: int, most: int) -> type:
    """Waitress's connection, which also closes itself when one request has been arriving for
    longer than `read_seconds` (waitress alone closes only connections that fall silent), and,
    when it makes the map hold more than `most`, closes the longest-silent connection that has
    no complete request waiting or being answered and nothing left to send."""
    from waitress.channel import HTTPChannel
    from waitress.parser import HTTPRequestParser

    class TimedParser(HTTPRequestParser):
        def __init__(self, adj: Any) -> None:
            super().__init__(adj)
            self.started = time.monotonic()

    class TimedChannel(HTTPChannel):  # type: ignore[misc]
        parser_class = TimedParser

        def __init__(self, server: Any, sock: Any, addr: Any, adj: Any, map: dict[int, Any] | None = None) -> None:
            super().__init__(server, sock, addr, adj, map)
            if map is not None and len(map) > most:
                quiet = [c for c in map.values() if isinstance(c, HTTPChannel) and c is not self
                         and not c.requests and not c.total_outbufs_len and not c.will_close]
                if quiet:
                    min(quiet, key=lambda c: c.last_activity).handle_close()  # on the I/O thread, as waitress closes

        def readable(self) -> bool:
            partial = self.request
            if partial is not None and time.monotonic() - partial.started > read_seconds:
                self.will_close = True  # the I/O loop closes it on its next turn
            return bool(super().readable())

    return TimedChannel


def http_server(bolt: Any, host: str, port: int, limits: Limits | None = None) -> HttpServer:
    """A server for POST /slack/events (events, interactivity and the slash command); call serve_forever."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    secret = bolt.desk.context.settings.slack_signing_secret
    if not secret:
        raise NotConfigured("serving over HTTP needs SLACK_SIGNING_SECRET, to check that requests come from Slack")
    return HttpServer(gate(SlackRequestHandler(bolt, PATH), secret), host, port, limits or Limits())


def socket_mode(bolt: Any, app_token: str) -> Any:
    """A connected Socket Mode handler (slack-bolt's own client); `close()` disconnects it."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(bolt, app_token, logger=log)
    handler.connect()
    return handler


class Serving:
    """The app running beside `run`'s scheduler; `close()` stops it after its last delivery."""

    def __init__(self, closer: Callable[[], None], how: str, desk: Desk) -> None:
        self.closer, self.how, self.desk = closer, how, desk

    def close(self) -> None:
        self.closer()
        self.desk.courier.idle(timeout=30)


def start(context: Context, clock: Callable[[str], datetime], port: int | None,
          host: str = "127.0.0.1") -> Serving | None:
    """Serve the Slack app in the background when its settings are present (SPEC §6.2: `run`
    serves it too): Socket Mode with SLACK_APP_TOKEN, else HTTP with SLACK_SIGNING_SECRET and a port."""
    settings = context.settings
    if not settings.slack_bot_token or not (settings.slack_app_token or (settings.slack_signing_secret and port)):
        return None
    bolt = bolt_app(context, clock)
    if settings.slack_app_token:
        handler = socket_mode(bolt, settings.slack_app_token)
        return Serving(handler.close, "Socket Mode", bolt.desk)
    assert port is not None
    server = http_server(bolt, host, port)
    threading.Thread(target=server.serve_forever, daemon=True, name="slack-http").start()
    return Serving(server.shutdown, f"http://{host}:{server.server_port}/slack/events", bolt.desk)
