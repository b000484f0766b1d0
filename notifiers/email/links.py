"""Where a coordinator reading a mail can see a commitment and record what happened to it.

Coordinators read mail; few of them have the command line. So a mail links to the commitment's
page on the published site (`COMMITMENT_BOT_SITE_URL` + `/c/ID.html`) and to its Slack thread
(whose **Record update** button records from Slack), when the bot knows them, and names the
`commitment-bot update …` command only when it knows neither.

A thread's link is Slack's own permalink (notifiers.slack.permalinks), handed to this channel by
the registry (`notifiers.threads`, from the Slack channel's `links`), so email never imports
Slack. The threads themselves are read through the `ThreadAnchors` protocol that storage
implements, so this channel never imports storage.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.decide.alerts import ToRecord
from bot.decide.threads import Anchor

SAFE_URL = re.compile(r"https?://[^\s<>\"'`|\\]+")
PAGE_ID = re.compile(r"[A-Za-z0-9._-]{1,200}")  # the site names a page by the id (the register's ids are slugs)
THREADS_SHOWN = 3  # a commitment routed to more channels links its first three threads


@dataclass(frozen=True)
class Places:
    """One commitment's links: its page on the site, its Slack threads (channel, permalink)."""

    page: str | None = None
    threads: tuple[tuple[str, str], ...] = ()

    @property
    def first(self) -> str | None:
        """The one link a one-line summary gives: the page, else the first thread."""
        return self.page or (self.threads[0][1] if self.threads else None)

    @property
    def known(self) -> bool:
        return bool(self.page or self.threads)


Permalink = Callable[[Anchor], str | None]


@dataclass
class Links:
    """Finds each commitment's Places. `routed` gives the targets of a commitment the caller did
    not route itself (the digest's items carry no targets); answers are kept for the mail."""

    site_url: str | None = None
    anchors: Any = None  # notifiers.slack.ThreadAnchors: storage's record of the bot's threads
    permalink: Permalink | None = None
    routed: Mapping[str, Sequence[str]] = field(default_factory=dict)
    interactive: bool = False  # the Slack app is set up: its threads carry a Record update button
    _found: dict[str, Places] = field(default_factory=dict, repr=False)

    @property
    def site(self) -> str | None:
        """The site's front page, when COMMITMENT_BOT_SITE_URL is a plain http(s) address."""
        base = (self.site_url or "").strip().rstrip("/")
        return f"{base}/" if SAFE_URL.fullmatch(base) else None

    def places(self, commitment_id: str, routed: Sequence[str] | None = None) -> Places:
        if commitment_id not in self._found:
            targets = routed if routed is not None else self.routed.get(commitment_id, ())
            page = f"{self.site}c/{commitment_id}.html" if self.site and PAGE_ID.fullmatch(commitment_id) else None
            self._found[commitment_id] = Places(page, self._threads(commitment_id, targets))
        return self._found[commitment_id]

    def _threads(self, commitment_id: str, targets: Sequence[str]) -> tuple[tuple[str, str], ...]:
        if self.anchors is None or self.permalink is None:
            return ()
        out: list[tuple[str, str]] = []
        for target in targets:
            if not target.startswith("slack:") or len(out) >= THREADS_SHOWN:
                continue
            channel = target.split(":", 1)[1]
            anchor = self.anchors.get(channel, commitment_id)
            link = self.permalink(anchor) if anchor is not None else None
            if link and SAFE_URL.fullmatch(link):
                out.append((channel, link))
        return tuple(out)


@dataclass(frozen=True)
class Line:
    """One line of a mail that may carry a link: `words`, then `url` (shown as it is, and linked)."""

    words: str
    url: str | None = None

    def __str__(self) -> str:
        return f"{self.words}: {self.url}" if self.url else self.words


def record_lines(places: Places, interactive: bool, maintainers: str, lead: bool = False,
                 record: ToRecord | None = None) -> tuple[Line, ...]:
    """What a mail says about where to see a commitment and record what happened (or, `record`,
    what the alert asks to record: the reply to a chase); () when the bot knows neither its page
    nor a thread (the caller then names the command). Every sentence is true of this setup:
    "Record update" is offered only when the Slack app is there to answer it."""
    ask, what, button = (record.ask, record.what, record.button) if record else \
        ("Record what happened", "what happened", "Record update")
    out: list[Line] = []
    for channel, url in places.threads:
        if lead and interactive:
            out.append(Line(f"Not an update until someone confirms it: confirm or dismiss it in its Slack thread "
                            f"in {channel}", url))
        elif interactive:
            out.append(Line(f"{ask} from its Slack thread in {channel} ({button})", url))
        else:
            out.append(Line(f"Its Slack thread in {channel}", url))
    if places.page:
        out.append(Line("Its page on the site, with its whole history", places.page))
    if out and not (interactive and places.threads):
        what = "whether this lead is news" if lead else what
        out.append(Line(f"To record {what}, tell the register's maintainers ({maintainers})"))
    return tuple(out)


def links_for(settings: Any, anchors: Any = None, routed: Mapping[str, Sequence[str]] | None = None,
              link: Permalink | None = None) -> Links:
    """The links a mail may give with these settings: the site's (COMMITMENT_BOT_SITE_URL) and, given
    where the threads are (`anchors`) and how to link one (`link`, Slack's permalinks), the threads."""
    permalink = link if anchors is not None else None
    interactive = bool(getattr(settings, "slack_app_token", None) or getattr(settings, "slack_signing_secret", None))
    return Links(getattr(settings, "site_url", None), anchors, permalink, dict(routed or {}), interactive)
