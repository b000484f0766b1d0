"""`commitment-bot db upgrade` applies the migrations (storage.db), which first use also does;
`db backup` copies a SQLite database while the bot runs."""

from __future__ import annotations

from pathlib import Path

import click

from bot.shell.cli.app import UNUSED, App, pass_app, register_options_with


@click.group()
def db() -> None:
    """Database maintenance.

    \b
    Example: commitment-bot db upgrade
    """


@db.command()
@register_options_with(file=UNUSED, now=UNUSED)  # SPEC §4: every command takes all three after its name
@pass_app
def upgrade(app: App) -> None:
    """Apply database migrations (also done automatically on first use).

    \b
    Example: commitment-bot db upgrade --database postgresql+psycopg://bot@localhost/bot
    """
    from storage.db import HEAD, connect

    connect(app.database)
    click.echo(f"database at revision {HEAD}")


@db.command()
@click.argument("target", metavar="FILE", type=click.Path(dir_okay=False))
@register_options_with(file=UNUSED, now=UNUSED, database="The SQLite database to copy (default sqlite:///commitment-bot.db, "
                                                       "env DATABASE_URL).")
@pass_app
def backup(app: App, target: str) -> None:
    """Copy a SQLite database while the bot runs (SQLite's online backup), e.g. before an upgrade.

    Updates recorded from Slack or the CLI live only in the database until `export updates
    --write` puts them in the register file: back it up. For PostgreSQL, use pg_dump (README).

    \b
    Example: commitment-bot db backup backups/bot-2026-12-01.db
    """
    import sqlite3

    from sqlalchemy.engine import make_url

    from bot.shell.cli.app import Failure

    url = make_url(app.database)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise Failure("db backup copies a SQLite file; for PostgreSQL run: pg_dump --format=custom --file FILE DBNAME "
                      "(and pg_restore --dbname DBNAME FILE to restore)")
    if not Path(url.database).is_file():
        raise Failure(f"there is no database at {url.database} to back up (check DATABASE_URL / --database)")
    Path(target).parent.mkdir(parents=True, exist_ok=True)  # `db backup backups/bot.db` in a fresh folder
    source = sqlite3.connect(f"file:{url.database}?mode=ro", uri=True)
    try:
        with sqlite3.connect(target) as copy:
            source.backup(copy)
    finally:
        source.close()
    click.echo(f"backed up {url.database} to {target}; to restore, stop the bot and copy it back")
