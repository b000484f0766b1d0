"""`watch:` in the register (SPEC §6.3): read into a frozen `Watch`, and every mistake reported at
its own line and column, with the rest of the register's problems, like any other key.
"""

from __future__ import annotations

import pytest

from bot.register.model import Schedule, Watch
from bot.shell.registerfile import load_texts

HEAD = """\
version: 1
commitments:
  - id: mvp
    title: Implement the protocol
    owner: Home Office
    made_on: 2022-02-21
    due: end August
"""


def load(watch: str):  # type: ignore[no-untyped-def]
    return load_texts([("c.yaml", HEAD + watch)])


def test_a_full_watch_is_read() -> None:
    loaded = load("""\
    watch:
      govuk: {query: migrant victim protocol, organisations: [home-office, uk-visas-and-immigration]}
      parliament: {query: Migrant Victim Protocol}
      pages: ["https://www.gov.uk/a", "https://www.gov.uk/b", "https://www.gov.uk/a"]
""")
    assert loaded.problems == ()
    assert loaded.register.commitments[0].watch == Watch(
        "migrant victim protocol", ("home-office", "uk-visas-and-immigration"), "Migrant Victim Protocol",
        ("https://www.gov.uk/a", "https://www.gov.uk/b"))


def test_no_watch_and_the_default_schedule() -> None:
    loaded = load("")
    assert loaded.register.commitments[0].watch is None
    assert loaded.register.schedule == Schedule() and Schedule().watch == "0 7 * * *"


def test_schedule_watch_is_a_cron_expression_checked_like_the_others() -> None:
    good = load_texts([("c.yaml", HEAD.replace("commitments:", 'schedule: {watch: "30 6 * * *"}\ncommitments:'))])
    assert good.register.schedule.watch == "30 6 * * *"
    bad = load_texts([("c.yaml", HEAD.replace("commitments:", 'schedule: {watch: "every morning"}\ncommitments:'))])
    assert [p.message.split(":")[0] for p in bad.problems] == ["schedule watch"]


# (the watch block, line:col of the problem, words the message must hold)
CASES = [
    ("    watch: {}\n", "8:12", "watch asks nowhere"),
    ("    watch: {gazette: {query: x}}\n", "8:13", 'unknown key "gazette"'),
    ("    watch:\n      govuk: {organisations: [home-office]}\n", "9:14", "query"),
    ("    watch:\n      govuk: {query: x, organisations: [Home Office]}\n", "9:40", "organisation slug"),
    ("    watch:\n      parliament: {query: ''}\n", "9:27", "query must not be empty"),
    ("    watch:\n      pages: [ftp://example.org/x]\n", "9:15", "must be an address starting with http"),
    ("    watch:\n      pages: ['https://ok.example', 'www.gov.uk/x']\n", "9:37", "must be an address"),
    ("    watch: [home-office]\n", "8:12", "watch"),
    ("    watch: {gazette: {query: x}}\n", "8:13", "(allowed: govuk, parliament, pages)"),
]


@pytest.mark.parametrize(("block", "where", "words"), CASES)
def test_a_bad_watch_is_reported_at_its_line_and_column(block: str, where: str, words: str) -> None:
    loaded = load(block)
    assert loaded.register is None
    shown = [str(p) for p in loaded.problems]
    assert any(s.startswith(f"c.yaml:{where}:") and words in s for s in shown), shown


def test_every_watch_problem_is_reported_in_one_run() -> None:
    loaded = load("""\
    watch:
      govuk: {query: x, organisations: [Home Office]}
      pages: [nope]
""")
    assert len(loaded.problems) == 2
