"""What each alert looks like in Slack: sent by `commitment-bot check` through the real WebClient."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from bot.decide.alerts import Alert, PromiseView, UpdateView
from bot.shell.sandbox.slack import SlackState
from notifiers.slack.blocks import (
    URL_MAX,
    SlackMessage,
    alert_message,
    clip,
    escape,
)
from notifiers.slack.summary import summary_message
from tests.standins import NOW, REGISTER, make_alert, message_for, posted_kinds, running_slack, slack_env  # noqa: F401


def _texts(blocks: list[dict[str, Any]]) -> list[str]:
    out = []
    for b in blocks:
        if "text" in b:
            out.append(b["text"]["text"])
        out += [f["text"] for f in b.get("fields", [])] + [e["text"] for e in b.get("elements", [])]
    return out


def _mrkdwn(blocks: list[dict[str, Any]]) -> list[str]:
    """The texts Slack parses: plain_text (headers, the quote, fields, slip history) is shown as sent."""
    out = []
    for b in blocks:
        objects = [b["text"]] if "text" in b else []
        objects += b.get("fields", []) + b.get("elements", [])
        out += [o["text"] for o in objects if o.get("type") == "mrkdwn"]
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
    ("heads", "heads-up", "⏳ Due soon: Publish the review", "Deadline 20 Sep 2022 is close",
     "Deadline 20 Sep 2022 is close"),
    ("lapse", "lapsed", "🔴 Lapsed: <!channel>", "Nine days late",
     "Nine days late: the deadline of 31 Aug 2022 passed"),
    ("slip", "slipped", "↪️ Slipped: Finalise the protocol", "moved from 30 Nov 2022 to 31 Dec 2022",
     "Slipped twice"),
    ("quiet", "silent", "📭 Gone silent: Review the scheme", "since the promise was made on 1 Jan 2021",
     "since the promise was made on 1 Jan 2021"),
    ("done", "closed", "✅ Closed — delivered: Fund the service", "Delivered: news of", "Delivered: news of"),
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
    assert "Promised by Home Office (Lord Sharpe of Epsom)" in text  # SPEC §7.1's words
    assert "21 Feb 2022" in text
    assert "“end August” → 1 Aug – 31 Aug 2022 (deadline 31 Aug 2022)" in text
    assert "“Work has commenced and we aim to implement them by end August.”" in text  # plain_text
    assert "<https://example.org/letter.pdf|Letter to Baroness Meacher>" in text
    assert "_No update from Home Office recorded yet._" in text
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
    assert all(t["verbatim"] is True for t in sections if t["type"] == "mrkdwn")
    assert all(t["type"] == "plain_text" for b in (m.blocks or []) for t in b.get("fields", []))
    call = sent.calls_to("chat.postMessage")[0].params
    assert (call["link_names"], call["unfurl_links"], call["parse"]) == (False, False, "none")


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
    quoted = next(t for t in _texts(m.blocks or []) if t.startswith("“"))  # plain_text: as the register has it
    assert quoted.endswith("…”") and quoted.startswith("“We & our partners <will> deliver.")
    assert any("<https://example.org/letter.pdf|read the full quote>" in t for t in _mrkdwn(m.blocks or []))


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("a & b", 100, "a &amp; b"),
    ("<!here>", 100, "&lt;!here&gt;"),
    ("&&&&", 10, "&amp;…"),  # never cut inside an entity
    ("abcdef", 4, "abc…"),
])
def test_clip_escapes_and_never_breaks_an_entity(text: str, limit: int, expected: str) -> None:
    assert clip(text, limit) == expected
    assert escape("<a|b>") == "&lt;a|b&gt;"


# -- built by hand: every text that comes from the register -----------------------------------------
def _with_update(**over: Any) -> Alert:
    update = make_alert().last_update
    assert update is not None
    return make_alert(last_update=replace(update, **over))


LINK = re.compile(r"<([^<>|]*)\|([^<>|]*)>")


def _markup_of(text: str) -> list[str]:
    """Every `<…>` Slack would act on; each must be one of the bot's own whole links."""
    rest = re.sub(r"(?m)^> ", "", LINK.sub("", text))  # "> " opening a line is the bot's own quote
    assert "<" not in rest and ">" not in rest, f"stray markup in {text[:200]!r}"
    return [url for url, _ in LINK.findall(text)]


def _all_markup(message: SlackMessage) -> list[str]:
    texts = [message.text] + _mrkdwn(message.blocks)
    return [url for t in texts for url in _markup_of(t)]


LONG_URL = "https://example.org/" + "a" * 5000
# (what is long, the alert): no section may be cut inside a link, whatever the register holds
LONG = [
    ("source url", make_alert(source_url=LONG_URL)),
    ("source url and quote", make_alert(source_url=LONG_URL, quote="Promised words & more. " * 300)),
    ("evidence url and note", _with_update(source_url=LONG_URL, note="A long note <with> & things. " * 200)),
    ("2,900-char url", make_alert(source_url="https://example.org/" + "b" * 2880, source_title="T" * 400)),
    ("longest linkable url and quote", make_alert(source_url="https://example.org/" + "c" * (URL_MAX - 20),
                                                  quote="Promised words.\n" * 300, source_title="T" * 400)),
]


@pytest.mark.parametrize("alert", [c[1] for c in LONG], ids=[c[0] for c in LONG])
def test_long_urls_never_cut_inside_a_link(alert: Alert) -> None:
    message = alert_message(alert)
    _within_limits(message.blocks)
    urls = _all_markup(message)
    assert set(urls) <= {escape(alert.source_url or ""), escape((alert.last_update and alert.last_update.source_url)
                                                                or "")}
    assert all(len(url) <= URL_MAX for url in urls)
    text = "\n".join(_texts(message.blocks))
    assert "Source: " in text and "*Last update 1 Aug 2022*" in text  # a long URL loses its link, not its text
    if len(alert.source_url or "") <= URL_MAX:
        assert escape(alert.source_url or "") in urls


HOSTILE = ["<!channel>", "<!here|here>", "<@U0123ABC>", "<#C0123ABC|general>", "<!subteam^S0123|@team>",
           "<!date^1392734382^{date}|x>", "<https://evil.example|click me>", "a & b > c <"]
FIELDS: list[tuple[str, Callable[[str], Alert]]] = [
    ("title", lambda s: make_alert(title=s)),
    ("owner", lambda s: make_alert(owner=s)),
    ("made_by", lambda s: make_alert(made_by=s)),
    ("quote", lambda s: make_alert(quote=s)),
    ("source title", lambda s: make_alert(source_title=s)),
    ("source url", lambda s: make_alert(source_url="https://example.org/" + s)),
    ("promised words", lambda s: make_alert(words=s)),
    ("period", lambda s: make_alert(period=s)),
    ("update note", lambda s: _with_update(note=s)),
    ("update by", lambda s: _with_update(by=s)),
    ("update source url", lambda s: _with_update(source_url="https://example.org/x" + s)),
    ("slip history", lambda s: make_alert(kind="slipped", slips=1, promises=(
        PromiseView("2022-02-21", s, "1 Aug – 31 Aug 2022", "2022-08-31"),
        PromiseView("2022-08-01", "autumn 2022", "1 Sep – 30 Nov 2022", "2022-11-30"))))]


@pytest.mark.parametrize("payload", HOSTILE)
@pytest.mark.parametrize(("field", "build"), FIELDS, ids=[f[0] for f in FIELDS])
def test_register_text_never_becomes_markup(field: str, build: Callable[[str], Alert], payload: str) -> None:
    alert = build(payload)
    urls = _all_markup(alert_message(alert))
    urls += _all_markup(_summary_of(alert))
    # a link's URL is the register's, escaped, with `|` encoded so it cannot end the URL early
    allowed = {escape(u).replace("|", "%7C") for u in (alert.source_url, alert.last_update
                                                         and alert.last_update.source_url) if u}
    assert set(urls) <= allowed | {"https://advocacy.slack.com/archives/C1/p1"}


def _summary_of(alert: Alert) -> SlackMessage:
    return summary_message([(alert, None)] * 3 + [(alert, "https://advocacy.slack.com/archives/C1/p1")] * 3).message


def test_summary_lines_lead_to_the_full_alert() -> None:
    threaded = "https://advocacy.slack.com/archives/C0000001AB/p100"
    items = [(make_alert(id=f"c{i}", title=f"Promise {i}", days_overdue=10 - i), threaded if i < 2 else None)
             for i in range(8)]
    summary = summary_message(items)
    lines = "\n".join(b["text"]["text"] for b in summary.message.blocks if b["type"] == "section").splitlines()
    assert len(lines) == 8 and summary.listed == tuple(range(8))
    assert all(f"<{threaded}|Promise {i}>" in lines[i] for i in (0, 1))
    assert all("details in this thread" in line for line in lines[2:])
    assert not any("details in this thread" in line for line in lines[:2])


def test_a_summary_too_long_for_one_message_says_where_the_rest_are() -> None:
    items = [(make_alert(id=f"c{i}", title=f"Promise {i} " + "x" * 100), None) for i in range(1000)]
    summary = summary_message(items)
    _within_limits(summary.message.blocks)
    texts = [b["text"]["text"] for b in summary.message.blocks if b["type"] == "section"]
    assert 0 < len(summary.listed) < 1000
    assert texts[-1] == f"…and {1000 - len(summary.listed)} more: their full alerts are in this thread"


def test_a_summary_names_each_update_it_lists_and_where_the_unlisted_are() -> None:
    """Six updates to one commitment in one run read as six lines, each naming its note; an
    unlisted item with a thread is said to be in full there, not in the summary's thread."""
    threaded = "https://advocacy.slack.com/archives/C0000001AB/p100"
    news = [make_alert(kind="news", last_update=UpdateView("2022-09-10", f"Statement <{i}>\nsaid", "Jo", None, None))
            for i in range(6)]
    summary = summary_message([(a, threaded) for a in news] + [(make_alert(id="lap"), None)])
    lines = "\n".join(b["text"]["text"] for b in summary.message.blocks if b["type"] == "section").splitlines()
    assert len(lines) == 7 and all(any(f"“Statement &lt;{i}&gt; said”" in line for line in lines) for i in range(6))
    assert not any("“" in line for line in lines if "details in this thread" in line)  # a lapse reports no update
    many = [(make_alert(id=f"c{i}", title=f"Promise {i} " + "x" * 100), threaded) for i in range(1000)]
    texts = [b["text"]["text"] for b in summary_message(many).message.blocks if b["type"] == "section"]
    assert texts[-1].endswith("more: each is in full in its commitment's thread")


def test_a_summary_counts_and_says_each_type_as_what_it_is() -> None:
    """SPEC §7.1, found in the truth sweep: the summary counted an ask past its date as "lapsed",
    said it was "overdue", and called a list holding a closing "need attention"."""
    items = [(make_alert(id="p", days_overdue=9), None), (make_alert(id="a", type="ask", days_overdue=1), None),
             (make_alert(id="e", type="expectation", days_overdue=2), None)]
    summary = summary_message(items)
    assert summary.message.blocks[0]["text"]["text"] == "📋 3 alerts about commitments (1 lapsed, 1 no answer, 1 no news)"
    lines = "\n".join(b["text"]["text"] for b in summary.message.blocks if b["type"] == "section")
    assert "9 days overdue" in lines and "1 day past its date" in lines and "2 days past its date" in lines
