"""Times go into the database as aware UTC and come back aware.

PostgreSQL's timestamptz needs the zone (a naive value would be read in the server's zone);
SQLite keeps the UTC wall time as text and hands it back naive, which `aware` repairs.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
