"""`commitment-bot db upgrade`: apply the migrations (storage.db), which first use also does."""

from __future__ import annotations

import click

from bot.shell.cli.app import App, database_option, pass_app


@click.group()
def db() -> None:
    """Database maintenance.

    Example: commitment-bot db upgrade
    """


@db.command()
@database_option
@pass_app
def upgrade(app: App) -> None:
    """Apply database migrations (also done automatically on first use).

    Example: commitment-bot db upgrade --database postgresql+psycopg://bot@localhost/bot
    """
    from storage.db import HEAD, connect

    connect(app.database)
    click.echo(f"database at revision {HEAD}")
