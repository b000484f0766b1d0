"""`commitment-bot snooze ID --until DATE`: the team holds a commitment's reminders (SPEC §7.3)."""

from __future__ import annotations

import click

from bot.shell.cli.app import App, Failure, iso_date, pass_app, register_options


@click.command()
@click.argument("commitment_id", metavar="ID")
@register_options
@click.option("--until", "until_text", required=True, metavar="YYYY-MM-DD",
              help="The last day its reminders are held; they resume the day after.")
@click.option("--reason", help="Why, for the team (e.g. 'reply promised after recess').")
@click.option("--period", help="For recurring commitments: the one period to snooze, e.g. 2025-26.")
@click.option("--by", "by", help="Who snoozed it.")
@pass_app
def snooze(app: App, commitment_id: str, until_text: str, reason: str | None, period: str | None,
           by: str | None) -> None:
    """Hold a commitment's reminders (due soon, lapsed, gone silent) up to and including a day.

    \b
    Example: commitment-bot snooze mvp-implement-by-end-august-2022 --until 2027-01-29 --reason "reply promised after recess"

    A snooze is the team's own action, not news: it is never told as an update, never shown on
    the public site, and the government's news (a slip, a closure) still reaches you meanwhile.
    """
    from bot.register.recording import ActionRequest
    from bot.shell import usecases

    register, source_hash = app.register()
    now = app.now(register.timezone)
    request = ActionRequest(commitment_id, "snooze", now.date(), period, iso_date(until_text, "--until"),
                            note=(reason or "").strip() or None, by=by, recorded_by=by)
    row = usecases.record_action(app.store, register, source_hash, request, now)
    if isinstance(row, str):
        raise Failure(row)
    assert request.until is not None
    what = f"{commitment_id} ({period})" if period else commitment_id
    click.echo(f"snoozed {what} until {request.until:%-d %b %Y}: its reminders are held up to and including that "
               f"day and resume the day after; news of a slip or a closure is still told")
    click.echo(f"recorded as the team's action #{row} (not an update: `commitment-bot history {commitment_id}` lists "
               "it under the team's actions)")
