"""One mail's SMTP exchange, bounded as a whole (issue 22 review, a22 items 3 and 4).

A per-read timeout does not bound a server that sends a byte just inside it: an endless "250-"
reply dripped a byte a second held `email test` 40 s at SMTP_TIMEOUT=2. So smtplib's session runs
on a socket whose every wait (connect, each recv and send, the TLS handshake) is clipped to what
is left of the exchange under way (`exchange`), as the channels' HTTP exchanges are
(notifiers.waits). The session also knows when the whole message has gone to the server (its
final "." sent): from then on, no answer means the mail may have arrived (`Session.handed`).

Time is not the only bound: smtplib keeps every line of a reply, so a server flooding "250-"
lines of 8,000 bytes took `email test` to 2.3 GB within SMTP_TIMEOUT. A reply is read up to
`REPLY_CAP` bytes, and a line up to smtplib's own 8,192, never further (`Flooded`).
"""

from __future__ import annotations

import smtplib
import socket
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager

from notifiers.waits import Deadline

_exchange = Deadline()  # this thread's exchange, as the channels' HTTP exchanges keep theirs


def _left() -> float:
    """Seconds left of the exchange (a TimeoutError once none are); 30 s outside one, never forever."""
    left = _exchange.clip(None, TimeoutError)
    return 30.0 if left is None else left


@contextmanager
def exchange(seconds: float) -> Iterator[None]:
    """Every wait of this thread's SMTP session ends within `seconds` from now."""
    _exchange.end, _exchange.clock = time.monotonic() + seconds, time.monotonic
    try:
        yield
    finally:
        _exchange.end = None


def late() -> bool:
    """The exchange under way has run out of time."""
    return _exchange.end is not None and _exchange.clock() >= _exchange.end


# RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets. The largest real reply (an EHLO's list of
# extensions) is a few hundred bytes; smtplib takes lines of up to 8,192.
REPLY_CAP = 64 * 1024
LINE_CAP = smtplib._MAXLINE  # type: ignore[attr-defined]


class Flooded(smtplib.SMTPServerDisconnected):
    """A reply longer than a reply can be: the session was closed without reading the rest."""


class _ClipsWaits:
    """Each recv and send waits only for what is left of the exchange (a socket class's mixin)."""

    def recv(self, *args: object) -> bytes:
        self.settimeout(_left())  # type: ignore[attr-defined]
        return super().recv(*args)  # type: ignore[misc, no-any-return]

    def recv_into(self, *args: object) -> int:
        self.settimeout(_left())  # type: ignore[attr-defined]
        return super().recv_into(*args)  # type: ignore[misc, no-any-return]

    def send(self, *args: object) -> int:
        self.settimeout(_left())  # type: ignore[attr-defined]
        return super().send(*args)  # type: ignore[misc, no-any-return]

    def sendall(self, *args: object) -> None:
        self.settimeout(_left())  # type: ignore[attr-defined]
        super().sendall(*args)  # type: ignore[misc]


class _Clipped(_ClipsWaits, socket.socket):
    """A socket whose every wait (each recv, send and connect) is clipped to what is left of the exchange."""


class ClippedTLS(_ClipsWaits, ssl.SSLSocket):
    """The same, over TLS (the handshake too): an SSLContext makes its sockets of this class."""

    def do_handshake(self, block: bool = False) -> None:
        self.settimeout(_left())
        super().do_handshake(block)


class Session(smtplib.SMTP):
    """smtplib's session on a clipped socket, knowing whether the whole message went out (`handed`)."""

    handed = False  # the message and its final "." were sent: from here, no answer means "may have arrived"

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        sock = socket.create_connection((host, port), min(timeout, _left()), self.source_address)
        return _Clipped(sock.family, sock.type, sock.proto, fileno=sock.detach())

    def getreply(self) -> tuple[int, bytes]:
        """smtplib's own reading of one reply (its code, its lines joined by newlines), with the
        reply's size bounded: past `REPLY_CAP` bytes, or a line past `LINE_CAP`, the session is
        closed and `Flooded` raised, so a flooding server costs 64 KB, not gigabytes."""
        if self.file is None:
            if self.sock is None:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            self.file = self.sock.makefile("rb")
        lines: list[bytes] = []
        size, code = 0, -1
        while True:
            try:
                line = self.file.readline(LINE_CAP + 1)
            except OSError as e:
                self.close()
                raise smtplib.SMTPServerDisconnected(f"Connection unexpectedly closed: {e}") from e
            if not line:
                self.close()
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            size += len(line)
            if len(line) > LINE_CAP or size > REPLY_CAP:
                self.close()
                what = (f"a reply line of more than {LINE_CAP:,} bytes" if len(line) > LINE_CAP
                        else f"a reply of more than {REPLY_CAP // 1024} KB")
                raise Flooded(f"{what} (an SMTP reply line is at most 512 bytes)")
            lines.append(line[4:].strip(b" \t\r\n"))
            try:
                code = int(line[:3])
            except ValueError:
                code = -1
                break
            if line[3:4] != b"-":  # the last line of the reply
                break
        return code, b"\n".join(lines)

    def send(self, s: str | bytes) -> None:  # type: ignore[override]
        super().send(s)
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):  # DATA's message (commands are sent as str)
            self.handed = True


class SessionTLS(smtplib.SMTP_SSL, Session):
    """The same with implicit TLS (SMTP_SSL wraps `Session`'s clipped socket)."""
