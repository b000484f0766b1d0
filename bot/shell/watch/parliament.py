"""Parliament's written questions and written statements (questions-statements API).

Questions answered, and statements made, on or after the commitment's last news that match the
watch's search term. Shapes: the official swagger and the recorded question list in
../shared/fixtures/uk-apis/ (no real statements sample exists: its shape is the swagger's
StatementsViewModel). A lead links to the public page, on the site the API serves
(questions-statements.parliament.uk for questions-statements-api.parliament.uk).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bot.shell.watch.found import Ask, Hit, day_of, in_window
from bot.shell.watch.text import plain

DEFAULT_BASE = "https://questions-statements-api.parliament.uk"
TAKE = 20


def public_site(base: str) -> str:
    parts = urlsplit(base)
    host = (parts.hostname or "").replace("-api.", ".", 1)
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, "", "", "")).rstrip("/")


def questions(base: str, ask: Ask) -> tuple[str, dict[str, Any]]:
    """Answered written questions matching the term, answered on or after the last news. No upper
    date: the request stays the same from one pass to the next, so it can be asked conditionally
    (answers after `today` are dropped when read)."""
    params = {"searchTerm": ask.watch.parliament_query, "answered": "Answered", "take": TAKE,
              "answeredWhenFrom": ask.since.isoformat() if ask.since else None}
    return f"{base.rstrip('/')}/api/writtenquestions/questions", params


def statements(base: str, ask: Ask) -> tuple[str, dict[str, Any]]:
    params = {"searchTerm": ask.watch.parliament_query, "take": TAKE,
              "madeWhenFrom": ask.since.isoformat() if ask.since else None}
    return f"{base.rstrip('/')}/api/writtenstatements/statements", params


def _values(data: Any) -> list[dict[str, Any]]:
    results = data.get("results") if isinstance(data, dict) else None
    return [r["value"] for r in results if isinstance(r, dict) and isinstance(r.get("value"), dict)] \
        if isinstance(results, list) else []


def question_hits(data: Any, base: str, ask: Ask) -> list[Hit]:
    out = []
    for q in _values(data):
        answered, tabled, uin = day_of(q.get("dateAnswered")), day_of(q.get("dateTabled")), q.get("uin")
        if not uin or tabled is None or q.get("isWithdrawn") or not in_window(answered, ask) or answered is None:
            continue
        url = f"{public_site(base)}/written-questions/detail/{tabled.isoformat()}/{uin}"
        if url in ask.cited:
            continue
        heading = q.get("heading") if isinstance(q.get("heading"), str) else None
        title = f"Written question {uin}" + (f": {heading}" if heading else "")
        out.append(Hit(title, url, answered, "parliament-question", plain(q.get("answerText") or q.get("questionText"))))
    return out


def statement_hits(data: Any, base: str, ask: Ask) -> list[Hit]:
    out = []
    for s in _values(data):
        made, uin = day_of(s.get("dateMade")), s.get("uin")
        if not uin or made is None or not in_window(made, ask):
            continue
        url = f"{public_site(base)}/written-statements/detail/{made.isoformat()}/{uin}"
        if url in ask.cited:
            continue
        title = str(s["title"]) if isinstance(s.get("title"), str) else f"Written statement {uin}"
        out.append(Hit(title, url, made, "parliament-statement", plain(s.get("text"))))
    return out
