"""`commitment-bot run`: starts the long-running scheduler in bot.shell.scheduler."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from bot.shell.cli.app import App, Failure, pass_app, register_options

TEST_INTERVAL_ENV = "COMMITMENT_BOT_TEST_INTERVAL"


@click.command()
@register_options
@click.option("--tick", type=float, hidden=True, envvar=TEST_INTERVAL_ENV,
              help="Test only: run the check every SECONDS instead of on its cron schedule.")
@click.option("--slack-port", type=int, envvar="COMMITMENT_BOT_SLACK_PORT",
              help="Serve the Slack app over HTTP on this port (with SLACK_SIGNING_SECRET); SLACK_APP_TOKEN uses Socket Mode instead.")
@click.option("--publish", "publish", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              envvar="COMMITMENT_BOT_PUBLISH_DIR", help="Rebuild the static site (export site) in DIR after each check.")
@pass_app
def run(app: App, tick: float | None, slack_port: int | None, publish: Path | None) -> None:
    """The long-running scheduler: a check at once, then daily (09:00) and a weekly digest (Monday 08:00).

    Both times come from the register's `schedule:`, as do the evidence watch (`watch`, daily 07:00)
    and, when set, `export` (recorded updates written to recorded-updates.yml beside the register).
    Edits to the register apply on the next run.
    With the Slack app's settings (SLACK_APP_TOKEN, or SLACK_SIGNING_SECRET and --slack-port) it
    also serves the app, as `slack serve` does. Stop it with SIGTERM or Ctrl-C: the delivery in
    progress finishes first.

    \b
    Example: DATABASE_URL=postgresql+psycopg://bot@localhost/bot commitment-bot run
    """
    started = time.monotonic()  # `--now` is this moment: before waiting for another replica's migrations
    import notifiers
    from bot.shell.process import make_clock, stop_on_signals
    from bot.shell.scheduler import Runner, RunOptions, configure_logging, serve
    from storage.locks import migration_lock

    stop = stop_on_signals()
    configure_logging()
    with migration_lock(app.database):  # replicas starting together migrate once
        app.store  # noqa: B018 - opening the store applies the migrations
    runner = Runner(RunOptions(app.path, app.settings, tick if tick and tick > 0 else None, publish), app.context, {},
                    make_clock(None))
    register = runner.load()
    if register is None:
        raise Failure(f"no valid register to run: fix {app.path} (commitment-bot validate says how)")
    runner.clock = make_clock(app.now(register.timezone) if app.now_text else None, started)
    runner.channels = notifiers.build(app.settings, sys.stdout, app.store.threads)
    click.echo(f"commitment-bot run: pid {os.getpid()}, register {app.path}", err=True)
    from zoneinfo import ZoneInfo

    from bot.shell.slackapp.serve import start

    slack_app = start(app.context, lambda zone: runner.clock().astimezone(ZoneInfo(zone)), slack_port)
    if slack_app is not None:
        click.echo(f"serving the Slack app ({slack_app.how})", err=True)
    try:
        serve(runner, register, stop)
    finally:
        if slack_app is not None:
            slack_app.close()
