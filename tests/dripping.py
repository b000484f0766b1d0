"""A server on 127.0.0.1 that answers a byte at a time, for the channels' whole-exchange deadline.

Each connection's request is read whole (so a POST counts as received), then the server sends
`head`, then one byte of `drip` at a time, waiting on an Event between bytes (never a sleep) until
the test stops it. The bytes come well inside any per-read timeout, so only a deadline for the
whole exchange ends the client's wait.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

GAP = 0.05  # seconds between two dripped bytes: far inside any per-read timeout


@dataclass
class Dripper:
    head: bytes
    drip: bytes = b"X"
    url: str = ""
    requests: list[bytes] = field(default_factory=list)  # each request received, whole
    stop: threading.Event = field(default_factory=threading.Event)

    def serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            data = b""
            try:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                while len(body) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    body += chunk
                self.requests.append(head + b"\r\n\r\n" + body)
                conn.sendall(self.head)
                while not self.stop.wait(GAP):
                    conn.sendall(self.drip)
            except OSError:  # the client gave up and closed: what the test waits for
                return


@contextmanager
def serving(serve: Callable[[socket.socket], None], stop: threading.Event) -> Iterator[int]:
    """A listener on 127.0.0.1 handing each connection to `serve` in a thread of its own; yields
    its port. On leaving, `stop` is set (a dripping `serve` then ends) and the listener closed."""
    listener = socket.create_server(("127.0.0.1", 0))

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        try:
            listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() above
        except OSError:
            pass
        listener.close()
        thread.join(timeout=5)


@contextmanager
def dripping(head: bytes, drip: bytes = b"X", path: str = "/") -> Iterator[Dripper]:
    server = Dripper(head, drip)
    with serving(server.serve, server.stop) as port:
        server.url = f"http://127.0.0.1:{port}{path}"
        yield server


DRIP_HEADERS = b"HTTP/1.1 202 Accepted\r\n"  # then "XXXX…": a header line that never ends
DRIP_BODY_202 = b"HTTP/1.1 202 Accepted\r\nContent-Length: 65000\r\n\r\n"
HUGE_HEADERS = b"HTTP/1.1 202 Accepted\r\n" + b"".join(b"X-A%d: %s\r\n" % (i, b"a" * 1000) for i in range(200))
