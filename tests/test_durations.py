"""Durations (SPEC 2): `N day(s)|week(s)|month(s)|year(s)`, calendar-aware, or ISO 8601."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.when.durations import Duration, UnreadableDuration, parse_duration


@pytest.mark.parametrize(("text", "months", "days"), [
    ("7 days", 0, 7),
    ("1 day", 0, 1),
    ("0 days", 0, 0),
    ("30 days", 0, 30),
    ("2 weeks", 0, 14),
    ("1 week", 0, 7),
    ("a fortnight", 0, 14),
    ("6 months", 6, 0),
    ("1 month", 1, 0),
    ("1 year", 12, 0),
    ("2 years", 24, 0),
    ("six months", 6, 0),
    ("twelve weeks", 0, 84),
    ("a year", 12, 0),
    ("an year", 12, 0),
    ("twenty days", 0, 20),
    ("twenty-one days", 0, 21),
    ("thirty days", 0, 30),
    ("1 year 6 months", 18, 0),
    ("a year and six months", 18, 0),
    ("1 month, 2 weeks", 1, 14),
    ("  7   DAYS ", 0, 7),
    ("P30D", 0, 30),
    ("P6M", 6, 0),
    ("P1Y", 12, 0),
    ("P1Y2M", 14, 0),
    ("P2W", 0, 14),
    ("p1m10d", 1, 10),
])
def test_parse_duration(text: str, months: int, days: int) -> None:
    assert parse_duration(text) == Duration(months=months, days=days)


@pytest.mark.parametrize(("text", "message"), [
    ("7 dyas", 'duration "7 dyas" is not one this bot can read'),
    ("seven", 'duration "seven" is not one this bot can read'),
    ("1.5 months", 'duration "1.5 months" is not one this bot can read'),
    ("", 'duration "" is not one this bot can read'),
    ("P", 'duration "P" is not one this bot can read'),
    ("PT1H", 'duration "PT1H" has hours or minutes; deadlines are whole days'),
    ("P1DT12H", 'duration "P1DT12H" has hours or minutes; deadlines are whole days'),
    ("-7 days", 'duration "-7 days" is not one this bot can read'),
])
def test_unreadable_durations(text: str, message: str) -> None:
    with pytest.raises(UnreadableDuration) as e:
        parse_duration(text)
    assert str(e.value).startswith(message)
    assert isinstance(e.value, ValueError)


@pytest.mark.parametrize(("duration", "start", "end"), [
    (Duration(days=7), date(2022, 8, 31), date(2022, 9, 7)),
    (Duration(months=1), date(2023, 1, 31), date(2023, 2, 28)),
    (Duration(months=1), date(2024, 1, 31), date(2024, 2, 29)),
    (Duration(months=12), date(2024, 2, 29), date(2025, 2, 28)),
    (Duration(months=6), date(2022, 2, 21), date(2022, 8, 21)),
    (Duration(months=1, days=1), date(2023, 1, 31), date(2023, 3, 1)),
])
def test_after_and_before_are_calendar_aware(duration: Duration, start: date, end: date) -> None:
    assert duration.after(start) == end
    assert duration.before(end) <= start


def test_before_subtracts() -> None:
    assert Duration(months=1).before(date(2023, 3, 31)) == date(2023, 2, 28)
    assert Duration(days=30).before(date(2022, 3, 31)) == date(2022, 3, 1)


def test_after_keeps_a_datetime_a_datetime() -> None:
    moment = datetime(2024, 1, 31, 9, 30)
    later = Duration(months=1).after(moment)
    assert later == datetime(2024, 2, 29, 9, 30)
    assert isinstance(later, datetime)
    assert Duration(days=1).before(moment) == datetime(2024, 1, 30, 9, 30)


@pytest.mark.parametrize(("duration", "text"), [
    (Duration(days=30), "30 days"),
    (Duration(days=1), "1 day"),
    (Duration(months=6), "6 months"),
    (Duration(months=1), "1 month"),
    (Duration(months=12), "1 year"),
    (Duration(months=24), "2 years"),
    (Duration(months=14), "1 year 2 months"),
    (Duration(months=1, days=3), "1 month 3 days"),
    (Duration(), "0 days"),
])
def test_str(duration: Duration, text: str) -> None:
    assert str(duration) == text
    assert parse_duration(text) == duration  # what we print, we can read back


def test_weeks_and_years_are_normalised_so_equal_spans_are_equal() -> None:
    assert parse_duration("2 weeks") == parse_duration("14 days") == parse_duration("P2W")
    assert parse_duration("1 year") == parse_duration("12 months")
    assert len({parse_duration("1 year"), parse_duration("P12M")}) == 1


def test_duration_is_frozen() -> None:
    with pytest.raises(AttributeError):
        Duration().days = 3  # type: ignore[misc]
