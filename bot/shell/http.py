"""The one HTTP client of the bot (SPEC §6.3): polite to the services it asks, safe from the URLs
it is given, and bounded against the answers it gets.

Every request the watch and the source checks make goes through `Client.get`:
- a User-Agent naming the bot and whom to contact (COMMITMENT_BOT_CONTACT);
- timeouts, and bounded retries with exponential backoff on 429 and 5xx and on timeouts,
  honouring `Retry-After` (seconds or a date) up to a cap;
- one deadline for a whole `get` (every connect, header and body byte, every retry and its
  wait, every redirect; 4 × the timeout by default): a server that drips its headers or its
  body a byte at a time is cut off there (bot.shell.httpbounds). Waiting for the host's turn
  (the pacing below) is ours, not the server's, and does not count;
- conditional requests: the caller passes the validators it kept (ETag, Last-Modified) and a
  304 comes back as `not_modified`. The validators live in the database (storage.leads page
  marks), not in an HTTP cache such as hishel: a pass runs daily, so only what survives the
  process matters, and the database is already shared by every replica; a 304 means "nothing
  new since last time", so no body needs keeping;
- at most one request per `interval` seconds per host (default 1; COMMITMENT_BOT_HTTP_INTERVAL),
  counted from the end of the previous request to that host; different hosts never wait for
  each other, so callers may ask them from several threads at once (bot.shell.watch.pacing);
- a body cap on the bytes received and on the bytes they decode to, counted as they are
  produced, by what the body is: an API answer (`get(api=True)`) 4 MB, a page 5 MB, a PDF 20 MB
  (read in a bounded child process, bot.shell.pdfread); real GOV.UK and Parliament answers are
  tens of KB, the largest real pages a few hundred. One gzip or deflate layer is read, stacked
  or unknown encodings refused. A JSON answer holding more than MAX_CONTAINERS objects and lists
  is refused before it is parsed, so what the bytes become in memory is bounded too;
- response headers of at most 100 KB (httpcore's bound): larger ones are refused at once, not
  retried as if the server were busy;
- `http` and `https` only; redirects followed by hand, each new URL checked again;
- no request to a loopback, private, link-local, multicast, metadata or otherwise non-global
  address, nor to an IPv6 address that embeds one (IPv4-mapped, IPv4-compatible, NAT64, 6to4,
  Teredo), checked after DNS resolution, unless the host is listed in HTTP_ALLOW_PRIVATE. The
  address checked is the address connected to: the socket goes to that IP (bot.shell.httpbounds
  `Backend`), with the Host header and TLS server name (SNI, certificate check) of the original
  host, so DNS cannot answer differently between the check and the connection. Connections are
  kept per host name, so one checked for one name's certificate never carries another name's
  request, however many names share the address;
- what it hands back cannot drive a terminal: JSON strings, redirect URLs and its own messages
  carry no control characters (`inert_text`); HTML and PDF text is made inert where it is
  extracted (bot.shell.watch.text). What is stored is that inert text, so every surface (console,
  Slack, mail, digest, site) shows fetched words as they are, and never their controls.

It speaks HTTP through httpcore (the engine of httpx) rather than httpx's client, because it
needs what httpx does for the caller done otherwise: the body undecoded, to decode it under the
cap, and a network backend, to hold the deadline.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from bot.register.inert import inert
from bot.shell.httpbounds import ACCEPT_ENCODING, Backend, Body, BodyRefused, deadline
from notifiers.waits import retry_after

REDIRECTS = (301, 302, 303, 307, 308)
RETRY_STATUSES = (429, 500, 502, 503, 504)
WHOLE = 4  # by default a whole `get` may take at most this many times the per-read timeout
# Objects and lists a JSON answer may hold: a GOV.UK search page of 50 results holds some 750, a
# Parliament page of 100 some 700. Counted on the bytes (every "{" and "[", strings included: a
# bound, never less than the truth) before parsing: a few MB of "{}," would be millions of dicts.
MAX_CONTAINERS = 100_000
HEADERS_CAP = 100 * 1024  # httpcore's bound on an answer's head (h11's max_incomplete_event_size)
TRANSIENT = (httpcore.TimeoutException, httpcore.NetworkError, httpcore.RemoteProtocolError)


class Refused(Exception):
    """A URL the client will not fetch (scheme, address, size, encoding): permanent, never retried."""

    def __init__(self, message: str) -> None:
        super().__init__(inert(message))


class PrivateAddress(Refused):
    """A host that resolves to a loopback, private or otherwise non-global address, not listed in
    HTTP_ALLOW_PRIVATE: refused before any connection (`host` is what to list to allow it)."""

    def __init__(self, message: str, host: str) -> None:
        super().__init__(message)
        self.host = host


class Stopped(BaseException):  # noqa: N818 - named for what it says, as KeyboardInterrupt is
    """The process is stopping (`run` got SIGTERM): no further request is sent. A BaseException, as
    KeyboardInterrupt is: it is no source's problem, so nothing that handles a source's failure
    (bot.shell.watch.pacing) takes it for one, and the pass it ends stores nothing."""


class Unreachable(Exception):
    """The server could not be reached, kept failing after every retry, or ran out of time."""

    def __init__(self, message: str) -> None:
        super().__init__(inert(message))


@dataclass(frozen=True)
class HttpSettings:
    user_agent: str = "commitment-bot"
    interval: float = 1.0  # seconds between two requests to one host
    timeout: float = 15.0  # each connect, read or write
    retries: int = 3  # after the first attempt
    backoff: float = 1.0  # first wait; doubles each retry
    max_wait: float = 60.0  # the longest Retry-After honoured
    max_bytes: int = 20 * 1024 * 1024  # a PDF, and the most any body may be
    max_page_bytes: int = 5 * 1024 * 1024  # a page that is not a PDF (HTML, text)
    max_json_bytes: int = 4 * 1024 * 1024  # an API answer (`get(api=True)`)
    max_redirects: int = 5
    allow_private: frozenset[str] = frozenset()
    deadline: float | None = None  # a whole `get`, retries and redirects included; None: WHOLE × timeout
    hosts_at_once: int = 8  # how many hosts a pass asks side by side (bot.shell.watch.pacing)

    @property
    def whole(self) -> float:
        return self.deadline if self.deadline is not None else WHOLE * self.timeout

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> HttpSettings:
        from importlib.metadata import version

        contact = env.get("COMMITMENT_BOT_CONTACT", "").strip()
        agent = f"commitment-bot/{version('commitment-bot')}" + (f" (+{contact})" if contact else "")
        allow = frozenset(h.strip().lower() for h in env.get("HTTP_ALLOW_PRIVATE", "").split(",") if h.strip())
        return cls(user_agent=agent, interval=float(env.get("COMMITMENT_BOT_HTTP_INTERVAL") or 1.0),
                   timeout=float(env.get("COMMITMENT_BOT_HTTP_TIMEOUT") or 15.0), allow_private=allow)


@dataclass(frozen=True)
class Response:
    url: str  # where the answer came from, after redirects
    status: int
    headers: Mapping[str, str]
    body: bytes = b""
    redirects: tuple[str, ...] = ()  # every URL redirected to, in order
    not_modified: bool = False

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    def json(self) -> Any:
        """The body as JSON, every string in it inert (`inert_text`); ValueError when it is not
        JSON, holds more than MAX_CONTAINERS objects and lists, or is nested too deeply to read."""
        containers = self.body.count(b"{") + self.body.count(b"[")
        if containers > MAX_CONTAINERS:
            raise ValueError(f"the JSON holds more than {MAX_CONTAINERS:,} objects and lists ({containers:,} "
                             "opening brackets): not read")
        try:
            return _inert_strings(json.loads(self.body))
        except RecursionError:
            raise ValueError("the JSON is nested too deeply to read") from None

    def text(self) -> str:
        """The body as text, in the charset the server names; UTF-8 when it names none, or names a
        codec that is not a text encoding (rot13, base64, zlib) or takes no "replace" (idna)."""
        try:
            return self.body.decode(_charset(self.headers.get("content-type", "")), errors="replace")
        except (LookupError, UnicodeError):
            return self.body.decode("utf-8", errors="replace")


_LAYOUT = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")


def inert_text(text: str) -> str:
    """Fetched text, unable to drive a terminal: line breaks and tabs become a space (a title or
    snippet is one line wherever it is shown), every other control character its visible escape
    (bot.register.inert: `\\x1b`). Idempotent."""
    return inert(_LAYOUT.sub(" ", text))


def _inert_strings(value: Any) -> Any:
    if isinstance(value, str):
        return inert_text(value)
    if isinstance(value, list):
        return [_inert_strings(v) for v in value]
    if isinstance(value, dict):
        return {k: _inert_strings(v) for k, v in value.items()}
    return value


Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    return list(dict.fromkeys(str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)))


class Pacer:
    """At most one request per `interval` to one host, counted from the end of the last one (so
    the server sees the gap too, however long the exchange took). One host's requests go one at
    a time; other hosts do not wait for it. `free_at(host)` tells a scheduler when a host may be
    asked next, and each listener is called whenever that changes (bot.shell.watch.pacing)."""

    def __init__(self, interval: float, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self.interval, self.clock, self.sleep = interval, clock, sleep
        self.listeners: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.Lock] = {}
        self._after: dict[str, float] = {}  # the host's next turn; inf while a request to it is under way

    def free_at(self, host: str) -> float:
        """When `host` may be asked next, by `clock` (infinity while it is being asked)."""
        with self._lock:
            return self._after.get(host, float("-inf"))

    @contextmanager
    def turn(self, host: str) -> Iterator[float]:
        """Wait for `host`'s turn; yields how long that took (ours, not the server's)."""
        with self._lock:
            lock = self._hosts.setdefault(host, threading.Lock())
        asked = self.clock()
        with lock:
            wait = self._after.get(host, float("-inf")) - self.clock()
            if wait > 0:
                self.sleep(wait)
            self._mark(host, float("inf"))
            try:
                yield self.clock() - asked
            finally:
                self._mark(host, self.clock() + self.interval)

    def _mark(self, host: str, after: float) -> None:
        with self._lock:
            self._after[host] = after
        for listener in list(self.listeners):
            listener()


class _Budget:
    """What is left of one `get`'s deadline; the end moves on by the time spent waiting for turns."""

    def __init__(self, end: float, clock: Callable[[], float]) -> None:
        self.end, self.clock = end, clock

    def left(self) -> float:
        return self.end - self.clock()


@dataclass
class Client:
    settings: HttpSettings
    resolver: Resolver = resolve
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    ssl_context: ssl.SSLContext | None = None  # None: the system's and certifi's trusted roots
    requests: int = 0  # every request sent, retries and redirects included
    stop: threading.Event | None = None  # once set, every request not yet sent raises Stopped
    _pool: httpcore.ConnectionPool | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    pacer: Pacer = field(init=False)

    def __post_init__(self) -> None:
        self.pacer = Pacer(self.settings.interval, self.clock, self.sleep)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None

    def get(self, url: str, *, params: Mapping[str, Any] | None = None, etag: str | None = None,
            last_modified: str | None = None, api: bool = False) -> Response:
        """GET `url`, following redirects (each checked); raises Refused or Unreachable. `api`:
        an API answer is expected, held to `max_json_bytes` (else a page: `max_page_bytes`, or
        `max_bytes` for a PDF). Safe to call from several threads at once."""
        if params:
            url = str(httpx.URL(url, params={k: v for k, v in params.items() if v is not None}))
        conditional = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        budget = _Budget(self.clock() + self.settings.whole, self.clock)
        chain: list[str] = []
        for _ in range(self.settings.max_redirects + 1):
            status, headers, body = self._retrying(url, conditional, budget, api)
            if status in REDIRECTS and headers.get("location"):
                url = _redirected(url, headers["location"])
                chain.append(url)
                continue
            return Response(url, status, headers, body, tuple(chain), status == 304)
        raise Refused(f"more than {self.settings.max_redirects} redirects from {chain[0] if chain else url}")

    def stopping(self) -> None:
        """Raise Stopped once `stop` is set: a request already under way is left to end, none is begun."""
        if self.stop is not None and self.stop.is_set():
            raise Stopped

    def _retrying(self, url: str, headers: Mapping[str, str], budget: _Budget,
                  api: bool) -> tuple[int, dict[str, str], bytes]:
        wait = self.settings.backoff
        for attempt in range(self.settings.retries + 1):
            last = attempt == self.settings.retries
            try:
                status, got, body = self._once(url, headers, budget, api)
            except httpcore.LocalProtocolError as e:  # a request we could not send as it is: never retried
                raise Refused(f"{url[:120]} could not be asked ({e})") from None
            except TRANSIENT as e:
                if isinstance(e, httpcore.RemoteProtocolError) and "buffer too long" in str(e):  # h11's cap on a head
                    raise Refused(f"{url[:120]} is refused: its headers are too large to read (over "
                                  f"{HEADERS_CAP // 1024} KB); asking again would not change them") from None
                if budget.left() <= 0:
                    raise Unreachable(f"{_host(url)}: no whole answer within {self.settings.whole:g} s "
                                      f"({attempt + 1} attempt{'s' if attempt else ''})") from None
                if last or wait > budget.left():
                    raise Unreachable(f"{_host(url)}: {type(e).__name__} after {attempt + 1} "
                                      f"attempt{'s' if attempt else ''} ({str(e)[:160]})") from None
                self.sleep(wait)
                wait *= 2
                continue
            pause = min(retry_after(got.get("retry-after")) or wait, self.settings.max_wait)
            if status not in RETRY_STATUSES or last or pause > budget.left():
                return status, got, body
            self.sleep(pause)
            wait *= 2
        raise AssertionError("unreachable")

    def _once(self, url: str, extra: Mapping[str, str], budget: _Budget,
              api: bool) -> tuple[int, dict[str, str], bytes]:
        try:  # a malformed address (a port past 65535, a broken [IPv6], an empty label) is this source's problem only
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise Refused(f"only http and https addresses are fetched, not {url[:80]!r}")
            host = parts.hostname.lower()
            port = parts.port or (443 if parts.scheme == "https" else 80)
            pinned = httpx.URL(url)
        except (ValueError, httpx.InvalidURL) as e:
            raise Refused(f"{url[:120]} is not a well-formed address ({e})") from None
        address = self._address(host, port)
        self.stopping()
        headers = {"Host": parts.netloc.rsplit("@", 1)[-1], "User-Agent": self.settings.user_agent, "Accept": "*/*",
                   "Accept-Encoding": ACCEPT_ENCODING, **extra}
        with self.pacer.turn(host) as waited:
            self.stopping()  # the stop may have come while this waited for the host's turn
            budget.end += waited
            with self._lock:
                self.requests += 1
            with deadline(budget.end, self.clock, pin=(pinned.raw_host.decode("ascii"), address)):
                return self._read(url, pinned, headers, api)

    def _read(self, url: str, pinned: httpx.URL, headers: Mapping[str, str],
              api: bool) -> tuple[int, dict[str, str], bytes]:
        t = self.settings.timeout
        target = httpcore.URL(scheme=pinned.raw_scheme, host=pinned.raw_host, port=pinned.port, target=pinned.raw_path)
        extensions = {"timeout": {"connect": t, "read": t, "write": t, "pool": t}}
        with self._connections().stream("GET", target, headers=[(k.encode(), _latin(v)) for k, v in headers.items()],
                                        extensions=extensions) as r:
            got = _headers(r.headers)
            try:
                body = self._body(got, api)
                body.declared(int(got.get("content-length", "0").split(",")[0] or 0))
                for chunk in r.iter_stream():
                    body.feed(chunk)
            except BodyRefused as e:
                raise Refused(f"{url[:120]} is refused: {e}") from None
            return r.status, got, body.bytes()

    def _body(self, headers: Mapping[str, str], api: bool) -> Body:
        """Where this answer's body is read into, under the cap for what it is."""
        s = self.settings
        if api:
            return Body(headers.get("content-encoding"), min(s.max_json_bytes, s.max_bytes), "for an API answer")
        if headers.get("content-type", "").split(";")[0].strip().lower() == "application/pdf":
            return Body(headers.get("content-encoding"), s.max_bytes, "for a PDF")
        return Body(headers.get("content-encoding"), min(s.max_page_bytes, s.max_bytes),
                    "for a page that is not a PDF", pdf_cap=s.max_bytes)

    def _connections(self) -> httpcore.ConnectionPool:
        with self._lock:
            if self._pool is None:
                context = self.ssl_context or httpx.create_ssl_context()
                self._pool = httpcore.ConnectionPool(ssl_context=context, keepalive_expiry=5.0,
                                                     max_connections=2 * self.settings.hosts_at_once + 2,
                                                     network_backend=Backend())
            return self._pool

    def _address(self, host: str, port: int) -> str:
        """The address to connect to: resolved once, and refused unless global (or allowed)."""
        try:
            found = [ipaddress.ip_address(host)] if _is_ip(host) else \
                [ipaddress.ip_address(a.split("%", 1)[0]) for a in self.resolver(host, port)]
        except (OSError, ValueError) as e:  # UnicodeError (a name IDNA refuses) is a ValueError
            raise Unreachable(f"{host}: the name does not resolve ({e})") from None
        if not found:
            raise Unreachable(f"{host}: the name does not resolve")
        if host not in self.settings.allow_private:
            for ip in found:
                if why := not_public(ip):
                    raise PrivateAddress(f"{host} resolves to {ip}, {why}: list the host in HTTP_ALLOW_PRIVATE to "
                                         "allow it", host)
        return str(found[0])


NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
COMPATIBLE = ipaddress.ip_network("::/96")  # the deprecated IPv4-compatible form, ::a.b.c.d


def not_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why the bot will not connect to `ip` (None: it is a public unicast address). An IPv6
    address that carries an IPv4 one is judged by the IPv4 address it carries, as the network
    that routes it will."""
    if isinstance(ip, ipaddress.IPv6Address) and (inner := embedded_ipv4(ip)) is not None:
        why = not_public(inner)
        return f"which carries {inner}, {why}" if why else None
    if ip.is_multicast:
        return "a multicast address"
    site_local = isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local  # fec0::/10: deprecated, never global
    if not ip.is_global or ip.is_reserved or ip.is_unspecified or site_local:
        return "a loopback, private, link-local, reserved or metadata address"
    return None


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64, 6to4 or Teredo address."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if any(ip in net for net in NAT64) or (ip in COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _redirected(url: str, location: str) -> str:
    """Where a redirect leads, as a normal URL (a control character or a space in it is
    percent-encoded, so it can be shown): Refused when it is not a URL at all."""
    try:
        return str(httpx.URL(urljoin(url, location)))
    except (ValueError, httpx.InvalidURL) as e:
        raise Refused(f"{url[:120]} redirects to an address that is not well formed ({e})") from None


def _headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Response headers by lower-case name; a header sent twice is one, its values joined by a
    comma (as HTTP reads it), so two Content-Encoding lines count as two layers."""
    out: dict[str, str] = {}
    for k, v in raw:
        name, value = k.decode("latin-1").lower(), v.decode("latin-1")
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def _latin(value: str) -> bytes:
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def _host(url: str) -> str:
    return urlsplit(url).hostname or url[:80]


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            import codecs

            try:
                return codecs.lookup(value.strip('"')).name
            except LookupError:
                break
    return "utf-8"
