"""The `run` command: a thin wrapper that starts the scheduler in bot/scheduler.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from bot.shell.cli import Context, Failure, common

TEST_INTERVAL_ENV = "COMMITMENT_BOT_TEST_INTERVAL"


def register(main: click.Group) -> None:
    main.add_command(run)


@click.command()
@common
@click.option("--tick", type=float, hidden=True, envvar=TEST_INTERVAL_ENV,
              help="Test only: run the check every SECONDS instead of on its cron schedule.")
def run(file: Path | None, database: str | None, now_text: str | None, tick: float | None) -> None:
    """The long-running scheduler: a check at once, then daily (09:00) and a weekly digest (Monday 08:00).

    Both times come from the register's `schedule:`; edits to the register apply on the next run.
    Stop it with SIGTERM or Ctrl-C: the delivery in progress finishes first.

    Example: DATABASE_URL=postgresql+psycopg://bot@localhost/bot commitment-bot run
    """
    import notifiers
    from bot.shell.scheduler import Runner, RunOptions, configure_logging, make_clock, serve, stop_on_signals

    stop = stop_on_signals()
    configure_logging()
    ctx = Context(file, database, now_text)
    from storage.heartbeat import migration_lock

    with migration_lock(ctx.database):  # replicas starting together migrate once
        ctx.store  # noqa: B018 - opening the store applies the migrations
    runner = Runner(RunOptions(ctx.path, ctx.settings, tick if tick and tick > 0 else None), ctx.store, {},
                    make_clock(None))
    register = runner.load()
    if register is None:
        raise Failure(f"no valid register to run: fix {ctx.path} (commitment-bot validate says how)")
    runner.clock = make_clock(ctx.now(register.timezone) if now_text else None)
    runner.channels = notifiers.build(ctx.settings, sys.stdout, ctx.store)
    click.echo(f"commitment-bot run: pid {os.getpid()}, register {ctx.path}", err=True)
    serve(runner, register, stop)
