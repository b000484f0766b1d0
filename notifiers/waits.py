"""How long a server asks us to wait (HTTP `Retry-After`), read the same way by every channel and by the watch's HTTP client.

RFC 9110 allows delay-seconds or an HTTP-date. What a server sends is outside input: a value
that is not one of those is not a wait, and a wait is never longer than `LONGEST`, so one bad
header cannot park an alert for years (999999999 seconds is 2058).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

LONGEST = 3600.0  # a channel asking for longer is asked again after an hour


def retry_after(value: str | None) -> float | None:
    """Seconds to wait, at most `LONGEST`; None when the value says nothing we can read."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²".isdigit() is true, and float("²") fails
        return min(float(value), LONGEST)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    return min(LONGEST, max(0.0, (when - datetime.now(UTC)).total_seconds()))
