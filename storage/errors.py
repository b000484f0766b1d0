"""What a database error means to a person: "busy" (another process held a lock longer than the
bot waits) is worth its own words, on SQLite and PostgreSQL alike, because the answer is "try
again in a minute", not "check DATABASE_URL"."""

from __future__ import annotations

# PostgreSQL's SQLSTATEs for a lock_timeout (lock_not_available) and a statement_timeout
# (query_canceled), the two bounds storage.db sets on every connection.
_BUSY_STATES = frozenset({"55P03", "57014"})
# SQLite's words once its busy timeout has passed (sqlite3 gives no code before Python 3.11).
_BUSY_WORDS = ("database is locked", "database table is locked", "database is busy")


def is_busy(error: BaseException) -> bool:
    """Whether `error` (SQLAlchemy's, or the driver's it wraps) says the database was busy."""
    orig = getattr(error, "orig", None) or error
    if getattr(orig, "sqlstate", None) in _BUSY_STATES:
        return True
    return type(orig).__module__ == "sqlite3" and str(orig).startswith(_BUSY_WORDS)


def busy_message(error: BaseException) -> str:
    """The one sentence a person is told, with the database's own words (never the SQL)."""
    said = _first_line(error)
    return (f"the database is busy: another process held a lock, or a statement ran, for longer than the bot "
            f"waits ({said}). Try again in a minute")


def trouble(error: BaseException) -> str | None:
    """The database's own first line when `error` is the database's (out of reach, busy, refused),
    else None: a condition to log in one line while it lasts, not a bug to log with its traceback."""
    from sqlalchemy.exc import DBAPIError

    return _first_line(error) if isinstance(error, DBAPIError) else None


def _first_line(error: BaseException) -> str:
    """The database's own words (the driver's error SQLAlchemy wraps), first line only: never the SQL."""
    orig = getattr(error, "orig", None) or error
    return (str(orig).strip().splitlines() or [""])[0][:200]
