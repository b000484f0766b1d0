"""A loopback SMTP server that misbehaves on cue, for the mail's exactly-once and its deadline
(issue 22 review, a22 items 3 and 4): the happy path is the real aiosmtpd server
(bot/shell/sandbox/smtp.py); these are the answers no real server library would give.

`drop`: the first `drop` messages are received whole (DATA up to its final ".") and the connection
is then closed with no reply; later ones are accepted (250). Each message received whole is kept.
`drip`: the greeting, then the EHLO answer as endless "250-" lines, one byte at a time, waiting on
an Event between bytes (the outside world's slowness, never a sleep in the test) until the test
ends: only a deadline for the whole exchange ends the client's wait. `drip_tls`: for smtps://, a
TLS record header then its 16 KB body a byte at a time, in the middle of the handshake.
`flood_greeting`, `flood_ehlo`, `flood_data`: endless "220-"/"250-" lines of 8,000 bytes, as fast
as the client reads them, as the greeting, as the answer to EHLO, or as the answer to DATA's final
"." (the message then kept, as `drop` keeps it), until the client hangs up or the test ends.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from tests.dripping import serving

GAP = 0.05  # seconds between two dripped bytes: far inside any per-read timeout
FLOOD = b"-" + b"y" * 8000 + b"\r\n"  # after a code: one line of a reply that never ends


@dataclass
class SmtpStandIn:
    how: str  # drop | drip | drip_tls | flood_greeting | flood_ehlo | flood_data
    drop: int = 1
    port: int = 0
    received: list[bytes] = field(default_factory=list)  # each message received whole (DATA's lines)
    connections: int = 0  # connections accepted so far
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"{'smtps' if self.how == 'drip_tls' else 'smtp'}://127.0.0.1:{self.port}"

    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(raw, policy=policy.default) for raw in self.received]  # type: ignore[misc]

    def serve(self, conn: socket.socket) -> None:
        with self.lock:
            self.connections += 1
        with conn:
            conn.settimeout(10)
            try:
                {"drop": self._drop, "drip": self._drip, "drip_tls": self._drip_tls, "flood_greeting": self._flood,
                 "flood_ehlo": self._flood_ehlo, "flood_data": self._drop}[self.how](conn)
            except OSError:  # the client gave up and closed: what a test waits for
                return

    def _drip_bytes(self, conn: socket.socket, data: bytes) -> None:
        while not self.stop.is_set():
            for byte in data:
                if self.stop.wait(GAP):
                    return
                conn.sendall(bytes([byte]))

    def _drip(self, conn: socket.socket) -> None:
        conn.sendall(b"220 drip ESMTP\r\n")
        conn.recv(1024)  # EHLO
        self._drip_bytes(conn, b"250-PIPELINING\r\n")

    def _flood(self, conn: socket.socket, code: bytes = b"220") -> None:
        lines = (code + FLOOD) * 16
        while not self.stop.is_set():
            conn.sendall(lines)

    def _flood_ehlo(self, conn: socket.socket) -> None:
        conn.sendall(b"220 flood ESMTP\r\n")
        conn.recv(1024)  # EHLO
        self._flood(conn, b"250")

    def _drip_tls(self, conn: socket.socket) -> None:
        conn.recv(4096)  # the ClientHello
        conn.sendall(b"\x16\x03\x03\x40\x00")  # a handshake record of 16,384 bytes is coming
        self._drip_bytes(conn, b"\x02")

    def _drop(self, conn: socket.socket) -> None:
        lines = conn.makefile("rb")

        def say(text: str) -> None:
            conn.sendall(text.encode() + b"\r\n")

        say("220 drop ESMTP")
        while line := lines.readline():
            command = line.decode("latin-1").strip().upper()
            if command.startswith("EHLO"):
                conn.sendall(b"250-drop\r\n250 8BITMIME\r\n")
            elif command == "DATA":
                say("354 go on")
                message = []
                while (part := lines.readline()) not in (b".\r\n", b""):
                    message.append(part[1:] if part.startswith(b"..") else part)
                with self.lock:
                    self.received.append(b"".join(message))
                    dropped = len(self.received) <= self.drop
                if self.how == "flood_data":
                    self._flood(conn, b"250")  # the whole message came; its answer never ends
                    return
                if dropped:
                    return  # the whole message came; the connection closes with no answer
                say("250 2.0.0 queued")
            elif command == "QUIT":
                say("221 bye")
                return
            else:
                say("250 ok")


@contextmanager
def smtp_standin(how: str, drop: int = 1) -> Iterator[SmtpStandIn]:
    server = SmtpStandIn(how, drop)
    with serving(server.serve, server.stop) as port:
        server.port = port
        yield server
