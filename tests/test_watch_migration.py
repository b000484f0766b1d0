"""Migration 0007 (one lead per URL): a database from the second release, holding one URL as a lead
under several commitments, becomes one lead naming them all, in the order they were found, with
the most telling state (confirmed, else new, else dismissed)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from storage.db import HEAD, alembic_config, connect, current_revision
from storage.leads import Answer, Leads, url_key

FOUND = datetime(2026, 12, 1, 7, tzinfo=UTC)
DECIDED = datetime(2026, 12, 2, 9, tzinfo=UTC)


def _row(lead_id: int, cid: str, url: str, state: str, update_id: int | None = None) -> dict[str, object]:
    decided = state != "new"
    return {"id": lead_id, "commitment_id": cid, "url": url, "url_key": url_key(url), "title": f"Title of {url}",
            "published": date(2026, 11, 20), "source": "govuk", "snippet": None, "state": state, "found_at": FOUND,
            "decided_at": DECIDED if decided else None, "decided_by": "A. Advocate" if decided else None,
            "update_id": update_id}


def test_leads_of_one_url_are_merged_into_the_first(database_url: str) -> None:
    from alembic import command
    from sqlalchemy import MetaData, insert

    a, b, c = "https://www.gov.uk/a", "https://www.gov.uk/b", "https://www.gov.uk/c"
    engine = connect(database_url, migrate=False)
    try:
        cfg = alembic_config(engine)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0005")
        meta = MetaData()
        meta.reflect(engine)
        with engine.begin() as conn:
            conn.execute(insert(meta.tables["leads"]), [
                _row(1, "mvp", a, "dismissed"), _row(2, "mvp-engage", a, "new"),
                _row(3, "mvp-guidance", b, "new"), _row(4, "mvp", b, "confirmed", update_id=9),
                _row(5, "other", c, "dismissed")])
    finally:
        engine.dispose()
    engine = connect(database_url)  # migrates to the head on first use
    try:
        assert current_revision(engine) == HEAD
        found = {lead.id: lead for lead in Leads(engine).list()}
        assert sorted(found) == [1, 3, 5]
        assert (found[1].state, found[1].commitments, found[1].decided_by) == ("new", ("mvp", "mvp-engage"), None)
        assert (found[3].state, found[3].decided_by, found[3].update_id) == ("confirmed", "A. Advocate", 9)
        assert found[3].answers == (Answer("mvp-guidance"), Answer("mvp", None, 9))
        assert (found[5].state, found[5].commitments) == ("dismissed", ("other",))
        assert Leads(engine).add("mvp", "Again", a, None, "govuk", None, FOUND) is None  # one URL, one lead
    finally:
        engine.dispose()
