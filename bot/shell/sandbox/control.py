"""How `commitment-bot sandbox click` and `sandbox slash`, run in another terminal, reach the running
sandbox: a small JSON endpoint on loopback (COMMITMENT_BOT_SANDBOX_URL), which hands the request to
the person's hand (hand.py) inside the sandbox, where the Slack stand-in and Socket Mode's edge live.

`POST /click` {"action", "commitment", "lead", "values"} and `POST /slash` {"text", "channel"}
answer {"lines": [...], "ok": bool}. Bodies are capped and anything malformed is a 400 with a reason.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from websockets.exceptions import ConnectionClosed

from bot.shell.sandbox import hand
from bot.shell.sandbox.body import StandIn, read_body
from bot.shell.sandbox.stage import Stage

BODY_MAX = 64 << 10


class ControlServer:
    """The endpoint in a background thread on a loopback port (a free one unless given)."""

    def __init__(self, stage: Stage, port: int = 0) -> None:
        self.stage = stage
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(stage))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True, name="sandbox-control")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> ControlServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def act(stage: Stage, path: str, request: dict[str, Any]) -> hand.Answer:
    """Do what a request asks; ValueError names what is wrong with it."""
    state, edge = stage.slack.state, stage.socket
    if path == "/click":
        lead = request.get("lead")
        values = request.get("values") or {}
        if not isinstance(request.get("action"), str) or not isinstance(request.get("commitment"), str) \
                or not isinstance(values, dict) or not (lead is None or isinstance(lead, int)):
            raise ValueError("a click needs an action and a commitment")
        return hand.press(state, edge, request["action"], request["commitment"],
                          {str(k): str(v) for k, v in values.items()}, lead)
    if path == "/slash":
        if not isinstance(request.get("text"), str) or not isinstance(request.get("channel"), str):
            raise ValueError("a slash command needs its text and a channel")
        return hand.ask(state, edge, request["text"], request["channel"])
    raise LookupError(path)


def _handler(stage: Stage) -> type[BaseHTTPRequestHandler]:
    class Handler(StandIn):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # the sandbox's terminal shows what arrives instead
            pass

        def do_POST(self) -> None:  # noqa: N802
            raw = read_body(self, BODY_MAX)
            if raw is None:
                return self._send(413, {"lines": ["the request's length is not one the sandbox takes"], "ok": False})
            try:
                request = json.loads(raw or b"{}")
                answer = act(stage, self.path, request if isinstance(request, dict) else {})
            except LookupError:
                return self._send(404, {"lines": [f"the sandbox has no {self.path}"], "ok": False})
            except ValueError as e:
                return self._send(400, {"lines": [str(e)], "ok": False})
            except (AssertionError, ConnectionClosed) as e:  # the app went away, or never acknowledged
                return self._send(200, {"lines": [f"the Slack app did not answer: {e}"], "ok": False})
            self._send(200, {"lines": answer.lines, "ok": answer.ok})

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def ask(url: str, path: str, request: dict[str, Any], timeout: float = 3 * hand.WAIT) -> hand.Answer:
    """Send a request to the running sandbox (from another process); its answer."""
    import httpx

    try:
        response = httpx.post(url.rstrip("/") + path, json=request, timeout=timeout)
        body = response.json()
    except (httpx.HTTPError, ValueError) as e:
        return hand.Answer([f"could not reach the sandbox at {url} ({type(e).__name__}): is "
                            "`commitment-bot sandbox` still running?"], ok=False)
    return hand.Answer([str(line) for line in body.get("lines", [])], bool(body.get("ok")))
