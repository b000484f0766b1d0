"""The one HTTP client of the bot (SPEC §6.3): polite to the services it asks, safe from the URLs
it is given.

Every request the watch and the source checks make goes through `Client.get`:
- a User-Agent naming the bot and whom to contact (COMMITMENT_BOT_CONTACT);
- timeouts, and bounded retries with exponential backoff on 429 and 5xx and on timeouts,
  honouring `Retry-After` (seconds or a date) up to a cap;
- conditional requests: the caller passes the validators it kept (ETag, Last-Modified) and a
  304 comes back as `not_modified`. The validators live in the database (storage.leads page
  marks), not in an HTTP cache such as hishel: a pass runs daily, so only what survives the
  process matters, and the database is already shared by every replica; a 304 means "nothing
  new since last time", so no body needs keeping;
- at most one request per `interval` seconds per host (default 1; COMMITMENT_BOT_HTTP_INTERVAL),
  counted from the end of the previous request to that host;
- a body cap (20 MB by default), read as a stream and abandoned beyond it;
- `http` and `https` only; redirects followed by hand, each new URL checked again;
- no request to a loopback, private, link-local, metadata or otherwise non-global address,
  checked after DNS resolution, unless the host is listed in HTTP_ALLOW_PRIVATE. The address
  checked is the address connected to: the request goes to that IP, with the Host header and TLS
  server name (SNI, certificate check) of the original host, so DNS cannot answer differently
  between the check and the connection.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

REDIRECTS = (301, 302, 303, 307, 308)
RETRY_STATUSES = (429, 500, 502, 503, 504)
WHOLE = 4  # a whole response (headers and body) may take at most this many times the per-read timeout


class Refused(Exception):
    """A URL the client will not fetch (scheme, address, size): permanent, never retried."""


class Unreachable(Exception):
    """The server could not be reached or kept failing after every retry."""


@dataclass(frozen=True)
class HttpSettings:
    user_agent: str = "commitment-bot"
    interval: float = 1.0  # seconds between two requests to one host
    timeout: float = 15.0
    retries: int = 3  # after the first attempt
    backoff: float = 1.0  # first wait; doubles each retry
    max_wait: float = 60.0  # the longest Retry-After honoured
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    allow_private: frozenset[str] = frozenset()

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
        return json.loads(self.body)

    def text(self) -> str:
        return self.body.decode(_charset(self.headers.get("content-type", "")), errors="replace")


Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    return list(dict.fromkeys(str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)))


@dataclass
class Client:
    settings: HttpSettings
    resolver: Resolver = resolve
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0  # every request sent, retries and redirects included
    _next: dict[str, float] = field(default_factory=dict)
    _http: httpx.Client | None = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def get(self, url: str, *, params: Mapping[str, Any] | None = None, etag: str | None = None,
            last_modified: str | None = None) -> Response:
        """GET `url`, following redirects (each checked); raises Refused or Unreachable."""
        if params:
            url = str(httpx.URL(url, params={k: v for k, v in params.items() if v is not None}))
        conditional = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        chain: list[str] = []
        for _ in range(self.settings.max_redirects + 1):
            status, headers, body = self._retrying(url, conditional)
            if status in REDIRECTS and headers.get("location"):
                url = urljoin(url, headers["location"])
                chain.append(url)
                continue
            return Response(url, status, headers, body, tuple(chain), status == 304)
        raise Refused(f"more than {self.settings.max_redirects} redirects from {chain[0] if chain else url}")

    def _retrying(self, url: str, headers: Mapping[str, str]) -> tuple[int, dict[str, str], bytes]:
        wait = self.settings.backoff
        for attempt in range(self.settings.retries + 1):
            last = attempt == self.settings.retries
            try:
                status, got, body = self._once(url, headers)
            except httpx.TransportError as e:
                if last:
                    raise Unreachable(f"{_host(url)}: {type(e).__name__} after {attempt + 1} attempts") from None
                self.sleep(wait)
                wait *= 2
                continue
            if status not in RETRY_STATUSES or last:
                return status, got, body
            self.sleep(min(_retry_after(got.get("retry-after")) or wait, self.settings.max_wait))
            wait *= 2
        raise AssertionError("unreachable")

    def _once(self, url: str, extra: Mapping[str, str]) -> tuple[int, dict[str, str], bytes]:
        try:  # a malformed address (a port past 65535, a broken [IPv6], an empty label) is this source's problem only
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise Refused(f"only http and https addresses are fetched, not {url[:80]!r}")
            host = parts.hostname.lower()
            port = parts.port or (443 if parts.scheme == "https" else 80)
            httpx.URL(url)
        except (ValueError, httpx.InvalidURL) as e:
            raise Refused(f"{url[:120]} is not a well-formed address ({e})") from None
        ip = self._address(host, port)
        self._pace(host)
        pinned = httpx.URL(url).copy_with(host=ip)
        headers = {"User-Agent": self.settings.user_agent, "Host": parts.netloc.rsplit("@", 1)[-1], **extra}
        http = self._http or httpx.Client(timeout=self.settings.timeout, follow_redirects=False, trust_env=False)
        self._http = http
        self.requests += 1
        try:
            return self._read(http, url, pinned, headers, host)
        finally:
            self._next[host] = self.clock() + self.settings.interval

    def _read(self, http: httpx.Client, url: str, pinned: httpx.URL, headers: Mapping[str, str],
              host: str) -> tuple[int, dict[str, str], bytes]:
        deadline = self.clock() + WHOLE * self.settings.timeout  # the timeout is per read: a drip-feed must end too
        with http.stream("GET", pinned, headers=headers, extensions={"sni_hostname": host}) as r:
            size = int(r.headers.get("content-length") or 0)
            if size > self.settings.max_bytes:
                raise Refused(f"{url[:120]} is {size} bytes, over the {self.settings.max_bytes}-byte cap")
            chunks, total = [], 0
            for chunk in r.iter_bytes():
                total += len(chunk)
                if total > self.settings.max_bytes:
                    raise Refused(f"{url[:120]} is over the {self.settings.max_bytes}-byte cap")
                if self.clock() > deadline:
                    raise httpx.ReadTimeout(f"{url[:120]} took over {WHOLE * self.settings.timeout:g} s in all")
                chunks.append(chunk)
            return r.status_code, {k.lower(): v for k, v in r.headers.items()}, b"".join(chunks)

    def _address(self, host: str, port: int) -> str:
        """The address to connect to: resolved once, and refused unless global (or allowed)."""
        try:
            found = [ipaddress.ip_address(host)] if _is_ip(host) else \
                [ipaddress.ip_address(a.split("%", 1)[0]) for a in self.resolver(host, port)]
        except (OSError, ValueError) as e:  # UnicodeError (a name IDNA refuses) is a ValueError
            raise Unreachable(f"{host}: the name does not resolve ({e})") from None
        if not found:
            raise Unreachable(f"{host}: the name does not resolve")
        allowed = host in self.settings.allow_private
        for ip in found:
            real = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped else ip
            if not real.is_global and not allowed:
                raise Refused(f"{host} resolves to {real}, a loopback, private, link-local or metadata address: "
                              "list the host in HTTP_ALLOW_PRIVATE to allow it")
        return str(found[0])

    def _pace(self, host: str) -> None:
        """At most one request per interval to one host, counted from the end of the last one (so
        the server sees the gap too, however long the connection took): wait for its turn."""
        now = self.clock()
        turn = self._next.get(host, now)
        if turn > now:
            self.sleep(turn - now)

def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def _host(url: str) -> str:
    return urlsplit(url).hostname or url[:80]


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date (from now, by the wall clock the server used)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


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
