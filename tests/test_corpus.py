"""Real timing language, not only the table (issues 17 and 25): every phrase in
tests/corpus/phrases.yaml, copied from a public UK source with its date, is read and compared
with the right deadline. A refusal is allowed (it asks the maintainer for `deadline:`), and each
is listed in the corpus with its reason; a wrong deadline never is allowed.
benchmarks/corpus_vs_dateparser.py prints the same figures beside dateparser's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.when.dates import UnreadableDate, resolve

CORPUS = Path(__file__).parent / "corpus" / "phrases.yaml"
OUTCOMES = ("right", "refused", "wrong")


@dataclass(frozen=True)
class Entry:
    """One cited phrase: `expect` is a date, "open" (no deadline) or "refuse" (no human could say)."""

    phrase: str
    made_on: date | None
    expect: date | str
    source: str
    quote: str
    refused: str | None = None  # why the bot refuses it, for each phrase it refuses


def _day(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def load(path: Path = CORPUS) -> list[Entry]:
    doc = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return [Entry(str(e["phrase"]), _day(e["made_on"]),
                  str(e["expect"]) if str(e["expect"]) in ("open", "refuse") else date.fromisoformat(str(e["expect"])),
                  str(e["source"]), str(e["quote"]), e.get("refused")) for e in doc["phrases"]]


def our_reading(entry: Entry) -> date | str:
    """The deadline this bot reads, "open", or "refuse"."""
    try:
        window = resolve(entry.phrase, entry.made_on)
    except UnreadableDate:
        return "refuse"
    return "open" if window.is_open or window.deadline is None else window.deadline


def outcome(entry: Entry, got: date | str) -> str:
    """right, refused or wrong: refusing is never wrong; reading a phrase no human could date is."""
    if got == "refuse":
        return "refused"
    return "right" if got == entry.expect else "wrong"


ENTRIES = load()


def test_the_corpus_holds_at_least_300_cited_phrases() -> None:
    assert len(ENTRIES) >= 300
    assert all(e.source and e.quote for e in ENTRIES)
    assert all(e.phrase.lower() in e.quote.lower() or e.phrase.lower().split()[-1] in e.quote.lower()
               for e in ENTRIES), [e.phrase for e in ENTRIES if e.phrase.lower().split()[-1] not in e.quote.lower()]


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{i:03d}-{e.phrase[:40]}" for i, e in enumerate(ENTRIES)])
def test_no_phrase_is_read_wrong(entry: Entry) -> None:
    got = our_reading(entry)
    assert outcome(entry, got) != "wrong", f"{entry.phrase!r} ({entry.made_on}) read as {got}, right is {entry.expect}"


def test_every_refusal_is_listed_with_its_reason() -> None:
    refused = {(e.phrase, e.made_on) for e in ENTRIES if our_reading(e) == "refuse"}
    listed = {(e.phrase, e.made_on) for e in ENTRIES if e.refused}
    assert refused - listed == set(), "refused, with no `refused:` reason in the corpus"
    assert listed - refused == set(), "listed as refused, but the bot reads it now: remove its `refused:`"


def test_most_of_the_corpus_reads() -> None:
    counts = {o: sum(outcome(e, our_reading(e)) == o for e in ENTRIES) for o in OUTCOMES}
    assert counts["wrong"] == 0
    assert counts["right"] >= 0.9 * len(ENTRIES), counts
