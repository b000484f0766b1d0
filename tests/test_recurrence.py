"""Recurring promises (SPEC 2.2): one window turned into labelled occurrences."""

from __future__ import annotations

from datetime import date

import pytest

from bot.when.dates import Window, resolve
from bot.when.recurrence import (
    MAX_OCCURRENCES,
    Occurrence,
    UnreadableRule,
    check_rule,
    find,
    occurrences,
)


def d(text: str) -> date:
    return date.fromisoformat(text)


def spans(occs: list[Occurrence]) -> list[tuple[str, str, str]]:
    return [(o.label, o.earliest.isoformat(), o.latest.isoformat()) for o in occs]


FY = Window("financial-year", d("2022-04-01"), d("2023-03-31"))


def test_financial_year_series() -> None:
    assert spans(occurrences(FY, "financial-year", d("2024-06-01"))) == [
        ("2022-23", "2022-04-01", "2023-03-31"),
        ("2023-24", "2023-04-01", "2024-03-31"),
        ("2024-25", "2024-04-01", "2025-03-31"),
    ]


def test_the_series_stops_with_the_occurrence_running_at_until() -> None:
    assert [o.label for o in occurrences(FY, "financial-year", d("2024-03-31"))] == [
        "2022-23", "2023-24"]
    assert [o.label for o in occurrences(FY, "financial-year", d("2024-04-01"))] == [
        "2022-23", "2023-24", "2024-25"]


def test_a_series_that_has_not_started_is_just_its_first_window() -> None:
    assert spans(occurrences(FY, "financial-year", d("2020-01-01"))) == [
        ("2022-23", "2022-04-01", "2023-03-31")]


def test_a_first_window_from_made_on_is_followed_by_whole_periods() -> None:
    first = resolve("this financial year", d("2022-02-21"))
    assert spans(occurrences(first, "financial-year", d("2022-05-01"))) == [
        ("2021-22", "2022-02-21", "2022-03-31"),
        ("2022-23", "2022-04-01", "2023-03-31"),
    ]


def test_yearly() -> None:
    first = resolve("autumn 2022", None)
    assert spans(occurrences(first, "yearly", d("2023-12-31"))) == [
        ("2022", "2022-09-01", "2022-11-30"),
        ("2023", "2023-09-01", "2023-11-30"),
    ]


def test_yearly_winter_ends_on_the_last_day_of_february() -> None:
    first = resolve("winter 2022", None)
    assert spans(occurrences(first, "yearly", d("2024-12-01"))) == [
        ("2023", "2022-12-01", "2023-02-28"),
        ("2024", "2023-12-01", "2024-02-29"),
        ("2025", "2024-12-01", "2025-02-28"),
    ]


def test_quarterly() -> None:
    first = resolve("Q1 2023", None)
    assert spans(occurrences(first, "quarterly", d("2023-12-01"))) == [
        ("Q1 2023", "2023-01-01", "2023-03-31"),
        ("Q2 2023", "2023-04-01", "2023-06-30"),
        ("Q3 2023", "2023-07-01", "2023-09-30"),
        ("Q4 2023", "2023-10-01", "2023-12-31"),
    ]


@pytest.mark.parametrize(("year", "february"), [(2023, "2023-02-28"), (2024, "2024-02-29")])
def test_monthly_from_the_31st_ends_each_month_on_its_last_day(year: int, february: str) -> None:
    first = resolve(f"31 January {year}", None)
    assert spans(occurrences(first, "monthly", date(year, 4, 1))) == [
        (f"{year}-01", f"{year}-01-31", f"{year}-01-31"),
        (f"{year}-02", f"{year}-02-01", february),
        (f"{year}-03", f"{year}-03-01", f"{year}-03-31"),
        (f"{year}-04", f"{year}-04-01", f"{year}-04-30"),
    ]


def test_monthly_keeps_a_part_of_month_window_in_shape() -> None:
    first = resolve("early August 2022", None)
    assert spans(occurrences(first, "monthly", d("2022-09-05"))) == [
        ("2022-08", "2022-08-01", "2022-08-10"),
        ("2022-09", "2022-09-01", "2022-09-10"),
    ]


def test_rrule_dates_are_deadlines_opening_the_day_after_the_last() -> None:
    first = resolve("31 March 2023", None)
    rule = "RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31"
    assert spans(occurrences(first, rule, d("2024-06-01"))) == [
        ("2023-03-31", "2023-03-31", "2023-03-31"),
        ("2024-03-31", "2023-04-01", "2024-03-31"),
        ("2025-03-31", "2024-04-01", "2025-03-31"),
    ]


def test_rrule_count_and_utc_until_are_honoured() -> None:
    first = resolve("2023-01-15", None)
    by_count = occurrences(first, "RRULE:FREQ=MONTHLY;COUNT=3", d("2030-01-01"))
    assert [o.label for o in by_count] == ["2023-01-15", "2023-02-15", "2023-03-15"]
    by_until = occurrences(first, "RRULE:FREQ=MONTHLY;UNTIL=20230301T000000Z", d("2030-01-01"))
    assert [o.label for o in by_until] == ["2023-01-15", "2023-02-15"]


@pytest.mark.parametrize("rule", ["monthly", "RRULE:FREQ=DAILY"])
def test_generation_is_bounded(rule: str) -> None:
    first = resolve("2023-01-01", None)
    assert len(occurrences(first, rule, d("9999-12-31"))) <= MAX_OCCURRENCES
    assert len(occurrences(first, rule, d("9999-12-31"))) > 1000


def test_a_series_running_off_the_calendar_stops() -> None:
    first = resolve("9998-12-31", None)
    assert [o.label for o in occurrences(first, "yearly", d("9999-12-31"))] == ["9998", "9999"]


@pytest.mark.parametrize("rule", ["yearly", "quarterly", "monthly", "financial-year", " Yearly ",
                                  "RRULE:FREQ=WEEKLY;BYDAY=MO",
                                  "RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31"])
def test_check_rule_accepts(rule: str) -> None:
    check_rule(rule)  # raises UnreadableRule if refused


@pytest.mark.parametrize(("rule", "message", "suggestion"), [
    ("yearley", 'recurs "yearley" is not a rule this bot can follow (did you mean "yearly"?)',
     "yearly"),
    ("financial year", 'recurs "financial year" is not a rule this bot can follow '
                       '(did you mean "financial-year"?)', "financial-year"),
    ("every so often", 'recurs "every so often" is not a rule this bot can follow (use yearly, '
                       'quarterly, monthly, financial-year or an RFC 5545 "RRULE:FREQ=…")', None),
    ("RRULE:FREQ=SOMETIMES", 'recurs "RRULE:FREQ=SOMETIMES" is not a valid RRULE: '
                             "invalid 'FREQ': SOMETIMES", None),
    ("RRULE:FREQ=HOURLY", 'recurs "RRULE:FREQ=HOURLY" repeats within a day; deadlines are whole '
                          "days (use FREQ=DAILY or coarser)", None),
])
def test_check_rule_rejects(rule: str, message: str, suggestion: str | None) -> None:
    with pytest.raises(UnreadableRule) as e:
        check_rule(rule)
    assert str(e.value) == message
    assert e.value.suggestion == suggestion


def test_occurrences_rejects_a_bad_rule_and_an_open_window() -> None:
    with pytest.raises(UnreadableRule):
        occurrences(FY, "fortnightly", d("2030-01-01"))
    with pytest.raises(UnreadableRule, match="needs a due date with a deadline"):
        occurrences(Window("open", None, None), "yearly", d("2030-01-01"))


@pytest.mark.parametrize(("label", "latest"), [
    ("2023-24", "2024-03-31"),
    ("2023/24", "2024-03-31"),
    ("2023-2024", "2024-03-31"),
    ("FY 2024-25", "2025-03-31"),
    ("2022-23", "2023-03-31"),
])
def test_find_by_label(label: str, latest: str) -> None:
    found = find(FY, "financial-year", label, d("2026-01-01"))
    assert found is not None and found.latest == d(latest)


def test_find_other_labels_and_misses() -> None:
    q = resolve("Q1 2023", None)
    found = find(q, "quarterly", "q3 2023", d("2024-01-01"))
    assert found is not None and found.earliest == d("2023-07-01")
    assert find(FY, "financial-year", "2030-31", d("2026-01-01")) is None  # beyond the horizon
    assert find(FY, "financial-year", "2021-22", d("2026-01-01")) is None  # before the first
    m = resolve("August 2022", None)
    hit = find(m, "monthly", "2022-10", d("2023-01-01"))
    assert hit is not None and hit.latest == d("2022-10-31")


def test_a_rule_that_never_comes_round_is_its_first_window_alone() -> None:
    """30 February: dateutil looks for it day by day to year 9999; the series stops at once."""
    first = resolve("2022-01-31", None)
    rule = "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;BYSETPOS=1"
    assert [o.label for o in occurrences(first, rule, d("2030-01-01"))] == ["2022-01-31"]
