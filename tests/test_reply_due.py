"""When a chase's reply is due (SPEC §7.5): each row worked out by hand from the rule and the calendar.

Rules (bot/chase/data/service_standards.csv): Commons ordinary, five working days (England and
Wales); Commons named day, at least three days ahead excluding Saturdays and Sundays, on a sitting
day; Lords, a fortnight from tabling (10 working days of England and Wales, as House of Lords
Business counts it), tabled only on a sitting day; FOI, the twentieth working day
after receipt, no bank holiday of any part of the UK; a letter, 20 working days (England and Wales).
Sitting days come from a small fixture of the real calendar rows (tests/fixtures/chase_calendar/).
"""

from __future__ import annotations

import csv
from datetime import date, time
from pathlib import Path

import pytest

from bot.chase import sitting
from bot.chase.standards import reply_due
from bot.when.workdays import OutsideCalendar, add_working_days

FIXTURE = Path(__file__).parent / "fixtures" / "chase_calendar"


def house(name: str) -> sitting.Sittings:
    recesses = list(csv.DictReader((FIXTURE / "recesses.csv").open(encoding="utf-8")))
    sessions = list(csv.DictReader((FIXTURE / "sessions.csv").open(encoding="utf-8")))
    return sitting.from_rows(name, recesses, sessions)


CASES = [
    # Commons ordinary, tabled Thu 22 May 2025, the day before the Whitsun recess: Fri 23 (1), Mon 26 is
    # the Spring bank holiday, Tue 27 (2), Wed 28 (3), Thu 29 (4), Fri 30 (5). The recess does not stop it.
    ("written-question", "commons", date(2025, 5, 22), False, date(2025, 5, 30)),
    # Commons named day, tabled Thu 22 May 2025: three days excluding Sat/Sun is Tue 27 May, but the
    # House is in its Whitsun recess to Sun 1 Jun: the earliest sitting day is Mon 2 Jun.
    ("written-question", "commons", date(2025, 5, 22), True, date(2025, 6, 2)),
    # Commons named day, tabled Fri 5 Jan 2024 (the recorded UIN 7926, named for Wed 10 Jan 2024):
    # Mon 8 (1), Tue 9 (2), Wed 10 (3), and the House sat from 8 Jan.
    ("written-question", "commons", date(2024, 1, 5), True, date(2024, 1, 10)),
    # Lords, tabled Thu 22 May 2025 (a sitting day): a fortnight later, with the Spring bank holiday (Mon 26
    # May) not counted, Fri 6 Jun.
    ("written-question", "lords", date(2025, 5, 22), False, date(2025, 6, 6)),
    # Lords, handed in Fri 23 May 2025, in the Whitsun recess (23 May – 1 Jun): tabled on the next
    # sitting day, Mon 2 Jun, due a fortnight later, Mon 16 Jun.
    ("written-question", "lords", date(2025, 5, 23), False, date(2025, 6, 16)),
    # Lords, tabled Mon 27 Nov 2023: "due for answer by 11 December 2023" (House of Lords Business).
    ("written-question", "lords", date(2023, 11, 27), False, date(2023, 12, 11)),
    # Lords, handed in Thu 18 Dec 2025, the day before the Christmas recess (19 Dec – 4 Jan): a sitting
    # day, so tabled that day; 10 working days, the recess no matter, Christmas Day, Boxing Day and New
    # Year's Day not counted (as House of Lords Business counts, LORDS_BUSINESS below): 19 (1), 22–24
    # (4), 29–31 (7), 2 Jan (8), 5 (9), Tue 6 Jan 2026 (found in review: 14 days gave Sun 4 Jan).
    ("written-question", "lords", date(2025, 12, 18), False, date(2026, 1, 6)),
    # Lords, tabled Thu 26 Mar 2026: 27 (1), 30 Mar – 2 Apr (5), Good Friday and Easter Monday not
    # counted, 7–10 (9), Mon 13 Apr (found in review: 14 days gave Sat 11 Apr).
    ("written-question", "lords", date(2026, 3, 26), False, date(2026, 4, 13)),
    # FOI received Mon 22 Dec 2025, over Christmas: 23 (1), 24 (2); 25 and 26 Dec are bank holidays;
    # 29, 30, 31 (5); 1 Jan (New Year) and 2 Jan (Scotland's 2nd January) are not counted; 5–9 Jan (10),
    # 12–16 (15), 19–23 (20): Fri 23 Jan 2026.
    ("foi", None, date(2025, 12, 22), False, date(2026, 1, 23)),
    # FOI received Wed 25 Mar 2026, over Easter: 26, 27 (2), 30, 31 Mar, 1, 2 Apr (6); Good Friday 3 Apr
    # and Easter Monday 6 Apr are not counted; 7–10 (10), 13–17 (15), 20–24 (20): Fri 24 Apr 2026.
    ("foi", None, date(2026, 3, 25), False, date(2026, 4, 24)),
    # FOI received Mon 2 Mar 2026: St Patrick's Day, Tue 17 Mar, is a bank holiday in Northern Ireland, so
    # it is not a working day for FOIA anywhere: 3–6 (4), 9–13 (9), 16, 18–20 (13), 23–27 (18), 30, 31: Tue 31 Mar.
    ("foi", None, date(2026, 3, 2), False, date(2026, 3, 31)),
    # A letter received the same day counts England and Wales's days only, so St Patrick's Day counts:
    # 3–6 (4), 9–13 (9), 16–20 (14), 23–27 (19), 30 (20): Mon 30 Mar 2026.
    ("letter", None, date(2026, 3, 2), False, date(2026, 3, 30)),
    # A letter received Sat 18 Apr 2026 (Easter is over): 20–24 (5), 27–30 Apr, 1 May (10), Mon 4 May is
    # the Early May bank holiday, 5–8 (14), 11–15 (19), 18 May (20).
    ("letter", None, date(2026, 4, 18), False, date(2026, 5, 18)),
]


@pytest.mark.parametrize(("how", "where", "on", "named", "expected"), CASES)
def test_reply_due(how: str, where: str | None, on: date, named: bool, expected: date) -> None:
    sittings = house(where.capitalize()) if where else None
    due, why = reply_due(how, where, on, named_day=named, sittings=sittings)
    assert due == expected, why
    assert f"{expected:%-d %b %Y}" in why


def test_the_explanation_names_what_it_skipped() -> None:
    _, why = reply_due("foi", None, date(2026, 3, 2))
    assert "St Patrick’s Day" in why and "FOIA s.10(1)" in why
    _, why = reply_due("written-question", "lords", date(2025, 5, 23), sittings=house("Lords"))
    assert "Whitsun recess 2025" in why and "Companion 5.34" in why


def test_a_day_beyond_the_calendar_is_refused_not_guessed() -> None:
    # A Lords day past the recesses announced is counted generously (the usual recesses and
    # Fridays do not sit), so the reply is never said to be overdue before it is; and it says so.
    beyond = reply_due("written-question", "lords", date(2027, 6, 1), sittings=house("Lords"))
    assert beyond.on == date(2027, 6, 24) and "Whitsun recess 2027, usually 22 May – 9 Jun 2027" in beyond.explained
    assert "calendar shipped with this build ends" in beyond.explained
    with pytest.raises(OutsideCalendar, match="bank holidays in any part"):
        add_working_days(date(2028, 12, 20), 20, "united-kingdom")
    with pytest.raises(OutsideCalendar, match="2012"):  # Scotland's and Northern Ireland's days start in 2012
        reply_due("foi", None, date(2011, 6, 1))


def test_a_written_question_needs_a_house() -> None:
    with pytest.raises(ValueError, match="needs a House"):
        reply_due("written-question", None, date(2026, 3, 2))
    with pytest.raises(ValueError, match="no service standard"):
        reply_due("meeting", None, date(2026, 3, 2))


def test_shipped_calendar_when_merged() -> None:
    """Once bot/when/calendars/ (branch wp/when) is merged, the shipped calendar answers as the fixture does."""
    try:
        lords = sitting.shipped("lords")
    except sitting.CalendarMissing:
        pytest.skip("bot/when/calendars/ is not in this build yet (branch wp/when)")
    assert reply_due("written-question", "lords", date(2025, 5, 23), sittings=lords).on == date(2025, 6, 16)


TABLED = [
    # Erskine May 22.2: notice of a question is received on sitting days, on non-sitting Fridays and
    # on a recess's printing day ("the last recess weekday which is not a Bank Holiday before the
    # House returns"). Handed in on Fri 22 May 2026, the Whitsun recess's first day (22–31 May), it is
    # tabled on its printing day, Fri 29 May: Mon 1 Jun (1) … Fri 5 Jun (5).
    ("commons", date(2026, 5, 22), date(2026, 5, 29), date(2026, 6, 5)),
    # Mon 5 May 2025, the Early May bank holiday, the House not sitting: tabled Tue 6 May, due Tue 13 May.
    ("commons", date(2025, 5, 5), date(2025, 5, 6), date(2025, 5, 13)),
    # Sun 22 Nov 2026, past the announced calendars: both Houses count from Mon 23 Nov.
    ("commons", date(2026, 11, 22), date(2026, 11, 23), date(2026, 11, 30)),
    ("lords", date(2026, 11, 22), date(2026, 11, 23), date(2026, 12, 7)),
]


@pytest.mark.parametrize(("where", "handed_in", "tabled", "expected"), TABLED)
def test_a_question_is_counted_from_the_day_it_can_be_tabled(where: str, handed_in: date, tabled: date,
                                                              expected: date) -> None:
    """Truth audit: a Commons question handed in on Sun 22 Nov 2026 was said to be "tabled … on Sun
    22 Nov 2026" and due Fri 27 Nov, while the Lords counted the same day from Mon 23 Nov."""
    due, why = reply_due("written-question", where, handed_in, sittings=house(where.capitalize()))
    assert due == expected, why
    assert f"tabled in the House of {where.capitalize()} on {tabled:%a %-d %b %Y}" in why or \
        f"counted from {tabled:%a %-d %b %Y}" in why, why
    if tabled != handed_in:
        assert f"handed in on {handed_in:%a %-d %b %Y}" in why, why


# Every "Tabled on X and due for answer by Y" line of House of Lords Business found (its Questions for
# Written Answer, https://lordsbusiness.parliament.uk/?sectionId=50&businessPaperDate=DAY, DAY being the
# paper's day): the Lords' fortnight is 10 working days, weekends and the bank holidays of England and
# Wales not counted (Good Friday and Easter Monday add two days in 2018 and 2024), recesses counted. The first eight are
# tests/corpus/phrases.yaml's rows (test_every_lords_business_row_of_the_corpus_is_here keeps them so).
LORDS_BUSINESS = [  # (paper's day, tabled, due for answer by)
    (date(2023, 11, 28), date(2023, 11, 27), date(2023, 12, 11)),  # "Tabled on 27 November 2023 and due for answer by 11 December 2023."
    (date(2024, 3, 20), date(2024, 3, 19), date(2024, 4, 4)),  # "Tabled on 19 March and due for answer by 4 April." (Easter)
    (date(2023, 2, 21), date(2023, 2, 20), date(2023, 3, 6)),  # "Tabled on 20 February 2023 and due for answer by 6 March 2023."
    (date(2024, 1, 15), date(2024, 1, 11), date(2024, 1, 25)),  # "Tabled on 11 January 2024 and due for answer by 25 January 2024."
    (date(2020, 1, 8), date(2020, 1, 7), date(2020, 1, 21)),  # "Tabled on 7 January 2020 and due for answer by 21 January 2020."
    (date(2023, 10, 24), date(2023, 10, 23), date(2023, 11, 6)),  # "Tabled on 23 October 2023 and due for answer by 6 November 2023."
    (date(2018, 3, 28), date(2018, 3, 27), date(2018, 4, 12)),  # "Tabled on 27 March 2018 and due for answer by 12 April 2018." (Easter)
    (date(2020, 3, 17), date(2020, 3, 16), date(2020, 3, 30)),  # "Tabled on 16 March 2020 and due for answer by 30 March 2020."
    (date(2020, 2, 26), date(2020, 2, 25), date(2020, 3, 10)),  # "Tabled on 25 February 2020 and due for answer by 10 March 2020."
    (date(2020, 10, 13), date(2020, 10, 12), date(2020, 10, 26)),  # "Tabled on 12 October 2020 and due for answer by 26 October 2020."
    (date(2020, 12, 8), date(2020, 12, 7), date(2020, 12, 21)),  # "Tabled on 7 December 2020 and due for answer by 21 December 2020."
    (date(2021, 2, 24), date(2021, 2, 23), date(2021, 3, 9)),  # "Tabled on 23 February 2021 and due for answer by 9 March 2021."
    (date(2021, 4, 15), date(2021, 4, 14), date(2021, 4, 28)),  # "Tabled on 14 April 2021 and due for answer by 28 April 2021."
    (date(2021, 7, 8), date(2021, 7, 7), date(2021, 7, 21)),  # "Tabled on 7 July 2021 and due for answer by 21 July 2021."
]


@pytest.mark.parametrize(("paper", "tabled", "due"), LORDS_BUSINESS)
def test_the_lords_fortnight_is_the_one_house_of_lords_business_gives(paper: date, tabled: date, due: date) -> None:
    found, why = reply_due("written-question", "lords", tabled)  # the shipped calendar: each was a sitting day
    assert found == due, why
    assert found.weekday() < 5 and "10 working days" in why
    assert f"tabled in the House of Lords on {tabled:%a %-d %b %Y}" in why and f"by {due:%a %-d %b %Y}" in why


def test_in_2020_the_lords_week_left_the_bank_holiday_out_too() -> None:
    """From spring to summer 2020 House of Lords Business gave questions a week, counted the same way:
    "Tabled on 20 May 2020 and due for answer by 28 May 2020" (the Spring bank holiday, 25 May, not
    counted; businessPaperDate=2020-05-21), "Tabled on 18 June 2020 and due for answer by 25 June 2020"
    (2020-06-22), "Tabled on 27 July 2020 and due for answer by 3 August 2020" (2020-07-28). Not the
    standard shipped (the Companion's fortnight is), but the same count: five working days each."""
    assert add_working_days(date(2020, 5, 20), 5, "england-and-wales")[0] == date(2020, 5, 28)
    assert add_working_days(date(2020, 6, 18), 5, "england-and-wales")[0] == date(2020, 6, 25)
    assert add_working_days(date(2020, 7, 27), 5, "england-and-wales")[0] == date(2020, 8, 3)
    assert add_working_days(date(2020, 5, 20), 5, "england-and-wales")[1] == ((date(2020, 5, 25), "Spring bank holiday"),)


def test_every_lords_business_row_of_the_corpus_is_here() -> None:
    """The corpus's rows from House of Lords Business ("Tabled on X and due for answer by Y") are each
    a case of LORDS_BUSINESS, read from its source URL's paper day and its expected day."""
    import yaml

    rows = yaml.safe_load((Path(__file__).parent / "corpus" / "phrases.yaml").read_text(encoding="utf-8"))["phrases"]
    found = {(r["made_on"], r["expect"]) for r in rows if "due for answer by" in str(r.get("quote", ""))
             and "lordsbusiness.parliament.uk" in str(r.get("source", ""))}
    assert len(found) >= 8
    assert found <= {(paper, due) for paper, _, due in LORDS_BUSINESS}


CUT_OFF = [
    # Found in review: sent at 8.30 pm on Thu 5 Mar 2026, a sitting Thursday, it was said to be tabled that
    # day and due Thu 12 Mar. Erskine May 22.2 n 4: after 5.30 pm on a sitting Thursday it is tabled the
    # following day, Fri 6 Mar: due Fri 13 Mar.
    (date(2026, 3, 5), time(20, 30), date(2026, 3, 6), date(2026, 3, 13)),
    (date(2026, 3, 5), time(17, 30), date(2026, 3, 5), date(2026, 3, 12)),  # on the cut-off: that day
    # after 6.30 pm on a sitting Monday: Tuesday
    (date(2026, 3, 2), time(19, 0), date(2026, 3, 3), date(2026, 3, 10)),
    (date(2026, 3, 2), time(18, 0), date(2026, 3, 2), date(2026, 3, 9)),
    # a Friday: 2.30 pm on a sitting Friday, 3 pm on a non-sitting one; which Fridays sit is not known,
    # so the earlier: at 3.10 pm it is tabled on the next day that takes notice, Mon 9 Mar
    (date(2026, 3, 6), time(15, 10), date(2026, 3, 9), date(2026, 3, 16)),
    # no cut-off is cited for a weekend (no notice taken at all) or a recess's printing day
    (date(2026, 3, 7), time(23, 0), date(2026, 3, 9), date(2026, 3, 16)),
]


@pytest.mark.parametrize(("handed_in", "at", "tabled", "expected"), CUT_OFF)
def test_a_commons_question_sent_after_the_day_s_cut_off_is_tabled_the_following_day(
        handed_in: date, at: time, tabled: date, expected: date) -> None:
    due, why = reply_due("written-question", "commons", handed_in, sittings=house("Commons"), at=at)
    assert due == expected, why
    assert f"tabled in the House of Commons on {tabled:%a %-d %b %Y}" in why, why
    if tabled != handed_in and handed_in.weekday() < 5:
        assert "Erskine May 22.2 n 4" in why and f"handed in on {handed_in:%a %-d %b %Y} at " in why, why


def test_the_lords_take_no_cut_off_no_source_gives_one() -> None:
    assert reply_due("written-question", "lords", date(2026, 3, 5), sittings=house("Lords"), at=time(22, 0)).on == \
        reply_due("written-question", "lords", date(2026, 3, 5), sittings=house("Lords")).on


def test_the_draft_and_the_chase_read_the_time_in_london(cli, write_register) -> None:
    write_register("""\
version: 1
timezone: Europe/London
commitments:
  - id: mvp
    title: Implement the Migrant Victim Protocol
    owner: Home Office
    made_on: 2022-02-21
    due: 2025-06-30
""")
    drafted = cli("draft", "mvp", "--as", "written-question", "--house", "commons", "--now", "2026-03-05T20:30")
    assert "Reply due: 13 March 2026." in drafted.output, drafted.output
    assert "at 8.30 pm, after 5.30 pm, the digital tabling cut-off on a sitting Thursday" in drafted.output
    chased = cli("chase", "mvp", "--how", "written-question", "--ref", "12345", "--now", "2026-03-05T20:30")
    assert "reply due 13 Mar 2026" in chased.output, chased.output
