"""Every door is bounded (brief; SPEC §2): a hostile `due` is refused with a precise message,
never a crash or a reading that takes exponential time. Before issue 25's fix, "until until … 30
June" raised RecursionError out of the reader (so out of `validate`), and "x or x or … 5 May" took
time doubling with each "or" (16 of them took 3 s, 30 would take hours)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.when.dates import MAX_PHRASE, UnreadableDate, resolve

MADE = date(2024, 9, 10)


@pytest.mark.parametrize("phrase", [
    pytest.param("until " * 300 + "30 June", id="nested-prepositions"),
    pytest.param("for the period of " * 60 + "May", id="nested-periods"),
    pytest.param("x " * 400 + "2025", id="long"),
    pytest.param("the deadline of 30 June " * 30, id="long-wrapped"),
])
def test_a_phrase_longer_than_any_promised_time_is_refused_saying_so(phrase: str) -> None:
    with pytest.raises(UnreadableDate) as e:
        resolve(phrase, MADE)
    assert f"is too long to be a promised time ({len(' '.join(phrase.split()))} characters; at most {MAX_PHRASE})" \
        in str(e.value)


@pytest.mark.parametrize("phrase", [
    pytest.param("x or " * 40 + "5 May", id="many-joins"),
    pytest.param("until " * 45 + "30 June", id="deep-but-short"),
    pytest.param("spring or summer or autumn or winter or spring or summer 2025", id="six-seasons"),
    pytest.param("(1 May) (2 May) (3 May) (4 May) deadline", id="many-restatements"),
])
def test_a_hostile_phrase_within_the_length_is_read_or_refused(phrase: str) -> None:
    try:
        resolve(phrase, MADE)
    except UnreadableDate as e:
        assert str(e).startswith(f'due "{" ".join(phrase.split())}"')


def test_a_long_real_phrase_still_reads() -> None:
    phrase = ("We aim to publish the Government's response to the consultation, together with the draft regulations "
              "and the statutory guidance that will accompany them, by the end of March 2025")
    assert len(phrase) < MAX_PHRASE
    assert resolve(phrase, MADE).latest == date(2025, 3, 31)
