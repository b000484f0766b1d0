"""What the biggest answers the watch and `sources` take cost, and what the refused ones cost
(issue 22 review, a22 item 2): peak memory (max RSS) and wall time of one real `commitment-bot`
process per case, against the local stand-in server on 127.0.0.1.

Cases (each beside a good source, which must still be read):
- `json-bomb`: GOV.UK search answering 20 KB of gzip that decodes to 19.9 MB of `{"results": [{}, …]}`
  (the auditor's; before the fix 1.09 GB): refused at the 4 MB API cap as it decodes.
- `json-under-cap`: the worst API answer still read: 3.9 MB of 50 results with long descriptions.
- `html-bomb`: a page of 60 KB of gzip that decodes to 19.9 MB of HTML (before: 534 MB, 64 s in
  `sources`): refused at the 5 MB page cap.
- `html-under-cap`: the worst page still read: 4.9 MB of HTML without the quote, so `sources`
  reads it whole and looks for the closest passage.

Run: .venv/bin/python benchmarks/hostile_answers.py [--only CASE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.shell.sandbox.ukapis import Reply, UkApis  # noqa: E402

BOT = str(Path(sys.executable).with_name("commitment-bot"))
CAP = 20 * 1024 * 1024 - 4096  # just under the old 20 MB cap, as the auditor's server sent
GOOD = "<html><head><title>OK</title></head><body><main><p>We will publish the code by spring.</p></main></body></html>"


def json_bomb() -> bytes:
    n = (CAP - 40) // 3
    return gzip.compress(b'{"total": 1, "results": [' + b",".join([b"{}"] * n) + b"]}", 9)


def json_under_cap() -> bytes:
    result = {"title": "Publish the code", "link": "/government/publications/x", "public_timestamp": "2026-11-01",
              "description": "the quick brown fox jumps over it " * 2300}
    return json.dumps({"total": 50, "results": [dict(result, link=f"/government/publications/x{i}")
                                                for i in range(50)]}).encode()


def html(size: int) -> bytes:
    return ("<html><body><main>" + "<p>the quick brown fox jumps over it</p>" * ((size - 100) // 40)
            + "</main></body></html>").encode()


def register(kind: str, url: str) -> str:
    head = "version: 1\ntimezone: Europe/London\ncommitments:\n"
    one = "  - id: {id}\n    title: Publish the code\n    owner: Home Office\n    made_on: 2024-01-10\n    due: 2024-06-30\n"
    if kind == "watch":
        return head + one.format(id="one") + '    watch: {govuk: {query: "publish the code"}, pages: ["' + url + '/ok"]}\n'
    return (head + one.format(id="hostile") + f'    source: {{url: "{url}/page", title: P, quote: "We will publish the code by spring."}}\n'
            + one.format(id="good") + f'    source: {{url: "{url}/ok", title: P, quote: "We will publish the code by spring."}}\n')


def run(case: str, apis: UkApis, folder: Path) -> None:
    command = "watch" if case.startswith("json") else "sources"
    path = folder / f"{case}.yaml"
    path.write_text(register(command, apis.url), encoding="utf-8")
    database = f"sqlite:///{folder / (case + '.db')}"
    env = {**os.environ, "GOVUK_API_URL": apis.url, "PARLIAMENT_QUESTIONS_API_URL": apis.url,
           "HTTP_ALLOW_PRIVATE": "127.0.0.1", "COMMITMENT_BOT_HTTP_INTERVAL": "0"}
    subprocess.run([BOT, "db", "upgrade", "--database", database], env=env, capture_output=True, check=True)
    args = [BOT, command, "--file", str(path), "--database", database] + (["--now", "2026-12-01"] if command == "watch" else [])
    measured = folder / f"{case}.time"
    # /usr/bin/time measures the child alone (a forked child's own max RSS starts at this process's)
    done = subprocess.run(["/usr/bin/time", "-o", str(measured), "-f", "%M %e", *args], env=env, capture_output=True,
                          text=True, check=False)
    rss, took = measured.read_text().split()[-2:]
    said = [line for line in (done.stdout + done.stderr).splitlines()
            if "refused" in line or "checked" in line or "watched" in line]
    print(f"{case:15} {command:8} max RSS {int(rss) / 1024:7.1f} MB  wall {float(took):5.2f} s  exit {done.returncode}")
    for line in said:
        print(f"{'':15} {line[:200]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["json-bomb", "json-under-cap", "html-bomb", "html-under-cap"])
    options = parser.parse_args()
    bodies = {"json-bomb": (json_bomb(), {"Content-Encoding": "gzip", "Content-Type": "application/json"}),
              "json-under-cap": (json_under_cap(), {"Content-Type": "application/json"}),
              "html-bomb": (gzip.compress(html(CAP), 9), {"Content-Encoding": "gzip", "Content-Type": "text/html"}),
              "html-under-cap": (html(5 * 1024 * 1024 - 300 * 1024), {"Content-Type": "text/html"})}
    with tempfile.TemporaryDirectory() as tmp, UkApis() as apis:
        apis.routes["/ok"] = Reply(200, GOOD, headers={"Content-Type": "text/html"})
        for case, (body, headers) in bodies.items():
            if options.only and case != options.only:
                continue
            route = "/api/search.json" if case.startswith("json") else "/page"
            apis.routes[route] = Reply(200, body, headers=headers)
            print(f"{case}: {len(body):,} bytes on the wire")
            run(case, apis, Path(tmp))


if __name__ == "__main__":
    main()
