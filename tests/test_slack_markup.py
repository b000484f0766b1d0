"""SPEC §2: nothing from the register may become Slack markup. Escaping `&`, `<`, `>` and sending
`verbatim` text stops mentions and links, not bold, italic, strike, code or a quote: those Slack
still renders in any `mrkdwn` text, and mrkdwn has no escape character for them.

What is asserted, for every kind of alert, a lead, both summaries and the follow-up thread, each
built twice from the same register, once with its text full of markers (`*_~\\``, `>` and line
breaks) and once with those characters replaced by letters:
  1. the two messages have the same blocks, and every `mrkdwn` text object holds exactly as many
     `*`, `_`, `~` and backticks as its twin: every marker in it is the bot's own, so no register
     text can open or close a span;
  2. no line of a `mrkdwn` text begins with `>` or `&gt;` (a quote in Slack);
  3. the `plain_text` objects that carry register text alone (the quote, the fields such as
     "Promised by", the slip history) carry it unchanged, with no escaping at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

import notifiers.slack.ids as ids
from bot.decide.alerts import Alert, LeadView, PromiseView, UpdateView
from notifiers.slack.blocks import (
    SlackMessage,
    alert_message,
)
from notifiers.slack.summary import details_messages, summary_message
from notifiers.slack.views import FollowUp, follow_up_modal, record_modal, snooze_modal
from tests.standins import make_alert

MARKERS = "*_~`"
MARKED = "*Bold owner* _it_ ~st~ `code`"


def _text(name: str, marked: bool) -> str:
    """Register text: `name`, then markers of every kind, and a line that would open a quote."""
    text = f"{name} {MARKED} a_b*c ~x~y\n> quoted _line_ *end*"
    return text if marked else re.sub(r"[*_~`>]", "q", text)


def _alerts(marked: bool) -> dict[str, Alert]:
    def t(name: str) -> str:
        return _text(name, marked)

    update = UpdateView("2022-08-01", t("note"), "Jo", None, "https://example.org/news_*x*", said_by=t("said"),
                        source_title=t("evidence"))
    base = make_alert(title=t("title"), owner=t("owner"), made_by=t("made by"), source_title=t("source"),
                      quote=t("quote"), words=t("words"), period=t("period"), last_update=update,
                      promises=(PromiseView("2022-02-21", t("first words"), "1 Aug – 31 Aug 2022", "2022-08-31"),
                                PromiseView("2022-08-01", t("later words"), "1 Sep – 30 Nov 2022", "2022-11-30",
                                            said_by=t("minister"), where=t("where"))))
    lead = LeadView(7, t("lead"), "https://www.gov.uk/a_*b*", "2022-09-01", "govuk", snippet=t("snippet"),
                    answers=((base.id, base.title), ("other", t("other title"))))
    return {
        "lapsed": base,
        "heads-up": replace(base, kind="heads-up", days_overdue=0),
        "slipped": replace(base, kind="slipped", slips=1),
        "silent": replace(base, kind="silent", last_update=None),
        "news": replace(base, kind="news"),
        "closed": replace(base, kind="closed", status="delivered", late_days=3),
        "no update": replace(base, last_update=None),
        "lead": replace(base, kind="lead", lead=lead),
    }


def _messages(marked: bool) -> Iterator[tuple[str, SlackMessage]]:
    alerts = _alerts(marked)
    for name, alert in alerts.items():
        yield name, alert_message(alert)
        yield f"{name}, with buttons", alert_message(alert, interactive=True)
    items = [(a, "https://advocacy.slack.com/archives/C1/p1" if i % 2 else None) for i, a in enumerate(alerts.values())]
    yield "summary", summary_message(items, leads=1).message
    for i, (message, _) in enumerate(details_messages(list(alerts.values()), 3)):
        yield f"details {i}", message


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every text object in a message, in order."""
    if isinstance(node, dict):
        if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
            yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def _pairs() -> Iterator[tuple[str, SlackMessage, SlackMessage]]:
    for (name, marked), (_, clean) in zip(_messages(True), _messages(False), strict=True):
        yield name, marked, clean


PAIRS = list(_pairs())


def _check_mrkdwn(name: str, marked: list[dict[str, Any]], clean: list[dict[str, Any]]) -> None:
    assert [o["type"] for o in marked] == [o["type"] for o in clean], name
    for m, c in zip(marked, clean, strict=True):
        if m["type"] != "mrkdwn":
            continue
        for marker in MARKERS:
            assert m["text"].count(marker) == c["text"].count(marker), (name, marker, m["text"])
        assert not re.search(r"(?m)^\s*(>|&gt;)", m["text"]), (name, m["text"])


@pytest.mark.parametrize(("name", "marked", "clean"), PAIRS, ids=[p[0] for p in PAIRS])
def test_no_register_text_becomes_mrkdwn_markup(name: str, marked: SlackMessage, clean: SlackMessage) -> None:
    _check_mrkdwn(name, list(_objects(marked.blocks)), list(_objects(clean.blocks)))
    for marker in MARKERS:  # the fallback `text` is mrkdwn too
        assert marked.text.count(marker) == clean.text.count(marker), (name, marker, marked.text)
    assert not re.search(r"(?m)^\s*(>|&gt;)", marked.text), (name, marked.text)


def _plain(message: SlackMessage) -> list[str]:
    return [o["text"] for o in _objects(message.blocks) if o["type"] == "plain_text"]


def test_register_text_alone_is_plain_text_unchanged() -> None:
    alerts = _alerts(True)
    lapsed = _plain(alert_message(alerts["lapsed"]))
    assert any(_text("quote", True) in t for t in lapsed)  # the quote, whole: never parsed, never escaped
    assert any(t.startswith("Promised by") and _text("owner", True) in t for t in lapsed)
    assert any(_text("title", True) in t for t in lapsed)  # the header
    slipped = _plain(alert_message(alerts["slipped"]))
    assert any(t.startswith("Slipped once: ") and _text("first words", True) in t for t in slipped)
    hostile = _plain(alert_message(make_alert(quote="a & b <!channel> c")))
    assert any("a & b <!channel> c" in t for t in hostile)  # plain_text is shown as sent: no entities


def test_the_modals_keep_register_text_out_of_mrkdwn_markup() -> None:
    shown = FollowUp(ids.WQ_LORDS, None, "no draft", "commitment-bot draft x", None, "")
    def views(m: bool) -> list[dict[str, Any]]:
        return [record_modal("m", _text("title", m), "> " + _text("promised", m), date(2022, 9, 9)),
                snooze_modal("m", _text("title", m), date(2022, 9, 9)),
                follow_up_modal("m", _text("title", m), shown)]
    for marked, clean in zip(views(True), views(False), strict=True):
        _check_mrkdwn("modal", list(_objects(marked["blocks"])), list(_objects(clean["blocks"])))
