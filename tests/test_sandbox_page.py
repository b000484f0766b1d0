"""The sandbox's page (sandbox/index.html) draws Slack's mrkdwn as Slack shows it: bold, italics,
strike, code, block quotes and links, with everything a message says escaped (a stranger may post
to the stand-in). One row per rule: Slack's text → the HTML the page holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage
from html import unescape
from pathlib import Path

import pytest

from bot.shell.sandbox.page import channels, mail, mrkdwn, render
from bot.shell.sandbox.slackstate import Message, SlackState
from bot.shell.sandbox.smtp import Received
from tests.site_browser import Browser, chromium_path, require

ROWS = [
    ("plain words", "plain words"),
    ("*Past their date* (3)", "<strong>Past their date</strong> (3)"),
    ("_No update from Home Office recorded yet._", "<em>No update from Home Office recorded yet.</em>"),
    ("~withdrawn~ now", "<s>withdrawn</s> now"),
    ("run `commitment-bot history x`", "run <code>commitment-bot history x</code>"),
    ("*_both_*", "<strong><em>both</em></strong>"),
    ("_*both*_", "<em><strong>both</strong></em>"),
    ("*a _b* c_", "<strong>a _b</strong> c_"),  # crossing markers: the first pair wins, the HTML stays nested
    ("snake_case_name and 2*3*4", "snake_case_name and 2*3*4"),  # markers inside words are words
    ("* not bold *", "* not bold *"),
    ("`*not bold* _inside_ code`", "<code>*not bold* _inside_ code</code>"),
    ("&gt; Work has commenced\n&gt; on the protocol.\nSource: x",
     "<blockquote>Work has commenced<br>on the protocol.</blockquote>Source: x"),
    ("> quoted\nafter", "<blockquote>quoted</blockquote>after"),
    ("one\ntwo", "one<br>two"),
    ("```a *b*\n<c>```", "<pre>a *b*\n&lt;c&gt;</pre>"),
    ("<https://example.org/a_b_c|the _report_>", '<a href="https://example.org/a_b_c">the _report_</a>'),
    ("*<https://example.org|bold link>*", '<strong><a href="https://example.org">bold link</a></strong>'),
    ("<@U0SANDBOX> said &amp; did", "@Sandbox User said &amp; did"),
    ("Tom &amp; Jerry &lt;3", "Tom &amp; Jerry &lt;3"),
]


@pytest.mark.parametrize(("text", "html"), ROWS, ids=[r[0][:30] for r in ROWS])
def test_mrkdwn_is_drawn_as_slack_draws_it(text: str, html: str) -> None:
    assert str(mrkdwn(text)) == html


HOSTILE = [
    "<script>alert(1)</script>",
    "*<script>alert(1)</script>*",
    "_*<img src=x onerror=alert(1)>*_",
    "`<script>x</script>`",
    "&gt; <script>x</script>",
    "```<script>x</script>```",
    "&lt;script&gt;alert(1)&lt;/script&gt;",  # Slack's escaped text is text, never markup
    "&lt;https://evil.example|looks like a link&gt;",
    "<javascript:alert(1)|click>",
    '<https://example.org/"onmouseover="alert(1)|x>',
    "\ue000" "0\ue001 <https://example.org|x>",  # the renderer's own placeholders, typed in
    "*_~`<b>`~_*",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_mrkdwn_stays_inert(text: str) -> None:
    html = str(mrkdwn(text))
    for tag in ("<script", "<img", "<b>", 'href="javascript', "\ue000"):
        assert tag not in html, html
    assert 'href="https://evil' not in html and "onmouseover=\"" not in html
    opened = [t for t in ("strong", "em", "s", "code", "pre", "blockquote", "a")
              if len(re.findall(f"<{t}[ >]", html)) != html.count(f"</{t}>")]
    assert not opened, html


def _page(state: SlackState, mails: list[dict[str, str]] | None = None) -> str:
    return render({"channels": channels(state), "mails": mails or [], "others": []})


def test_the_page_puts_quotes_and_code_blocks_where_html_allows_them() -> None:
    """A <blockquote> or <pre> inside a <p> is not HTML (the browser closes the <p> first)."""
    state = SlackState()
    channel = state.add_channel("mvp-watch")
    text = "_No update from Home Office recorded yet._\n&gt; Work has commenced."
    state.messages.append(Message(channel.id, "1.000001", text, [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
                                  None, False, None))
    html = _page(state)
    assert "<em>No update from Home Office recorded yet.</em><br><blockquote>Work has commenced.</blockquote>" in html
    assert not [p for p in re.findall(r"<p[ >].*?</p>", html, re.S) if "<blockquote" in p or "<pre" in p]


LONG = "https://example.org/" + "averylongpathsegment" * 15


def _received() -> Received:
    message = EmailMessage()
    message["Subject"] = "5 commitment alerts: 3 lapsed, 2 gone silent"
    message.set_content(f"Lapsed: Implement the Migrant Victim Protocol\nSource: {LONG}\n")
    message.add_alternative("<!doctype html><html><head><title>m</title></head><body>"
                            "<h1>Implement the Migrant Victim Protocol</h1>"
                            f"<p><a href=\"{LONG}\">{LONG}</a></p>"
                            "<script>parent.document.title = 'owned'</script>"
                            "<img src=\"https://tracker.example/pixel.gif\" alt=\"\"></body></html>", subtype="html")
    return Received("bot@sandbox.invalid", ["coordinator@example.org"], message)


def test_a_mail_shows_its_html_part_sandboxed_and_its_text_wrapped() -> None:
    """The HTML part is what a phone's mail app shows: it is on the page, in an <iframe sandbox> (no
    script runs, nothing is fetched from outside); the plain-text part wraps instead of running off."""
    html = _page(SlackState(), [mail(_received())])
    frame = re.search(r"<iframe ([^>]*)>", html)
    assert frame is not None, html
    attributes = frame.group(1)
    assert 'sandbox=""' in attributes and "allow-scripts" not in attributes
    srcdoc = unescape(re.search(r'srcdoc="([^"]*)"', attributes).group(1))  # type: ignore[union-attr]
    assert srcdoc.startswith('<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src \'none\';')
    assert "<h1>Implement the Migrant Victim Protocol</h1>" in srcdoc and "<script>" in srcdoc  # inert, not removed
    assert "Source: " + LONG in html  # the plain-text part too
    assert re.search(r"pre \{[^}]*white-space: pre-wrap;[^}]*overflow-wrap: anywhere;", html)


def test_the_mailbox_fits_a_phone(tmp_path: Path, browser: Browser) -> None:
    page = tmp_path / "index.html"
    page.write_text(_page(SlackState(), [mail(_received())]), encoding="utf-8")
    browser.open(page, 375)
    assert browser.widths()["scroll"] <= 375
    assert browser.evaluate("document.title") == "commitment-bot sandbox: what arrived"  # the mail's script never ran
    assert 0 < browser.evaluate("document.querySelector('iframe').getBoundingClientRect().width") <= 375


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require("chromium", chromium_path(), "apt-get install chromium")
    b = Browser()
    yield b
    b.close()
