"""GOV.UK: the Search API for new publications, and the Content API for withdrawn documents.

Search (`/api/search.json`, alphagov/search-api): the watch's query as one exact phrase, its
organisations, in relevance order, published on or after the commitment's last news, page after
page. search-api reads a `q` that is one double-quoted phrase (`QUOTED_STRING_REGEX`,
lib/search/query_parameters.rb) as a phrase match on title, description and body
(`payload_for_quoted_phrase`); any other `q` matches documents holding some of its words. So a
query without double quotes is sent quoted; one the register quotes itself is sent as written.
Without `order` a query is ordered by relevance (docs/search-api.md); `start` (0-based) and
`count` (at most 1,500) page it, and every answer says its `total`. Content (`/api/content/PATH`):
a `withdrawn_notice` says a source was withdrawn (`commitment-bot sources`). Shapes: the recorded
ones in tests/fixtures/uk-apis/; a result missing its title or link, or with a field of another
type (a number for a date), is skipped and said, never a crash (found.readable).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from bot.shell.watch.found import DAY, TEXT, Ask, Hit, day_of, in_window, kind_of, paged, readable

DEFAULT_BASE = "https://www.gov.uk"
COUNT = 50  # results a page: most queries since the last news fit in one
PAGES = 4  # the 200 most relevant; a query with more is reported (narrow it), not read to the end
FIELDS = ("title", "link", "public_timestamp", "description", "format")
SNIPPET = 1000  # characters of a title or description kept (and scored): a summary, not a document
TYPES = {"title": TEXT, "link": TEXT, "public_timestamp": DAY, "description": TEXT, "format": TEXT}


def phrase(query: str) -> str:
    """The query as search-api's exact phrase: quoted unless the register quoted it already."""
    query = " ".join(query.split())
    return query if '"' in query else f'"{query}"'


def search(base: str, ask: Ask, start: int = 0) -> tuple[str, dict[str, Any]]:
    """The Search API request for one commitment: its query as a phrase and its organisations,
    most relevant first, published on or after its last news; `start` pages on."""
    assert ask.watch.govuk_query
    params: dict[str, Any] = {"q": phrase(ask.watch.govuk_query), "count": COUNT, "fields": list(FIELDS)}
    if start:
        params["start"] = start
    if ask.watch.govuk_organisations:
        params["filter_organisations"] = list(ask.watch.govuk_organisations)
    if ask.since is not None:
        params["filter_public_timestamp"] = f"from:{ask.since.isoformat()}"
    return f"{base.rstrip('/')}/api/search.json", params


def following(data: Any, start: int) -> tuple[int | None, int | None]:
    """(the next page's `start`, or None at the end; the `total` the answer gives, if any)."""
    return paged(data, start, "total")


def hits(data: Any, base: str, ask: Ask) -> tuple[list[Hit], list[str]]:
    """The new results of one answer, and why each result that could not be read was skipped."""
    out = []
    results = data.get("results") if isinstance(data, dict) else None
    good, skipped = readable(results if isinstance(results, list) else [], TYPES, ("title", "link"))
    for r in good:
        url = urljoin(base.rstrip("/") + "/", r["link"].lstrip("/")) if r["link"].startswith("/") else r["link"]
        published = day_of(r.get("public_timestamp"))
        if url in ask.cited or not in_window(published, ask):
            continue
        description = r["description"][:SNIPPET] if isinstance(r.get("description"), str) else None
        out.append(Hit(r["title"][:SNIPPET], url, published, "govuk", description))
    return out, skipped


def content_url(url: str, base: str) -> str | None:
    """The Content API address of a GOV.UK page (None for any other site)."""
    parts, home = urlsplit(url), urlsplit(base)
    if parts.hostname not in {home.hostname, "www.gov.uk", "gov.uk"} or parts.path.startswith("/api/"):
        return None
    return f"{base.rstrip('/')}/api/content{parts.path}"


def withdrawn(data: Any) -> str | None:
    """When and why a content item was withdrawn, in one line; None if it stands. A date or an
    explanation of another type than text is left out, and the line says so."""
    notice = data.get("withdrawn_notice") if isinstance(data, dict) else None
    if not isinstance(notice, dict) or not notice:
        return None
    from bot.shell.watch.text import plain

    at, explanation = notice.get("withdrawn_at"), notice.get("explanation")
    when = day_of(at)
    why = plain(explanation if isinstance(explanation, str) else None, 200)
    odd = [f"its {key} is {kind_of(v)}, not {want}"
           for key, v, want in (("withdrawn_at", at, "a date"), ("explanation", explanation, "text"))
           if v is not None and not isinstance(v, str)]
    return "withdrawn" + (f" on {when.isoformat()}" if when else "") + (f": {why}" if why else "") + (
        f" (GOV.UK's notice could not be read whole: {'; '.join(odd)})" if odd else "")
