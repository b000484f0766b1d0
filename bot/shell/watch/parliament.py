"""Parliament's written questions and written statements (questions-statements API).

Questions answered, and statements made, on or after the commitment's last news that match the
watch's search term, paged to the end: `skip` and `take` (the swagger's defaults are 0 and 20),
each answer saying its `totalResults`. Shapes: the official swagger and the recorded question
list in tests/fixtures/uk-apis/ (no real statements sample exists: its shape is the swagger's
StatementsViewModel). A lead links to the public page, on the site the API serves
(questions-statements.parliament.uk for questions-statements-api.parliament.uk). An item with a
field of another type than the swagger's (a number for a date or a UIN) is skipped and said, never
a crash (found.readable).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bot.register.questions import page_path
from bot.shell.watch.found import DAY, FLAG, TEXT, Ask, Hit, day_of, in_window, paged, readable
from bot.shell.watch.text import plain

DEFAULT_BASE = "https://questions-statements-api.parliament.uk"
TAKE = 100  # a page; the swagger's default is 20
PAGES = 50  # 5,000 answers since the last news is a query to narrow: the rest is reported, not read
# The fields read, by the swagger's types (QuestionsViewModel, StatementsViewModel)
QUESTION = {"uin": TEXT, "house": TEXT, "dateTabled": DAY, "dateAnswered": DAY, "heading": TEXT, "questionText": TEXT,
            "answerText": TEXT, "isWithdrawn": FLAG, "answerIsHolding": FLAG}
STATEMENT = {"uin": TEXT, "dateMade": DAY, "title": TEXT, "text": TEXT}


def public_site(base: str) -> str:
    parts = urlsplit(base)
    host = (parts.hostname or "").replace("-api.", ".", 1)
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, "", "", "")).rstrip("/")


def questions(base: str, ask: Ask, skip: int = 0) -> tuple[str, dict[str, Any]]:
    """Answered written questions matching the term, answered on or after the last news. No upper
    date: the request stays the same from one pass to the next, so it can be asked conditionally
    (answers after `today` are dropped when read)."""
    params = {"searchTerm": ask.watch.parliament_query, "answered": "Answered", "skip": skip or None,
              "take": TAKE, "answeredWhenFrom": ask.since.isoformat() if ask.since else None}
    return f"{base.rstrip('/')}/api/writtenquestions/questions", params


def question_url(base: str, tabled: date, uin: str) -> str:
    """A written question's own page: where a lead on it links (the general search's and a chased
    question's alike, so one question is one lead)."""
    return public_site(base) + page_path(tabled, uin)  # the page a confirmed answer links to its chase by


def statements(base: str, ask: Ask, skip: int = 0) -> tuple[str, dict[str, Any]]:
    params = {"searchTerm": ask.watch.parliament_query, "skip": skip or None, "take": TAKE,
              "madeWhenFrom": ask.since.isoformat() if ask.since else None}
    return f"{base.rstrip('/')}/api/writtenstatements/statements", params


def following(data: Any, skip: int) -> tuple[int | None, int | None]:
    """(the next page's `skip`, or None at the end; the `totalResults` the answer gives, if any)."""
    return paged(data, skip, "totalResults")


def values(data: Any) -> list[dict[str, Any]]:
    """The items of a questions or statements answer (`results[].value`), whatever else it holds."""
    results = data.get("results") if isinstance(data, dict) else None
    return [r["value"] for r in results if isinstance(r, dict) and isinstance(r.get("value"), dict)] \
        if isinstance(results, list) else []


def question_hits(data: Any, base: str, ask: Ask) -> tuple[list[Hit], list[str]]:
    out = []
    good, skipped = readable(values(data), QUESTION)
    for q in good:
        answered, tabled, uin = day_of(q.get("dateAnswered")), day_of(q.get("dateTabled")), q.get("uin")
        if not uin or tabled is None or q.get("isWithdrawn") or not in_window(answered, ask) or answered is None:
            continue
        url = question_url(base, tabled, uin)
        if url in ask.cited:
            continue
        heading = q.get("heading")
        title = f"Written question {uin}" + (f": {heading}" if heading else "")
        out.append(Hit(title, url, answered, "parliament-question", _asked_and_answered(q)))
    return out, skipped


def statement_hits(data: Any, base: str, ask: Ask) -> tuple[list[Hit], list[str]]:
    out = []
    good, skipped = readable(values(data), STATEMENT)
    for s in good:
        made, uin = day_of(s.get("dateMade")), s.get("uin")
        if not uin or made is None or not in_window(made, ask):
            continue
        url = f"{public_site(base)}/written-statements/detail/{made.isoformat()}/{uin}"
        if url in ask.cited:
            continue
        title = s["title"] if s.get("title") is not None else f"Written statement {uin}"
        out.append(Hit(title, url, made, "parliament-statement", plain(s.get("text"))))
    return out, skipped


def _asked_and_answered(q: dict[str, Any]) -> str | None:
    """What was asked, then the answer: both are what a person judges a question by (the list API
    cuts each at about 255 characters)."""
    asked = plain(q.get("questionText"), 300)
    answer = plain(q.get("answerText"), 300)
    if asked and answer:
        return f"{asked} Answer: {answer}"
    return asked or answer
