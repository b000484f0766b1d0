"""How much of a request a local stand-in reads: one rule for every server in the sandbox.

The stand-ins listen on loopback only, but the sandbox is something a person runs on their own
machine while trying things out, and anything on that machine can talk to it. A request that says
it carries -1 bytes would make `rfile.read` wait for the connection to close, and one that says
10 GB would be read into memory; both get a plain refusal instead, and the connection is closed
because its body was never read.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

BODY_MAX = 8 << 20  # far above what any Slack or Teams payload the bot sends can be (App Home included)


def read_body(handler: BaseHTTPRequestHandler, limit: int = BODY_MAX) -> bytes | None:
    """The request's body, or None (the connection then closes) when its length is not 0..limit."""
    declared = (handler.headers.get("Content-Length") or "0").strip()
    if not declared.isascii() or not declared.isdigit() or int(declared) > limit:
        handler.close_connection = True
        return None
    return handler.rfile.read(int(declared)) if int(declared) else b""
