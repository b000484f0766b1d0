"""`commitment-bot slack test`: the first thing a new team runs, answering in plain words.

slack_sdk is imported inside the command so `commitment-bot --help` stays instant.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from bot.shell.cli.app import UNUSED, App, Failure, Undelivered, pass_app, register_options, register_options_with

TEST_TEXT = "👋 commitment-bot is set up: alerts about commitments routed here will appear in this channel."


@click.group()
def slack() -> None:
    """Slack: check the app, its token and its channels.

    \b
    Example: commitment-bot slack test "#mvp-watch"
    """


@slack.command("test")
@click.argument("channel", required=False)
@register_options_with(file="Register to take a channel from when none is given (default ./commitments.yaml, env "
                            "COMMITMENTS_FILE).", database=UNUSED, now=UNUSED)
@pass_app
def test(app: App, channel: str | None) -> None:
    """Check the token (auth.test) and post a test message to CHANNEL (#name or C0123ABC).

    Without CHANNEL, the first Slack channel routed in the register is used.

    \b
    Example: commitment-bot slack test "#mvp-watch"
    """
    settings = app.settings
    if not settings.slack_bot_token:
        raise Failure("SLACK_BOT_TOKEN is not set: copy the app's Bot User OAuth Token (xoxb-…) "
                      "from api.slack.com/apps → OAuth & Permissions into the environment or .env")
    client = _client(settings)
    who = _whoami(client)
    click.echo(f"token ok: {who.get('user') or 'bot'} in workspace {who.get('team') or '?'}")
    target = channel or _routed_channel(app.path)
    if target is None:
        click.echo("no channel given and none routed in the register: pass one, e.g. slack test '#mvp-watch'")
        return
    _post(client, target)


def _client(settings: Any) -> Any:
    """The notifier's client: one deadline (10 s) for each whole call, so a Slack that answers a
    byte at a time cannot hold `slack test`."""
    from notifiers.slack.notifier import DEFAULT_API
    from notifiers.slack.transport import client

    return client(settings.slack_bot_token, settings.slack_api_url or DEFAULT_API, 10)


def _whoami(client: Any) -> dict[str, Any]:
    from notifiers.slack.notifier import explain

    code, data = _call(lambda: client.auth_test())
    if code is None:
        return data
    if code.startswith("network"):
        raise Undelivered(f"could not reach Slack ({code[8:]}): check the network or SLACK_API_URL")
    raise Failure(explain(code, ""))


def _post(client: Any, channel: str) -> None:
    from notifiers.slack.notifier import explain

    code, data = _call(lambda: client.chat_postMessage(channel=channel, text=TEST_TEXT, unfurl_links=False))
    if code is None:
        click.echo(f"posted a test message to {channel} (ts {data.get('ts')})")
        return
    if code.startswith("network"):
        raise Undelivered(f"could not reach Slack ({code[8:]}); nothing was posted")
    if code in ("channel_not_found", "invalid_auth", "not_authed", "missing_scope"):
        raise Failure(explain(code, channel))
    raise Undelivered(explain(code, channel))


def _call(do: Any) -> tuple[str | None, dict[str, Any]]:
    """(None, data) on success, else (Slack's error code or "network: why", {})."""
    from slack_sdk.errors import SlackApiError

    try:
        return None, dict(do().data)
    except SlackApiError as e:
        status = getattr(e.response, "status_code", 200)
        if status == 429:
            return "ratelimited", {}
        if status >= 500:
            return f"network:HTTP {status}", {}
        return str(e.response.get("error") or "unknown_error"), {}
    except Exception as e:  # noqa: BLE001 - refused, timed out, bad URL: say so plainly
        return f"network:{type(e).__name__}: {e}"[:300], {}


def _routed_channel(path: Path) -> str | None:
    """The first Slack channel the register routes to, if the register reads cleanly."""
    from bot.shell.registerfile import read

    if not path.exists():
        return None
    loaded = read(path)
    if loaded.register is None:
        return None
    register = loaded.register
    everywhere = [*(r.targets for r in register.routes), *(c.notify for c in register.commitments if c.notify)]
    return next((t.removeprefix("slack:") for targets in everywhere for t in targets if t.startswith("slack:")), None)


@slack.command("serve")
@click.option("--port", type=int, help="Serve over HTTP on this port (POST /slack/events); needs SLACK_SIGNING_SECRET.")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on over HTTP.")
@register_options
@pass_app
def serve(app: App, port: int | None, host: str) -> None:
    """Run the Slack app: buttons on alerts, the record and snooze forms, /commitments and App Home.

    Socket Mode when SLACK_APP_TOKEN is set (no public URL needed); otherwise HTTP with --port,
    checking every request's signature with SLACK_SIGNING_SECRET.

    With --now, the app's clock starts there and runs on (as `run --now` does): a form's "today",
    and the check that delivers what a person records, are at that time.

    \b
    Example: SLACK_APP_TOKEN=xapp-… commitment-bot slack serve
    """
    import threading

    from bot.shell.slackapp.serve import NotConfigured, bolt_app, http_server, socket_mode

    settings = app.settings
    if not settings.slack_app_token and port is None:
        raise Failure("set SLACK_APP_TOKEN (xapp-…, Socket Mode) or give --port to serve over HTTP")
    if not settings.slack_app_token and not settings.slack_signing_secret:
        raise Failure("serving over HTTP needs SLACK_SIGNING_SECRET (api.slack.com/apps → Basic Information) "
                      "to check that requests come from Slack")
    try:
        bolt = bolt_app(app.context, _clock(app))
    except NotConfigured as e:
        raise Failure(str(e)) from None
    if settings.slack_app_token:
        socket_mode(bolt, settings.slack_app_token)
        click.echo("serving the Slack app over Socket Mode; Ctrl-C stops it", err=True)
        threading.Event().wait()
    assert port is not None
    server = http_server(bolt, host, port)
    click.echo(f"serving the Slack app on http://{host}:{server.server_port}/slack/events; Ctrl-C stops it", err=True)
    server.serve_forever()


def _clock(app: App) -> Callable[[str], datetime]:
    """The wall clock; with --now, --now plus the time since the app started (as `run --now`)."""
    if app.now_text is None:
        return app.wall
    from zoneinfo import ZoneInfo

    from bot.shell.process import make_clock

    register, _ = app.register()
    clock = make_clock(app.now(register.timezone))
    return lambda zone: clock().astimezone(ZoneInfo(zone))
