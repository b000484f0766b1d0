"""The chase's shipped tables are cited row by row, and the bank holidays agree with the law's rule.

Every row of bot/chase/data/*.csv names where it comes from; a service standard quotes its source's
own words. The bank holidays of England and Wales, 1997 to the latest year GOV.UK announces, are
checked against the rule that makes them (Banking and Financial Dealings Act 1971, Schedule 1, the
yearly proclamations' usual days, and the one-off days listed here), so a typing slip in either the
rule or the table fails here.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.easter import easter

from bot.chase.answering import UnknownOwner, bodies, body
from bot.chase.standards import standards
from bot.chase.tables import rows
from bot.when.calendars import rows as when_rows
from bot.when.workdays import holidays

URL = ("https://", "http://")


@pytest.mark.parametrize("name", ["answering_bodies.csv", "service_standards.csv", "bank_holidays.csv"])
def test_every_row_has_a_source(name: str) -> None:
    for r in (when_rows if name == "bank_holidays.csv" else rows)(name):
        cited = [v for k, v in r.items() if k.startswith("source") or k.endswith("_source")]
        assert any(v.startswith(URL) for v in cited), (name, r)


def test_every_standard_quotes_its_source() -> None:
    for s in standards().values():
        assert s.sources and all(src.startswith(URL) and quote for src, quote in s.sources), s.key


def test_every_answering_body_cites_its_commons_and_lords_form() -> None:
    for b in bodies().values():
        cited = dict(b.sources)
        assert cited["commons"].startswith(URL) and cited["lords"].startswith(URL), b.owner
        assert b.commons_to.startswith("the ") and b.lords_to == "His Majesty's Government"
        assert b.address == "" or "address" in cited, b.owner  # an address only with its source


def test_an_owner_outside_the_table_is_named_with_what_it_holds() -> None:
    assert body(" home office ").commons_to == "the Secretary of State for the Home Department"
    with pytest.raises(UnknownOwner, match="Home Office.*devolved governments .*out of scope"):
        body("Scottish Government")


# Review before 0.4.0: the README's own example owner, "Ministry of Housing, Communities and Local
# Government", and "MoJ" or "DfE" had no row; every UK government ministerial department now has one,
# found by the names and abbreviations registers use.
MINISTERIAL = {
    "Ministry of Housing, Communities and Local Government": "the Secretary of State for Housing, Communities and Local Government",
    "MHCLG": "the Secretary of State for Housing, Communities and Local Government",
    "Ministry of Housing, Communities & Local Government": "the Secretary of State for Housing, Communities and Local Government",
    "DLUHC": "the Secretary of State for Housing, Communities and Local Government",
    "MoJ": "the Secretary of State for Justice",
    "DfE": "the Secretary of State for Education",
    "DHSC": "the Secretary of State for Health and Social Care",
    "DWP": "the Secretary of State for Work and Pensions",
    "HMT": "the Chancellor of the Exchequer",
    "HM Treasury": "the Chancellor of the Exchequer",
    "the Treasury": "the Chancellor of the Exchequer",
    "DESNZ": "the Secretary of State for Energy Security and Net Zero",
    "DSIT": "the Secretary of State for Science, Innovation and Technology",
    "DCMS": "the Secretary of State for Culture, Media and Sport",
    "Defra": "the Secretary of State for Environment, Food and Rural Affairs",
    "Department for Environment, Food & Rural Affairs": "the Secretary of State for Environment, Food and Rural Affairs",
    "DfT": "the Secretary of State for Transport",
    "FCDO": "the Secretary of State for Foreign, Commonwealth and Development Affairs",
    "MoD": "the Secretary of State for Defence",
    "DBT": "the Secretary of State for Business and Trade",
    "Cabinet Office": "the Minister for the Cabinet Office",
    "Home Office": "the Secretary of State for the Home Department",
    "NIO": "the Secretary of State for Northern Ireland",
    "Scotland Office": "the Secretary of State for Scotland",
    "Wales Office": "the Secretary of State for Wales",
    "Attorney General's Office": "the Attorney General",
    "Attorney General’s Office": "the Attorney General",
    "Leader of the House": "the Leader of the House",
}


@pytest.mark.parametrize(("owner", "commons_to"), MINISTERIAL.items())
def test_every_ministerial_department_is_found_by_its_name_or_abbreviation(owner: str, commons_to: str) -> None:
    b = body(owner)
    assert b.commons_to == commons_to and b.lords_to == "His Majesty's Government"
    assert b.minister and b.salutation.startswith("Dear ") and b.department


def test_no_name_or_abbreviation_means_two_departments() -> None:
    names = [n for r in rows("answering_bodies.csv") for n in (r["owner"], *r["aliases"].split(";")) if n.strip()]
    folded = [" ".join(n.replace("&", "and").casefold().split()) for n in names]
    assert len(folded) == len(set(folded))


@pytest.mark.parametrize(("owner", "nearest"), [("Ofwat", None), ("Scottish Government", None),
                                                 ("Department of Transport", "Department for Transport"),
                                                 ("Ministry of Housing", "Ministry of Housing, Communities and Local Government")])
def test_an_owner_outside_the_table_is_told_how_to_go_on(owner: str, nearest: str | None) -> None:
    with pytest.raises(UnknownOwner) as raised:
        body(owner)
    said = str(raised.value)
    assert said.startswith(f'the answering-bodies table has no answering body for "{owner}"'), said
    assert (f'did you mean "{nearest}"?' in said) if nearest else "did you mean" not in said
    assert "write the department's name as the table has it" in said
    assert "add a row for it to bot/chase/data/answering_bodies.csv" in said
    assert "an FOI request needs none" in said and "unexpected" not in said


ONE_OFF = {date(1999, 12, 31), date(2002, 6, 3), date(2011, 4, 29), date(2012, 6, 5), date(2022, 6, 3),
           date(2022, 9, 19), date(2023, 5, 8)}
MOVED = {date(2002, 5, 27): date(2002, 6, 4), date(2012, 5, 28): date(2012, 6, 4), date(2020, 5, 4): date(2020, 5, 8),
         date(2022, 5, 30): date(2022, 6, 2)}  # spring or early May moved for a jubilee or VE day


def _rule(y: int) -> set[date]:
    """England and Wales by the rule: New Year, Good Friday, Easter Monday, first and last Mondays of
    May, last Monday of August, Christmas and Boxing Day with their substitutes."""
    def monday_from(d: date) -> date:
        return d + timedelta(days=(7 - d.weekday()) % 7)

    def last_monday(m: int) -> date:
        d = date(y, m + 1, 1) - timedelta(days=1)
        return d - timedelta(days=d.weekday())
    new_year = date(y, 1, 1) if date(y, 1, 1).weekday() < 5 else monday_from(date(y, 1, 1))
    out = {new_year, easter(y) - timedelta(days=2), easter(y) + timedelta(days=1),
           monday_from(date(y, 5, 1)), last_monday(5), last_monday(8)}
    xmas = date(y, 12, 25).weekday()
    out |= {5: {date(y, 12, 27), date(y, 12, 28)}, 6: {date(y, 12, 26), date(y, 12, 27)},
            4: {date(y, 12, 25), date(y, 12, 28)}}.get(xmas, {date(y, 12, 25), date(y, 12, 26)})
    return {MOVED.get(d, d) for d in out} | {d for d in ONE_OFF if d.year == y}


@pytest.mark.parametrize("year", range(1997, 2029))
def test_england_and_wales_bank_holidays_follow_the_rule(year: int) -> None:
    table = {d for d, _ in holidays("england-and-wales").days if d.year == year}
    assert table == _rule(year)


def test_the_united_kingdom_count_holds_every_division() -> None:
    uk = dict(holidays("united-kingdom").days)
    assert uk[date(2026, 3, 17)] == "St Patrick’s Day"  # Northern Ireland
    assert date(2025, 8, 4) in uk and date(2025, 12, 1) in uk  # Scotland's summer holiday; St Andrew's (substitute)
    assert holidays("united-kingdom").first == date(2012, 1, 1)
    assert holidays("england-and-wales").first == date(1997, 1, 1)
