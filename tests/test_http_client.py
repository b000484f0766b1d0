"""The one polite, safe HTTP client (bot.shell.http, SPEC §6.3), against a real local server.

The requests themselves are asserted, as the server saw them: the User-Agent, the pacing per
host, the conditional headers, the retries and their waits.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from importlib.metadata import version
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.shell.http import Client, HttpSettings, Refused, Unreachable
from bot.shell.registerfile import load_texts
from bot.shell.sandbox.ukapis import Reply, Seen, UkApis
from bot.shell.settings import Settings
from bot.shell.watch import run_watch
from bot.shell.watch.pacing import side_by_side
from storage.db import connect
from storage.repository import Store
from tests.ukbodies import html

NOW = datetime(2026, 12, 1, 7, 0, tzinfo=ZoneInfo("Europe/London"))

AGENT = f"commitment-bot/{version('commitment-bot')} (+advocacy@example.org)"


def settings(**kw: object) -> HttpSettings:
    base: dict[str, object] = {"user_agent": AGENT, "interval": 0.2, "timeout": 0.5, "retries": 2, "backoff": 0.1,
                               "max_wait": 3.0, "allow_private": frozenset({"127.0.0.1"})}
    return HttpSettings(**{**base, **kw})  # type: ignore[arg-type]


@pytest.fixture
def apis() -> Iterator[UkApis]:
    with UkApis() as server:
        yield server


def test_settings_come_from_the_environment() -> None:
    s = HttpSettings.from_env({"COMMITMENT_BOT_CONTACT": "team@example.org", "HTTP_ALLOW_PRIVATE": "Intranet, 10.0.0.5",
                               "COMMITMENT_BOT_HTTP_INTERVAL": "0.25"})
    assert s.user_agent.startswith("commitment-bot/") and s.user_agent.endswith("(+team@example.org)")
    assert s.allow_private == {"intranet", "10.0.0.5"} and s.interval == 0.25 and s.max_bytes == 20 * 1024 * 1024
    assert HttpSettings.from_env({}).interval == 1.0


def test_every_request_names_the_bot_and_its_contact(apis: UkApis) -> None:
    apis.routes["/a"] = Reply(200, "hello")
    with Client(settings()) as client:
        r = client.get(apis.url + "/a")
    assert (r.status, r.text()) == (200, "hello")
    assert apis.requests("/a")[0].headers["user-agent"] == AGENT


def test_one_host_is_asked_at_most_once_per_interval(apis: UkApis) -> None:
    apis.routes["/a"] = Reply(200, "x")
    with Client(settings(interval=0.2)) as client:
        for _ in range(4):
            client.get(apis.url + "/a")
    times = [s.at for s in apis.requests("/a")]
    assert len(times) == 4
    assert all(b - a >= 0.2 for a, b in zip(times, times[1:], strict=False)), times  # as the server sees them


def test_a_conditional_request_sends_the_validators_and_a_304_is_not_modified(apis: UkApis) -> None:
    apis.routes["/page"] = Reply(200, "same", etag=True, headers={"Last-Modified": "Tue, 01 Dec 2026 07:00:00 GMT"})
    with Client(settings(interval=0)) as client:
        first = client.get(apis.url + "/page")
        again = client.get(apis.url + "/page", etag=first.etag, last_modified=first.last_modified)
    assert not first.not_modified and first.etag
    assert again.status == 304 and again.not_modified and again.body == b""
    sent = apis.requests("/page")[1].headers
    assert sent["if-none-match"] == first.etag
    assert sent["if-modified-since"] == "Tue, 01 Dec 2026 07:00:00 GMT"


def test_429_is_retried_after_the_wait_the_server_asks_for(apis: UkApis) -> None:
    apis.routes["/busy"] = [Reply(429, "slow down", headers={"Retry-After": "1"}), Reply(200, "ok")]
    with Client(settings(interval=0)) as client:
        r = client.get(apis.url + "/busy")
    assert r.status == 200
    first, second = apis.requests("/busy")
    assert second.at - first.at >= 0.95


def test_retry_after_is_capped(apis: UkApis) -> None:
    apis.routes["/busy"] = [Reply(429, "", headers={"Retry-After": "3600"}), Reply(200, "ok")]
    with Client(settings(interval=0, max_wait=0.3)) as client:
        assert client.get(apis.url + "/busy").status == 200
    first, second = apis.requests("/busy")
    assert 0.28 <= second.at - first.at < 5


def test_a_500_then_success_is_retried_with_backoff(apis: UkApis) -> None:
    apis.routes["/flaky"] = [Reply(500, "oops"), Reply(503, "oops"), Reply(200, "fine")]
    with Client(settings(interval=0, backoff=0.1)) as client:
        r = client.get(apis.url + "/flaky")
    assert (r.status, r.text()) == (200, "fine")
    a, b, c = (s.at for s in apis.requests("/flaky"))
    assert b - a >= 0.09 and c - b >= 0.19  # 0.1 s, then doubled


def test_retries_are_bounded(apis: UkApis) -> None:
    apis.routes["/down"] = Reply(503, "down")
    with Client(settings(interval=0, retries=2, backoff=0.01)) as client:
        assert client.get(apis.url + "/down").status == 503
    assert len(apis.requests("/down")) == 3


def test_a_server_slower_than_the_timeout_is_unreachable_after_the_retries(apis: UkApis) -> None:
    apis.routes["/slow"] = Reply(200, "late", delay=1.0)
    with Client(settings(interval=0, timeout=0.2, retries=1, backoff=0.01)) as client, pytest.raises(Unreachable):
        client.get(apis.url + "/slow")
    assert len(apis.requests("/slow")) == 2


def test_a_redirect_is_followed_and_reported(apis: UkApis) -> None:
    apis.routes["/old"] = Reply(301, "", headers={"Location": "/new"})
    apis.routes["/new"] = Reply(200, "here")
    with Client(settings(interval=0)) as client:
        r = client.get(apis.url + "/old")
    assert r.url == apis.url + "/new" and r.redirects == (apis.url + "/new",) and r.text() == "here"


@pytest.mark.parametrize("target", [
    "http://10.0.0.1/internal", "http://169.254.169.254/latest/meta-data/", "http://[::1]/x",
    "http://192.168.1.1/", "http://100.64.0.1/",
])
def test_a_redirect_to_a_private_address_is_refused_before_any_request(apis: UkApis, target: str) -> None:
    apis.routes["/trap"] = Reply(302, "", headers={"Location": target})
    with Client(settings(interval=0)) as client, pytest.raises(Refused, match="HTTP_ALLOW_PRIVATE"):
        client.get(apis.url + "/trap")
    assert len(apis.requests("/trap")) == 1


def test_a_name_that_resolves_to_a_private_address_is_refused_after_resolution() -> None:
    with Client(settings(allow_private=frozenset()), resolver=lambda host, port: ["127.0.0.1"]) as client, \
            pytest.raises(Refused, match="resolves to 127.0.0.1"):
        client.get("http://news.example.org/")


def test_loopback_is_refused_unless_allowed(apis: UkApis) -> None:
    apis.routes["/a"] = Reply(200, "x")
    with Client(settings(allow_private=frozenset())) as client, pytest.raises(Refused):
        client.get(apis.url + "/a")
    assert apis.requests("/a") == []


def test_the_connection_goes_to_the_address_checked_with_the_host_kept(apis: UkApis) -> None:
    """The name is resolved once and the request sent to that address: DNS cannot change its answer
    between the check and the connection. The server still sees the name in Host."""
    apis.routes["/a"] = Reply(200, "x")
    port = apis.url.rsplit(":", 1)[1]
    with Client(settings(allow_private=frozenset({"watch.test"})), resolver=lambda host, p: ["127.0.0.1"]) as client:
        assert client.get(f"http://watch.test:{port}/a").status == 200
    assert apis.requests("/a")[0].headers["host"] == f"watch.test:{port}"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/"])
def test_only_http_and_https(url: str) -> None:
    with Client(settings()) as client, pytest.raises(Refused, match="only http and https"):
        client.get(url)


def test_a_body_over_the_cap_is_abandoned(apis: UkApis) -> None:
    apis.routes["/big"] = Reply(200, b"x" * 5000)
    with Client(settings(interval=0, max_bytes=1000)) as client, pytest.raises(Refused, match="cap"):
        client.get(apis.url + "/big")


def test_a_404_is_an_answer_not_an_error(apis: UkApis) -> None:
    with Client(settings(interval=0)) as client:
        assert client.get(apis.url + "/nothing-here").status == 404


@pytest.mark.parametrize("url", ["http://example.org:99999/", "http://[::1/x", "https://a..b/", "http://exa mple.org/"])
def test_a_malformed_address_is_refused_not_a_crash(url: str) -> None:
    """One bad link in the register must not stop `sources` or `watch` for every other commitment."""
    with Client(settings(interval=0)) as client, pytest.raises((Refused, Unreachable)):
        client.get(url)


def test_a_server_that_drips_its_answer_is_cut_off() -> None:
    """The timeout is per read; a server sending a byte at a time just inside it must still end."""
    import socket
    import threading
    import time

    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def drip() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
                for _ in range(400):
                    if stop.wait(0.05):  # the world being slow, not the test waiting
                        break
                    try:
                        conn.sendall(b"x")
                    except OSError:
                        break

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        with Client(settings(interval=0, timeout=0.2, retries=1, backoff=0.01)) as client, pytest.raises(Unreachable):
            client.get(f"http://127.0.0.1:{listener.getsockname()[1]}/drip")
    finally:
        stop.set()
        listener.close()
    assert time.monotonic() - started < 6  # two attempts of at most 4 × 0.2 s each, not 2 × 20 s of drip


# -- issue 22, item 18: each host at its own pace, hosts side by side ------------------------------
def test_one_host_keeps_its_pace_when_threads_ask_it_at_once(apis: UkApis) -> None:
    apis.routes["/a"] = Reply(200, "x")
    with Client(settings(interval=0.1)) as client:
        threads = [threading.Thread(target=client.get, args=(apis.url + "/a",)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert client.requests == 4
    times = sorted(s.at for s in apis.requests("/a"))
    assert len(times) == 4
    assert all(b - a >= 0.1 for a, b in zip(times, times[1:], strict=False)), times


def test_side_by_side_runs_one_hosts_jobs_in_order_and_returns_results_in_job_order() -> None:
    ran: list[str] = []
    lock = threading.Lock()

    def job(name: str) -> str:
        with lock:
            ran.append(name)
        return name.upper()

    jobs = [(f"http://{h}.test/{i}", partial(job, f"{h}{i}")) for h in "abc" for i in range(3)]
    with Client(settings(hosts_at_once=3)) as client:
        assert side_by_side(jobs, client) == [f"{h}{i}".upper() for h in "abc" for i in range(3)]
    for h in "abc":
        assert [x for x in ran if x[0] == h] == [f"{h}0", f"{h}1", f"{h}2"]


def test_a_watch_pass_asks_different_hosts_side_by_side(apis: UkApis, tmp_path: Path) -> None:
    """A register sorted by department: three pages on a.test, then three on b.test. The first
    a.test page answers only once b.test has been asked (or after 2 s, alone, well inside the
    client's timeout): asked one host after the other, b.test would wait for all of a.test."""
    port = apis.url.rsplit(":", 1)[1]
    b_asked = threading.Event()
    together: list[bool] = []

    def first_a(seen: Seen) -> Reply:
        together.append(b_asked.wait(2))  # the outside world being slow, not the test waiting
        return Reply(200, html("A", "a"))

    def any_b(seen: Seen) -> Reply:
        b_asked.set()
        return Reply(200, html("B", "b"))

    apis.routes.update({"/a/0": first_a, "/a/1": Reply(200, "a"), "/a/2": Reply(200, "a"),
                        "/b/0": any_b, "/b/1": any_b, "/b/2": any_b})
    pages = [f"http://{h}.test:{port}/{h}/{i}" for h in "ab" for i in range(3)]
    text = "version: 1\ncommitments:\n" + "".join(
        f"  - {{id: c{n}, title: T, owner: HO, made_on: 2022-02-21, due: 2027, watch: {{pages: [\"{url}\"]}}}}\n"
        for n, url in enumerate(pages))
    loaded = load_texts([("c.yaml", text)])
    assert loaded.register is not None, loaded.problems
    store = Store(connect(f"sqlite:///{tmp_path / 'bot.db'}"))
    store.register.sync(loaded.register, "h", NOW)
    with Client(settings(interval=0, timeout=5, allow_private=frozenset({"a.test", "b.test"})),
                resolver=lambda host, p: ["127.0.0.1"]) as client:
        report = run_watch(store, loaded.register, Settings(), NOW, client=client)
    assert together == [True]
    assert report.asked == 6 and report.answered == 6 and report.problems == ()


def test_https_is_asked_at_the_checked_address_with_the_hosts_name_and_certificate() -> None:
    """TLS goes through the same deadline-bound connections: the certificate is checked for the
    host's name (SNI) while the socket goes to the address that was checked."""
    from http.server import BaseHTTPRequestHandler

    from tests.standins import tls_server

    names: list[str | None] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", "6")
            self.end_headers()
            self.wfile.write(b"secure")

        def log_message(self, *args: object) -> None:
            pass

    with tls_server(Handler, sni=names.append) as (port, client_side):
        with Client(settings(interval=0, allow_private=frozenset({"watch.test"})), ssl_context=client_side,
                    resolver=lambda host, p: ["127.0.0.1"]) as client:
            assert client.get(f"https://watch.test:{port}/").body == b"secure"
        with Client(settings(interval=0, retries=0, allow_private=frozenset({"other.test"})), ssl_context=client_side,
                    resolver=lambda host, p: ["127.0.0.1"]) as client, pytest.raises(Unreachable, match="certificate"):
            client.get(f"https://other.test:{port}/")  # the same address, a name its certificate does not carry
    assert names[0] == "watch.test"
