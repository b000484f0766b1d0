"""`commitment-bot sources` (SPEC §6.3): every source URL checked against the local server —
reachable, moved, gone, withdrawn, refused — and each quote looked for word for word in the HTML
main text or the PDF text, normalised; exit 1 when a source is gone or a quote is not found.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.shell.cli import main
from bot.shell.cli.watch import leads, sources, watch
from bot.shell.watch.sources import quote_in
from tests.uk_api_server import Reply, UkApis, fixture, html, minimal_pdf

for command in (watch, leads, sources):  # not registered yet: the lead engineer adds them to the group
    if command.name not in main.commands:
        main.add_command(command)

QUOTE = "Work has commenced to develop the MVP and the code of practice and we aim to implement them by end August."
WITHDRAWN = "/government/publications/a-guide-for-pig-keepers"

# One row per case: (path, how the server answers, quote, status, quote_found)
CASES = [
    ("/letter.html", Reply(200, html("Letter", QUOTE.replace("MVP", "MVP\n  ").replace("we aim", "we\u00a0aim"))),
     QUOTE, "ok", True),
    ("/curly.html", Reply(200, html("Letter", "\u201cWe aim\u201d \u2013 by end August.")), '"We aim" - by end August.',
     "ok", True),
    ("/drifted.html", Reply(200, html("Letter", QUOTE.replace("end August", "autumn"))), QUOTE, "ok", False),
    ("/letter.pdf", Reply(200, minimal_pdf(QUOTE), headers={"Content-Type": "application/pdf"}), QUOTE, "ok", True),
    ("/other.pdf", Reply(200, minimal_pdf("Nothing about the protocol here."), headers={"Content-Type": "application/pdf"}),
     QUOTE, "ok", False),
    ("/old-home", Reply(301, "", headers={"Location": "/letter.html"}), QUOTE, "moved", True),
    ("/gone", Reply(404, "no"), QUOTE, "gone", None),
    ("/removed", Reply(410, "no"), None, "gone", None),
    ("/trap", Reply(302, "", headers={"Location": "http://169.254.169.254/latest/meta-data/"}), None, "unreachable", None),
    (WITHDRAWN, Reply(200, html("A guide for pig keepers", "Pigs.")), None, "withdrawn", None),
]


def register(base: str) -> str:
    items = []
    for i, (path, _reply, quote, _status, _found) in enumerate(CASES):
        quoted = f", quote: {json.dumps(quote)}" if quote else ""
        items.append(f"""\
  - id: c{i}
    title: Case {i}
    owner: Home Office
    made_on: 2022-02-21
    due: 2023
    source: {{title: Doc, url: "{base}{path}"{quoted}}}
""")
    return "version: 1\ncommitments:\n" + "".join(items)


@pytest.fixture
def apis() -> Iterator[UkApis]:
    with UkApis() as server:
        for path, reply, *_ in CASES:
            server.routes[path] = reply
        server.routes["/api/content" + WITHDRAWN] = Reply(200, fixture("govuk_content_withdrawn_publication_sample.json"))
        server.routes["/api/content/letter.html"] = Reply(404, "not on GOV.UK")
        yield server


def env(apis: UkApis) -> dict[str, str]:
    return {"GOVUK_API_URL": apis.url, "HTTP_ALLOW_PRIVATE": "127.0.0.1", "COMMITMENT_BOT_HTTP_INTERVAL": "0"}


def test_every_source_is_judged_and_a_gone_one_or_a_missing_quote_exits_1(cli, apis: UkApis, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "commitments.yaml").write_text(register(apis.url), encoding="utf-8")
    result = cli("sources", "--json", env=env(apis))
    assert result.exit_code == 1
    checks = json.loads(result.stdout)
    assert [set(c) for c in checks] == [{"url", "commitment", "update", "status", "quote_found", "detail"}] * len(CASES)
    got = [(c["url"].removeprefix(apis.url), c["status"], c["quote_found"]) for c in checks]
    assert got == [(path, status, found) for path, _r, _q, status, found in CASES]
    moved = next(c for c in checks if c["status"] == "moved")
    assert apis.url + "/letter.html" in moved["detail"]
    assert "withdrawn on 2015-01-13" in next(c for c in checks if c["status"] == "withdrawn")["detail"]
    assert "HTTP_ALLOW_PRIVATE" in next(c for c in checks if c["status"] == "unreachable")["detail"]
    drifted = next(c for c in checks if c["url"].endswith("/drifted.html"))
    assert "closest passage" in drifted["detail"] and "autumn" in drifted["detail"]


def test_a_register_whose_sources_all_hold_exits_0(cli, apis: UkApis, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = [case for case in CASES if case[3] in ("ok", "moved") and case[4] is not False]
    text = "version: 1\ncommitments:\n" + "".join(
        f"  - {{id: g{i}, title: G, owner: HO, made_on: 2022-02-21, due: 2023, source: {{title: D, url: \"{apis.url}{p}\", "
        f"quote: {json.dumps(q)}}}}}\n" for i, (p, _r, q, _s, _f) in enumerate(good))
    (tmp_path / "commitments.yaml").write_text(text, encoding="utf-8")
    result = cli("sources", env=env(apis))
    assert result.exit_code == 0, result.output
    assert "quote found" in result.stdout


def test_one_url_cited_twice_is_fetched_once(cli, apis: UkApis, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = f"{apis.url}/letter.html"
    text = f"""\
version: 1
commitments:
  - id: a
    title: A
    owner: HO
    made_on: 2022-02-21
    due: 2023
    source: {{title: D, url: "{url}", quote: {json.dumps(QUOTE)}}}
    updates:
      - {{date: 2022-03-01, note: Again, source: {{title: D, url: "{url}"}}}}
"""
    (tmp_path / "commitments.yaml").write_text(text, encoding="utf-8")
    checks = json.loads(cli("sources", "--json", env=env(apis)).stdout)
    assert [(c["update"], c["quote_found"]) for c in checks] == [(None, True), ("2022-03-01", None)]
    assert len(apis.requests("/letter.html")) == 1


@pytest.mark.parametrize(("quote", "text", "found"), [
    ("we aim to implement", "We said: we aim to implement it.", True),
    ("‘single’ and “double” — dash", "'single' and \"double\" - dash", True),
    ("line\nbreaks   and  spaces", "line breaks and spaces", True),
    ("we aim to implement", "we intend to implement", False),
])
def test_quotes_are_compared_normalised(quote: str, text: str, found: bool) -> None:
    assert quote_in(quote, text)[0] is found
