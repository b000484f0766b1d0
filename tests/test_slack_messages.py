"""What each alert looks like in Slack: sent by `commitment-bot check` through the real WebClient."""

from __future__ import annotations

import json
from typing import Any

import pytest

from notifiers.slack_blocks import clip, escape
from tests.slack_server import NOW, REGISTER, SlackState, message_for, posted_kinds, running_slack, slack_env  # noqa: F401


def _texts(blocks: list[dict[str, Any]]) -> list[str]:
    out = []
    for b in blocks:
        if "text" in b:
            out.append(b["text"]["text"])
        out += [f["text"] for f in b.get("fields", [])] + [e["text"] for e in b.get("elements", [])]
    return out


def _within_limits(blocks: list[dict[str, Any]]) -> None:
    assert len(blocks) <= 50
    for b in blocks:
        if b["type"] == "header":
            assert len(b["text"]["text"]) <= 150
        elif b["type"] == "section":
            assert len(b.get("text", {}).get("text", "")) <= 3000
            assert all(len(f["text"]) <= 2000 for f in b.get("fields", []))


@pytest.fixture
def sent(cli, write_register, slack: SlackState, database_url: str) -> SlackState:  # type: ignore[no-untyped-def]
    write_register(REGISTER)
    result = cli("check", "--now", NOW, "--database", database_url, env=slack_env(slack))
    assert result.exit_code == 0, result.output
    return slack


# (commitment, kind, header starts, status sentence contains, fallback contains)
KINDS = [
    ("heads", "heads-up", "⏳ Due soon: Publish the review", "Deadline 20 Sep 2022 is close", "deadline 20 Sep 2022"),
    ("lapse", "lapsed", "🔴 Lapsed: <!channel>", "9 days overdue", "9 days overdue (deadline 31 Aug 2022)"),
    ("slip", "slipped", "↪️ Slipped: Finalise the protocol", "moved from 30 Nov 2022 to 31 Dec 2022",
     "slipped twice"),
    ("quiet", "silent", "🔕 Gone silent: Review the scheme", "No news on this open-ended promise",
     "no news on an open-ended promise"),
    ("done", "closed", "✅ Closed — delivered: Fund the service", "Closed as delivered", "closed as delivered"),
]


@pytest.mark.parametrize(("cid", "kind", "header", "sentence", "fallback"), KINDS, ids=[k[1] for k in KINDS])
def test_each_kind_reads_differently(sent: SlackState, cid: str, kind: str, header: str, sentence: str,
                                     fallback: str) -> None:
    m = message_for(sent, cid, kind)
    assert m.blocks is not None
    assert m.blocks[0]["type"] == "header" and m.blocks[0]["text"]["text"].startswith(header)
    assert sentence in m.blocks[1]["text"]["text"]
    assert fallback in m.text
    _within_limits(m.blocks)
    has_update_hint = any("commitment-bot update" in t for t in _texts(m.blocks))
    assert has_update_hint is (kind != "closed")


def test_every_kind_was_sent_once(sent: SlackState) -> None:
    assert sorted(posted_kinds(sent)) == sorted([("heads", "heads-up"), ("lapse", "lapsed"), ("slip", "slipped"),
                                                 ("quiet", "silent"), ("done", "closed")])


def test_lapsed_message_says_who_what_when_and_how_the_bot_read_it(sent: SlackState) -> None:
    text = "\n".join(_texts(message_for(sent, "lapse", "lapsed").blocks or []))
    assert "Home Office — Lord Sharpe of Epsom" in text
    assert "21 Feb 2022" in text
    assert "“end August” → 1 Aug – 31 Aug 2022 (deadline 31 Aug 2022)" in text
    assert "> Work has commenced and we aim to implement them by end August." in text
    assert "<https://example.org/letter.pdf|Letter to Baroness Meacher>" in text
    assert "_No update recorded yet._" in text
    assert "`commitment-bot update lapse --note \"what happened\" --source URL`" in text


def test_slip_history_and_last_update(sent: SlackState) -> None:
    text = "\n".join(_texts(message_for(sent, "slip", "slipped").blocks or []))
    assert "Slipped twice: end August → autumn 2022 → later this year" in text
    assert "*Last update 5 Sep 2022*: Ministers now say later this year" in text


def test_hostile_title_can_neither_ping_nor_link(sent: SlackState) -> None:
    m = message_for(sent, "lapse", "lapsed")
    raw = json.dumps([b for b in (m.blocks or []) if b["type"] != "header"]) + m.text
    assert "<!channel>" not in raw and "<http://evil" not in raw
    assert "&lt;!channel&gt; &amp; &lt;http://evil|click&gt;" in m.text
    header = m.blocks[0]["text"] if m.blocks else {}
    assert header["type"] == "plain_text"  # Slack never parses plain_text: shown literally
    sections = [b["text"] for b in (m.blocks or []) if b["type"] == "section" and "text" in b]
    assert all(t["verbatim"] is True for t in sections)
    call = sent.calls_to("chat.postMessage")[0].params
    assert call["link_names"] is False and call["unfurl_links"] is False


def test_huge_quote_and_title_are_cut_with_a_link(cli, write_register, slack: SlackState,  # type: ignore[no-untyped-def]
                                                  sqlite_url: str) -> None:
    quote = "We & our partners <will> deliver. " * 400
    title = "A very long title " * 30
    write_register(REGISTER.replace('quote: "Work has commenced and we aim to implement them by end August."',
                                    f'quote: "{quote}"').replace(
        'title: "<!channel> & <http://evil|click>"', f'title: "{title}"'))
    assert cli("check", "--now", NOW, "--database", sqlite_url, env=slack_env(slack)).exit_code == 0
    m = message_for(slack, "lapse", "lapsed")
    _within_limits(m.blocks or [])
    assert len(m.blocks[0]["text"]["text"]) == 150 and m.blocks[0]["text"]["text"].endswith("…")  # type: ignore[index]
    quoted = next(t for t in _texts(m.blocks or []) if t.startswith("> "))
    assert "…" in quoted and "<https://example.org/letter.pdf|read the full quote>" in quoted
    assert "&amp; our partners &lt;will&gt;" in quoted and "<will>" not in quoted


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("a & b", 100, "a &amp; b"),
    ("<!here>", 100, "&lt;!here&gt;"),
    ("&&&&", 10, "&amp;…"),  # never cut inside an entity
    ("abcdef", 4, "abc…"),
])
def test_clip_escapes_and_never_breaks_an_entity(text: str, limit: int, expected: str) -> None:
    assert clip(text, limit) == expected
    assert escape("<a|b>") == "&lt;a|b&gt;"
