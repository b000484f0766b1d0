"""Leads reach people (SPEC §6.3): a "New leads" section in the digest (text and HTML), and a lead
alert that says what was found and how to confirm or dismiss it; the alert's lead survives being
stored and read back.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.decide.alerts import Alert, LeadView, lead_alert
from bot.decide.digest import build_digest, read_book
from bot.decide.timeline import tracks
from bot.shell.registerfile import load_texts
from bot.shell.settings import Settings
from notifiers.email.messages import alert_message, digest_message, mail_setup

LONDON = ZoneInfo("Europe/London")
REGISTER = """\
version: 1
routes:
  - email: [coord@example.org]
commitments:
  - id: mvp
    title: Implement the Migrant Victim Protocol
    owner: Home Office
    made_on: 2022-02-21
    due: 2027
    watch: {govuk: {query: migrant victims protocol}}
"""
LEAD = LeadView(7, "Migrant Victims Protocol: guidance", "https://www.gov.uk/government/publications/mvp", "2026-11-20",
                "govuk", "Guidance for practitioners.")


def register():  # type: ignore[no-untyped-def]
    loaded = load_texts([("c.yaml", REGISTER)])
    assert loaded.register is not None, loaded.problems
    return loaded.register


def test_the_digest_lists_new_leads_found_since_the_last_one() -> None:
    now = datetime(2026, 11, 30, 8, tzinfo=LONDON)
    old = LeadView(3, "Older lead", "https://www.gov.uk/x", "2026-10-01", "govuk")
    book = read_book(register(), {}, now, leads={"mvp": [(date(2026, 10, 2), old), (date(2026, 11, 27), LEAD)]})
    digest = build_digest(book, "coord@example.org", None)  # the first digest covers the week before
    assert [s.key for s in digest.sections] == ["leads"]
    assert [i.lead for i in digest.sections[0].items] == [LEAD]
    assert "1 new lead —" in digest.subject
    mail = digest_message(mail_setup(Settings(email_from="bot@example.org")), digest)
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    for body in (text, html):
        assert "New leads" in body or "NEW LEADS" in body
        assert "Migrant Victims Protocol: guidance" in body and "leads confirm 7" in body
        assert "Older lead" not in body
    assert 'href="https://www.gov.uk/government/publications/mvp"' in html


def test_a_lead_alert_says_what_was_found_and_reads_back_from_storage() -> None:
    c = register().commitments[0]
    track = tracks(c, (), date(2026, 12, 1))[-1]
    alert = lead_alert(track, LEAD, date(2026, 12, 1), ("email:coord@example.org",))
    assert alert.kind == "lead" and alert.lead == LEAD and alert.deadline == "2027-12-31"
    assert Alert.from_dict(json.loads(json.dumps(alert.to_dict()))) == alert
    mail = alert_message(mail_setup(Settings(email_from="bot@example.org")), "coord@example.org", [alert])
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert mail["Subject"].startswith("LEAD:")
    assert "[LEAD] Migrant Victims Protocol: guidance" in text and "leads confirm 7" in text
