"""Running the Slack app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP at POST /slack/events.

Over HTTP, slack-bolt checks `X-Slack-Signature` with SLACK_SIGNING_SECRET and refuses a request
older than five minutes (401, nothing run). The HTTP server is the standard library's WSGI
server with a thread per request, behind slack-bolt's WSGI adapter: the app answers Slack within
its three seconds and records after acknowledging.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from bot.shell.slackapp.desk import Desk
from bot.shell.slackapp.handlers import install

if TYPE_CHECKING:
    from bot.shell.cli.app import App

DEFAULT_API = "https://slack.com/api/"
log = logging.getLogger("commitment_bot.slack")
# slack-bolt reads SLACK_BOT_TOKEN from the environment itself and warns that the client we pass
# (pointed at SLACK_API_URL) wins over it: true, intended, and confusing in every `run` log.
log.addFilter(lambda record: "token` will be unused" not in record.getMessage())


class NotConfigured(Exception):
    """The settings name neither Socket Mode nor HTTP: what to set, in a sentence."""


def bolt_app(app: App, clock: Callable[[str], datetime]) -> Any:
    from slack_bolt import App as Bolt
    from slack_sdk import WebClient

    settings = app.settings
    if not settings.slack_bot_token:
        raise NotConfigured("SLACK_BOT_TOKEN is not set: the app posts and opens forms as the bot")
    base = settings.slack_api_url or DEFAULT_API
    client = WebClient(token=settings.slack_bot_token, base_url=base if base.endswith("/") else base + "/")
    bolt = Bolt(client=client, signing_secret=settings.slack_signing_secret or "unused-in-socket-mode",
                request_verification_enabled=bool(settings.slack_signing_secret), logger=log)
    install(bolt, Desk(app, clock))
    return bolt


class _Threading(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # requests are not logged: bodies hold user text
        pass


def http_server(bolt: Any, host: str, port: int) -> WSGIServer:
    """A server for POST /slack/events (events, interactivity and the slash command); call serve_forever."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    return make_server(host, port, SlackRequestHandler(bolt), server_class=_Threading, handler_class=_Quiet)


def socket_mode(bolt: Any, app_token: str) -> Any:
    """A connected Socket Mode handler (slack-bolt's own client); `close()` disconnects it."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(bolt, app_token, logger=log)
    handler.connect()
    return handler


class Serving:
    """The app running beside `run`'s scheduler; `close()` stops it."""

    def __init__(self, closer: Callable[[], None], how: str) -> None:
        self.close, self.how = closer, how


def start(app: App, clock: Callable[[str], datetime], port: int | None, host: str = "127.0.0.1") -> Serving | None:
    """Serve the Slack app in the background when its settings are present (SPEC §6.2: `run`
    serves it too): Socket Mode with SLACK_APP_TOKEN, else HTTP with SLACK_SIGNING_SECRET and a port."""
    import threading

    settings = app.settings
    if not settings.slack_bot_token or not (settings.slack_app_token or (settings.slack_signing_secret and port)):
        return None
    bolt = bolt_app(app, clock)
    if settings.slack_app_token:
        handler = socket_mode(bolt, settings.slack_app_token)
        return Serving(handler.close, "Socket Mode")
    assert port is not None
    server = http_server(bolt, host, port)
    threading.Thread(target=server.serve_forever, daemon=True, name="slack-http").start()
    return Serving(server.shutdown, f"http://{host}:{server.server_port}/slack/events")
