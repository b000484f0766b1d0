"""The shipped register quotes its sources word for word (issue 15 "Done means": `sources`
finds the seeds' quotes). The seed letters and `later-evidence.md` (copied into
tests/fixtures/seeds/ from ../shared/seeds/) are the documents; each quote in the register, on a
commitment or an update, is looked for with the very matcher `commitment-bot sources` uses
(whitespace, typographic quotes and dashes normalised). Served from the local HTTP server at a
source's own URL, the same documents make `sources` report the quote found.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.register.model import Source
from bot.shell.registerfile import load_texts
from bot.shell.watch.sources import quote_in
from tests.conftest import REPO

SEEDS = REPO / "tests" / "fixtures" / "seeds"
DOCUMENTS = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir()) if p.name != "README.md")


def quoted() -> list[tuple[str, Source]]:
    loaded = load_texts([("commitments.yaml", (REPO / "commitments.yaml").read_text(encoding="utf-8"))])
    assert loaded.register is not None
    out = []
    for c in loaded.register.commitments:
        for where, s in [(c.id, c.source), *((f"{c.id} update {u.on}", u.source) for u in c.updates)]:
            if s is not None and s.quote:
                out.append((where, s))
    return out


QUOTED = quoted()


def test_the_register_quotes_something() -> None:
    assert len(QUOTED) >= 30


@pytest.mark.parametrize(("where", "source"), QUOTED, ids=[w for w, _ in QUOTED])
def test_every_quote_is_in_the_seeds_word_for_word(where: str, source: Source) -> None:
    found, nearest = quote_in(source.quote or "", DOCUMENTS)
    assert found, f"{where}: not in the seeds; nearest passage: {nearest}"


def test_a_drifted_quote_is_not_found() -> None:
    """The matcher is not lenient: one word changed and the quote is not found."""
    _, source = QUOTED[0]
    words = (source.quote or "").split()
    drifted = " ".join([*words[:-1], "eventually"])
    assert not quote_in(drifted, DOCUMENTS)[0]


def test_sources_finds_the_shipped_quotes_at_their_urls(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`commitment-bot sources --json` on the shipped register, every source URL moved onto the
    local server (its host kept as the first path segment), each page holding the seed documents:
    every quote with a URL is reported found, and the command exits 0."""
    import json
    import re

    from bot.shell.sandbox.ukapis import Reply, UkApis
    from tests.ukbodies import html

    text = (REPO / "commitments.yaml").read_text(encoding="utf-8")
    with UkApis() as apis:
        page = Reply(200, html("The source", DOCUMENTS.replace("\n\n", "</p><p>")))
        urls = set(re.findall(r"url: (https?://[^\s}]+)", text))
        for url in urls:
            local = re.sub(r"^https?://", "/", url)
            apis.routes[local.split("?", 1)[0]] = page
            text = text.replace(f"url: {url}", f"url: {apis.url}{local}")
        (tmp_path / "commitments.yaml").write_text(text, encoding="utf-8")
        result = cli("sources", "--json", env={"GOVUK_API_URL": apis.url, "HTTP_ALLOW_PRIVATE": "127.0.0.1",
                                               "COMMITMENT_BOT_HTTP_INTERVAL": "0"})
    checks = json.loads(result.stdout)
    quoted = [c for c in checks if c["quote_found"] is not None]
    assert len(quoted) >= 10 and all(c["quote_found"] for c in quoted), [c for c in quoted if not c["quote_found"]]
    assert {c["status"] for c in checks} == {"reachable"} and result.exit_code == 0, result.output
