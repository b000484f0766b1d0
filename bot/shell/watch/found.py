"""What a watch source hands back: a hit, before it is stored as a lead (SPEC §6.3)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.register.model import Watch


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    published: date | None
    source: str  # govuk | parliament-question | parliament-statement | page
    snippet: str | None = None
    kept: bool = False  # never scored, always kept: it answers the team's own chased question


@dataclass(frozen=True)
class Ask:
    """One commitment's watch, as a pass asks it: since its last news, up to `today`."""

    commitment_id: str
    watch: Watch
    since: date | None  # the commitment's last news (its last update, else the day it was made)
    today: date
    cited: frozenset[str]  # URLs the register or its updates already cite: not news
    title: str = ""  # the commitment's title: a find is scored against it and the query (watch/score.py)


def day_of(text: Any) -> date | None:
    """The day of an API timestamp ("2024-03-12T00:00:00", "2017-12-07T12:54:39Z", "...+01:00");
    None for anything else, text or not."""
    if not text or not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None


def in_window(published: date | None, ask: Ask) -> bool:
    """Published on or after the last news and not after `today` (time travel sees nothing later)."""
    if published is None:
        return True
    return (ask.since is None or published >= ask.since) and published <= ask.today


def paged(data: Any, offset: int, total_key: str) -> tuple[int | None, int | None]:
    """Where the next page of a paged answer starts (None at the end), and the total it gives.
    An answer without a whole-number total, or with no results, is the last page."""
    total = data.get(total_key) if isinstance(data, dict) else None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(total, int) or isinstance(total, bool):
        return None, None
    if not isinstance(results, list) or not results:
        return None, total
    after = offset + len(results)
    return (after if after < total else None), total


# -- an API item's fields, each read by its type --------------------------------------------------
# What an API answers is outside input: a field of another type than the one its documentation
# gives (a number for a date, a list for a title) is as good as missing, and the item holding it is
# skipped, the pass saying which field and why; every other item of the answer is read.
TEXT, DAY, FLAG = "text", "a date", "true or false"


def kind_of(value: Any) -> str:
    """What a JSON value is, in words."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null"


def unreadable(item: Any, fields: Mapping[str, str], required: Sequence[str] = ()) -> str | None:
    """Why `item` cannot be read (None: it can): not an object, a `required` field missing, or a
    field present (not null) that is not of its type in `fields` (TEXT, DAY: text that is a date,
    FLAG: true or false)."""
    if not isinstance(item, dict):
        return f"it is {kind_of(item)}, not an object"
    for key in required:
        if item.get(key) in (None, ""):
            return f"it has no {key}"
    for key, want in fields.items():
        value = item.get(key)
        if value is None:
            continue
        if want == FLAG and not isinstance(value, bool):
            return f"its {key} is {kind_of(value)}, not true or false"
        if want in (TEXT, DAY) and not isinstance(value, str):
            return f"its {key} is {kind_of(value)}, not {want}"
        if want == DAY and value and day_of(value) is None:
            return f"its {key} is not a date ({value[:40]!r})"
    return None


def readable(items: Sequence[Any], fields: Mapping[str, str], required: Sequence[str] = ()) -> tuple[list[Any], list[str]]:
    """The items that can be read, and why each of the others cannot (`unreadable`)."""
    out, skipped = [], []
    for item in items:
        why = unreadable(item, fields, required)
        if why is None:
            out.append(item)
        else:
            skipped.append(why)
    return out, skipped


def skipped_line(skipped: Sequence[str], what: str = "result") -> str:
    """The problem line for the items an answer held that could not be read: how many, and the
    first one's reason."""
    n = len(skipped)
    return (f"{n} {what}{'' if n == 1 else 's'} skipped ({'' if n == 1 else 'the first: '}{skipped[0]}); the rest of "
            "the answer was read")
