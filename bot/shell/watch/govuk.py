"""GOV.UK: the Search API for new publications, and the Content API for withdrawn documents.

Search (`/api/search.json`): the watch's query, its organisations, newest first, published on or
after the commitment's last news. Content (`/api/content/PATH`): a `withdrawn_notice` says a
source was withdrawn (`commitment-bot sources`). Both shapes are the recorded ones in
../shared/fixtures/uk-apis/; a result missing a key is skipped, never a crash.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from bot.shell.watch.found import Ask, Hit, day_of, in_window

DEFAULT_BASE = "https://www.gov.uk"
COUNT = 20  # newest first: a pass needs only what is new since the last news
FIELDS = ("title", "link", "public_timestamp", "description", "format")


def search(base: str, ask: Ask) -> tuple[str, dict[str, Any]]:
    """The Search API request for one commitment: its query and organisations, newest first,
    published on or after its last news."""
    assert ask.watch.govuk_query
    params: dict[str, Any] = {"q": ask.watch.govuk_query, "order": "-public_timestamp", "count": COUNT,
                              "fields": list(FIELDS)}
    if ask.watch.govuk_organisations:
        params["filter_organisations"] = list(ask.watch.govuk_organisations)
    if ask.since is not None:
        params["filter_public_timestamp"] = f"from:{ask.since.isoformat()}"
    return f"{base.rstrip('/')}/api/search.json", params


def hits(data: Any, base: str, ask: Ask) -> list[Hit]:
    out = []
    results = data.get("results") if isinstance(data, dict) else None
    for r in results if isinstance(results, list) else []:
        if not isinstance(r, dict) or not isinstance(r.get("link"), str) or not isinstance(r.get("title"), str):
            continue
        url = urljoin(base.rstrip("/") + "/", r["link"].lstrip("/")) if r["link"].startswith("/") else r["link"]
        published = day_of(r.get("public_timestamp"))
        if url in ask.cited or not in_window(published, ask):
            continue
        description = r.get("description") if isinstance(r.get("description"), str) else None
        out.append(Hit(r["title"], url, published, "govuk", description))
    return out


def content_url(url: str, base: str) -> str | None:
    """The Content API address of a GOV.UK page (None for any other site)."""
    parts, home = urlsplit(url), urlsplit(base)
    if parts.hostname not in {home.hostname, "www.gov.uk", "gov.uk"} or parts.path.startswith("/api/"):
        return None
    return f"{base.rstrip('/')}/api/content{parts.path}"


def withdrawn(data: Any) -> str | None:
    """When and why a content item was withdrawn, in one line; None if it stands."""
    notice = data.get("withdrawn_notice") if isinstance(data, dict) else None
    if not isinstance(notice, dict) or not notice:
        return None
    from bot.shell.watch.text import plain

    when = day_of(notice.get("withdrawn_at"))
    why = plain(notice.get("explanation") if isinstance(notice.get("explanation"), str) else None, 200)
    return "withdrawn" + (f" on {when.isoformat()}" if when else "") + (f": {why}" if why else "")
