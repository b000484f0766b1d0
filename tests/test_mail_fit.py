"""The search for the most a mail can say under 100 KB (notifiers/email/fit.py): whichever level
of the ladder is the first to fit, that is the one sent; when none fits, the counts-only level
goes out anyway. A mail a little too long costs few renders (the digest renders every card each
time), so the search gallops down from the top before it halves."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from notifiers.email.fit import LADDER, LIMIT, Level, fit


def mail(text: str, html: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = "digest"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


@pytest.mark.parametrize("first_fitting", range(len(LADDER) + 1))
def test_the_most_detailed_level_that_fits_is_sent(first_fitting: int) -> None:
    rendered: list[Level] = []

    def render(level: Level) -> tuple[str, str]:
        rendered.append(level)
        at = LADDER.index(level)
        body = f"level {at} " + ("x" * LIMIT if at < first_fitting else "short")
        return body, f"<p>{body}</p>"

    sent = fit(render, mail)
    shown = min(first_fitting, len(LADDER) - 1)  # none fits: the last level goes out anyway
    assert sent.get_body(("plain",)).get_content().startswith(f"level {shown} ")  # type: ignore[union-attr]
    assert len(rendered) <= 9
    if first_fitting in (1, 2):  # a little too long: one or two renders after the whole
        assert len(rendered) <= 1 + first_fitting


def test_a_level_whose_full_cards_alone_pass_the_limit_is_never_rendered() -> None:
    rendered: list[int] = []

    def render(level: Level) -> tuple[str, str]:
        rendered.append(LADDER.index(level))
        return f"level {LADDER.index(level)}", "<p>short</p>"

    def least(level: Level) -> int:  # the first five levels show more full cards than fit
        return LIMIT if LADDER.index(level) < 5 else 0

    sent = fit(render, mail, least=least)
    assert rendered and min(rendered) == 5  # the five that cannot fit cost nothing
    assert sent.get_body(("plain",)).get_content() == "level 5\n"  # type: ignore[union-attr]
