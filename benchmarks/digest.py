"""Digest for 10k commitments and 200 recipients: build time and peak memory.

Target: building every recipient's digest (content and rendered mail) under 10 s and 300 MB.

Run: .venv/bin/python benchmarks/digest.py [--commitments 10000] [--recipients 200]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.decide.digest import build_digest, read_book  # noqa: E402
from bot.register.model import Register  # noqa: E402
from bot.shell.registerfile import load_texts as load  # noqa: E402
from bot.shell.settings import Settings  # noqa: E402
from notifiers.email.messages import digest_message, mail_setup  # noqa: E402

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Europe/London"))
DUES = ["end June", "2026-12-10", "autumn 2026", "2027-03-31", "in due course", "2025-26", "Q1 2027", "2028"]


def register_text(commitments: int, recipients: int) -> str:
    lines = ["version: 1", "timezone: Europe/London",
             "defaults: {grace: 7 days, remind_every: 30 days, heads_up: 14 days, check_in: 6 months}", "routes:"]
    for i in range(recipients):
        lines += [f"  - match: {{tags: [t{i}]}}", f"    email: [r{i}@example.org, r{(i + 1) % recipients}@example.org]"]
    lines.append("commitments:")
    for n in range(commitments):
        lines += [
            f"  - id: c{n}", f"    title: Commitment number {n} <with markup & quotes \"x\">",
            "    owner: Home Office", "    made_on: 2026-01-10", f"    due: {DUES[n % len(DUES)]}",
            f"    tags: [t{n % recipients}]",
            f"    source: {{title: Letter {n}, url: \"https://example.org/{n}\", quote: \"We aim to do it.\"}}",
        ]
        if n % 3 == 0:
            lines += ["    updates:", f"      - {{date: 2026-11-{10 + n % 12}, note: Moved again., due: summer 2027}}"]
        elif n % 7 == 0:
            lines += ["    updates:", "      - {date: 2026-11-18, note: Done., status: delivered,"
                      f" source: {{title: GOV.UK, url: \"https://example.org/d{n}\"}}}}"]
    return "\n".join(lines) + "\n"


def build_all(register: Register) -> tuple[int, int, int]:
    """Every recipient's digest and rendered mail; returns (digests, items, bytes of mail)."""
    book = read_book(register, {}, NOW)
    setup = mail_setup(Settings(email_from="bot@example.org"))
    digests = items = size = 0
    for recipient in sorted(book.recipients):
        digest = build_digest(book, recipient, None)
        size += len(digest_message(setup, digest).as_bytes())
        digests += 1
        items += sum(len(s.items) for s in digest.sections)
    return digests, items, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commitments", type=int, default=10_000)
    parser.add_argument("--recipients", type=int, default=200)
    args = parser.parse_args()
    text = register_text(args.commitments, args.recipients)
    started = time.perf_counter()
    loaded = load([("bench.yaml", text)])
    assert loaded.register is not None, [str(p) for p in loaded.problems[:5]]
    print(f"register: {args.commitments} commitments, {args.recipients} routes; "
          f"loaded in {time.perf_counter() - started:.2f} s (not part of the digest)")
    started = time.perf_counter()
    digests, items, size = build_all(loaded.register)
    elapsed = time.perf_counter() - started
    print(f"digest: {digests} recipients, {items} items, {size / 1e6:.1f} MB of mail built in {elapsed:.2f} s "
          f"(target < 10 s)")
    tracemalloc.start()
    build_all(loaded.register)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory: digest peak {peak / 1e6:.1f} MB traced; process peak RSS {rss:.0f} MB (target < 300 MB)")


if __name__ == "__main__":
    main()
