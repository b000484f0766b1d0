"""`commitment-bot status`: every commitment's state (bot.decide.status), then what is stuck: a stopped
scheduler, undelivered, held and abandoned alerts."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import UTC, datetime, timedelta

import click

from bot.shell.cli.app import App, Failure, pass_app, register_options


@click.command()
@register_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--state", "only", help='Only commitments in this state: lapsed (any type, as status --json says it), or as the '
              'table says it ("no news": an expectation, "no answer": an ask), or archived ones.')
@click.option("--owner", help='Only this owner\'s commitments (any case), e.g. "Home Office".')
@click.option("--tag", help="Only commitments with this tag.")
@click.option("--sort", "sort", type=click.Choice(["deadline", "overdue", "slips"]),
              help="Earliest deadline, most days overdue, or most slips first (default: register order).")
@pass_app
def status(app: App, as_json: bool, only: str | None, owner: str | None, tag: str | None,
           sort: str | None) -> None:
    """A table of all commitments: state, deadline, days overdue, slips, last update.

    \b
    Example: commitment-bot status --state lapsed

    \b
    Example: commitment-bot status --owner "Home Office" --sort slips
    """
    from bot.decide.status import SAID_STATES, select, sort_rows, summarise

    states = SAID_STATES
    if only is not None and only not in states:
        from bot.register.problems import did_you_mean

        raise Failure(f'--state "{only}" is not a state{did_you_mean(only, states) or " (one of: " + ", ".join(states) + ")"}')
    register, now = app.synced()
    if only == "archived":
        _show_archived(app, as_json, register.timezone)
        return
    rows = summarise(register, app.store.updates.recorded(None, quarters=register.quarters), now, app.store.register.first_seen())
    rows = select(rows, only, owner, tag)
    if sort is not None:
        rows = sort_rows(rows, sort)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in rows], indent=2))
        return
    from bot.shell.text.status import render_status

    width = shutil.get_terminal_size((160, 24)).columns
    click.echo(render_status(rows, now, colour=sys.stdout.isatty(), width=width))
    _tell_what_is_stuck(app, now)


def _show_archived(app: App, as_json: bool, timezone: str) -> None:
    """Commitments removed from the register: kept with their history; putting one back restores it.
    Each is dated by the register's day it was removed on (the database keeps UTC)."""
    from zoneinfo import ZoneInfo

    from bot.decide.words import written

    archived = app.store.register.archived()
    if as_json:
        # SPEC §4's stable row shape, every field present: an archived commitment has no deadline now
        click.echo(json.dumps([{"id": a.id, "title": a.title, "state": "archived", "deadline": None,
                                "days_overdue": 0, "slips": None, "last_update": None,
                                "archived_at": a.archived_at.isoformat()} for a in archived], indent=2))
        return
    from bot.register.inert import inert

    for a in archived:
        click.echo(f"archived  {a.id}  {inert(a.title)}  (removed {written(a.archived_at.astimezone(ZoneInfo(timezone)).date())})")
    click.echo(f"{len(archived)} archived: `commitment-bot history ID` shows each one's history; "
               "putting it back in the register restores it")


def _tell_what_is_stuck(app: App, now: datetime) -> None:
    """Below the table, what needs a person: the table alone would look healthy."""
    from bot.shell.text.status import render_abandoned, render_held, render_undelivered
    from storage.heartbeat import heartbeat_status

    if line := heartbeat_status(app.store, now):
        click.echo(line)
    if problems := app.store.notifications.undelivered():
        click.echo(render_undelivered(problems))
    if held := app.store.notifications.held():
        click.echo(render_held(held))
    lease = timedelta(seconds=app.settings.claim_lease_seconds)
    if abandoned := app.store.notifications.abandoned(datetime.now(UTC) - lease):
        click.echo(render_abandoned(abandoned))
