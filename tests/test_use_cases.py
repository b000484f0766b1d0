"""The use cases every entry point calls (bot.shell.usecases, issue 23 item 1), where the review
of issue 23 found them wanting: confirming a lead is one transaction (a failure while recording
leaves the lead open, and trying again records once), and of two confirming one lead, one records;
an update dated after today is refused by the one rule in the core, whichever door it comes
through; `check` is a use case too, the one `commitment-bot check`, the scheduler and the Slack
app run.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot.register.recording import UpdateRequest
from bot.shell import usecases
from bot.shell.registerfile import read
from notifiers.console import ConsoleNotifier
from storage.db import connect
from storage.leads import Found
from storage.repository import Store

NOW = "2026-03-02T09:00"
AT = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Europe/London"))
FOUND = datetime(2026, 3, 1, 7, tzinfo=UTC)
REGISTER = """\
version: 1
commitments:
  - id: plan
    title: Publish the plan
    owner: Home Office
    type: promise
    made_on: 2025-05-01
    due: end of 2025
    source: {url: "https://www.gov.uk/government/publications/plan", title: "A letter"}
  - id: code
    title: Publish the code of practice
    owner: Home Office
    type: promise
    made_on: 2025-05-01
    due: end of 2025
    source: {url: "https://www.gov.uk/government/publications/code", title: "A letter"}
"""


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    made = Store(connect(database_url))
    yield made
    made.engine.dispose()


def refuse_updates_of(store: Store, commitment_id: str) -> None:
    """A real failure of the database while an update is inserted (a full disk, a constraint): a
    trigger that refuses rows of one commitment."""
    with store.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text(f"CREATE TRIGGER refuse BEFORE INSERT ON updates WHEN NEW.commitment_id = '{commitment_id}' "
                              "BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"))
        else:
            conn.execute(text("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                              "$$ BEGIN RAISE EXCEPTION 'the disk is full'; END $$"))
            conn.execute(text(f"CREATE TRIGGER refuse BEFORE INSERT ON updates FOR EACH ROW "
                              f"WHEN (NEW.commitment_id = '{commitment_id}') EXECUTE FUNCTION refuse()"))


def accept_updates(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER refuse" if conn.dialect.name == "sqlite" else "DROP TRIGGER refuse ON updates"))


def notes(store: Store) -> list[tuple[str, str]]:
    recorded = store.updates.recorded(None, "calendar")
    return sorted((cid, u.note) for cid, found in recorded.items() for u in found)


def test_a_lead_whose_update_fails_to_record_stays_open_and_is_recorded_once_when_tried_again(  # type: ignore[no-untyped-def]
        cli, write_register, database_url: str, store: Store) -> None:
    """The lead names two commitments; a person confirms it for both, and the second update fails
    to insert. Nothing is recorded and the lead is still new (not "confirmed" with no update, which
    a retry would call "someone confirmed or dismissed it a moment ago"); confirmed again, it
    records one update each."""
    path = write_register(REGISTER)
    where = ["--file", str(path), "--database", database_url, "--now", NOW]
    lead = store.leads.add("plan", "Plan and code published", "https://www.gov.uk/government/news/both",
                           date(2026, 3, 1), "govuk", None, FOUND)
    assert lead is not None
    store.leads.store_all([Found(lead.url, lead.title, lead.published, "govuk", None, (("code", 60),))], FOUND)
    refuse_updates_of(store, "code")
    failed = cli("leads", "confirm", str(lead.id), "--commitment", "plan", "--commitment", "code", *where)
    assert failed.exit_code == 1 and "the disk is full" in failed.output
    kept = store.leads.get(lead.id)
    assert kept is not None and (kept.state, kept.update_id, kept.decided_by) == ("new", None, None)
    assert notes(store) == []  # not even the first commitment's update
    accept_updates(store)
    again = cli("leads", "confirm", str(lead.id), "--commitment", "plan", "--commitment", "code", "--by", "Sam", *where)
    assert again.exit_code == 0, again.output
    assert notes(store) == [("code", "Plan and code published"), ("plan", "Plan and code published")]
    decided = store.leads.get(lead.id)
    assert decided is not None and decided.state == "confirmed" and decided.decided_by == "Sam"
    rows = {u.note: u.recorded for found in store.updates.recorded(["plan"], "calendar").values() for u in found}
    assert decided.update_id == rows["Plan and code published"]
    assert all(a.update_id is not None for a in decided.answers)
    listed = json.loads(cli("leads", "--json", *where[:4]).stdout)
    assert [x["state"] for x in listed] == ["confirmed"]


def test_of_two_confirming_one_lead_at_once_one_records_it(write_register, database_url: str, store: Store) -> None:  # type: ignore[no-untyped-def]
    """The race fix kept: the second confirmation finds the lead decided and records nothing."""
    loaded = read(write_register(REGISTER))
    assert loaded.register is not None
    lead = store.leads.add("plan", "Plan published", "https://www.gov.uk/government/news/plan", date(2026, 3, 1),
                           "govuk", None, FOUND)
    assert lead is not None
    request = UpdateRequest("plan", date(2026, 3, 1), "Plan published", source=lead.url)
    first = usecases.confirm_lead(store, loaded.register, loaded.source_hash, lead.id, [request], FOUND, "Sam")
    second = usecases.confirm_lead(store, loaded.register, loaded.source_hash, lead.id, [request], FOUND, "Ali")
    assert isinstance(first, list) and len(first) == 1
    assert second == "someone confirmed or dismissed it a moment ago: nothing was recorded"
    assert notes(store) == [("plan", "Plan published")]


def test_an_update_dated_after_today_is_refused_by_one_rule_whichever_door_it_comes_through(  # type: ignore[no-untyped-def]
        cli, write_register, database_url: str, store: Store) -> None:
    path = write_register(REGISTER)
    loaded = read(path)
    assert loaded.register is not None and loaded.register.timezone == "Europe/London"
    says = ("--on 2026-03-03 is after today (2026-03-02): an update records what has happened; "
            "give --future if you mean it")
    request = UpdateRequest("plan", date(2026, 3, 3), "To be published tomorrow")
    assert usecases.record_update(store, loaded.register, loaded.source_hash, request, AT) == says
    typed = cli("update", "plan", "--note", "To be published tomorrow", "--on", "2026-03-03", "--file", str(path),
                "--database", database_url, "--now", NOW)
    assert typed.exit_code == 1 and says in typed.output
    assert notes(store) == []
    row = usecases.record_update(store, loaded.register, loaded.source_hash, request, AT, future=True)
    assert isinstance(row, int) and notes(store) == [("plan", "To be published tomorrow")]


def test_check_is_one_use_case_that_syncs_the_register_and_tells_each_alert_once(  # type: ignore[no-untyped-def]
        cli, write_register, database_url: str, store: Store) -> None:
    """What a scheduled run and the Slack app run (`usecases.check`), and `commitment-bot check`
    after it on the same database, share one record: each lapse is told once."""
    path = write_register(REGISTER)
    loaded = read(path)
    assert loaded.register is not None
    told = io.StringIO()
    first = usecases.check(store, loaded.register, loaded.source_hash, AT, {"console": ConsoleNotifier(told)})
    assert sorted((d.commitment_id, d.kind) for d, _ in first.decisions) == [("code", "lapsed"), ("plan", "lapsed")]
    assert set(store.register.first_seen()) == {"plan", "code"} and first.sync.added == 2  # synced before deciding
    assert told.getvalue().count("[LAPSED]") == 2, told.getvalue()
    again = cli("check", "--json", "--file", str(path), "--database", database_url, "--now", NOW)
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["notifications"] == []
