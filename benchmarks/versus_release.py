"""No regression at 10k (issues 21 and 23): this code against an earlier release, paired round by round.

Usage: python benchmarks/versus_release.py --old /path/to/old/.venv/bin/commitment-bot
                                          [--size 10000] [--rounds 5] [--now 2026-11-22T09:00]

The old release needs its own checkout and virtualenv, e.g.
    git worktree add --detach /tmp/cb-old <release commit>
    python3 -m venv /tmp/cb-old/.venv && /tmp/cb-old/.venv/bin/pip install -e /tmp/cb-old
(run this script from outside /tmp/cb-old, so each binary imports its own code).

Both binaries get the same register file (benchmarks/scale.py's generator) and each its own
fresh SQLite file every round, and are timed alike: each a real process from launch to exit,
output thrown away. Per binary and round: a first `check --dry-run`, a real `check`, then the
re-check after it (nothing new to send). Which binary goes first alternates by round, after one
uncounted warm-up round (the first processes of a session pay for a cold disk cache). Printed
per round: each stage's new/old ratio; then the median and min–max over rounds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import BIN, generate, run_bin  # noqa: E402

STAGES = ("first dry run", "real check", "re-check")


def stages(binary: Path, path: Path, db: str, now: str) -> dict[str, float]:
    common = ["--file", str(path), "--database", db, "--now", now]
    out = {}
    for stage, extra in zip(STAGES, (["--dry-run"], [], []), strict=True):
        seconds, _, code = run_bin(binary, "check", *common, *extra)
        assert code == 0, f"{binary} check {extra} exited {code}"
        out[stage] = seconds
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="the earlier release's commitment-bot")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--now", default="2026-11-22T09:00")
    args = parser.parse_args()
    ratios: dict[str, list[float]] = {s: [] for s in STAGES}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.yaml"
        path.write_text(generate(args.size), encoding="utf-8")
        for i in range(-1, args.rounds):  # round -1 is the warm-up
            order = (("new", BIN), ("old", args.old)) if i % 2 == 0 else (("old", args.old), ("new", BIN))
            got = {name: stages(b, path, f"sqlite:///{tmp}/{name}-{i}.db", args.now) for name, b in order}
            if i < 0:
                continue
            for s in STAGES:
                ratios[s].append(got["new"][s] / got["old"][s])
            print(f"round {i + 1}: " + "   ".join(f"{s} new {got['new'][s]:.2f} s old {got['old'][s]:.2f} s "
                                                  f"({got['new'][s] / got['old'][s]:.2f}x)" for s in STAGES), flush=True)
    print(f"{args.size} commitments, new/old over {args.rounds} paired rounds (median, min-max):")
    for s in STAGES:
        print(f"  {s}: {statistics.median(ratios[s]):.2f}x ({min(ratios[s]):.2f}-{max(ratios[s]):.2f})")


if __name__ == "__main__":
    main()
