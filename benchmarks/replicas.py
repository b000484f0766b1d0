"""Replicas on one PostgreSQL: alerts delivered, duplicates, lost, and time, for 1 vs 2 `run`s.

Usage: TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:55432/postgres \\
       python benchmarks/replicas.py [--alerts 5000] [--replicas 1,2]

(.ci/run shows how to start a throwaway PostgreSQL on 127.0.0.1:55432.)
Each scenario gets a fresh database and a register of N commitments all lapsed at --now, then
starts that many real `commitment-bot run` processes (console channel, test interval) at
once. Time is from launch until every notification row is sent (interpreter start-up,
migrations, first sync and deciding included). Alerts are counted at each process's console
output; duplicates and lost are computed from those counts.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine, text

BIN = Path(sys.executable).with_name("commitment-bot")
HEADER = re.compile(r"^\[LAPSED\] .* \((c-\d+)\)$", re.M)
NOW = "2022-09-20T10:00"


def register(n: int) -> str:
    out = ["version: 1\ntimezone: Europe/London\nroutes:\n  - slack: [\"#commitments\"]\ncommitments:\n"]
    out += [f"  - id: c-{i}\n    title: Promise {i}\n    owner: Home Office\n    made_on: 2022-01-10\n"
            f"    due: 2022-03-31\n    source: {{title: Letter {i}}}\n" for i in range(n)]
    return "".join(out)


def fresh_database(base: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


def sent_rows(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM notifications WHERE status = 'sent'")).scalar() or 0)
    except Exception:  # tables not created yet
        return 0
    finally:
        engine.dispose()


def scenario(base: str, alerts: int, replicas: int, timeout: float) -> dict[str, float]:
    url = fresh_database(base)
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "commitments.yaml").write_text(register(alerts), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
        env["COMMITMENT_BOT_TEST_INTERVAL"] = "0.5"
        outs = [Path(tmp, f"out-{i}.txt") for i in range(replicas)]
        started = time.monotonic()
        procs = [subprocess.Popen([str(BIN), "run", "--database", url, "--now", NOW], cwd=tmp, env=env,
                                  stdout=out.open("w"), stderr=subprocess.DEVNULL) for out in outs]
        deadline = started + timeout
        while sent_rows(url) < alerts and time.monotonic() < deadline:
            time.sleep(0.05)  # a benchmark's poll, not a test's wait
        elapsed = time.monotonic() - started
        for p in procs:
            p.send_signal(signal.SIGTERM)
        codes = [p.wait(30) for p in procs]
        counts = Counter(m for out in outs for m in HEADER.findall(out.read_text(encoding="utf-8")))
    expected = {f"c-{i}" for i in range(alerts)}
    return {"replicas": replicas, "delivered": sum(counts.values()),
            "duplicates": sum(n - 1 for n in counts.values() if n > 1), "lost": len(expected - set(counts)),
            "seconds": elapsed, "exit_codes_ok": all(c == 0 for c in codes)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alerts", type=int, default=5000)
    parser.add_argument("--replicas", default="1,2")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        sys.exit("set TEST_POSTGRES_URL to a PostgreSQL you may create databases on (see .ci/run)")
    print(f"{'replicas':>8} {'delivered':>9} {'duplicates':>10} {'lost':>5} {'seconds':>8}  clean exit")
    for n in (int(x) for x in args.replicas.split(",")):
        r = scenario(base, args.alerts, n, args.timeout)
        print(f"{r['replicas']:>8} {r['delivered']:>9} {r['duplicates']:>10} {r['lost']:>5} "
              f"{r['seconds']:>8.1f}  {'yes' if r['exit_codes_ok'] else 'NO'}")


if __name__ == "__main__":
    main()
