"""How much of a request a local stand-in reads: one rule for every server in the sandbox.

The stand-ins listen on loopback only, but the sandbox is something a person runs on their own
machine while trying things out, and anything on that machine can talk to it. A request that says
it carries -1 bytes would make `rfile.read` wait for the connection to close, and one that says
10 GB would be read into memory; both get a plain refusal instead, and the connection is closed
because its body was never read. A request that never finishes arriving (headers, or a body
shorter than it says) would hold its thread for ever: every stand-in connection (`StandIn`) lets
go after READ_TIMEOUT seconds with nothing to read, as a real server does.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

BODY_MAX = 8 << 20  # far above what any payload the bot sends a stand-in can be (a Slack App Home included)
READ_TIMEOUT = 10.0  # seconds a stand-in waits for more of a request (or an idle connection's next one)


class StandIn(BaseHTTPRequestHandler):
    """Every stand-in's request handler: a connection silent for READ_TIMEOUT seconds is closed, so a
    half-sent request or an idle client never holds a thread (`socketserver` sets it on the socket)."""

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(READ_TIMEOUT)  # read as each connection starts, so a test may shorten it

    def handle(self) -> None:
        try:
            super().handle()
        except TimeoutError:  # silent in the headers or the body: give the connection up, quietly
            self.close_connection = True


def read_body(handler: BaseHTTPRequestHandler, limit: int = BODY_MAX) -> bytes | None:
    """The request's body, or None (the connection then closes) when its length is not 0..limit."""
    declared = (handler.headers.get("Content-Length") or "0").strip()
    if not declared.isascii() or not declared.isdigit() or int(declared) > limit:
        handler.close_connection = True
        return None
    return handler.rfile.read(int(declared)) if int(declared) else b""
