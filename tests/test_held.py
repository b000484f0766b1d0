"""Held alerts released when their channel is configured (bot.decide.held, SPEC §6.5): only what is
still true, the newest of each kind, and every piece of news and every lead on its own."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.decide.held import HeldAlert, settle
from bot.decide.sent import ident
from bot.shell.registerfile import load_texts

REGISTER = """\
version: 1
commitments:
  - id: mvp
    title: Publish the protocol
    owner: Home Office
    made_on: 2022-02-21
    due: end August 2022
    updates:
      - {date: 2022-08-01, note: Still working on it.}
      - {date: 2022-08-10, note: Still working on it again.}
"""
NOW = datetime(2022, 9, 20, 9, tzinfo=ZoneInfo("Europe/London"))
LEADS = ("https://www.gov.uk/a", "https://www.gov.uk/b", "https://www.gov.uk/c")


@pytest.mark.parametrize(("kinds", "released"), [
    pytest.param(["lapsed", "lapsed"], [2], id="two-lapses-the-newest"),
    pytest.param(["news", "news"], [1, 2], id="two-news-both"),
    pytest.param(["lead", "lead", "lead"], [1, 2, 3], id="three-leads-all"),
    pytest.param(["heads-up"], [], id="heads-up-no-longer-true"),
])
def test_what_is_released(kinds: list[str], released: list[int]) -> None:
    loaded = load_texts([("c.yaml", REGISTER)])
    assert loaded.register is not None
    deadline = date(2022, 8, 31)
    keys = [u.key for u in loaded.register.commitments[0].updates]
    about = {"news": keys, "lead": LEADS}
    held = [HeldAlert(i, "mvp", k, None, deadline, "slack:#mvp", ident(k, "mvp", None, about.get(k, ("",) * 3)[i - 1]))
            for i, k in enumerate(kinds, 1)]
    send, expire = settle(loaded.register, {}, NOW, {}, held, open_leads=LEADS)
    assert sorted(send) == released and sorted(expire) == sorted(set(range(1, len(kinds) + 1)) - set(released))


def test_news_of_an_update_no_longer_counted_and_a_decided_lead_are_not_released() -> None:
    """A retracted update is not counted (SPEC §6.1), so news of it is no longer true; a lead a
    person confirmed or dismissed meanwhile is no longer one to offer."""
    loaded = load_texts([("c.yaml", REGISTER)])
    assert loaded.register is not None
    kept = loaded.register.commitments[0].updates[0].key
    held = [HeldAlert(1, "mvp", "news", None, None, "slack:#mvp", ident("news", "mvp", None, kept)),
            HeldAlert(2, "mvp", "news", None, None, "slack:#mvp", ident("news", "mvp", None, "db:7")),  # retracted
            HeldAlert(3, "mvp", "lead", None, None, "slack:#mvp", ident("lead", "mvp", None, LEADS[0])),
            HeldAlert(4, "mvp", "lead", None, None, "slack:#mvp", ident("lead", "mvp", None, LEADS[1]))]
    send, expire = settle(loaded.register, {}, NOW, {}, held, open_leads={LEADS[0]})
    assert (send, expire) == ({1, 3}, {2, 4})
