"""The report for trustees (SPEC §7.6) as a mail, and as the text `commitment-bot report` prints.

The content is the core's (bot.decide.report); this renders it with the same Jinja2 environment
as every other mail, so register text is autoescaped in HTML and inert everywhere, and keeps the
mail under 100 KB (notifiers.email.fit): each list shows its first ten lines, then a count.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from bot.decide import words
from bot.decide.digest import covered
from bot.decide.report import Report
from bot.register.model import TYPES
from notifiers.email.fit import Level, fit
from notifiers.email.links import Links
from notifiers.email.messages import TEXT, MailSetup, compose, footer, render_parts, repeat_parts, repeat_subject

# One page: ten lines a list at most, fewer when the register's text is long.
LADDER = tuple(Level(f, 0) for f in (10, 6, 3, 1, 0))
LISTS = ("lapsed", "slipped", "closed", "news", "actions", "awaited", "overdue")


def period_words(report: Report) -> str:
    """The days it covers, as its title says them (as a digest's)."""
    return covered(report.since, report.until)


def happened(report: Report) -> str:
    """What the report says it covers, after "The whole register as at DAY": the days of the
    period, the one day, or that it holds none yet (`--since` today: today's news waits)."""
    if report.since >= report.until:
        return (f". The period starts on {words.written(report.until)}: what happens that day goes in the next "
                "report")
    if report.since == report.until - timedelta(days=1):
        return f", and what happened on {words.written(report.since)}"
    return f", and what happened in the days {period_words(report)}"


def subject(report: Report) -> str:
    """Counts only: nothing from the register reaches the subject line. How many are past their
    date in all comes first, then the period's own events, said as the period's: a quiet month's
    "0 newly past their date" never reads as nothing being past its date."""
    said = [f"{len(getattr(report, key))} {word}" for key, word in (
        ("lapsed", "newly past their date"), ("slipped", "slipped"), ("closed", "closed"), ("news", "with news"),
        ("actions", "team actions"))]
    return (f"Commitments report, {period_words(report)}: {report.past_date} past their date in all; "
            f"in the period: {', '.join(said)}")


def _values(report: Report, links: Links, level: Level) -> dict[str, Any]:
    """Each list cut to `level`, with the number left out and each line's link."""
    values: dict[str, Any] = {"report": report, "period": period_words(report), "types": TYPES,
                              "state_word": words.state_word, "meaning": words.STATES, "site": links.site,
                              "page": lambda cid: links.places(cid).page, "subject": subject(report),
                              "chased_by": words.chased_by, "chase_noun": words.CHASE_NOUN,
                              "happened": happened(report)}
    for key in LISTS:
        items = getattr(report, key)
        shown, _, more = level.split(len(items))
        values[key] = items[:shown]
        values[f"{key}_more"] = more
    return values


def report_text(report: Report, links: Links | None = None) -> str:
    """The text `commitment-bot report` prints: the mail's text part without its footer."""
    values = _values(report, links or Links(), LADDER[0])
    return re.sub(r"\n{3,}", "\n\n", TEXT.get_template("report.txt").render(**values, recipient=None))


def report_message(setup: MailSetup, to: str, report: Report, links: Links | None = None,
                   reason: str | None = None, again: datetime | None = None) -> EmailMessage:
    """The report as one mail to `to`, under 100 KB however long the register. `again`: when an
    earlier send of this report went unconfirmed; this one then says it may repeat it."""
    links = links or Links()
    reason = reason or f"You get this report because it was sent to {to} with `commitment-bot report --to`."
    frame = footer(setup, to, reason)
    title = repeat_subject(subject(report), again)

    def render(level: Level) -> tuple[str, str]:
        return repeat_parts(render_parts("report", **frame, **{**_values(report, links, level), "subject": title}),
                            again)

    return fit(render, lambda text, html: compose(setup, to, title, text, html, "report"), ladder=LADDER)
