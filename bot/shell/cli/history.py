"""`commitment-bot history ID`: one commitment's promised dates, slips and updates (bot.shell.text.history)."""

from __future__ import annotations

import click

from bot.shell.cli.app import App, Failure, pass_app, register_options


@click.command()
@click.argument("commitment_id", metavar="ID")
@register_options
@pass_app
def history(app: App, commitment_id: str) -> None:
    """Every promised date, slip and update of one commitment.

    Example: commitment-bot history mvp-implement-by-end-august-2022
    """
    from zoneinfo import ZoneInfo

    from bot.shell.text.history import from_text, render_history

    register, now = app.synced()
    commitment = register.by_id().get(commitment_id)
    stored = app.store.versions(commitment_id, from_text)
    if commitment is None and stored is None:
        from bot.problems import did_you_mean

        raise Failure(f'no commitment "{commitment_id}"{did_you_mean(commitment_id, register.by_id())}')
    recorded = app.store.recorded_updates([commitment_id]).get(commitment_id, [])
    click.echo(render_history(commitment, stored, recorded, now.astimezone(ZoneInfo(register.timezone))))
