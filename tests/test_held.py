"""Held alerts released when their channel is configured (bot.decide.held, SPEC §6.5): only what is
still true, the newest of each kind, and every piece of news and every lead on its own."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.decide.held import HeldAlert, settle
from bot.shell.registerfile import load_texts

REGISTER = """\
version: 1
commitments:
  - id: mvp
    title: Publish the protocol
    owner: Home Office
    made_on: 2022-02-21
    due: end August 2022
"""
NOW = datetime(2022, 9, 20, 9, tzinfo=ZoneInfo("Europe/London"))


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
    held = [HeldAlert(i, "mvp", k, None, deadline, "slack:#mvp") for i, k in enumerate(kinds, 1)]
    send, expire = settle(loaded.register, {}, NOW, {}, held)
    assert sorted(send) == released and sorted(expire) == sorted(set(range(1, len(kinds) + 1)) - set(released))
