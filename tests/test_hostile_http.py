"""Hostile answers at the HTTP client's door (issue 22, items 1 to 4): bodies that decode to
gigabytes, servers that drip their headers, addresses that hide a private IPv4 one inside IPv6,
and text that would drive a terminal. Each is refused or made harmless, with a precise message,
and every other source is still asked.

Real sockets throughout: the local GOV.UK stand-in (bot/shell/sandbox/ukapis.py), a raw socket
server for answers no HTTP library would send, and the local Slack server.
"""

from __future__ import annotations

import gzip
import ipaddress
import json
import random
import re
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.shell.cli import main
from bot.shell.cli.watch import leads, sources, watch
from bot.shell.http import Client, HttpSettings, Refused, embedded_ipv4, inert_text, not_public
from bot.shell.httpbounds import Body
from bot.shell.sandbox.slack import SlackState
from bot.shell.sandbox.ukapis import Reply, UkApis
from tests.standins import running_slack, slack_env  # noqa: F401
from tests.ukbodies import fixture, govuk_search, html, written_questions, written_statements

for command in (watch, leads, sources):
    if command.name not in main.commands:
        main.add_command(command)

# What a terminal would act on: C0 controls but tab and newline, DEL, C1, bidirectional overrides.
ACTIVE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202e"


def settings(**kw: Any) -> HttpSettings:
    base: dict[str, Any] = {"user_agent": "commitment-bot/test", "interval": 0, "timeout": 0.5, "retries": 1,
                            "backoff": 0.01, "allow_private": frozenset({"127.0.0.1"})}
    return HttpSettings(**{**base, **kw})


@pytest.fixture
def apis() -> Iterator[UkApis]:
    with UkApis() as server:
        yield server


class RawServer:
    """Answers every connection with `script`: (bytes, pause before them) pairs, the pauses being
    the outside world's slowness. Stops dripping when the client hangs up or the test ends."""

    def __init__(self, script: list[tuple[bytes, float]]) -> None:
        self.script = script
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.stop = threading.Event()
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            for data, pause in self.script:
                if pause and self.stop.wait(pause):
                    return
                try:
                    conn.sendall(data)
                except OSError:
                    return

    def close(self) -> None:
        self.stop.set()
        self.listener.close()


def drip(head: bytes, rest: bytes, every: float) -> list[tuple[bytes, float]]:
    return [(head, 0.0)] + [(rest[i:i + 1], every) for i in range(len(rest))]


# -- item 1: encodings -----------------------------------------------------------------------
ZEROS = 64 * 1024 * 1024  # decoded size of the bombs below: 64 MiB, against a 1 MB cap


def _gzip_zeros(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    return b"".join(packer.compress(block) for _ in range(size // len(block))) + packer.flush()


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    inner = _gzip_zeros(ZEROS)
    return {"single": inner, "nested": gzip.compress(inner, 9)}


def _peak_while(call: Any) -> tuple[Any, int]:
    """What `call()` returned or raised, and the peak memory traced while it ran."""
    tracemalloc.start()
    try:
        try:
            out = call()
        except Exception as e:  # noqa: BLE001 - returned for the test to judge
            out = e
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_nested_encodings_are_refused_without_decoding_a_byte(apis: UkApis, bombs: dict[str, bytes]) -> None:
    """Item 1: 2 KB on the wire, 64 MiB of zeros inside gzip inside gzip."""
    apis.routes["/bomb"] = Reply(200, bombs["nested"], headers={"Content-Encoding": "gzip, gzip"})
    with Client(settings(max_bytes=1_000_000)) as client:
        out, peak = _peak_while(lambda: client.get(apis.url + "/bomb"))
    assert isinstance(out, Refused) and "encoded 2 times over (gzip, gzip)" in str(out), out
    assert peak < 4_000_000, peak


def test_a_single_layer_bomb_is_cut_off_at_the_cap_as_it_decodes(apis: UkApis, bombs: dict[str, bytes]) -> None:
    apis.routes["/bomb"] = Reply(200, bombs["single"], headers={"Content-Encoding": "gzip"})
    with Client(settings(max_bytes=1_000_000)) as client:
        out, peak = _peak_while(lambda: client.get(apis.url + "/bomb"))
    assert isinstance(out, Refused) and "over the 1000000-byte cap once decoded (gzip)" in str(out), out
    assert peak < 6_000_000, peak  # the cap and a chunk or two, never the 64 MiB


@pytest.mark.parametrize(("encoding", "message"), [
    ("br", "an encoding this client does not read ('br')"),
    ("compress", "an encoding this client does not read ('compress')"),
    ("deflate, gzip", "encoded 2 times over (deflate, gzip)"),
])
def test_an_unknown_or_stacked_encoding_is_refused_by_name(apis: UkApis, encoding: str, message: str) -> None:
    apis.routes["/odd"] = Reply(200, b"\x8b\x00 not what it claims", headers={"Content-Encoding": encoding})
    with Client(settings()) as client, pytest.raises(Refused) as refused:
        client.get(apis.url + "/odd")
    assert message in str(refused.value)


def test_two_content_encoding_lines_are_two_layers() -> None:
    body = gzip.compress(gzip.compress(b"hello"))
    server = RawServer([(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Encoding: gzip\r\n"
                         b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body, 0.0)])
    try:
        with Client(settings()) as client, pytest.raises(Refused, match="encoded 2 times over"):
            client.get(server.url + "/twice")
    finally:
        server.close()


@pytest.mark.parametrize(("encoding", "packed"), [
    ("gzip", gzip.compress(b"<p>Promised words.</p>")),
    ("x-gzip", gzip.compress(b"<p>Promised words.</p>")),
    ("deflate", zlib.compress(b"<p>Promised words.</p>")),
    ("deflate", zlib.compress(b"<p>Promised words.</p>")[2:-4]),  # raw deflate, as some servers send it
    ("identity", b"<p>Promised words.</p>"),
], ids=["gzip", "x-gzip", "deflate-zlib", "deflate-raw", "identity"])
def test_one_layer_of_an_ordinary_encoding_is_read(apis: UkApis, encoding: str, packed: bytes) -> None:
    apis.routes["/page"] = Reply(200, packed, headers={"Content-Encoding": encoding})
    with Client(settings()) as client:
        assert client.get(apis.url + "/page").text() == "<p>Promised words.</p>"
    assert apis.requests("/page")[0].headers["accept-encoding"] == "gzip, deflate"


PROMISED = b"<p>Promised words.</p>" * 50


@pytest.mark.parametrize("packed", [zlib.compress(PROMISED), zlib.compress(PROMISED)[2:-4]], ids=["zlib", "raw"])
@pytest.mark.parametrize("chunk", [1, 2, 3, 1 << 20], ids=["1-byte", "2-byte", "3-byte", "whole"])
def test_a_deflate_body_reads_the_same_however_it_is_cut(packed: bytes, chunk: int) -> None:
    """Found in the second review: a raw deflate body whose first byte came in a read of its own
    was refused as broken (zlib had taken that byte without a word, so the raw form was never
    tried). Which form a body is in is decided on its first two bytes, however TCP cuts them."""
    body = Body("deflate", cap=1 << 20)
    for at in range(0, len(packed), chunk):
        body.feed(packed[at:at + chunk])
    assert body.bytes() == PROMISED


@pytest.mark.parametrize("charset", ["rot13", "base64", "zlib", "hex", "uu", "idna"])
def test_a_charset_that_is_not_a_text_encoding_is_read_as_utf8(apis: UkApis, charset: str) -> None:
    """Python knows these names, but as bytes-to-bytes codecs (or one that takes no "replace"):
    decoding with them raised LookupError out of `sources` and `watch`, ending the pass."""
    apis.routes["/page"] = Reply(200, "<p>Promised words, “quoted”.</p>".encode(),
                                 headers={"Content-Type": f"text/html; charset={charset}"})
    with Client(settings()) as client:
        assert client.get(apis.url + "/page").text() == "<p>Promised words, “quoted”.</p>"


@pytest.mark.parametrize("value", [b"\xb2", b"\xb9", b"1\xb3"], ids=["superscript-two", "superscript-one", "one-cubed"])
def test_a_retry_after_that_is_not_a_number_is_no_retry_after(value: bytes) -> None:
    """Latin-1's superscript digits pass `str.isdigit()` but not `float()`: the ValueError ended
    the whole pass. Such a Retry-After is ignored and the usual backoff applies."""
    server = RawServer([(b"HTTP/1.1 503 Busy\r\nRetry-After: " + value + b"\r\nContent-Length: 0\r\n\r\n", 0.0)])
    try:
        with Client(settings(retries=1)) as client:
            assert client.get(server.url + "/busy").status == 503
    finally:
        server.close()
    assert server.connections == 2  # asked, and asked once more after the backoff


def checked_beside_the_letter(cli, apis: UkApis, tmp_path: Path, hostile: str,  # type: ignore[no-untyped-def]
                              **env: str) -> dict[str, dict[str, Any]]:
    """`sources --json` over the `hostile` commitments (YAML flow entries) and, after them, "good",
    whose letter on the local GOV.UK holds its quote: each source's check, by commitment. One
    hostile source must never keep the others from being checked."""
    apis.routes["/letter.html"] = Reply(200, html("Letter", "We aim to implement them by end August."))
    (tmp_path / "commitments.yaml").write_text(f"""\
version: 1
commitments:
{hostile}  - {{id: good, title: G, owner: HO, made_on: 2022-02-21, due: 2023,
      source: {{title: L, url: "{apis.url}/letter.html", quote: "We aim to implement them"}}}}
""", encoding="utf-8")
    result = cli("sources", "--json", env={"HTTP_ALLOW_PRIVATE": "127.0.0.1", "COMMITMENT_BOT_HTTP_INTERVAL": "0",
                                           "GOVUK_API_URL": apis.url, **env})
    return {c["commitment"]: c for c in json.loads(result.stdout)}


def test_one_hostile_server_never_ends_the_pass(cli, apis: UkApis, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`sources` with a server whose Retry-After is a superscript digit and one whose charset is
    rot13, beside a good source: each is reported, and the good one too (the pass used to end with
    "unexpected ValueError" / "unexpected LookupError" and nothing reported)."""
    busy = RawServer([(b"HTTP/1.1 503 Busy\r\nRetry-After: \xb2\r\nContent-Length: 0\r\n\r\n", 0.0)])
    apis.routes["/rot13.html"] = Reply(200, html("Rot", "We aim to implement them by end August."),
                                       headers={"Content-Type": "text/html; charset=rot13"})
    try:
        checks = checked_beside_the_letter(cli, apis, tmp_path, f"""\
  - {{id: busy, title: B, owner: HO, made_on: 2022-02-21, due: 2023, source: {{title: B, url: "{busy.url}/b"}}}}
  - {{id: rot, title: R, owner: HO, made_on: 2022-02-21, due: 2023,
      source: {{title: R, url: "{apis.url}/rot13.html", quote: "We aim to implement them"}}}}
""")
    finally:
        busy.close()
    assert (checks["busy"]["status"], checks["busy"]["detail"]) == ("unreachable", "HTTP 503")
    assert (checks["rot"]["status"], checks["rot"]["quote_found"]) == ("reachable", True)
    assert (checks["good"]["status"], checks["good"]["quote_found"]) == ("reachable", True)


# -- item 2: one deadline for the whole exchange ------------------------------------------------
def test_a_server_that_drips_its_headers_is_cut_off_and_the_next_source_is_asked(  # type: ignore[no-untyped-def]
        cli, apis: UkApis, tmp_path: Path) -> None:
    """Item 2: the status line, then one header byte every 50 ms (10 s of headers, each byte well
    inside the 0.25 s read timeout). The whole exchange has 4 × 0.25 s."""
    dripping = RawServer(drip(b"HTTP/1.1 200 OK\r\n", b"X-Pad: " + b"a" * 200 + b"\r\nContent-Length: 2\r\n\r\nok", 0.05))
    started = time.monotonic()
    try:
        checks = checked_beside_the_letter(cli, apis, tmp_path, f"""\
  - {{id: drip, title: Drip, owner: HO, made_on: 2022-02-21, due: 2023,
      source: {{title: D, url: "{dripping.url}/slow", quote: "ok"}}}}
""", COMMITMENT_BOT_HTTP_TIMEOUT="0.25")
    finally:
        dripping.close()
    took = time.monotonic() - started
    assert checks["drip"]["status"] == "unreachable" and checks["drip"]["quote_found"] is None
    assert "no whole answer within 1 s" in checks["drip"]["detail"], checks["drip"]
    assert (checks["good"]["status"], checks["good"]["quote_found"]) == ("reachable", True)
    assert took < 6, took  # 1 s for the dripping source, not its 10 s of headers


def test_the_deadline_covers_retries_and_their_waits(apis: UkApis) -> None:
    """A server that answers 503 and asks for a 1 s wait each time gets the attempts that fit in
    4 × the 0.375 s timeout."""
    apis.routes["/busy"] = Reply(503, "busy", headers={"Retry-After": "1"})
    with Client(settings(retries=5, timeout=0.375, max_wait=5)) as client:
        assert client.get(apis.url + "/busy").status == 503
    assert len(apis.requests("/busy")) == 2  # the first, one wait of 1 s, the second; a third would pass 1.5 s


def test_waiting_for_the_hosts_turn_is_not_counted_against_the_deadline(apis: UkApis) -> None:
    apis.routes["/a"] = Reply(200, "x")
    with Client(settings(interval=0.6, deadline=0.5)) as client:
        client.get(apis.url + "/a")
        assert client.get(apis.url + "/a").status == 200  # waited 0.6 s for its turn, then asked


@pytest.mark.parametrize("packed", [b"\xff" * 32, bytes(range(256))], ids=["ff", "bytes"])
def test_a_broken_deflate_body_is_refused_not_a_crash(apis: UkApis, packed: bytes) -> None:
    """Found in the second hostile audit: a body that is neither zlib nor raw deflate raised
    zlib.error out of the client, and `sources` and `watch` ended the whole pass on it."""
    apis.routes["/broken"] = Reply(200, packed, headers={"Content-Encoding": "deflate"})
    with Client(settings()) as client, pytest.raises(Refused, match="its deflate body is broken"):
        client.get(apis.url + "/broken")


# -- item 3: addresses that carry another --------------------------------------------------------
@pytest.mark.parametrize("url", [
    "http://[::127.0.0.1]/", "http://[::ffff:127.0.0.1]/", "http://[64:ff9b::7f00:1]/", "http://[64:ff9b::a9fe:a9fe]/",
    "http://[64:ff9b:1::a00:1]/", "http://[2002:7f00:1::]/", "http://[2002:c0a8:101::1]/",
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "http://224.0.0.1/", "http://239.255.255.250:1900/",
    "http://[ff02::1]/", "http://[ff0e::1]/", "http://0.0.0.0/", "http://[::]/", "http://[fec0::1]/",
])
def test_an_address_that_means_a_private_or_multicast_one_is_refused(url: str) -> None:
    with Client(settings(allow_private=frozenset())) as client, pytest.raises(Refused, match="HTTP_ALLOW_PRIVATE"):
        client.get(url)


def test_a_name_resolving_to_nat64_loopback_is_refused() -> None:
    with Client(settings(allow_private=frozenset()), resolver=lambda h, p: ["64:ff9b::7f00:1"]) as client, \
            pytest.raises(Refused, match="carries 127.0.0.1"):
        client.get("http://news.example.org/")


def test_a_connection_checked_for_one_name_is_never_used_for_another() -> None:
    """Two names that resolve to one address. The first's connection, kept alive, was checked
    against its certificate; the second name (which that certificate does not carry) was then
    asked on it, unchecked, and answered. Each name gets connections of its own."""
    from http.server import BaseHTTPRequestHandler

    from bot.shell.http import Unreachable
    from tests.standins import tls_server

    class KeepAlive(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # the connection stays open for the next request

        def do_GET(self) -> None:  # noqa: N802
            body = f"for {self.headers['Host']}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with tls_server(KeepAlive) as (port, client_side), \
            Client(settings(retries=0, allow_private=frozenset({"watch.test", "other.test"})), ssl_context=client_side,
                   resolver=lambda host, p: ["127.0.0.1"]) as client:
        assert client.get(f"https://watch.test:{port}/").body == f"for watch.test:{port}".encode()
        with pytest.raises(Unreachable, match="certificate"):
            client.get(f"https://other.test:{port}/")


@pytest.mark.parametrize(("address", "inside"), [
    ("64:ff9b::808:808", "8.8.8.8"), ("2002:808:808::", "8.8.8.8"), ("::ffff:8.8.8.8", "8.8.8.8"),
    ("2606:4700::1111", None), ("8.8.8.8", None),
])
def test_a_public_address_stays_public_whatever_its_form(address: str, inside: str | None) -> None:
    ip = ipaddress.ip_address(address)
    assert not_public(ip) is None
    if isinstance(ip, ipaddress.IPv6Address):
        assert str(embedded_ipv4(ip)) == str(inside) if inside else embedded_ipv4(ip) is None


# -- item 4: fetched text is inert wherever it is shown ------------------------------------------
def test_fetched_text_keeps_its_words_and_loses_its_controls() -> None:
    assert inert_text("Migrant\nVictims\tProtocol \u2028 — «guidance» 協定") == "Migrant Victims Protocol   — «guidance» 協定"
    assert inert_text(HOSTILE) == "\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202e"
    assert inert_text(inert_text(HOSTILE)) == inert_text(HOSTILE)


NONCHARACTER_WATCH = """\
version: 1
commitments:
  - id: mvp
    title: Implement the Migrant Victims Protocol
    owner: Home Office
    made_on: 2022-02-21
    due: 2023-12-31
    source: {title: Letter, url: "https://www.gov.uk/x"}
    watch:
      govuk: {query: "migrant victims protocol"}
"""


def test_a_fetched_noncharacter_is_inert_and_its_lead_can_be_confirmed(  # type: ignore[no-untyped-def]
        cli, apis: UkApis, tmp_path: Path) -> None:
    """Found in the second hostile audit: a GOV.UK title holding U+FFFE was stored raw, and
    `leads confirm 1` (no --note given) then failed on the note it makes from that title."""
    assert inert_text("guidance \ufffe\uffff\U0001fffe") == "guidance \\ufffe\\uffff\\U0001fffe"
    body = govuk_search("https://www.gov.uk/government/publications/mvp",
                        "Migrant victims protocol \ufffe\uffff guidance", "2026-11-20T10:00:00+00:00")
    apis.routes["/api/search.json"] = Reply(200, json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    (tmp_path / "commitments.yaml").write_text(NONCHARACTER_WATCH, encoding="utf-8")
    env = {"GOVUK_API_URL": apis.url, "HTTP_ALLOW_PRIVATE": "127.0.0.1", "COMMITMENT_BOT_HTTP_INTERVAL": "0"}
    assert cli("watch", "--now", "2026-12-01T07:00", env=env).exit_code == 0
    (lead,) = json.loads(cli("leads", "--json", env=env).stdout)
    assert "\\ufffe" in lead["title"] and "\ufffe" not in lead["title"]
    confirmed = cli("leads", "confirm", str(lead["id"]), "--by", "Sam", "--now", "2026-12-01T09:00", env=env)
    assert confirmed.exit_code == 0, confirmed.output
    assert cli("export", "atom", "feed.xml", "--now", "2026-12-02", env=env).exit_code == 0


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


WATCHED = """\
version: 1
routes:
  - slack: ["#mvp-watch"]
commitments:
  - id: mvp
    title: Implement the Migrant Victims Protocol
    owner: Home Office
    made_on: 2022-02-21
    due: 2027
    source: {{title: Letter, url: "{base}/letter.html"}}
    updates:
      - {{date: 2026-06-01, note: Last news.}}
    watch:
      govuk: {{query: "migrant victims protocol"}}
      parliament: {{query: "migrant victims protocol"}}
      pages: ["{base}/mvp-page"]
"""


def _hostile_apis(apis: UkApis) -> None:
    title = f"Migrant Victims Protocol {HOSTILE} guidance"
    search = govuk_search("/government/publications/mvp-guidance", title, "2026-11-20T09:30:00Z")
    search["results"][0]["description"] = f"The protocol {HOSTILE}\r\nfor practitioners."
    apis.routes["/api/search.json"] = Reply(200, search)
    questions = written_questions("2026-11-25T00:00:00", f"Migrant Victims Protocol {HOSTILE}")
    questions["results"][0]["value"]["answerText"] = "<p>&#27;]0;pwned&#7;The migrant victims protocol &#x9b;31m is here.</p>"
    apis.routes["/api/writtenquestions/questions"] = Reply(200, questions)
    apis.routes["/api/writtenstatements/statements"] = Reply(200, written_statements(
        "2026-11-26T00:00:00", f"Migrant Victims Protocol {HOSTILE}"))
    apis.routes["/mvp-page"] = [Reply(200, html("Migrant Victims Protocol", "First version.")),
                                Reply(200, html(f"Migrant Victims Protocol {HOSTILE}",
                                                f"Migrant victims protocol {HOSTILE} second version."))]


def test_fetched_titles_and_snippets_reach_no_surface_with_their_controls(  # type: ignore[no-untyped-def]
        cli, apis: UkApis, slack: SlackState, tmp_path: Path) -> None:
    """Item 4: `watch`, `leads`, `leads --json`, the console channel and Slack."""
    _hostile_apis(apis)
    (tmp_path / "commitments.yaml").write_text(WATCHED.format(base=apis.url), encoding="utf-8")
    env = slack_env(slack, GOVUK_API_URL=apis.url, PARLIAMENT_QUESTIONS_API_URL=apis.url,
                    HTTP_ALLOW_PRIVATE="127.0.0.1", COMMITMENT_BOT_HTTP_INTERVAL="0")
    runs = [cli("watch", "--now", "2026-12-01T07:00", env=env), cli("watch", "--now", "2026-12-02T07:00", env=env)]
    listed = cli("leads", env=env)
    as_json = json.loads(cli("leads", "--json", env=env).stdout)
    assert any("\\x1b]0;pwned" in x["title"] for x in as_json), as_json  # the hostile text arrived, inert
    assert any(x["source"] == "page" for x in as_json), as_json
    for out in (*(r.output for r in runs), listed.output):
        assert not ACTIVE.search(out), repr(ACTIVE.search(out))
    for text in _strings(as_json):
        assert not ACTIVE.search(text) and "\n" not in text, repr(text)
    posted = slack.posted()
    assert posted
    for message in posted:
        for text in (message.text, *_strings(message.blocks or [])):
            assert not ACTIVE.search(text), repr(text)


def test_sources_shows_fetched_text_inert(cli, apis: UkApis, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`sources`: the closest passage of a drifted page, GOV.UK's withdrawal explanation, and a
    redirect to a URL with a C1 control in it."""
    withdrawn = fixture("govuk_content_withdrawn_publication_sample.json")
    withdrawn["withdrawn_notice"]["explanation"] = f"<p>Withdrawn {HOSTILE} &#27;[2J for good.</p>"
    apis.routes["/government/publications/gone-guide"] = Reply(200, html("Guide", "Pigs."))
    apis.routes["/api/content/government/publications/gone-guide"] = Reply(200, withdrawn)
    apis.routes["/drifted.html"] = Reply(200, html(f"Letter {HOSTILE}", f"We aim {HOSTILE} to implement them by autumn."))
    apis.routes["/moved"] = Reply(301, "", headers={"Location": "/new\x9bplace"})
    apis.routes["/new%C2%9Bplace"] = Reply(200, html("New", "Here."))
    (tmp_path / "commitments.yaml").write_text(f"""\
version: 1
commitments:
  - {{id: w, title: W, owner: HO, made_on: 2022-02-21, due: 2023,
      source: {{title: G, url: "{apis.url}/government/publications/gone-guide"}}}}
  - {{id: d, title: D, owner: HO, made_on: 2022-02-21, due: 2023,
      source: {{title: L, url: "{apis.url}/drifted.html", quote: "We aim to implement them by end August"}}}}
  - {{id: m, title: M, owner: HO, made_on: 2022-02-21, due: 2023, source: {{title: M, url: "{apis.url}/moved"}}}}
""", encoding="utf-8")
    env = {"GOVUK_API_URL": apis.url, "HTTP_ALLOW_PRIVATE": "127.0.0.1", "COMMITMENT_BOT_HTTP_INTERVAL": "0"}
    text = cli("sources", env=env)
    checks = {c["commitment"]: c for c in json.loads(cli("sources", "--json", env=env).stdout)}
    assert checks["w"]["status"] == "withdrawn" and "\\x1b" in checks["w"]["detail"]
    assert checks["d"]["quote_found"] is False and "\\x1b]0;pwned" in checks["d"]["detail"]
    assert checks["m"]["status"] == "moved" and "%C2%9B" in checks["m"]["detail"]
    assert not ACTIVE.search(text.output), repr(ACTIVE.search(text.output))
    for c in checks.values():
        assert not ACTIVE.search(c["detail"]), c


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF of these objects, numbered from 1 (1 is the catalogue), with its cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return bytes(out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def packed_pdf(content: bytes, pages: int = 1) -> bytes:
    """A PDF whose `pages` pages all show one Flate-compressed content stream: a million
    operators fit in a few KB on the wire."""
    stream = zlib.compress(content, 9)
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages)).encode()
    return pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
                     b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
                     *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << /Font << /F1 "
                       + HELVETICA + b" >> >> >>"] * pages])


def slow_fonts_pdf(readable: int, names: int) -> bytes:
    """`readable` ordinary pages, then one whose `names` font names all point to one font whose
    character map covers all 65,536 codes: pypdf builds that map once per name, before the page's
    first operator (5.6 KB kept it busy for over two minutes at 400 names)."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <0000> <FFFF> "
            b"endcodespacerange 1 beginbfrange <0000> <FFFF> <0041> endbfrange endcmap end end")
    text = b"BT /F1 10 Tf 40 780 Td (We aim to implement them) Tj ET"
    n = readable + 1
    kids = " ".join(f"{7 + i} 0 R" for i in range(n)).encode()
    fonts = b" ".join(b"/F%d 4 0 R" % i for i in range(names))
    return pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /ToUnicode 3 0 R /DescendantFonts [] >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Length 23 >>\nstream\nBT /F0 12 Tf (hi) Tj ET\nendstream",
        *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Resources << /Font << /F1 "
          + HELVETICA + b" >> >> >>"] * readable,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R /Resources << /Font << " + fonts
        + b" >> >> >>"])


LINE = b"BT /F1 10 Tf 40 780 Td (We aim to implement them) Tj ET\n"  # 10 tokens, as pypdf counts them


def test_a_page_too_long_to_parse_is_skipped_not_a_crash() -> None:
    """200,000 operators on a page (6 KB on the wire): pypdf parsed them for 15 s, and past its own
    budget raised LimitReachedError, which ended the whole pass. A page is read up to
    TOKENS tokens; the pages within it still are."""
    from bot.shell.pdfread import TOKENS
    from bot.shell.watch.text import pdf_text

    flood = packed_pdf(LINE * (TOKENS // 10 + 1))
    assert len(flood) < 10_000
    assert pdf_text(flood) == ""
    assert pdf_text(packed_pdf(LINE * 3, pages=2)).count("We aim to implement them") == 6


def test_reading_a_pdf_stops_at_its_time_budget_and_keeps_the_pages_read() -> None:
    """pypdf cannot be stopped mid-page, and one page here would take it minutes: the reader is a
    child process, killed when its time is up, and the pages it finished before then stand. The
    bound is asserted generously (the page alone takes over two minutes), not timed."""
    import time

    from bot.shell.watch.text import pdf_text

    document = slow_fonts_pdf(readable=2, names=400)
    assert len(document) < 10_000
    started = time.monotonic()
    assert pdf_text(document, seconds=5).count("We aim to implement them") == 2
    assert time.monotonic() - started < 60
    assert pdf_text(slow_fonts_pdf(readable=2, names=1)).count("We aim to implement them") == 2  # a fair copy reads whole


def report_with_charts(pages: int, segments: int) -> bytes:
    """A report of `pages` pages, each a line of text and one shared chart of `segments` lines."""
    chart = zlib.compress(b"".join(b"%d %d m %d %d l S\n" % (i % 500, i % 700, i * 7 % 500, i * 3 % 700)
                                   for i in range(segments)), 9)
    text = b"BT /F1 12 Tf 72 700 Td (We aim to implement them) Tj ET q /Fig Do Q"
    kids = " ".join(f"{6 + i} 0 R" for i in range(pages)).encode()
    return pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages, HELVETICA,
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Filter /FlateDecode /Length %d >>\nstream\n"
        % len(chart) + chart + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
          b"/Resources << /Font << /F1 3 0 R >> /XObject << /Fig 4 0 R >> >> >>"] * pages])


def test_a_report_full_of_charts_reads_whole_within_its_time() -> None:
    """Charts hold no text, and pypdf skips them unless it is given a visitor: an in-process time
    check made that way read a 100-page report with charts in about 30 s, and past the budget as
    no text at all (found in review). Read as pypdf reads best, it takes well under a second."""
    from bot.shell.watch.text import pdf_text

    assert pdf_text(report_with_charts(100, 6000), seconds=10).count("We aim to implement them") == 100


def test_sources_reads_a_pdf_bomb_as_no_text_and_goes_on(cli, apis: UkApis, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bot.shell.pdfread import TOKENS

    apis.routes["/bomb.pdf"] = Reply(200, packed_pdf(LINE * (TOKENS // 10 + 1), pages=3),
                                     headers={"Content-Type": "application/pdf"})
    checks = checked_beside_the_letter(cli, apis, tmp_path, f"""\
  - {{id: bomb, title: B, owner: HO, made_on: 2022-02-21, due: 2023,
      source: {{title: B, url: "{apis.url}/bomb.pdf", quote: "We aim to implement them"}}}}
""")
    assert checks["bomb"]["quote_found"] is False and "no text could be read" in checks["bomb"]["detail"]
    assert (checks["good"]["status"], checks["good"]["quote_found"]) == ("reachable", True)


@pytest.mark.parametrize(("depth", "said"), [(50_000, "nested too deeply"), (200_000, "holds more than 100,000 objects")])
def test_json_nested_past_reading_is_a_value_error_not_a_crash(apis: UkApis, depth: int, said: str) -> None:
    apis.routes["/deep.json"] = Reply(200, b"[" * depth + b"]" * depth, headers={"Content-Type": "application/json"})
    with Client(settings()) as client:
        answer = client.get(apis.url + "/deep.json")
    with pytest.raises(ValueError, match=said):
        answer.json()


# -- issue 22 review (Hardening II): answers of the wrong shape, sizes under the cap -------------
SEARCH, QUESTIONS, STATEMENTS = "/api/search.json", "/api/writtenquestions/questions", "/api/writtenstatements/statements"
SHAPES = """\
version: 1
commitments:
  - id: mvp
    title: Implement the Migrant Victims Protocol
    owner: Home Office
    made_on: 2022-02-21
    due: 2027
    updates:
      - {date: 2026-06-01, note: Last news.}
    watch:
      govuk: {query: "migrant victims protocol"}
      parliament: {query: "migrant victims protocol"}
"""
EVERY_SOURCE = {"govuk", "parliament-question", "parliament-statement"}


def _good_answers(apis: UkApis) -> dict[str, dict[str, Any]]:
    bodies = {SEARCH: govuk_search("/government/publications/mvp-guidance", "Migrant Victims Protocol guidance",
                                   "2026-11-20T09:30:00Z"),
              QUESTIONS: written_questions("2026-11-25T00:00:00", "Migrant Victims Protocol"),
              STATEMENTS: written_statements("2026-11-26T00:00:00", "Migrant Victims Protocol")}
    for path, body in bodies.items():
        apis.routes[path] = Reply(200, body)
    return bodies


def _watched(cli, apis: UkApis, tmp_path: Path, text: str = SHAPES):  # type: ignore[no-untyped-def]
    (tmp_path / "commitments.yaml").write_text(text, encoding="utf-8")
    env = {"GOVUK_API_URL": apis.url, "PARLIAMENT_QUESTIONS_API_URL": apis.url, "HTTP_ALLOW_PRIVATE": "127.0.0.1",
           "COMMITMENT_BOT_HTTP_INTERVAL": "0"}
    result = cli("watch", "--json", "--now", "2026-12-01T07:00", env=env)
    assert result.exit_code == 0, result.output  # warnings: the README's exit code for them
    return result, json.loads(result.stdout)


def _leads(report: dict[str, Any]) -> set[str]:
    return {lead["source"] for lead in report["leads"]}


WRONG_TYPES = [  # (answer, field (None: the whole result), value, what the warning says)
    (SEARCH, "public_timestamp", 20261101, "its public_timestamp is a number, not a date"),
    (SEARCH, "public_timestamp", ["2026-11-01"], "its public_timestamp is a list, not a date"),
    (SEARCH, "public_timestamp", "soon", "its public_timestamp is not a date ('soon')"),
    (SEARCH, "title", 5, "its title is a number, not text"),
    (SEARCH, "link", {"href": "/x"}, "its link is an object, not text"),
    (SEARCH, "description", 7, "its description is a number, not text"),
    (SEARCH, None, 5, "it is a number, not an object"),
    (QUESTIONS, "uin", 5, "its uin is a number, not text"),
    (QUESTIONS, "dateTabled", 20260101, "its dateTabled is a number, not a date"),
    (QUESTIONS, "dateTabled", ["2026-01-01"], "its dateTabled is a list, not a date"),
    (QUESTIONS, "dateAnswered", 5, "its dateAnswered is a number, not a date"),
    (QUESTIONS, "heading", ["x"], "its heading is a list, not text"),
    (QUESTIONS, "questionText", 7, "its questionText is a number, not text"),
    (QUESTIONS, "answerText", 7, "its answerText is a number, not text"),
    (QUESTIONS, "isWithdrawn", "no", "its isWithdrawn is text, not true or false"),
    (STATEMENTS, "uin", 5, "its uin is a number, not text"),
    (STATEMENTS, "dateMade", 20261101, "its dateMade is a number, not a date"),
    (STATEMENTS, "title", True, "its title is true or false, not text"),
    (STATEMENTS, "text", 7, "its text is a number, not text"),
]
WHAT = {SEARCH: "GOV.UK search", QUESTIONS: "written questions", STATEMENTS: "written statements"}


@pytest.mark.parametrize(("path", "field", "value", "said"), WRONG_TYPES,
                         ids=[f"{p.rsplit('/', 1)[-1]}-{f}-{type(v).__name__}" for p, f, v, _ in WRONG_TYPES])
def test_a_field_of_the_wrong_type_skips_its_result_and_every_other_is_read(  # type: ignore[no-untyped-def]
        cli, apis: UkApis, tmp_path: Path, path: str, field: str | None, value: Any, said: str) -> None:
    """Found in review (a22 item 1): one field of the wrong JSON type in one answer ended the whole
    `watch` ("unexpected AttributeError: 'int' object has no attribute 'replace'", exit 1, nothing
    stored). That result is skipped and said; the good result beside it and every other source are
    read, and the pass exits 0 with a warning."""
    bodies = _good_answers(apis)
    body = bodies[path]
    if path == SEARCH:
        bad = 5 if field is None else dict(body["results"][0], link="/government/publications/mvp-other")
    else:
        bad = {"value": dict(body["results"][0]["value"], uin="HL999" if path == QUESTIONS else "HCWS999")}
    if field is not None:
        (bad if path == SEARCH else bad["value"])[field] = value
    body["results"].append(bad)
    result, report = _watched(cli, apis, tmp_path)
    assert _leads(report) == EVERY_SOURCE, report
    assert len(report["leads"]) == 3  # the bad result stored nothing
    warning = next(p for p in report["problems"] if p.startswith(f"mvp: {WHAT[path]}: "))
    assert warning.endswith(f": 1 result skipped ({said}); the rest of the answer was read"), warning
    assert f"warning: {warning}" in result.stderr


@pytest.mark.parametrize(("field", "value", "said"), [
    ("dateTabled", 20260101, "its dateTabled is a number, not a date"),
    ("dateTabled", ["2026-01-01"], "its dateTabled is a list, not a date"),
    ("uin", 1234, "its uin is a number, not text"),
    ("answerIsHolding", "no", "its answerIsHolding is text, not true or false"),
])
def test_a_chased_questions_answer_of_the_wrong_type_is_skipped_and_said(  # type: ignore[no-untyped-def]
        cli, apis: UkApis, tmp_path: Path, field: str, value: Any, said: str) -> None:
    """The chased question's own look-up (bot.shell.watch.answers): `dateTabled: 20260101` or a
    list ended the pass the same way. The item is skipped and said; the right one still answers."""
    from bot.shell.sandbox.ukapis import Tabled, questions_by_uin

    _good_answers(apis)
    by_uin = questions_by_uin([Tabled("HL1234", "Lords", "2026-07-01", answered="2026-11-10",
                                      answer="<p>The Migrant Victims Protocol will be published.</p>")],
                              apis.routes[QUESTIONS])  # type: ignore[arg-type]

    def hostile(seen: Any) -> Reply:
        reply = by_uin(seen)
        if "uIN" in seen.query:
            good = reply.body["results"][0]
            reply.body["results"].append({"value": dict(good["value"], **{field: value})})
        return reply

    apis.routes[QUESTIONS] = hostile
    (tmp_path / "commitments.yaml").write_text(SHAPES, encoding="utf-8")
    done = cli("chase", "mvp", "--how", "written-question", "--house", "lords", "--ref", "HL1234", "--by", "A. Advocate",
               "--now", "2026-07-01T10:00")
    assert done.exit_code == 0, done.output
    result, report = _watched(cli, apis, tmp_path)
    assert _leads(report) == EVERY_SOURCE and any(x["title"].startswith("HL1234 answered") for x in report["leads"])
    warning = next(p for p in report["problems"] if p.startswith("mvp: written question HL1234: "))
    assert warning.endswith(f": 1 answer skipped ({said}); the rest of the answer was read"), warning


@pytest.mark.parametrize(("notice", "said"), [
    ({"withdrawn_at": 5, "explanation": "Superseded."}, "withdrawn: Superseded. (GOV.UK's notice could not be read "
                                                        "whole: its withdrawn_at is a number, not a date)"),
    ({"withdrawn_at": ["2026"], "explanation": 7}, "withdrawn (GOV.UK's notice could not be read whole: its "
                                                   "withdrawn_at is a list, not a date; its explanation is a number, "
                                                   "not text)"),
])
def test_a_withdrawn_notice_of_the_wrong_type_is_said_and_every_source_checked(  # type: ignore[no-untyped-def]
        cli, apis: UkApis, tmp_path: Path, notice: dict[str, Any], said: str) -> None:
    """`sources`: GOV.UK's Content API saying `withdrawn_at: 5` ended the pass for every source."""
    apis.routes["/government/publications/gone-guide"] = Reply(200, html("Guide", "Pigs."))
    apis.routes["/api/content/government/publications/gone-guide"] = Reply(200, {"withdrawn_notice": notice})
    checks = checked_beside_the_letter(cli, apis, tmp_path, f"""\
  - {{id: w, title: W, owner: HO, made_on: 2022-02-21, due: 2023,
      source: {{title: G, url: "{apis.url}/government/publications/gone-guide"}}}}
""")
    assert (checks["w"]["status"], checks["w"]["detail"]) == ("withdrawn", f"GOV.UK says {said}")
    assert (checks["good"]["status"], checks["good"]["quote_found"]) == ("reachable", True)


@pytest.mark.parametrize("lanes", [1, 8])
def test_one_jobs_unexpected_failure_is_its_own_result_never_the_passs(apis: UkApis, lanes: int) -> None:
    """side_by_side raised the first job's exception once the others had run, so one source's
    surprise ended the pass for every commitment: with `failed`, it is that job's result."""
    from bot.shell.watch.pacing import side_by_side

    def boom() -> str:
        raise RuntimeError("a surprise")

    jobs = [("http://a.test/", lambda: "a"), ("http://b.test/", boom), ("http://c.test/", lambda: "c")]
    with Client(settings(hosts_at_once=lanes)) as client:
        assert side_by_side(jobs, client, failed=lambda i, e: f"job {i}: {e}") == ["a", "job 1: a surprise", "c"]
        with pytest.raises(RuntimeError, match="a surprise"):
            side_by_side(jobs, client)  # without `failed`, as before: raised once the others have run


def test_a_watch_job_that_fails_unexpectedly_is_one_problem_line() -> None:
    from datetime import UTC, date, datetime
    from functools import partial

    from bot.register.model import Watch
    from bot.shell.watch.found import Ask
    from bot.shell.watch.run import GOVUK, Bases, Pass

    ask = Ask("mvp", Watch(govuk_query="migrant victims protocol"), None, date(2026, 12, 1), frozenset())
    run = Pass(Client(settings()), None, Bases(), datetime(2026, 12, 1, tzinfo=UTC))  # type: ignore[arg-type]
    part = run.failed(partial(Pass._paged, ask=ask, source=GOVUK, base="https://www.gov.uk"), KeyError("x"))
    assert part.problems == ["mvp: GOV.UK search: unexpected KeyError ('x'); left out of this pass, the other sources "
                             "were asked: please report it"]
    assert (part.found, part.marks, part.asked) == ([], [], 0)


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, 9)


def _traced(call: Any) -> tuple[Any, int]:
    tracemalloc.start()
    try:
        return call(), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_api_answer_is_held_to_a_few_megabytes_not_the_pages_cap(  # type: ignore[no-untyped-def]
        cli, apis: UkApis, tmp_path: Path) -> None:
    """Found in review (a22 item 2): 20 KB of gzip decoding to 19.9 MB of `{"results": [{}, {}, …]}`,
    under the 20 MB cap, took `watch` to 1.09 GB. Real GOV.UK and Parliament answers are tens of KB:
    an API answer is cut off at 4 MB as it decodes, and the other sources are still read."""
    _good_answers(apis)
    flood = b'{"total": 1, "results": [' + b",".join([b"{}"] * (6 * 1024 * 1024 // 3)) + b"]}"
    apis.routes[SEARCH] = Reply(200, _gzip(flood), headers={"Content-Encoding": "gzip",
                                                            "Content-Type": "application/json"})
    (result, report), peak = _traced(lambda: _watched(cli, apis, tmp_path))
    assert _leads(report) == {"parliament-question", "parliament-statement"}, report
    assert any("is refused: it is over the 4194304-byte cap once decoded (gzip) for an API answer" in p
               for p in report["problems"]), report["problems"]
    assert peak < 40_000_000, peak  # the 4 MB read, never 2 million dicts (some 150 MB)


def test_an_answer_of_more_objects_than_any_real_one_is_not_parsed(  # type: ignore[no-untyped-def]
        cli, apis: UkApis, tmp_path: Path) -> None:
    """3 MB of `{}`, under the API cap, would still be a million dicts once parsed: an answer of more
    than 100,000 objects and lists is refused before it is parsed."""
    _good_answers(apis)
    flood = b'{"totalResults": 1, "results": [' + b",".join([b"{}"] * 1_000_000) + b"]}"
    apis.routes[STATEMENTS] = Reply(200, flood, headers={"Content-Type": "application/json"})
    (result, report), peak = _traced(lambda: _watched(cli, apis, tmp_path))
    assert _leads(report) == {"govuk", "parliament-question"}, report
    assert any("did not answer JSON we can read (the JSON holds more than 100,000 objects and lists (1,000,002 "
               "opening brackets): not read)" in p for p in report["problems"]), report["problems"]
    assert peak < 40_000_000, peak


def test_an_answer_with_more_results_than_asked_for_is_not_read(cli, apis: UkApis, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The watch asks GOV.UK for 50 results a page: an answer of more is not an answer to it."""
    bodies = _good_answers(apis)
    search = bodies[SEARCH]
    search["results"] = [dict(search["results"][0], link=f"/government/publications/mvp-{i}") for i in range(60)]
    result, report = _watched(cli, apis, tmp_path)
    assert _leads(report) == {"parliament-question", "parliament-statement"}, report
    assert any(p.startswith("mvp: GOV.UK search: ") and p.endswith(" answered 60 results where at most 50 were asked "
                                                                    "for: the answer was not read")
               for p in report["problems"]), report["problems"]


def _pdf_of(size: int) -> bytes:
    """A real one-page PDF saying "We aim to implement them", padded to `size` bytes by an object
    nothing refers to."""
    pad = b"<< /Length %d >>\nstream\n" % size + bytes(random.Random(0).getrandbits(8) for _ in range(size)) + \
        b"\nendstream"
    stream = zlib.compress(LINE, 9)
    return pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
                     b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << /Font << "
                     b"/F1 " + HELVETICA + b" >> >> >>", pad])


def test_a_page_is_held_to_five_megabytes_and_a_pdf_to_twenty(cli, apis: UkApis, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Found in review (a22 item 2): a 19.9 MB HTML page (60 KB of gzip) took `sources` to 534 MB
    and 64 s. A page that is not a PDF is cut off at 5 MB as it decodes; a PDF, read by its own
    bounded process, may have 20 MB, whatever Content-Type it comes with."""
    page = ("<html><body><main>" + "<p>the quick brown fox jumps over it</p>" * (6 * 1024 * 1024 // 40)
            + "</main></body></html>").encode()
    apis.routes["/big.html"] = Reply(200, _gzip(page), headers={"Content-Encoding": "gzip",
                                                               "Content-Type": "text/html"})
    apis.routes["/report.pdf"] = Reply(200, _pdf_of(6 * 1024 * 1024),
                                       headers={"Content-Type": "application/octet-stream"})
    checks, peak = _traced(lambda: checked_beside_the_letter(cli, apis, tmp_path, f"""\
  - {{id: big, title: B, owner: HO, made_on: 2022-02-21, due: 2023,
      source: {{title: B, url: "{apis.url}/big.html", quote: "We aim to implement them"}}}}
  - {{id: pdf, title: P, owner: HO, made_on: 2022-02-21, due: 2023,
      source: {{title: P, url: "{apis.url}/report.pdf", quote: "We aim to implement them"}}}}
"""))
    assert checks["big"]["status"] == "unreachable" and checks["big"]["quote_found"] is None
    assert checks["big"]["detail"].endswith("is refused: it is over the 5242880-byte cap once decoded (gzip) for a "
                                            "page that is not a PDF"), checks["big"]
    assert (checks["pdf"]["status"], checks["pdf"]["quote_found"]) == ("reachable", True), checks["pdf"]
    assert (checks["good"]["status"], checks["good"]["quote_found"]) == ("reachable", True)
    assert peak < 60_000_000, peak  # the 6 MB PDF and the 5 MB read of the page, never 400 MB


@pytest.mark.parametrize("link", ["javascript:alert(document.domain)//migrant-victims-protocol",
                                  "data:text/html,<script>alert(1)</script>", "ftp://example.org/mvp"])
def test_a_find_whose_link_is_not_a_web_address_is_left_out_and_said(  # type: ignore[no-untyped-def]
        cli, apis: UkApis, tmp_path: Path, link: str) -> None:
    """Found in review (a22 item 5): a GOV.UK result linking `javascript:…` was stored and sent as
    a lead that no one could open, confirm or cite. It is left out, as an overlong link is."""
    bodies = _good_answers(apis)
    bodies[SEARCH]["results"].append(dict(bodies[SEARCH]["results"][0], link=link))
    result, report = _watched(cli, apis, tmp_path)
    assert _leads(report) == EVERY_SOURCE and not any(x["url"] == link for x in report["leads"])
    assert f"1 find whose link is not a web address (http or https) not kept (the first: {link[:80]})" in \
        report["problems"], report["problems"]


def test_headers_too_large_to_read_are_refused_once_not_retried() -> None:
    """Found in review (a22 item 6): one 200 KB header was retried 4 times as if the server were
    busy ("RemoteProtocolError after 4 attempts (Receive buffer too long)")."""
    server = RawServer([(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (200 * 1024) + b"\r\nContent-Length: 2\r\n\r\nok", 0.0)])
    try:
        with Client(settings(retries=3)) as client, pytest.raises(Refused) as refused:
            client.get(server.url + "/huge")
    finally:
        server.close()
    assert str(refused.value).endswith("/huge is refused: its headers are too large to read (over 100 KB); asking "
                                       "again would not change them")
    assert server.connections == 1
