"""What `sandbox click` and `sandbox slash` print: Slack's text as a person reads it in Slack, plain,
with Slack's markup gone (bold, italics, strike, code) and what a code block holds left as it is.
One row per rule: Slack's text → the lines printed.
"""

from __future__ import annotations

import pytest

from bot.shell.sandbox.words import lines

ROWS = [
    ("*Past their date* (3)", ["Past their date (3)"]),
    ("• *Implement the Protocol* (`mvp-implement-by-end-august-2022`): over four years late",
     ["• Implement the Protocol (mvp-implement-by-end-august-2022): over four years late"]),
    ("_Nothing._", ["Nothing."]),
    ("~dropped~ *_both_*", ["dropped both"]),
    ("snake_case_name, 2*3*4 and * spaced *", ["snake_case_name, 2*3*4 and * spaced *"]),
    ("I do not know `frobnicate`.\nType `/commitments help`", ["I do not know frobnicate.", "Type /commitments help"]),
    ("```history of *x*\n  2022-02-21  promised _end August_```", ["history of *x*", "  2022-02-21  promised _end August_"]),
    ("&gt; quoted &amp; <https://example.org|a *link*>", ["> quoted & a link"]),
    ("<@U0SANDBOX> recorded it", ["Sandbox User recorded it"]),
    ("*bold \x1b[2J*", ["bold \\x1b[2J"]),  # and control characters made visible
]


@pytest.mark.parametrize(("text", "printed"), ROWS, ids=[r[0][:30] for r in ROWS])
def test_slacks_text_is_printed_plain(text: str, printed: list[str]) -> None:
    assert lines(text) == printed
