"""A local HTTP server on 127.0.0.1 (real sockets) speaking GOV.UK's and Parliament's APIs: the tests
script its routes (recorded fixtures and the variants the watch and the source checks must survive:
a new publication, 304s, 429 with Retry-After, a 500 then success, a slow answer, a withdrawn
document, a 404, a redirect to a private address, PDFs; those bodies are built in tests/ukbodies.py),
and the sandbox serves a few made-up documents through the engines below.

Every request is logged (path, query, headers, arrival time), so tests assert the requests
themselves: the User-Agent, the pacing, the conditional headers.

`govuk_engine` and `questions_engine` answer like the real APIs over documents a test (or the
sandbox) chooses: exact phrases, relevance, paging (their sources: data/govuk_search_phrase_sample.source.txt
and data/parliament_written_questions_page2_sample.source.txt), each answer in the shape of the
derived sample beside its source. `questions_by_uin` answers a question asked
by its reference, answered or not (data/parliament_written_question_by_uin_sample.source.txt).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bot.shell.sandbox.body import StandIn

DATA = Path(__file__).resolve().parent / "data"  # the answers' shapes, with their sources


def sample(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Seen:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float  # time.monotonic() when it arrived


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # the server is slow (a timeout on the client's side)
    etag: bool = False  # answer 304 when If-None-Match matches the body's hash


Route = Reply | list[Reply] | Callable[[Seen], Reply]


class UkApis:
    """`routes` maps a path to one reply, a list of replies in order (the last repeats), or a function."""

    def __init__(self, port: int = 0) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True, name="uk-apis-standin")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> UkApis:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def requests(self, path: str) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if s.path == path]

    def _reply(self, seen: Seen) -> Reply:
        route = self.routes.get(seen.path)
        if route is None:
            return Reply(404, "not here")
        if callable(route):
            return route(seen)
        if isinstance(route, list):
            n = len(self.requests(seen.path)) - 1
            return route[min(n, len(route) - 1)]
        return route

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        apis = self

        class Handler(StandIn):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as written, not after a delayed ACK

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                seen = Seen(parts.path, parse_qs(parts.query), {k.lower(): v for k, v in self.headers.items()},
                            time.monotonic())
                with apis.lock:
                    apis.seen.append(seen)
                reply = apis._reply(seen)
                if reply.delay:
                    time.sleep(reply.delay)  # the outside world being slow, not a test waiting
                body = reply.body if isinstance(reply.body, bytes) else \
                    reply.body.encode() if isinstance(reply.body, str) else json.dumps(reply.body).encode()
                headers = dict(reply.headers)
                status = reply.status
                if reply.etag:
                    tag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                    headers["ETag"] = tag
                    if seen.headers.get("if-none-match") == tag:
                        status, body = 304, b""
                if not isinstance(reply.body, bytes | str) and "Content-Type" not in headers:
                    headers["Content-Type"] = "application/json"
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (its timeout)
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

# -- search engines: the APIs' reading of a query, over documents a test chooses ------------------
@dataclass(frozen=True)
class Doc:
    """A GOV.UK document as search-api indexes it; `body` is searched, never returned."""

    link: str
    title: str
    description: str
    published: str  # public_timestamp
    body: str = ""
    organisations: tuple[str, ...] = ("home-office",)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _has_phrase(text: str, phrase: list[str]) -> bool:
    found = _words(text)
    return any(found[i:i + len(phrase)] == phrase for i in range(len(found) - len(phrase) + 1))


def govuk_engine(docs: list[Doc]) -> Callable[[Seen], Reply]:
    """/api/search.json as search-api reads it (govuk_search_phrase_sample.source.txt): a q that is
    one double-quoted phrase matches documents holding that phrase in title, description or body;
    any other q matches a document holding any of its words (what the watch met, issue 21). No
    `order`: by relevance, the fields weighted 5, 2 and 1 as search-api's MATCH_FIELDS; an
    `order=-public_timestamp`: newest first. filter_organisations, filter_public_timestamp=from:,
    start (0-based) and count (default 10) as documented. The answer has the recorded shape."""
    template = sample("govuk_search_phrase_sample.json")

    def route(seen: Seen) -> Reply:
        q = seen.query.get("q", [""])[0]
        quoted = re.fullmatch(r'\s*"[^"]+"\s*', q) is not None
        terms = _words(q)

        def weight(d: Doc) -> int:
            fields = ((d.title, 5), (d.description, 2), (d.body, 1))
            if quoted:
                return sum(w for text, w in fields if _has_phrase(text, terms))
            return sum(w * sum(t in _words(text) for t in terms) for text, w in fields)

        since = (seen.query.get("filter_public_timestamp", ["from:0000"])[0]).removeprefix("from:")
        orgs = set(seen.query.get("filter_organisations", []))
        matches = [d for d in docs if weight(d) and d.published[:10] >= since[:10]
                   and (not orgs or orgs & set(d.organisations))]
        if seen.query.get("order") == ["-public_timestamp"]:
            matches.sort(key=lambda d: d.published, reverse=True)
        else:
            matches.sort(key=weight, reverse=True)
        start, count = int(seen.query.get("start", ["0"])[0]), int(seen.query.get("count", ["10"])[0])
        data = copy.deepcopy(template)
        shape = data["results"][0]
        data["results"] = [{**shape, "title": d.title, "link": d.link, "_id": d.link, "description": d.description,
                            "public_timestamp": d.published} for d in matches[start:start + count]]
        data.update({"total": len(matches), "start": start})
        return Reply(200, data)

    return route


@dataclass(frozen=True)
class Question:
    uin: str
    heading: str
    question: str
    answer: str
    answered: str  # YYYY-MM-DD
    tabled: str | None = None  # YYYY-MM-DD; None: tabled the day it was answered


def questions_engine(questions: list[Question]) -> Callable[[Seen], Reply]:
    """/api/writtenquestions/questions: `searchTerm` (as a phrase in the heading, question or
    answer), answered=Answered, answeredWhenFrom, skip and take (swagger defaults 0 and 20); every
    page says `totalResults`. Each item has the recorded item's shape."""
    template = sample("parliament_written_questions_page2_sample.json")["results"][0]

    def route(seen: Seen) -> Reply:
        term = _words(seen.query.get("searchTerm", [""])[0])
        since = seen.query.get("answeredWhenFrom", ["0000"])[0]
        found = [q for q in questions if q.answered >= since[:10]
                 and _has_phrase(f"{q.heading} {q.question} {q.answer}", term)]
        skip, take = int(seen.query.get("skip", ["0"])[0]), int(seen.query.get("take", ["20"])[0])
        items = []
        for q in found[skip:skip + take]:
            item = copy.deepcopy(template)
            item["value"].update({"uin": q.uin, "heading": q.heading, "questionText": q.question,
                                  "answerText": q.answer, "dateTabled": (q.tabled or q.answered) + "T00:00:00",
                                  "dateAnswered": q.answered + "T00:00:00", "isWithdrawn": False})
            items.append(item)
        return Reply(200, {"totalResults": len(found), "results": items})

    return route


# -- a written question asked by its reference (a chased question's answer, SPEC §7.5) -----------
@dataclass(frozen=True)
class Tabled:
    """A written question as Parliament holds it, for `questions_by_uin`."""

    uin: str  # "HL1234" (Lords), "12345" (Commons)
    house: str  # Commons | Lords
    tabled: str  # YYYY-MM-DD
    answered: str | None = None  # YYYY-MM-DD; None: not answered yet
    answer: str = ""  # the answer's text, HTML as the detail gives it
    heading: str = "Migrants: Domestic Abuse"
    holding: bool = False  # its answer so far is a holding answer
    withdrawn: bool = False
    answered_by: str | None = None  # the answering member's name, given with expandMember=true


def questions_by_uin(tabled: list[Tabled], search: Reply | Callable[[Seen], Reply] | None = None
                     ) -> Callable[[Seen], Reply]:
    """/api/writtenquestions/questions: a request with `uIN` answers from `tabled` as the API reads
    the swagger's list parameters (uIN, house, tabledWhenFrom, tabledWhenTo, answered=Any|Answered|
    Unanswered, includeWithdrawn), each item the recorded by-UIN item re-keyed to the question
    (parliament_written_question_by_uin_sample.source.txt), its answer as the list gives it: text
    without markup, cut at 255 characters then "...". Any other request (the watch's searches)
    goes to `search`, the route the path had before."""
    answered_item = sample("parliament_written_question_by_uin_sample.json")["results"][0]
    waiting_item = sample("parliament_written_question_by_uin_unanswered_sample.json")["results"][0]

    def matches(q: Tabled, seen: Seen) -> bool:
        arg = {k: v[0] for k, v in seen.query.items()}
        wanted = arg.get("answered", "Any")
        return (q.uin.upper() == arg["uIN"].upper() and arg.get("house", q.house) == q.house
                and arg.get("tabledWhenFrom", "0000")[:10] <= q.tabled <= arg.get("tabledWhenTo", "9999")[:10]
                and (not q.withdrawn or arg.get("includeWithdrawn") == "true")
                and (wanted == "Any" or (wanted == "Answered") == (q.answered is not None)))

    def item(q: Tabled, expand: bool) -> dict[str, Any]:
        out = copy.deepcopy(answered_item if q.answered else waiting_item)
        if expand and q.answered and q.answered_by:  # the swagger's MemberViewModel, as expandMember gives it
            out["value"]["answeringMember"] = {"id": out["value"].get("answeringMemberId"), "listAs": None,
                                               "name": q.answered_by, "party": None, "partyColour": None,
                                               "partyAbbreviation": None, "memberFrom": None, "thumbnailUrl": None}
        text = re.sub(r"<[^>]*>", "", q.answer)
        out["value"].update({"uin": q.uin, "house": q.house, "dateTabled": q.tabled + "T00:00:00",  # changed
                             "heading": q.heading, "isWithdrawn": q.withdrawn, "answerIsHolding": q.holding})
        if q.answered:
            out["value"].update({"dateAnswered": q.answered + "T00:00:00",  # changed
                                 "answerText": text[:255] + "..." if len(text) > 255 else text})
        return out

    def route(seen: Seen) -> Reply:
        if "uIN" not in seen.query:
            if search is None:
                return Reply(404, "not here")
            return search(seen) if callable(search) else search
        expand = seen.query.get("expandMember", ["false"])[0] == "true"
        found = [item(q, expand) for q in tabled if matches(q, seen)]
        return Reply(200, {"totalResults": len(found), "results": found})

    return route
