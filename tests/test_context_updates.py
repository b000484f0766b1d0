"""Context updates: someone else's statement about a promise is context, not news of it.

An update with `context: true` records what someone other than the owner said about a
commitment: the Domestic Abuse Commissioner, a charity, Parliament, the press. It is kept and
shown, labelled as context, wherever updates are listed (`history`, the site's commitment page,
the Atom feed). It is never the owner's news:

- it cannot carry `status`, `due` or `deadline` (only the owner's own word closes a promise or
  moves its deadline);
- a lapsed promise stays lapsed and a silent one silent: it does not reset the clock, pause
  lapse reminders or answer a chase, and it raises no alert of its own;
- "last update" and "last news", wherever they are said (status, the site, the watch's "since",
  Slack and mail), are the owner's last update, never someone else's statement.
"""

from __future__ import annotations

import html
import json
from datetime import date
from pathlib import Path

import feedparser
import pytest
import yaml

from bot.decide import words
from bot.decide.holds import answered
from bot.decide.states import state
from bot.decide.status import summarise
from bot.decide.timeline import tracks
from bot.register.model import Action, Update
from bot.shell.publish.atom import feed
from bot.shell.publish.inputs import build
from bot.shell.publish.site import render
from bot.shell.registerfile import load_texts
from bot.shell.watch.run import asks
from tests.engine_helpers import Bot, at, register

# A promise due 31 Aug 2022, acknowledged by the minister after its deadline (10 Sep 2022), then
# only the Commissioner's briefing (30 Apr 2024); and an open-ended promise with only a charity's word.
BODY = """\
  - id: protocol
    title: Implement the Protocol
    owner: Home Office
    made_by: A. Minister
    made_on: 2022-02-21
    due: end August
    source: {title: Letter, quote: "We aim to implement it by end August."}
    watch: {govuk: {query: migrant victims protocol}}
    updates:
      - date: 2022-09-10
        note: The minister says work on the Protocol continues.
        said_by: A. Minister
      - date: 2024-04-30
        note: The Commissioner's briefing says the Protocol is still unpublished.
        said_by: Nicole Jacobs (Domestic Abuse Commissioner)
        context: true
        source: {title: "Commissioner's briefing", url: "https://example.org/briefing"}
  - id: engagement
    title: Engage stakeholders on the Protocol
    owner: Home Office
    made_on: 2022-02-21
    updates:
      - date: 2024-04-30
        note: A charity says nobody was engaged.
        context: true
"""
HEADER = """\
version: 1
timezone: Europe/London
defaults: {grace: 7 days, remind_every: 30 days, heads_up: 14 days, check_in: 6 months}
commitments:
"""
LABEL = "Context (not the Home Office's word)"


def load_problems(updates: str) -> list[str]:
    text = HEADER + ("  - id: p\n    title: T\n    owner: Home Office\n    made_on: 2022-02-21\n"
                     "    due: end August\n    updates:\n" + updates)
    return [p.message for p in load_texts([("r.yaml", text)]).problems]


# -- the file ----------------------------------------------------------------------------------
def test_an_update_may_say_it_is_context() -> None:
    protocol = register(BODY).by_id()["protocol"]
    assert [u.context for u in protocol.updates] == [False, True]


@pytest.mark.parametrize(("key", "value"), [("status", "delivered"), ("due", "spring 2025"),
                                            ("deadline", "2025-03-31")])
def test_a_context_update_cannot_carry_a_status_or_a_deadline(key: str, value: str) -> None:
    problems = load_problems(f"      - date: 2024-04-30\n        note: The Commissioner says so.\n"
                             f"        context: true\n        {key}: {value}\n"
                             "        source: {title: Briefing, url: 'https://example.org/b'}\n")
    assert [p for p in problems if "context" in p] == [
        f"a context update cannot carry {key}: it records what someone other than the owner said, and only "
        f"the owner's own word changes a status or a deadline (remove {key}, or remove context: true)"]


def test_context_is_true_or_false() -> None:
    problems = load_problems("      - date: 2024-04-30\n        note: N.\n        context: yes\n")
    assert problems == ['context "yes" must be true or false: true when the update records what someone other '
                        "than the owner said (a commissioner, a charity, Parliament, the press)"]
    assert load_problems("      - date: 2024-04-30\n        note: N.\n        context: false\n") == []


# -- the state and the alerts -------------------------------------------------------------------
def test_a_lapsed_promise_stays_lapsed_after_someone_elses_statement() -> None:
    rows = {r.id: r for r in summarise(register(BODY), {}, at("2024-05-15"))}
    assert (rows["protocol"].state, rows["protocol"].last_update) == ("lapsed", "2022-09-10")


def test_a_silent_promise_stays_silent_after_someone_elses_statement() -> None:
    rows = {r.id: r for r in summarise(register(BODY), {}, at("2024-05-15"))}
    assert (rows["engagement"].state, rows["engagement"].last_update) == ("silent", None)


def test_a_context_update_is_listed_on_its_track_but_is_not_its_last_news() -> None:
    track = tracks(register(BODY).by_id()["protocol"], (), date(2024, 5, 15))[0]
    assert [u.on for u in track.updates] == [date(2022, 9, 10), date(2024, 4, 30)]
    assert track.last_update is not None and track.last_update.on == date(2022, 9, 10)
    assert [n.update.on for n in track.news()] == [date(2022, 9, 10)]
    assert state(track, at("2024-05-15")) == "lapsed"


def test_a_context_update_raises_no_alert_and_pauses_no_lapse_reminder() -> None:
    bot = Bot(register(BODY))
    assert ("lapsed", 1) in bot.kinds("2024-04-01T09:00")
    assert bot.kinds("2024-04-30T09:00") == []  # no news alert for the Commissioner's briefing
    assert bot.kinds("2024-05-02T09:00") == [("lapsed", 2)]  # the reminder is not paused by it


def test_slack_and_mail_say_the_owners_last_update_not_the_context() -> None:
    bot = Bot(register(BODY))
    lapsed = [d.alert for d in bot.run("2024-05-15T09:00") if d.kind == "lapsed"]
    assert len(lapsed) == 1 and lapsed[0].last_update is not None
    assert (lapsed[0].last_update.on, lapsed[0].last_update.note) == (
        "2022-09-10", "The minister says work on the Protocol continues.")


def test_someone_elses_statement_does_not_answer_a_chase() -> None:
    chase = Action("a:1", "chase", date(2024, 4, 1), how="letter", reply_due=date(2024, 5, 31))
    context = Update("k", date(2024, 4, 30), "The Commissioner says so.", context=True)
    assert not answered(chase, [context], [chase])
    # nor is the owner's own news its reply (found in review): the reply the team records is
    assert not answered(chase, [Update("k", date(2024, 4, 30), "The minister replies.")], [chase])
    reply = Action("a:2", "reply", date(2024, 4, 30), how="letter", until=chase.on)
    assert answered(chase, [], [chase, reply])


def test_the_watch_looks_for_news_since_the_owners_last_update() -> None:
    found = {a.commitment_id: a for a in asks(register(BODY), {}, date(2024, 5, 15))}
    assert found["protocol"].since == date(2022, 9, 10)


# -- where it is shown ---------------------------------------------------------------------------
def test_the_label_names_the_owner() -> None:
    assert words.context_label("Home Office") == LABEL
    assert words.context_label("HM Treasury") == "Context (not HM Treasury's word)"


def site() -> dict[str, str]:
    inputs = build(register(BODY), at("2024-05-15"), {}, {})
    return {path: html.unescape(page) for path, page in render(inputs)}


def test_the_site_lists_it_labelled_as_context_and_last_news_is_the_owners() -> None:
    pages = site()
    page = pages["c/protocol.html"]
    assert LABEL in page and "still unpublished" in page
    assert page.count(LABEL) == 1  # the minister's update is not labelled
    index = pages["index.html"]
    assert "work on the Protocol continues" in index and "still unpublished" not in index
    engagement = index.split('c/engagement.html"', 1)[1].split("<tr>", 1)[0]
    assert "nobody was engaged" not in engagement and "none" in engagement


def test_the_feed_labels_it_as_context() -> None:
    inputs = build(register(BODY), at("2024-05-15"), {}, {})
    titles = [e.title for e in feedparser.parse(feed(inputs)).entries]
    assert f"{LABEL}: Implement the Protocol" in titles
    assert "Update: Implement the Protocol" in titles  # the minister's own update


# -- recording it, and the database --------------------------------------------------------------
@pytest.fixture
def files(tmp_path: Path) -> Path:
    path = tmp_path / "commitments.yaml"
    path.write_text(HEADER + BODY, encoding="utf-8")
    return path


def test_update_context_records_it_and_history_labels_it(cli, files: Path, database_url: str) -> None:  # type: ignore[no-untyped-def]
    args = ("--file", str(files), "--database", database_url)
    recorded = cli("update", "protocol", "--context", "--on", "2024-05-10", "--note", "A charity says it is late.",
                   "--said-by", "A charity", "--source", "https://example.org/charity", "--now", "2024-05-15", *args)
    assert recorded.exit_code == 0, recorded.output
    status = json.loads(cli("status", "--json", "--now", "2024-05-15", *args).stdout)
    assert {r["id"]: (r["state"], r["last_update"]) for r in status}["protocol"] == ("lapsed", "2022-09-10")
    history = cli("history", "protocol", "--now", "2024-05-15", *args).stdout
    assert f"2024-04-30  {LABEL}: The Commissioner's briefing" in history
    assert f"2024-05-10  {LABEL}, update #1 recorded" in history
    assert "2022-09-10  update: The minister says" in history
    listed = json.loads(cli("history", "protocol", "--json", "--now", "2024-05-15", *args).stdout)["updates"]
    assert [(u["on"], u["context"]) for u in listed] == [("2022-09-10", False), ("2024-04-30", True),
                                                        ("2024-05-10", True)]


@pytest.mark.parametrize("option", [("--due", "spring 2025"), ("--status", "dropped"), ("--deadline", "2025-03-31")])
def test_update_context_refuses_a_status_or_a_deadline(cli, files: Path, sqlite_url: str,  # type: ignore[no-untyped-def]
                                                        option: tuple[str, str]) -> None:
    result = cli("update", "protocol", "--context", "--note", "N.", *option, "--source", "https://example.org/x",
                 "--now", "2024-05-15", "--file", str(files), "--database", sqlite_url)
    assert result.exit_code != 0
    assert f"--context cannot go with {option[0]}: a context update records what someone other than the owner " \
           "said, and only the owner's own word changes a status or a deadline" in result.output


def test_export_updates_writes_context_true_back(cli, files: Path, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    args = ("--file", str(files), "--database", sqlite_url)
    assert cli("update", "engagement", "--context", "--on", "2024-05-10", "--note", "A peer asks about it.",
               "--now", "2024-05-15", *args).exit_code == 0
    written = cli("export", "updates", "--write", *args)
    assert written.exit_code == 0, written.output
    text = files.read_text(encoding="utf-8")
    assert "      - date: 2024-05-10\n        note: A peer asks about it.\n        context: true\n" in text
    engagement = yaml.safe_load(text)["commitments"][1]
    assert engagement["updates"][-1]["context"] is True
    loaded = load_texts([("commitments.yaml", text)])
    assert loaded.register is not None
    assert [u.context for u in loaded.register.by_id()["engagement"].updates] == [True, True]


def test_an_old_database_gains_the_column_and_its_updates_are_news(database_url: str) -> None:
    from alembic import command
    from sqlalchemy import MetaData, insert

    from storage.db import HEAD, alembic_config, connect, current_revision
    from storage.updates import RecordedUpdates

    engine = connect(database_url, migrate=False)
    try:
        cfg = alembic_config(engine)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0007")
        meta = MetaData()
        meta.reflect(engine)
        with engine.begin() as conn:
            conn.execute(insert(meta.tables["updates"]).values(
                commitment_id="protocol", on=date(2024, 4, 1), note="Recorded before context existed.",
                recorded_at=at("2024-04-01T10:00")))
    finally:
        engine.dispose()
    engine = connect(database_url)  # migrates to the head on first use
    try:
        assert current_revision(engine) == HEAD
        store = RecordedUpdates(engine)
        store.add("protocol", date(2024, 5, 1), "A charity's statement.", None, None, None, None, None,
                  at("2024-05-02T10:00"), context=True)
        found = store.recorded(None, "calendar")["protocol"]
        assert [(u.note, u.context) for u in found] == [("Recorded before context existed.", False),
                                                         ("A charity's statement.", True)]
    finally:
        engine.dispose()
