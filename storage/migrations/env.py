"""Alembic environment: runs on the connection storage.db hands over (SQLite or PostgreSQL)."""

from alembic import context
from sqlalchemy import create_engine

from storage.models import metadata

config = context.config
connection = config.attributes.get("connection")


def run(conn) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:
    with create_engine(config.get_main_option("sqlalchemy.url") or "").connect() as conn:
        run(conn)
        conn.commit()
