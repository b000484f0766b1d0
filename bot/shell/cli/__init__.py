"""The `commitment-bot` command (SPEC §4): the group, and each command added from its own module.

What the commands share (the App, its options, the errors) is in app.py. Heavy libraries
(SQLAlchemy, YAML, channel SDKs) are imported inside commands, so `--help` stays instant.
"""

from __future__ import annotations

import click

from bot.shell.cli import (
    channels,
    chase,
    check,
    database,
    email,
    export,
    export_updates,
    history,
    register,
    report,
    run,
    sandbox,
    schema,
    slack,
    snooze,
    status,
    update,
    watch,
)
from bot.shell.cli.app import App, Main


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="commitment-bot", message="%(prog)s %(version)s")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Track government promises, read their deadlines in Whitehall's words, and say when they lapse.

    \b
    Example: commitment-bot status --now 2026-11-22
    """
    ctx.ensure_object(App)  # built once here; each command receives it with pass_app


main.add_command(register.validate)
main.add_command(register.when)
main.add_command(schema.schema)
main.add_command(status.status)
main.add_command(check.check)
main.add_command(update.update)
main.add_command(snooze.snooze)
main.add_command(chase.chase)
main.add_command(chase.draft)
main.add_command(history.history)
main.add_command(database.db)
main.add_command(email.digest)
main.add_command(email.email)
main.add_command(report.report)
main.add_command(slack.slack)
main.add_command(run.run)
main.add_command(sandbox.sandbox)
main.add_command(watch.watch)
main.add_command(watch.leads)
main.add_command(watch.sources)
main.add_command(export.export)
export.export.add_command(export_updates.updates)
channels.add_to(main)  # `CHANNEL test TARGET` for each channel whose registry line has a test hook
