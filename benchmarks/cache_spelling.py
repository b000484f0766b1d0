"""The register cache does not care how the file's path is spelled (issue 22 item 19).

Usage: python benchmarks/cache_spelling.py [--size 10000] [--repeat 3]

Cron and people name the same register differently (`--file r10k.yaml`, `--file /abs/r10k.yaml`,
`--file ./r10k.yaml`, a symlink). A 10k register is generated (benchmarks/scale.py), two real
`check`s with the relative spelling send every alert and fill the cache, then the unchanged
re-check (nothing new to send: the register need not even be read) runs once per spelling, each
a real `commitment-bot` process in the register's folder. Printed: each
spelling's time and peak RSS, and each over the same spelling's run (the paired ratio: about 1
means the cache served it; keyed on the path as typed, the other spellings took 3.5-4.8x and
192 MB instead of 65 MB, re-reading the whole register).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scale import generate, run  # noqa: E402


def spellings(folder: Path, name: str) -> dict[str, str]:
    (folder / "link.yaml").symlink_to(name)
    return {"same": name, "absolute": str(folder / name), "dot-slash": f"./{name}", "symlink": "link.yaml"}


def one_round(folder: Path, n: int, now: str) -> dict[str, tuple[float, float]]:
    name = f"r{n // 1000}k.yaml"
    (folder / name).write_text(generate(n), encoding="utf-8")
    db = f"sqlite:///{folder / 'bot.db'}"
    common = ["--database", db, "--now", now]
    out = {}
    for _ in range(2):  # the first sends every alert (to /dev/null); the second stores the quiet windows
        assert run("check", "--file", name, *common)[2] == 0
    for label, spelled in spellings(folder, name).items():
        seconds, mb, code = run("check", "--file", spelled, *common)
        assert code == 0, (label, code)
        out[label] = (seconds, mb)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--now", default="2026-11-22T09:00")
    args = parser.parse_args()
    rounds = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            here = os.getcwd()
            os.chdir(tmp)  # the relative spellings are relative to the register's folder, as cron's cd
            try:
                rounds.append(one_round(Path(tmp), args.size, args.now))
            finally:
                os.chdir(here)
    for label in rounds[0]:
        best = min(r[label][0] for r in rounds)
        rss = max(r[label][1] for r in rounds)
        ratio = statistics.median(r[label][0] / r["same"][0] for r in rounds)
        print(f"{args.size} commitments, unchanged check --file {label:<9}: {best:.2f}s, peak RSS {rss:.0f} MB, "
              f"{ratio:.2f}x the same spelling (best of {args.repeat}, ratio the median of paired rounds)", flush=True)


if __name__ == "__main__":
    main()
