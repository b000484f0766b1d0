"""One mail's SMTP exchange, bounded as a whole (issue 22 review, a22 items 3 and 4).

A per-read timeout does not bound a server that sends a byte just inside it: an endless "250-"
reply dripped a byte a second held `email test` 40 s at SMTP_TIMEOUT=2. So smtplib's session runs
on a socket whose every wait (connect, each recv and send, the TLS handshake) is clipped to what
is left of the exchange under way (`exchange`), as the channels' HTTP exchanges are
(notifiers.waits). The session also knows when the whole message has gone to the server (its
final "." sent): from then on, no answer means the mail may have arrived (`Session.handed`).
"""

from __future__ import annotations

import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class _Exchange(threading.local):
    """When this thread's SMTP exchange must end (by `time.monotonic`); None outside one."""

    end: float | None = None

    def left(self) -> float:
        """Seconds left of the exchange (a TimeoutError once none are); 30 s outside one, never forever."""
        if self.end is None:
            return 30.0
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError("the mail's exchange passed its deadline (SMTP_TIMEOUT)")
        return left


_exchange = _Exchange()


@contextmanager
def exchange(seconds: float) -> Iterator[None]:
    """Every wait of this thread's SMTP session ends within `seconds` from now."""
    _exchange.end = time.monotonic() + seconds
    try:
        yield
    finally:
        _exchange.end = None


def late() -> bool:
    """The exchange under way has run out of time."""
    return _exchange.end is not None and time.monotonic() >= _exchange.end


class _Clipped(socket.socket):
    """A socket whose every wait (each recv, send and connect) is clipped to what is left of the exchange."""

    def recv(self, *args: object) -> bytes:
        self.settimeout(_exchange.left())
        return super().recv(*args)  # type: ignore[arg-type]

    def recv_into(self, *args: object) -> int:
        self.settimeout(_exchange.left())
        return super().recv_into(*args)  # type: ignore[arg-type]

    def send(self, *args: object) -> int:
        self.settimeout(_exchange.left())
        return super().send(*args)  # type: ignore[arg-type]

    def sendall(self, *args: object) -> None:
        self.settimeout(_exchange.left())
        super().sendall(*args)  # type: ignore[arg-type]


class ClippedTLS(ssl.SSLSocket):
    """The same, over TLS (the handshake too): an SSLContext makes its sockets of this class."""

    def do_handshake(self, block: bool = False) -> None:
        self.settimeout(_exchange.left())
        super().do_handshake(block)

    def recv(self, *args: object) -> bytes:
        self.settimeout(_exchange.left())
        return super().recv(*args)  # type: ignore[arg-type]

    def recv_into(self, *args: object) -> int:
        self.settimeout(_exchange.left())
        return super().recv_into(*args)  # type: ignore[arg-type]

    def send(self, *args: object) -> int:
        self.settimeout(_exchange.left())
        return super().send(*args)  # type: ignore[arg-type]

    def sendall(self, *args: object) -> None:
        self.settimeout(_exchange.left())
        super().sendall(*args)  # type: ignore[arg-type]


class Session(smtplib.SMTP):
    """smtplib's session on a clipped socket, knowing whether the whole message went out (`handed`)."""

    handed = False  # the message and its final "." were sent: from here, no answer means "may have arrived"

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        sock = socket.create_connection((host, port), min(timeout, _exchange.left()), self.source_address)
        return _Clipped(sock.family, sock.type, sock.proto, fileno=sock.detach())

    def send(self, s: str | bytes) -> None:  # type: ignore[override]
        super().send(s)
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):  # DATA's message (commands are sent as str)
            self.handed = True


class SessionTLS(smtplib.SMTP_SSL, Session):
    """The same with implicit TLS (SMTP_SSL wraps `Session`'s clipped socket)."""
