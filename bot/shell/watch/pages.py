"""Watched pages: a page that changed since the last pass is a lead (SPEC §6.3).

Asked conditionally with the validators kept from last time (a 304 is "unchanged"); a page that
answers anyway is compared by a hash of its main text, so a server without ETag or Last-Modified,
or one that changes only its menu or cookie banner, is judged by what a reader reads. The first
sight of a page only records it: there is nothing to compare with yet. So does the first sight
after the bot changes how it reads a page (text.READING): a page is not "changed" because the
bot now reads the header inside its <main>.
"""

from __future__ import annotations

from datetime import date

from bot.shell.http import Response
from bot.shell.watch.found import Hit
from bot.shell.watch.text import READING, fingerprint, html_text, pdf_text
from storage.leads import Mark


def words(response: Response) -> tuple[str, str]:
    """(title, main text) of an HTML page or a PDF."""
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/pdf" or response.body[:5] == b"%PDF-":
        return "", pdf_text(response.body)
    return html_text(response.text())


def changed(url: str, response: Response, before: Mark | None, today: date) -> tuple[Hit | None, Mark]:
    """The hit a changed page makes (None when unchanged or first seen), and its mark for next time."""
    if response.not_modified and before is not None:
        return None, before
    title, text = words(response)
    mark = Mark(response.etag, response.last_modified, fingerprint(text))
    first = before is None or before.text_hash is None or not before.text_hash.startswith(READING)
    if first or before is None or before.text_hash == mark.text_hash:  # nothing (read this way) to compare with
        return None, mark
    lead_url = f"{response.url}#changed-{today.isoformat()}"
    flat = " ".join(text.split())  # one line, as every other snippet: shown in a Slack quote or a listing
    snippet = flat[:280] + ("…" if len(flat) > 280 else "")
    return Hit(f"Page changed: {title or response.url}", lead_url, today, "page", snippet or None), mark
