"""The published site for a 10,000-commitment register, against the first `check` of the same
register (issue 16 "Done means"; issue 26 item 9 aims at 1× the check and 50 MB).

Usage: python benchmarks/site_10k.py [--size 10000] [--rounds 2] [--now 2026-11-22]

Each round, on a fresh SQLite file: a real first `check` (parse, validate, sync, decide and
deliver every alert to the console), then `export site` of the same register and database.
Both are timed alike: the same `commitment-bot` launcher, from launch to exit, output thrown
away, and each round's site goes to a new folder (no round overwrites another's); the ratio is
taken within each round (paired), and printed per round, then the median, min and max. Then the site's
page count, total size and largest page, and how the bytes split between the commitments' own
pages (c/) and the filtered and ranked tables (l/).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.test_publish_site import generate  # noqa: E402  (the same generator the tests render)

BIN = Path(sys.executable).with_name("commitment-bot")


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--now", default="2026-11-22")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cb-site-") as tmp:
        work = Path(tmp)
        (work / "commitments.yaml").write_text(generate(opts.size), encoding="utf-8")
        checks, sites, ratios = [], [], []
        for i in range(opts.rounds):
            db = f"sqlite:///{work / f'round{i}.db'}"
            check = timed([str(BIN), "check", "--now", opts.now, "--database", db], work)
            site = timed([str(BIN), "export", "site", f"public-{i}", "--now", opts.now, "--database", db], work)
            checks.append(check)
            sites.append(site)
            ratios.append(site / check)
            print(f"round {i + 1}: first check {check:.1f} s   export site {site:.1f} s   site / check {site / check:.2f}",
                  flush=True)
        public = work / f"public-{opts.rounds - 1}"
        pages = [p for p in public.rglob("*") if p.is_file()]
        sizes = {str(p.relative_to(public)): p.stat().st_size for p in pages}
        largest = max(sizes.items(), key=lambda kv: kv[1])
        html = [n for n in sizes if n.endswith(".html")]
        print(f"register: {opts.size} commitments, now {opts.now}, {opts.rounds} round(s)")
        print(f"first check: best {min(checks):.1f} s   export site: best {min(sites):.1f} s   "
              f"site / check (median of paired rounds): {statistics.median(ratios):.2f} "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f})")
        print(f"site: {len(html)} pages ({sum(1 for n in html if n.startswith('c/'))} commitment pages), "
              f"{sum(sizes.values()) / 1e6:.1f} MB in all; largest page {largest[0]} {largest[1] / 1e3:.1f} KB")
        for folder, what in (("c/", "commitment pages"), ("l/", "listing pages")):
            mine = [size for name, size in sizes.items() if name.startswith(folder)]
            print(f"  {what}: {len(mine)}, {sum(mine) / 1e6:.1f} MB, {sum(mine) / max(len(mine), 1) / 1e3:.1f} KB each")


if __name__ == "__main__":
    main()
