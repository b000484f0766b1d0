"""`export site`: the static site, written into a directory (SPEC §6.4).

index.html and the pages under l/ are the tables (listing.py); c/ID.html tells one commitment's
story (chronicle.py) with its timeline (svg.py). Jinja2 autoescapes every value; a link is made
only from an http(s) URL (`href`), so `javascript:` in the register stays text. No page loads
anything from elsewhere: one stylesheet beside it, one short inline script, no fonts, no images.
"""

from __future__ import annotations

import base64
import hashlib
import multiprocessing
import os
import re
import sys
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from bot.decide import words
from bot.decide.alerts import late_days
from bot.decide.status import SORTS, StatusRow
from bot.decide.timeline import last_news
from bot.shell.publish.chronicle import Chronicle, chronicle, said
from bot.shell.publish.inputs import Inputs
from bot.shell.publish.listing import PAGE, SORT_NAMES, Listing, counts, css, href, listings, slug, state_key
from bot.shell.publish.svg import keep_whole, timeline_html

# A calendar page with a red dot for a deadline: the site's own icon, so no browser asks for /favicon.ico.
FAVICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="1.5" y="2.5" width="13" height="12" rx="2" '
           'fill="#fff" stroke="#1d4f91" stroke-width="1.5"/><path d="M1.5 6h13" stroke="#1d4f91" stroke-width="2"/>'
           '<circle cx="8" cy="10.5" r="2.2" fill="#a4161a"/></svg>\n')
BLANK_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")
DIGIT = re.compile(r"\d")
WRITERS = 4  # threads writing files while the next pages render: creating 10,000 files is mostly waiting
SCRIPT = ("var q=document.getElementById('q');if(q){q.parentNode.hidden=false;q.addEventListener('input',"
          "function(){var v=q.value.toLowerCase();document.querySelectorAll('tbody tr').forEach(function(r){"
          "r.hidden=v&&r.textContent.toLowerCase().indexOf(v)<0;});});}")


@dataclass(frozen=True)
class Written:
    pages: int
    bytes: int
    largest: tuple[str, int]


def safe_href(url: str | None) -> str | None:
    """The URL when it is plain http(s) with a host, else None: nothing else becomes a link."""
    if not url or BLANK_OR_CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def environment() -> Environment:
    env = Environment(loader=PackageLoader("bot.shell.publish", "templates"), autoescape=True, auto_reload=False,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["href"] = safe_href
    env.filters["link_text"] = words.link_text
    env.filters["cut"] = lambda text, n: text if len(text) <= n else text[: n - 1] + "…"
    env.filters["day"] = day
    env.filters["iso"] = iso
    env.filters["nobreak"] = nobreak
    env.filters["first_up"] = lambda text: text[:1].upper() + text[1:]
    env.filters["iso_day"] = lambda text: day(date.fromisoformat(text)) if text else "—"
    env.globals.update(SORT_NAMES=SORT_NAMES, SORTS=SORTS, href=href, slug=slug, typewords=words.of,
                       meanings=words.STATES, state_word=words.state_word, stated_as=words.stated_as, attributed=_attributed, late_days=late_days,
                       context_label=words.context_label, recurs=words.RECURS, expected=words.EXPECTED,
                       the_owner=words.the_owner, chased_by=words.chased_by, chase_noun=words.CHASE_NOUN,
                       script=Markup(SCRIPT), script_hash=_sha256(SCRIPT))  # noqa: S704 (our own constant)
    return env


def day(d: date | None) -> Markup | str:
    """A day as people write it, in a <time> that never breaks across lines: "21 Feb 2022"."""
    if not d:
        return "—"
    return _day(d.date() if isinstance(d, datetime) else d)


@lru_cache(maxsize=4096)
def _day(d: date) -> Markup:
    """Formatting a date is slow and a site repeats a few hundred of them tens of thousands of times."""
    return Markup(f'<time datetime="{d.isoformat()}">{d:%-d %b %Y}</time>')  # noqa: S704 (digits and letters)


def iso(d: date | str | None, none: str = "none") -> Markup | str:
    """A day as a table gives it, "2022-02-21", on one line."""
    return Markup(f"<time>{escape(d if isinstance(d, str) else d.isoformat())}</time>") if d else none  # noqa: S704


def nobreak(text: str) -> Markup:
    """Register text, escaped, with every date, financial year and sum in it kept on one line."""
    if not DIGIT.search(text):
        return escape(text)
    return Markup(keep_whole(str(escape(text))))  # noqa: S704 (escaped)


@dataclass(frozen=True)
class Share:
    """Which files of the site one process renders (see `write_site`): the tables, the stylesheet
    and the icon when `tables`, and the commitment pages whose place in the register, modulo
    `of`, is in `pages`. The whole site is `Share()`."""

    tables: bool = True
    pages: frozenset[int] = frozenset({0})
    of: int = 1

    def has(self, place: int) -> bool:
        return place % self.of in self.pages


WHOLE = Share()
# Two processes write a large site: the parent the tables and a third of the commitment pages
# (the tables take about as long as the other two thirds), a forked child the rest.
PARENT, CHILD = Share(True, frozenset({0}), 3), Share(False, frozenset({1, 2}), 3)
FORK_FROM = 2_000  # commitment pages: below it, starting a process costs more than it saves


def render(inputs: Inputs, title: str = "Government commitments", base_url: str | None = None,
           share: Share = WHOLE) -> Iterator[tuple[str, str]]:
    """(path, html) for every file of the site (or `share`'s), in a fixed order: same inputs,
    same bytes, whichever process renders a page."""
    env = environment()
    chronicles = {e.commitment.id: chronicle(e, inputs.now) for e in inputs.entries}
    rows = inputs.rows()
    news = {cid: last_news(ch.updates) for cid, ch in chronicles.items()}  # the owner's: never context
    common = {"site_title": title, "now": inputs.now, "base": (base_url or "").rstrip("/") or None}
    every = listings(rows)
    side = {"counts": [(s, n, href(state_key(s)), css(s)) for s, n in counts(rows)],
            "owners": [(x.heading.split(": ", 1)[1], len(x.rows), href(x.key)) for x in every if x.key.startswith("owner-")],
            "tags": [(x.heading.split(": ", 1)[1], len(x.rows), href(x.key)) for x in every if x.key.startswith("tag-")],
            "total": len(rows)}
    row = env.get_template("row.html")
    cache: dict[tuple[str, str], Markup] = {}
    filters: dict[tuple[str, str], Markup] = {}

    def row_html(r: StatusRow, root: str) -> Markup:
        """A row is the same on every listing page: rendered once for each of the two depths."""
        key = (r.id, root)
        if key not in cache:
            cache[key] = Markup(row.render(r=r, root=root, news=news).strip())  # noqa: S704 (autoescaped)
        return cache[key]

    page, nav = env.get_template("listing.html"), env.get_template("filters.html")
    for listing in every if share.tables else ():
        for sort in listing.sorts():
            ordered = listing.ordered(sort)
            for n in range(1, listing.pages(sort) + 1):
                path = href(listing.key, sort, n)
                root = "" if path == "index.html" else "../"
                if (listing.key, root) not in filters:  # the same on every page of a listing: rendered once
                    filters[listing.key, root] = Markup(nav.render(**side, root=root, listing=listing))  # noqa: S704
                yield path, page.render(**common, root=root, filters=filters[listing.key, root], listing=listing,
                                        sort=sort, n=n, rows=ordered[(n - 1) * PAGE: n * PAGE], row_html=row_html,
                                        page_size=PAGE, pager=_pager(listing, sort, n))
    by_id = {r.id: r for r in rows}
    keys = {(x.key.split("-", 1)[0], x.heading.split(": ", 1)[1]): href(x.key) for x in every if ": " in x.heading}
    one = env.get_template("commitment.html")
    for place, (cid, ch) in enumerate(chronicles.items()):
        if cid in by_id and share.has(place):
            yield f"c/{cid}.html", one.render(**common, root="../", ch=ch, row=by_id[cid], lines=_lines(ch, inputs),
                                              updates=list(reversed(ch.updates)), keys=keys,
                                              actions=list(reversed(ch.entry.actions)))
    if share.tables:
        yield "style.css", env.get_template("style.css").render()
        yield "favicon.svg", FAVICON


def write_site(inputs: Inputs, out: Path, title: str = "Government commitments",
               base_url: str | None = None, fork: bool | None = None) -> Written:
    """Write every file into `out` (which must be empty or new); report sizes for the benchmark.

    Pages do not depend on each other, and rendering them is nearly all of an export: a large
    site (FORK_FROM commitment pages or more) on a machine with two cores or more is written by
    two processes, a forked child taking two thirds of the commitment pages. Only on Linux (macOS
    warns against fork), and only a process with no other thread forks (`run` checks on its
    scheduler's thread: `run --publish` writes alone), since a lock another thread holds would
    stay held in the child. `fork` forces either way (tests)."""
    (out / "c").mkdir(parents=True, exist_ok=True)
    (out / "l").mkdir(exist_ok=True)
    if fork is None:
        fork = (sys.platform == "linux" and len(inputs.entries) >= FORK_FROM and _cores() > 1
                and threading.active_count() == 1
                and not multiprocessing.current_process().daemon)  # a daemonic worker may have no child
    if not fork:
        return _write_all(render(inputs, title, base_url), out)
    context = multiprocessing.get_context("fork")
    theirs, ours = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(ours, inputs, out, title, base_url), daemon=True)
    child.start()
    ours.close()
    try:
        mine = _write_all(render(inputs, title, base_url, PARENT), out)
    finally:
        try:
            other: Written | str | None = theirs.recv()  # waits for the child's last page
        except EOFError:  # it ended without a word (killed)
            other = None
        child.join()
    if not isinstance(other, Written):
        raise OSError(f"writing the site's commitment pages failed: {other or 'the process writing them ended'}")
    largest = max(mine.largest, other.largest, key=_size)
    return Written(mine.pages + other.pages, mine.bytes + other.bytes, largest)


def _cores() -> int:
    """The cores this process may run on (its affinity, which a container's limit sets), where
    the system says; else every core the machine has."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _child(pipe: Connection, inputs: Inputs, out: Path, title: str, base_url: str | None) -> None:
    """The forked child's part: its pages written, then what it wrote (or why it failed) sent back.
    It stops when its parent is gone (killed, say): nobody would read its pages."""
    parent = os.getppid()

    def while_parent_lives(files: Iterator[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        for file in files:
            if os.getppid() != parent:
                return
            yield file

    try:
        pipe.send(_write_all(while_parent_lives(render(inputs, title, base_url, CHILD)), out))
    except BaseException as e:  # noqa: BLE001 - reported to the parent, which fails the build
        pipe.send(f"{type(e).__name__}: {e}")


def _size(written: tuple[str, int]) -> tuple[int, str]:
    """The largest file is the largest in bytes, and of two alike the last by path: whichever
    process wrote them, and in whatever order, the same one."""
    return written[1], written[0]


def _write_all(files: Iterator[tuple[str, str]], out: Path) -> Written:
    """Write each file as it is rendered, on WRITERS threads."""
    pages, total, largest = 0, 0, ("", 0)
    with ThreadPoolExecutor(WRITERS) as pool:
        pending: deque[Future[int]] = deque()
        for path, text in files:
            data = text.encode("utf-8")
            pending.append(pool.submit(_write, out / path, data))
            while len(pending) > 8 * WRITERS:  # a bounded queue: a failed write stops the build here
                pending.popleft().result()
            pages, total = pages + path.endswith(".html"), total + len(data)
            largest = max(largest, (path, len(data)), key=_size)
        for done in pending:
            done.result()
    return Written(pages, total, largest)


def _write(path: Path, data: bytes) -> int:
    """One file, in as few system calls as it takes (`Path.write_bytes` makes twice as many, and
    10,000 of them were a third of the export); a second page at the same path is an error."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        rest = memoryview(data)
        while rest:
            rest = rest[os.write(fd, rest):]
    finally:
        os.close(fd)
    return len(data)


def _lines(ch: Chronicle, inputs: Inputs) -> list[tuple[Any, Markup]]:
    return [(ln, Markup(timeline_html(ln, inputs.now.date()))) for ln in ch.lines]  # noqa: S704 (svg.py escapes)


def _pager(listing: Listing, sort: str, n: int) -> list[int | None]:
    """The page numbers to link: all of them when few, else the ends and the neighbours (None = a gap)."""
    total = listing.pages(sort)
    wanted = sorted({1, 2, total - 1, total, n - 2, n - 1, n, n + 1, n + 2} & set(range(1, total + 1)))
    out: list[int | None] = []
    for p in wanted:
        if out and out[-1] is not None and p - out[-1] > 1:  # type: ignore[operator]
            out.append(None)
        out.append(p)
    return out


def _attributed(p: Any) -> str:
    """A promise's words with who gave them, when and where (SPEC §7.2); with no speaker and no
    titled source, saying so (chronicle.said)."""
    return said(p, words.written)


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


__all__ = ["StatusRow", "Written", "render", "safe_href", "write_site"]
