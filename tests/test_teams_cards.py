"""Teams cards (SPEC §7.8, issue 23 item 6): valid Adaptive Cards 1.4, saying what Slack and the
console say, with register text inert.

Every card is validated against the Adaptive Cards 1.4 JSON Schema from microsoft/AdaptiveCards
(tests/fixtures/adaptive-cards/, with its source). One case per kind and type, as the kinds
registry and SPEC §7.1 list them; hostile text goes into every text field of an alert.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot.decide import words
from bot.decide.alerts import Alert, LeadView, PromiseView, UpdateView
from bot.decide.kinds import KINDS, kind
from bot.register.inert import inert
from bot.shell.sandbox.teams import text_of
from notifiers.console import render
from notifiers.slack import blocks as slack
from notifiers.teams import cards
from tests.standins import make_alert

SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "adaptive-cards" / "adaptive-card-1.4.0.json")
                    .read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft6Validator(SCHEMA)
TYPES = ("promise", "ask", "expectation")
LEAD = LeadView(7, "Migrant Victims Protocol: guidance", "https://www.gov.uk/government/publications/mvp",
                "2022-09-01", "govuk", "The protocol will be published in the autumn.")


def invalid(card: dict[str, Any]) -> list[str]:
    """Why `card` is not an Adaptive Card of schema 1.4 or later (the schema leaves the top-level
    `type` and `version` to the host, so they are checked here too)."""
    found = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in VALIDATOR.iter_errors(card)]
    if card.get("type") != "AdaptiveCard":
        found.append("type: not AdaptiveCard")
    if not re.fullmatch(r"1\.([4-9]|\d\d)", str(card.get("version"))):
        found.append(f"version: {card.get('version')!r} is not 1.4 or later")
    return found


def unslack(mrkdwn: str) -> str:
    """Slack's text without its bold marks and escapes: the words a reader sees there."""
    return mrkdwn.replace("*", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def slack_texts(node: Any) -> list[str]:
    """Every text in Slack blocks."""
    return [o["text"] for o in walk(node) if isinstance(o.get("text"), str)]


def walk(node: Any) -> list[dict[str, Any]]:
    """Every object in a card, depth first."""
    if isinstance(node, dict):
        return [node] + [o for v in node.values() for o in walk(v)]
    return [o for v in node for o in walk(v)] if isinstance(node, list) else []


def alert_of(kind_name: str, type_name: str, **over: Any) -> Alert:
    """An alert of `kind_name` about a commitment of `type_name`, with what that kind carries."""
    base: dict[str, Any] = {"kind": kind_name, "type": type_name}
    if kind_name == "closed":
        base.update(status="delivered", late_days=400)
    elif kind_name == "slipped":
        base.update(slips=1, promises=(
            PromiseView("2022-02-21", "end August", "1 Aug – 31 Aug 2022", "2022-08-31"),
            PromiseView("2022-09-05", "later this year", "1 Sep – 31 Dec 2022", "2022-12-31", "Lord Murray",
                        "Written answer HL9622")), words="later this year", deadline="2022-12-31", days_overdue=0)
    elif kind_name == "silent":
        base.update(deadline=None, words="in due course", reading="open-ended", days_overdue=0,
                    quiet_since="2022-01-01")
    elif kind_name == "lead":
        base.update(lead=LEAD)
    elif kind_name in ("heads-up", "news", "reopened"):
        base.update(days_overdue=0, deadline="2022-09-20")
    return make_alert(**{**base, **over})


CASES = [pytest.param(k, t, id=f"{k}-{t}") for k in sorted(KINDS) for t in TYPES]


@pytest.mark.parametrize(("kind_name", "type_name"), CASES)
def test_every_kind_of_every_type_is_a_valid_card_saying_what_slack_says(kind_name: str, type_name: str) -> None:
    alert = alert_of(kind_name, type_name)
    card = cards.alert_card(alert, "https://example.org/commitments")
    assert invalid(card) == []
    assert cards.size(cards.message(card)) < cards.CARD_BYTES
    shown = text_of(card)
    assert cards.headline(alert) == slack.headline(alert)  # icon, word and title, as Slack heads it
    assert shown.startswith(slack.headline(alert) + "\n")
    stress, rest = kind(alert.kind).says(alert, slack.day)
    assert f"{stress}{rest}\n" in shown  # the one status sentence (bot.decide.words)...
    said = slack.alert_message(alert).blocks
    assert unslack(said[1]["text"]["text"]) == stress + rest  # ...as Slack says it
    slack_fields = {unslack(f["text"]) for b in said for f in b.get("fields", [])}
    assert {f"{label}\n{value}" if label else value for label, value in cards.fields(alert)} == slack_fields
    for label, value in cards.fields(alert):  # the same fields
        assert (f"{label}: {value}\n" if label else f"{value}\n") in shown
    w = words.of(type_name)
    said_by = w.by(alert.owner, alert.made_by).lower()  # SPEC §7.1: the same words on every surface
    assert said_by in shown.lower()
    assert said_by in "\n".join(unslack(t) for t in slack_texts(said)).lower()
    if type_name != "promise":  # SPEC §7.1: only a promise is promised, or lapses
        assert "Promised" not in shown and "Lapsed" not in shown
    assert w.by(alert.owner, alert.made_by) in render(alert)  # the console names it the same way


def test_a_card_links_to_the_site_the_source_the_evidence_and_what_was_found() -> None:
    alert = alert_of("lead", "promise", last_update=UpdateView("2022-09-01", "n", source_url="https://example.org/ev"))
    buttons = {a["title"]: a["url"] for a in cards.alert_card(alert, "https://example.org/c").get("actions", [])}
    assert buttons == {"Open on the site": "https://example.org/c/c/mvp.html", "Open what was found": LEAD.url,
                       "Open the source": "https://example.org/letter.pdf", "Open the evidence": "https://example.org/ev"}
    assert "Confirm it: commitment-bot leads confirm 7 (or leads dismiss 7)" in text_of(cards.alert_card(alert))
    assert "Record what happened" in text_of(cards.alert_card(alert_of("lapsed", "ask")))
    assert "Record what happened" not in text_of(cards.alert_card(alert_of("closed", "ask")))


# -- hostile text: inert everywhere ------------------------------------------------------------
HOSTILE = [
    pytest.param("**bold** _it_ ~~gone~~ `code` # Heading", id="markdown"),
    pytest.param("[click me](https://evil.example/x) [js](javascript:alert(1)) <https://evil.example>", id="links"),
    pytest.param("<at>Everyone</at> <at id=\"0\">General</at> @channel", id="mentions"),
    pytest.param("- item one\n1. item two\n> quoted\n\n---", id="lists-and-rules"),
    pytest.param("<b>bold</b><script>alert(1)</script>&amp;&lt;", id="html"),
    pytest.param("\x1b]0;pwned\x07\x1b[2JTitle\x9b31m\x7f\u202eevil\u2066\x00", id="controls-and-bidi"),
    pytest.param("{{DATE(2017-02-14T06:08:00Z, SHORT)}} ${title}", id="templating"),
    pytest.param("W" * 6000, id="very-long"),
    pytest.param("\u202e" * 6000, id="very-long-escapes"),  # each shows as six characters
    pytest.param("🙂" * 6000, id="very-long-wide"),  # four bytes each
]
TEXT_FIELDS = ("title", "owner", "made_by", "quote", "source_title", "words", "reading")


def hostile_alert(text: str, kind_name: str = "lapsed") -> Alert:
    alert = alert_of(kind_name, "promise", **{f: text for f in TEXT_FIELDS}, id="mvp" + text[:0],
                     source_url="javascript:alert(1)", period=text[:40],
                     last_update=UpdateView("2022-08-01", text, text, None, "javascript:alert(2)", text, text, text))
    lead = replace(LEAD, title=text, snippet=text, url="javascript:alert(3)") if kind_name == "lead" else None
    return replace(alert, lead=lead, promises=alert.promises + (PromiseView("2022-09-01", text, text, None, text,
                                                                            text),))


def runs(card: dict[str, Any]) -> list[str]:
    return [o["text"] for o in walk(card) if o.get("type") == "TextRun"]


@pytest.mark.parametrize("kind_name", ["lapsed", "lead"])
@pytest.mark.parametrize("text", HOSTILE)
def test_register_text_is_inert_in_a_card(text: str, kind_name: str) -> None:
    card = cards.alert_card(hostile_alert(text, kind_name), "https://example.org/site")
    assert invalid(card) == []
    assert cards.size(cards.message(card)) < cards.CARD_BYTES
    objects = walk(card)
    # No TextBlock: its text is Markdown. Every word is a TextRun, whose text no host parses.
    assert not [o for o in objects if o.get("type") in ("TextBlock", "FactSet", "Fact")]
    assert all(set(o) <= {"type", "text", "weight", "size", "italic", "isSubtle", "color", "selectAction"}
               for o in objects if o.get("type") == "TextRun")
    for t in runs(card):
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", t), t
    first = text.split("\n")[0][:20]
    assert any(inert(first) in t for t in runs(card))  # shown as typed, escapes visible
    links = [o["url"] for o in objects if o.get("type") == "Action.OpenUrl"]
    assert links == ["https://example.org/site/c/mvp.html"]  # javascript: stays text; nothing in the text links
    assert all(o.get("title") in ("Open on the site",) for o in objects if o.get("type") == "Action.OpenUrl")


def test_a_hostile_summary_is_valid_inert_and_fits() -> None:
    alerts = [replace(hostile_alert(str(p.values[0]), "lead" if i % 3 == 0 else "lapsed"), id=f"c{i}")
              for i, p in enumerate(HOSTILE * 4)]
    parts = cards.summary_cards(alerts, "https://example.org/site")
    assert len(parts) > 1
    assert sorted(i for _, held in parts for i in held) == list(range(len(alerts)))
    for n, (card, _) in enumerate(parts, 1):
        assert invalid(card) == [] and cards.size(cards.message(card)) < cards.CARD_BYTES
        assert f"part {n} of {len(parts)}" in text_of(card)
        assert not [o for o in walk(card) if o.get("type") == "TextBlock"]
        assert {o["url"] for o in walk(card) if o.get("type") == "Action.OpenUrl"} <= \
            {f"https://example.org/site/c/c{i}.html" for i in range(len(alerts))}


# -- many alerts: a summary ---------------------------------------------------------------------
def test_a_summary_lists_every_alert_most_overdue_first_with_its_words() -> None:
    alerts = [alert_of("lapsed", t, id=f"c{i}", days_overdue=i, title=f"Commitment {i}")
              for i, t in enumerate(TYPES * 3)] + [alert_of("lead", "promise", id="found", days_overdue=0)]
    ((card, held),) = cards.summary_cards(alerts)
    assert invalid(card) == []
    assert held == (8, 7, 6, 5, 4, 3, 2, 1, 0, 9)  # most overdue first, then by id
    shown = text_of(card)
    assert shown.startswith("📋 10 alerts about commitments (3 lapsed, 3 no answer, 3 no news, 1 lead)\n")
    for a in alerts:
        assert "".join(kind(a.kind).says(a, slack.day)) in shown
        assert words.of(a.type).by(a.owner, a.made_by) in shown
    assert "Commitment 3 — lapsed, 3 days overdue (deadline 31 Aug 2022)" in shown
    # an ask has no answer and an expectation no news, never "lapsed"; neither is ever "overdue"
    assert "Commitment 1 — no answer, 1 day past its date (deadline 31 Aug 2022)" in shown
    assert "Commitment 2 — no news, 2 days past its date" in shown and "Commitment 2 — no news, 2 days overdue" not in shown
    # SPEC §7.4: a lead keeps its title, date, link, snippet and how to confirm it, in a summary too
    # the source as Slack names it ("GOV.UK"), never the register's code ("govuk"), found in the third audit
    assert f"Found: {LEAD.title} (published 1 Sep 2022, GOV.UK)" in shown and LEAD.snippet in shown  # type: ignore[operator]
    assert "govuk" not in shown
    assert "commitment-bot leads confirm 7 (or leads dismiss 7)" in shown
    assert [o["url"] for o in walk(card) if o.get("type") == "Action.OpenUrl"] == [LEAD.url]


def test_a_repeat_after_an_unanswered_post_says_so() -> None:
    at = datetime(2022, 9, 9, 8, 14, tzinfo=UTC)
    again = cards.alert_card(make_alert(), again=at)
    assert invalid(again) == []
    assert "Sent again: an earlier post of this at 08:14 UTC on 9 Sep 2022 got no answer from Teams and may have " \
           "arrived too." in text_of(again)
    assert "Sent again" not in text_of(cards.alert_card(make_alert()))
    parts = cards.summary_cards([make_alert(id=f"c{i}") for i in range(7)], again=[None, at, None])
    assert "Sent again: an earlier post of this at 08:14 UTC" in text_of(parts[0][0])


def test_the_test_card_is_valid() -> None:
    card = cards.hello_card("advocacy")
    assert invalid(card) == []
    assert "routed to teams: [advocacy] will appear in this channel" in text_of(card)


def test_the_schema_catches_what_teams_would_refuse() -> None:
    """The validator is not a rubber stamp: a misspelt property, a missing text, a Teams-only key fail."""
    card = cards.alert_card(make_alert())
    assert invalid({**card, "msteams": {"width": "Full"}})
    assert invalid({**card, "body": [*card["body"], {"type": "TextBlock"}]})
    assert invalid({**card, "body": [{"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": "x",
                                                                           "italics": True}]}]})
    assert invalid({k: v for k, v in card.items() if k != "type"})
    assert invalid({**card, "version": 1.4}) and invalid({**card, "version": "1.2"})
