"""Our reader against `dateparser` on the same cited corpus (issue 17 item 4).

Usage: python benchmarks/corpus_vs_dateparser.py [--show-wrong] [--show-refused]

Every phrase in tests/corpus/phrases.yaml (real UK timing language, each with its date and the
right deadline) is read by bot.when.dates and by dateparser (a benchmark-only dependency). dateparser
gives one date or nothing: it is counted right only when that date is the right deadline, and
refused when it gives nothing; it cannot say "open", so an open-ended promise it dates is wrong.
It is given every help it offers: the day the promise was made as its base, day-first dates,
future dates preferred and the last day of a month when none is named.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dateparser  # noqa: E402

from tests.test_corpus import OUTCOMES, Entry, load, our_reading, outcome  # noqa: E402


def dateparser_reading(entry: Entry) -> date | str:
    base = datetime.combine(entry.made_on or date(2000, 1, 1), datetime.min.time())
    parsed = dateparser.parse(entry.phrase, languages=["en"], settings={
        "RELATIVE_BASE": base, "DATE_ORDER": "DMY", "PREFER_DATES_FROM": "future",
        "PREFER_DAY_OF_MONTH": "last", "RETURN_AS_TIMEZONE_AWARE": False})
    return "refuse" if parsed is None else parsed.date()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-wrong", action="store_true", help="list each phrase a reader got wrong")
    parser.add_argument("--show-refused", action="store_true",
                        help="list each phrase commitment-bot refuses, with the reason the corpus gives")
    args = parser.parse_args()
    entries = load()
    print(f"{len(entries)} cited phrases from tests/corpus/phrases.yaml")
    for name, read in (("commitment-bot", our_reading), ("dateparser " + dateparser.__version__, dateparser_reading)):
        started = time.perf_counter()
        results = [(e, read(e)) for e in entries]
        elapsed = time.perf_counter() - started
        counts = Counter(outcome(e, got) for e, got in results)
        figures = "  ".join(f"{o} {counts[o]:3d}" for o in OUTCOMES)
        print(f"{name:18s} {figures}  ({elapsed * 1000:.0f} ms)")
        if args.show_wrong:
            for e, got in results:
                if outcome(e, got) == "wrong":
                    print(f"    wrong: {e.phrase!r} ({e.made_on}) -> {got}, right is {e.expect}")
        if args.show_refused and read is our_reading:
            for e, got in results:
                if got == "refuse":
                    print(f"    refused: {e.phrase!r} ({e.made_on}): {e.refused or 'no reason listed'}")


if __name__ == "__main__":
    main()
