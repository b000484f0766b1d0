"""`commitment-bot sources` (SPEC §6.3): every source URL checked against the local server —
reachable, moved, gone, withdrawn, refused — and each quote looked for word for word in the HTML
main text or the PDF text, normalised; exit 1 when a source is gone or a quote is not found.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.shell.cli import main
from bot.shell.cli.watch import leads, sources, watch
from bot.shell.sandbox.ukapis import Reply, UkApis
from bot.shell.watch.sources import quote_in
from bot.shell.watch.text import html_text, pdf_text
from tests.ukbodies import fixture, html, html_publication, minimal_pdf, pdf_lines

for command in (watch, leads, sources):  # not registered yet: the lead engineer adds them to the group
    if command.name not in main.commands:
        main.add_command(command)

QUOTE = "Work has commenced to develop the MVP and the code of practice and we aim to implement them by end August."
WITHDRAWN = "/government/publications/a-guide-for-pig-keepers"

# One row per case: (path, how the server answers, quote, status, quote_found)
CASES = [
    ("/letter.html", Reply(200, html("Letter", QUOTE.replace("MVP", "MVP\n  ").replace("we aim", "we\u00a0aim"))),
     QUOTE, "reachable", True),
    ("/curly.html", Reply(200, html("Letter", "\u201cWe aim\u201d \u2013 by end August.")), '"We aim" - by end August.',
     "reachable", True),
    ("/drifted.html", Reply(200, html("Letter", QUOTE.replace("end August", "autumn"))), QUOTE, "reachable", False),
    ("/letter.pdf", Reply(200, minimal_pdf(QUOTE), headers={"Content-Type": "application/pdf"}), QUOTE, "reachable", True),
    ("/other.pdf", Reply(200, minimal_pdf("Nothing about the protocol here."), headers={"Content-Type": "application/pdf"}),
     QUOTE, "reachable", False),
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
    good = [case for case in CASES if case[3] in ("reachable", "moved") and case[4] is not False]
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


# -- issue 21, item 9: no false "quote not found" (SPEC §7.4) --------------------------------------
SMV_TITLE = "Evaluating the Support for Migrant Victims (SMV) Pilot: Findings from a process evaluation"


def test_a_govuk_html_publication_title_in_its_header_inside_main_is_found(  # type: ignore[no-untyped-def]
        cli, apis: UkApis, tmp_path: Path) -> None:
    """The SMV evaluation's quote is its title, which GOV.UK puts in a <header> inside <main>."""
    path = "/government/publications/evaluating-the-support-for-migrant-victims-smv-pilot/findings"
    apis.routes[path] = Reply(200, html_publication(SMV_TITLE), headers={"Content-Type": "text/html; charset=utf-8"})
    (tmp_path / "commitments.yaml").write_text(f"""\
version: 1
commitments:
  - {{id: smv, title: SMV, owner: HO, made_on: 2022-02-21, due: 2023,
      source: {{title: GOV.UK, url: "{apis.url}{path}", quote: {json.dumps(SMV_TITLE)}}}}}
""", encoding="utf-8")
    result = cli("sources", "--json", env=env(apis))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["quote_found"] is True


def test_the_html_publications_main_text_keeps_its_header_and_drops_the_sites_chrome() -> None:
    title, text = html_text(html_publication())
    assert title == "TR4 8EE, Mr Derek Mears: environmental permit application - GOV.UK"
    assert text.splitlines()[:3] == ["Notice", "TR4 8EE, Mr Derek Mears: environmental permit application",
                                     "Published 17 January 2016"]
    assert "Tell us if you don’t want your response to be public." in text
    for chrome in ("Cookies on GOV.UK", "Skip to main content", "Is this page useful?", "Support links",
                   "document.body.className"):
        assert chrome not in text


@pytest.mark.parametrize(("quote", "found"), [
    ("Work has commenced ... we aim to implement them by end August.", True),
    ("Work has commenced…we aim to implement them by end August.", True),
    ("Work has commenced […] by end August.", True),
    ("Work has commenced to develop the MVP ... and we aim", True),
    ("we aim to implement them ... Work has commenced", False),  # the pieces out of order
    ("Work has commenced ... by end September.", False),
])
def test_an_elided_quote_matches_its_pieces_in_order(quote: str, found: bool) -> None:
    assert quote_in(quote, QUOTE)[0] is found


LINES = ["Work has commenced to develop the MVP and the code of prac-", "tice, and we aim to implement them by",
         "end August as part of our long-", "term plan."]


@pytest.mark.parametrize("quote", [
    "the code of practice, and we aim to implement them by end August",
    "as part of our long-term plan",
])
def test_words_hyphenated_across_pdf_lines_are_rejoined(quote: str) -> None:
    assert quote_in(quote, pdf_text(pdf_lines(LINES)))[0] is True


def test_a_hyphenated_pdf_source_is_found_by_sources(cli, apis: UkApis, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    apis.routes["/lines.pdf"] = Reply(200, pdf_lines(LINES), headers={"Content-Type": "application/pdf"})
    (tmp_path / "commitments.yaml").write_text(f"""\
version: 1
commitments:
  - {{id: p, title: P, owner: HO, made_on: 2022-02-21, due: 2023,
      source: {{title: PDF, url: "{apis.url}/lines.pdf", quote: "the code of practice, and we aim to implement them"}}}}
""", encoding="utf-8")
    result = cli("sources", env=env(apis))
    assert result.exit_code == 0, result.output
    assert "quote found" in result.stdout


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


OFFLINE = {"HTTP_ALLOW_PRIVATE": "127.0.0.1", "COMMITMENT_BOT_HTTP_INTERVAL": "0",
           "COMMITMENT_BOT_HTTP_TIMEOUT": "0.2"}  # a whole exchange 0.8 s: no retry fits after a refused connection


def test_offline_every_quote_is_unchecked_and_sources_exits_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = f"http://127.0.0.1:{closed_port()}"
    (tmp_path / "commitments.yaml").write_text(register(base), encoding="utf-8")
    result = cli("sources", env={**OFFLINE, "GOVUK_API_URL": base})
    assert result.exit_code == 2, result.output
    shown = [line.split()[:3] for line in result.stdout.splitlines() if line.startswith("unreachable")]
    assert shown == [["unreachable", "unchecked" if quote else "no", f"c{i}" if quote else "quote"]
                     for i, (_p, _r, quote, _s, _f) in enumerate(CASES)]  # never "no quote" for a quote unread
    assert f"checked {len(CASES)} sources: {len(CASES)} unreachable; quotes: " in result.stderr
    assert "none of the 10 sources could be reached" in result.stderr


def test_sources_refused_as_private_are_said_to_be_so_not_offline(cli, apis: UkApis, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Every address refused by the address check (HTTP_ALLOW_PRIVATE unset) is not "offline": say
    they were refused as loopback or private addresses, and how to allow them."""
    (tmp_path / "commitments.yaml").write_text(register(apis.url), encoding="utf-8")
    result = cli("sources", env={"GOVUK_API_URL": apis.url, "COMMITMENT_BOT_HTTP_INTERVAL": "0",
                                 "HTTP_ALLOW_PRIVATE": ""})
    assert result.exit_code == 2, result.output
    assert "offline" not in result.stderr
    assert (f"none of the {len(CASES)} sources could be reached: each was refused because its host is a loopback or "
            "private address (127.0.0.1), which the bot fetches only when told to: to allow them, set "
            "HTTP_ALLOW_PRIVATE=127.0.0.1; no quote was checked") in result.stderr


def test_some_refused_as_private_and_the_rest_unanswered_says_both(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    down = f"http://127.0.0.1:{closed_port()}/letter.html"
    private = "http://10.255.255.1/letter.html"  # refused before any connection: never sent
    (tmp_path / "commitments.yaml").write_text("version: 1\ncommitments:\n" + "".join(
        f"  - {{id: {i}, title: T, owner: HO, made_on: 2022-02-21, due: 2023, source: {{title: D, url: \"{url}\"}}}}\n"
        for i, url in (("down", down), ("private", private))), encoding="utf-8")
    result = cli("sources", env={**OFFLINE, "GOVUK_API_URL": down})
    assert result.exit_code == 2, result.output
    assert ("none of the 2 sources could be reached: 1 was refused because its host is a loopback or private address "
            "(10.255.255.1; to allow it, set HTTP_ALLOW_PRIVATE=10.255.255.1), and 1 did not answer (is this machine "
            "offline?); no quote was checked") in result.stderr


def test_one_source_unreached_among_others_is_unchecked_and_the_others_decide(  # type: ignore[no-untyped-def]
        cli, apis: UkApis, tmp_path: Path) -> None:
    good = f"{apis.url}/letter.html"
    apis.routes["/letter.html"] = Reply(200, html("Letter", QUOTE))
    down = f"http://127.0.0.1:{closed_port()}/letter.html"
    (tmp_path / "commitments.yaml").write_text("version: 1\ncommitments:\n" + "".join(
        f"  - {{id: {i}, title: T, owner: HO, made_on: 2022-02-21, due: 2023, source: {{title: D, url: \"{url}\", "
        f"quote: {json.dumps(QUOTE)}}}}}\n" for i, url in (("up", good), ("down", down))), encoding="utf-8")
    result = cli("sources", env={**OFFLINE, "GOVUK_API_URL": apis.url, "COMMITMENT_BOT_HTTP_TIMEOUT": "0.5"})
    assert result.exit_code == 0, result.output  # 2 s for the source that answers; the other is refused at once
    assert "quote found" in result.stdout and "unchecked" in result.stdout and "QUOTE NOT FOUND" not in result.stdout
    assert "checked 2 sources: 1 reachable, 1 unreachable; quotes: 1 found, 1 unchecked" in result.stderr


def test_offline_watch_says_so_and_exits_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = f"http://127.0.0.1:{closed_port()}"
    (tmp_path / "commitments.yaml").write_text(f"""\
version: 1
commitments:
  - id: mvp
    title: MVP
    owner: HO
    made_on: 2022-02-21
    due: 2027
    watch:
      govuk: {{query: "migrant victims protocol"}}
      parliament: {{query: "migrant victims protocol"}}
      pages: ["{base}/page"]
""", encoding="utf-8")
    result = cli("watch", "--now", "2026-12-01T07:00",
                 env={**OFFLINE, "GOVUK_API_URL": base, "PARLIAMENT_QUESTIONS_API_URL": base})
    assert result.exit_code == 2, result.output
    assert "(0 of 4 answered)" in result.stderr
    assert "no source could be reached (4 requests, none answered)" in result.stderr


def test_a_watched_page_hashed_by_the_older_reading_is_not_reported_changed() -> None:
    """Reading the header inside <main> changes a page's text hash; the pass after the upgrade
    records the new hash and raises no lead. A real change after that is a lead."""
    from datetime import date

    from bot.shell.http import Response
    from bot.shell.watch.pages import changed
    from bot.shell.watch.text import fingerprint
    from storage.leads import Mark

    page = Response("https://www.gov.uk/x", 200, {"content-type": "text/html"}, html_publication().encode())
    hit, mark = changed(page.url, page, Mark(None, None, "0f" * 32), date(2026, 12, 1))  # a hash of the old reading
    assert hit is None and mark.text_hash == fingerprint(html_text(html_publication())[1]) and len(mark.text_hash) == 64
    edited = Response(page.url, 200, page.headers, html_publication("A new title").encode())
    hit, _ = changed(page.url, edited, mark, date(2026, 12, 2))
    assert hit is not None and hit.title.startswith("Page changed: A new title")
