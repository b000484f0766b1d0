"""How long a server asks us to wait (HTTP `Retry-After`), read the same way by every channel and by the watch's HTTP client;
and how long a channel waits for one answer (`exchange`: one deadline, connect to last byte).

RFC 9110 allows delay-seconds or an HTTP-date. What a server sends is outside input: a value
that is not one of those is not a wait, and a wait is never longer than `LONGEST`, so one bad
header cannot park an alert for years (999999999 seconds is 2058).
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpcore

LONGEST = 3600.0  # a channel asking for longer is asked again after an hour


def retry_after(value: str | None) -> float | None:
    """Seconds to wait, at most `LONGEST`; None when the value says nothing we can read."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²".isdigit() is true, and float("²") fails
        return min(float(value), LONGEST)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    return min(LONGEST, max(0.0, (when - datetime.now(UTC)).total_seconds()))


# -- one exchange with a channel, bounded -------------------------------------------------------
# A per-read timeout does not bound a server that sends a byte just inside it, in its headers or
# its body, so a channel's every connect, read and write is also clipped to one deadline for the
# whole exchange (the watch's client, bot.shell.httpbounds, clips its own the same way): past it,
# the next wait is a timeout. The deadline belongs to the thread that asks, so channels posting side by side through
# one pool keep their own. A body is read up to a cap, never further.


class Unanswered(Exception):
    """No whole answer to one exchange. `sent`: the request may have reached the server, so what it
    asked may have been done; `late`: the exchange ran out of time; `elapsed`: seconds it took."""

    def __init__(self, reason: str, *, sent: bool, late: bool, elapsed: float) -> None:
        super().__init__(reason)
        self.reason, self.sent, self.late, self.elapsed = reason, sent, late, elapsed


class Unusable(Exception):
    """A URL no request can be made to (its scheme, or its form)."""


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]  # lower-case names; a header sent twice is one, its values joined
    body: bytes
    cut: str | None = None  # why the body stops short (None: it came whole)
    late: bool = False  # the body stopped short because the exchange ran out of time
    elapsed: float = 0.0


class Deadline(threading.local):
    """The end of the asking thread's exchange, by `clock` (None: no exchange under way)."""

    end: float | None = None
    clock: Callable[[], float] = time.monotonic

    def clip(self, timeout: float | None, error: type[Exception]) -> float | None:
        """`timeout`, shortened to what is left of the exchange; `error` once nothing is left."""
        if self.end is None:
            return timeout
        left = self.end - self.clock()
        if left <= 0:
            raise error("the exchange passed its deadline")
        return left if timeout is None else min(timeout, left)


_deadline = Deadline()


class Stream(httpcore.NetworkStream):
    """A connection whose every wait is clipped to `deadline` (also the watch's, bot.shell.httpbounds)."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._inner, self._deadline = inner, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.clip(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.clip(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        timeout = self._deadline.clip(timeout, httpcore.ConnectTimeout)
        return Stream(self._inner.start_tls(ssl_context, server_hostname, timeout), self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.SyncBackend):
    """httpcore's own sockets, every wait clipped to the asking thread's deadline."""

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        timeout = _deadline.clip(timeout, httpcore.ConnectTimeout)
        return Stream(super().connect_tcp(host, port, timeout, local_address, socket_options), _deadline)


Pool = httpcore.ConnectionPool | httpcore.HTTPProxy


def pool(context: ssl.SSLContext, proxy: str | None = None) -> Pool:
    """Connections for one channel's life, every exchange through them bounded by `exchange`."""
    if proxy:
        return httpcore.HTTPProxy(proxy, ssl_context=context, keepalive_expiry=5.0, network_backend=_Backend())
    return httpcore.ConnectionPool(ssl_context=context, keepalive_expiry=5.0, network_backend=_Backend())


NOT_SENT = (httpcore.ConnectError, httpcore.ConnectTimeout, httpcore.PoolTimeout)


def exchange(connections: Pool, method: str, url: str, headers: Mapping[str, str], body: bytes, *, whole: float,
             cap: int, clock: Callable[[], float] = time.monotonic) -> Reply:
    """One request, its answer's status, headers and up to `cap` bytes of body, all within `whole`
    seconds: connect, headers and body. Unanswered when no status came (saying whether the request
    may have been sent); a body cut short by time, a failure or the cap is said in `cut`."""
    start = clock()
    spent = lambda: clock() - start  # noqa: E731
    wire = [(k.encode("latin-1", "replace"), _latin(str(v))) for k, v in headers.items()]
    _deadline.end, _deadline.clock = start + whole, clock
    try:
        with connections.stream(method, url, headers=wire, content=body,
                                extensions={"timeout": dict.fromkeys(("connect", "read", "write", "pool"), whole)}) as r:
            got: dict[str, str] = {}
            for k, v in r.headers:
                name, value = k.decode("latin-1").lower(), v.decode("latin-1")
                got[name] = f"{got[name]}, {value}" if name in got else value
            out, cut, late = bytearray(), None, False
            try:
                for chunk in r.iter_stream():
                    out += chunk
                    if len(out) > cap:
                        cut = f"its body is over the {cap}-byte cap"
                        break
            except httpcore.TimeoutException:
                cut, late = f"its body did not come whole within {whole:g}s", True
            except Exception as e:  # noqa: BLE001 - the status line already came: the body is what is lost
                cut = f"its body was cut short ({type(e).__name__})"
            return Reply(r.status, got, bytes(out[:cap]), cut, late, spent())
    except (httpcore.UnsupportedProtocol, ValueError) as e:
        raise Unusable(f"{type(e).__name__}: {e}") from None
    except NOT_SENT as e:
        raise Unanswered(f"could not connect ({type(e).__name__}: {e})", sent=False, late=False,
                         elapsed=spent()) from None
    except httpcore.TimeoutException as e:
        raise Unanswered(f"no answer within {whole:g}s ({type(e).__name__})", sent=True, late=True,
                         elapsed=spent()) from None
    except Exception as e:  # noqa: BLE001 - dropped, or an answer that is not HTTP: it may have been done
        said = f"{type(e).__name__}: {e}"
        if isinstance(e, httpcore.RemoteProtocolError) and "buffer too long" in str(e):  # h11's cap on a head
            said = f"its headers were too long to read ({said})"
        raise Unanswered(said, sent=True, late=False, elapsed=spent()) from None
    finally:
        _deadline.end = None


def _latin(value: str) -> bytes:
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")
