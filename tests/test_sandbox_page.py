"""The sandbox's page (sandbox/index.html) draws Slack's mrkdwn as Slack shows it: bold, italics,
strike, code, block quotes and links, with everything a message says escaped (a stranger may post
to the stand-in). One row per rule: Slack's text → the HTML the page holds.
"""

from __future__ import annotations

import re

import pytest

from bot.shell.sandbox.page import channels, mrkdwn, render
from bot.shell.sandbox.slackstate import Message, SlackState

ROWS = [
    ("plain words", "plain words"),
    ("*Past their deadline* (3)", "<strong>Past their deadline</strong> (3)"),
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
    return render({"channels": channels(state), "mails": mails or [], "teams_channel": "advocacy", "cards": []})


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
