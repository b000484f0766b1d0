"""The two bounds of one HTTP exchange (SPEC §6.3), for the one client (bot.shell.http).

**Time.** A per-read timeout does not bound a server that sends one byte just inside it, in its
headers or its body. So every connect, read and write of an exchange is also clipped to one
deadline, by a network backend that httpcore (httpx's engine) calls for each of them: past the
deadline the next wait is a timeout, headers included. The deadline belongs to the thread that
asks (each thread runs its own exchange), so hosts asked side by side keep their own.

**Size.** A body is decoded here, as it arrives, never by the HTTP library: the decoded bytes
are counted as they are produced (zlib's `max_length`) and refused past the cap, so 2 KB of
nested gzip cannot become gigabytes in memory. One `gzip`, `x-gzip` or `deflate` layer (or
none) is read (deflate in zlib's form or raw, told apart by its first two bytes); stacked layers (`gzip, gzip`) and unknown ones are refused with their names. The
cap is the one for what the body is (the client chooses it: an API answer, a page, a PDF); a page
whose first decoded bytes are a PDF's (`%PDF-`), whatever its Content-Type says, may have the PDF's.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore

from notifiers.waits import Deadline, Stream

WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
ACCEPT_ENCODING = "gzip, deflate"


class BodyRefused(Exception):
    """A body this client will not read: over the cap, or in an encoding it does not take."""


# -- time ---------------------------------------------------------------------------------------
class _Deadline(Deadline):
    """The channels' deadline (notifiers.waits), and the address the client checked."""

    pin: tuple[str, str] | None = None  # (host name, the address checked for it)


_deadline = _Deadline()


@contextmanager
def deadline(end: float, clock: Callable[[], float], pin: tuple[str, str] | None = None) -> Iterator[None]:
    """Every network wait of this thread's exchange ends by `end` (by `clock`); a new connection
    to `pin`'s host name goes to `pin`'s address, the one that was checked (see `Backend`)."""
    _deadline.end, _deadline.clock, _deadline.pin = end, clock, pin
    try:
        yield
    finally:
        _deadline.end, _deadline.pin = None, None


class Backend(httpcore.SyncBackend):
    """httpcore's own socket backend, with every connection's waits clipped to the deadline.

    The pool asks for a connection by host name, so connections are kept (and reused) per name:
    one whose TLS certificate was checked for one name is never used for another name that
    resolves to the same address. The socket itself goes to the address the client checked for
    that name (`deadline`'s pin), never to one resolved again here."""

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        pin = _deadline.pin
        if pin is None or pin[0] != host:
            raise httpcore.ConnectError(f"{host[:80]} was not checked for this request")
        timeout = _deadline.clip(timeout, httpcore.ConnectTimeout)
        return Stream(super().connect_tcp(pin[1], port, timeout, local_address, socket_options), _deadline)


# -- size ---------------------------------------------------------------------------------------
def layer(content_encoding: str | None) -> str | None:
    """The one encoding to undo (None: the body is as sent); BodyRefused for more or unknown."""
    names = [n.strip().lower() for n in (content_encoding or "").split(",")]
    names = [n for n in names if n and n != "identity"]
    if len(names) > 1:
        raise BodyRefused(f"its body is encoded {len(names)} times over ({', '.join(names)[:80]}); one layer is read")
    if names and names[0] not in WBITS:
        raise BodyRefused(f"its body is in an encoding this client does not read ({names[0][:40]!r})")
    return names[0] if names else None


def zlib_header(first: bytes) -> bool:
    """Whether a deflate body's first two bytes are zlib's header (RFC 1950 §2.2: method 8, a window
    of at most 32 KB, a check that makes them a multiple of 31); if not, the body is raw deflate."""
    cmf, flg = first[0], first[1]
    return cmf & 0x0F == 8 and cmf >> 4 <= 7 and (cmf << 8 | flg) % 31 == 0


class Body:
    """A body read chunk by chunk: decoded as it comes, and refused the moment it passes `cap`
    bytes, compressed or decoded (`pdf_cap` instead once its first bytes show it is a PDF).
    `kind` says whose cap it is, in the refusal ("for an API answer")."""

    def __init__(self, content_encoding: str | None, cap: int, kind: str = "", pdf_cap: int | None = None) -> None:
        self.encoding = layer(content_encoding)
        self.cap, self.kind, self.pdf_cap = cap, kind, pdf_cap
        self.raw = 0
        self.parts: list[bytes] = []
        self.size = 0
        # A deflate body's form (zlib's, or raw as some servers send it) is told by its first two
        # bytes, kept in `_first` until both have come, so the answer never depends on how TCP cut it.
        self._zlib = zlib.decompressobj(WBITS[self.encoding]) if self.encoding in ("gzip", "x-gzip") else None
        self._first = b""
        self._head = b""  # the first decoded bytes, until they say whether this is a PDF

    @property
    def most(self) -> int:
        """The most this body may ever be (the PDF's cap, when it may turn out to be one)."""
        return max(self.cap, self.pdf_cap or 0)

    def declared(self, size: int) -> None:
        """Refuse at once a body whose Content-Length is over the most it may be."""
        if size > self.most:
            kind = self.kind if self.pdf_cap is None else "for a PDF"
            raise BodyRefused(f"it is {size} bytes, over the {self.most}-byte cap{' ' + kind if kind else ''}")

    def _over(self, what: str) -> BodyRefused:
        return BodyRefused(f"it is over the {self.cap}-byte cap{what}{' ' + self.kind if self.kind else ''}")

    def feed(self, data: bytes) -> None:
        self.raw += len(data)
        if self.raw > self.cap:
            raise self._over("")
        if self.encoding is None:
            self._keep(data)
            return
        if self._zlib is None:  # deflate, its form not yet known
            self._first += data
            if len(self._first) < 2:
                return
            data, self._first = self._first, b""
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS if zlib_header(data) else -zlib.MAX_WBITS)
        try:
            self._inflate(data)
        except zlib.error:  # a broken body is this source's problem, never the pass's
            raise BodyRefused(f"its {self.encoding} body is broken") from None

    def _inflate(self, data: bytes) -> None:
        assert self._zlib is not None
        while data and not self._zlib.eof:
            out = self._zlib.decompress(data, self.cap - self.size + 1)  # never more than one byte past the cap
            self._keep(out)
            data = self._zlib.unconsumed_tail

    def _keep(self, data: bytes) -> None:
        if len(self._head) < 5:
            self._head += data[:5 - len(self._head)]
            if self.pdf_cap is not None and self._head.startswith(b"%PDF-"):
                self.cap, self.kind = self.pdf_cap, "for a PDF"
        self.size += len(data)
        if self.size > self.cap:
            raise self._over(f" once decoded ({self.encoding})" if self.encoding else "")
        self.parts.append(data)

    def bytes(self) -> bytes:
        return b"".join(self.parts)
