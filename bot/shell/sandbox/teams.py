"""A local Teams Workflows webhook: the edge of the outside world the Teams tests, and the sandbox, talk to.

It answers the way a Teams Workflow built from the template "Post to a channel when a webhook
request is received" does, as far as public sources show it:

- Accepted: `202 Accepted`, empty body, as soon as the run is queued. A request trigger with no
  Response action "immediately returns 202 ACCEPTED to the caller" (Azure Logic Apps docs, "Use the
  HTTP Request trigger", docs.microsoft.com/azure/connectors/connectors-native-reqres; Workflows are
  Logic Apps underneath). Clients that expected 200 broke on exactly this: nicholas-fedor/shoutrrr#900,
  fluxcd/flagger#1887, Skitionek/notify-microsoft-teams#98 ("a 202 response without any text").
- The body it takes: `{"type": "message", "attachments": [{"contentType":
  "application/vnd.microsoft.card.adaptive", "content": CARD}]}` (SPEC §7.8; the template loops over
  `triggerOutputs()?['body']?['attachments']`: MicrosoftDocs/msteams-docs#11302, louislam/uptime-kuma#4934).
  A body its trigger will not take: `400` with Logic Apps' error envelope, `{"error": {"code":
  "TriggerInputSchemaMismatch", "message": "The input body for trigger 'manual' of type 'Request'
  did not match its schema definition. ..."}}` (quoted in microsoft/coe-starter-kit#1056). The real
  template without schema validation answers 202 and fails inside the run instead; this stand-in is
  strict so a wrong body fails a test.
- A URL without its signature (e.g. `&amp;sig=` pasted from HTML): `401 DirectApiAuthorizationRequired`
  (jzsecops/wazuh-teams-workflows#4, redanthrax/wazuh-teams-integration#3). A deleted Workflow: `404`.
  The bodies of 404 and 403 answers are not documented where we looked: the codes this stand-in
  sends with them ("WorkflowNotFound", "AuthorizationFailed") are illustrative, and the bot relies
  on the status only (it shows a code only when it is a plain identifier).
- Throttled: `429 Too Many Requests` with `Retry-After` in seconds (Azure Logic Apps, "Handle
  throttling problems (429 - 'Too many requests' errors)", learn.microsoft.com/azure/logic-apps/
  handle-throttling-problems-429-errors; Azure's throttling docs: "The response includes a
  Retry-After value, which specifies the number of seconds your application should wait").
- The URL shape: `https://HOST/workflows/ID/triggers/manual/paths/invoke?api-version=2016-06-01&sp=
  %2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SIG` (caronc/apprise, apprise/plugins/workflows.py); here on
  http://127.0.0.1 with a random ID and SIG.
- A card the run then cannot post (over about 28 KB: learn.microsoft.com/connectors/teams, "Message
  size limit") is accepted with 202 and never appears: `failed_in_run` keeps it, as the run history would.

Tests script failures (the next N posts answer 429 / 5xx / slowly, or land late or never), read
back every card a channel received, and wait on a condition, never a sleep.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from bot.shell.sandbox.body import StandIn, read_body
from bot.shell.sandbox.words import line

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
RUN_LIMIT = 28 * 1024  # what the Workflow's "Post card" step takes
FAULT_BODIES = {429: ("TooManyRequests", "Rate limit is exceeded. Try again later."),
                400: ("TriggerInputSchemaMismatch", "The input body for trigger 'manual' of type 'Request' did not "
                      "match its schema definition."),
                403: ("AuthorizationFailed", "The client does not have permission to run this workflow.")}


@dataclass
class Fault:
    """One scripted misbehaviour for the next `times` posts (to `hook`, or any).

    `status` 429 answers with Retry-After; 5xx with a plain-text body. `delay` answers slowly, after
    the card was accepted (the client may give up first); `lands` says what the channel shows of a
    slow post: "now" (the card is posted), "never" (lost, and no answer at all).
    """

    status: int = 202
    retry_after: int = 1
    delay: float = 0.0
    lands: str = "now"
    hook: str | None = None
    times: int = 1


@dataclass
class Post:
    hook: str  # the NAME the test gave the webhook
    status: int
    at: float


@dataclass
class Webhook:
    name: str
    workflow: str
    sig: str
    deleted: bool = False
    cards: list[dict[str, Any]] = field(default_factory=list)  # posted in the channel, in order
    failed_in_run: list[dict[str, Any]] = field(default_factory=list)


class TeamsState:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.received = threading.Condition(self.lock)
        self.hooks: dict[str, Webhook] = {}  # workflow id → webhook
        self.posts: list[Post] = []
        self.faults: list[Fault] = []
        self.url = ""

    def add_webhook(self, name: str) -> str:
        """A new Workflow posting to the channel `name`; its secret URL."""
        with self.lock:
            hook = Webhook(name, secrets.token_hex(16), secrets.token_urlsafe(32))
            self.hooks[hook.workflow] = hook
            return self.url_of(name)

    def url_of(self, name: str) -> str:
        hook = self.hook(name)
        return (f"{self.url}/workflows/{hook.workflow}/triggers/manual/paths/invoke?api-version=2016-06-01"
                f"&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={hook.sig}")

    def hook(self, name: str) -> Webhook:
        with self.lock:
            return next(h for h in self.hooks.values() if h.name == name)

    def cards(self, name: str) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.hook(name).cards)

    def fail(self, *faults: Fault) -> None:
        with self.lock:
            self.faults.extend(faults)

    def wait_for(self, predicate: Any, timeout: float = 30.0) -> bool:
        with self.received:
            return self.received.wait_for(lambda: predicate(self), timeout)

    def take_fault(self, name: str) -> Fault | None:
        with self.lock:
            for f in self.faults:
                if f.hook in (None, name):
                    f.times -= 1
                    if f.times <= 0:
                        self.faults.remove(f)
                    return f
            return None


class Handler(StandIn):
    server: TeamsHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        state = self.server.state
        url = urlparse(self.path)
        raw = read_body(self)
        if raw is None:
            self._send(413, _error("RequestEntityTooLarge", "The request body is not a length this server takes."))
            return
        parts = url.path.strip("/").split("/")
        hook = state.hooks.get(parts[1]) if len(parts) == 6 and parts[0] == "workflows" else None
        if hook is None or hook.deleted or parts[2:] != ["triggers", "manual", "paths", "invoke"]:
            self._send(404, _error("WorkflowNotFound", "The workflow could not be found."))
            return
        if parse_qs(url.query).get("sig") != [hook.sig]:
            self._send(401, _error("DirectApiAuthorizationRequired", "The request must be authenticated."))
            return
        fault = state.take_fault(hook.name)
        if fault is not None and fault.status != 202:
            self._record(hook, fault.status)
            headers = {"Retry-After": str(fault.retry_after)} if fault.status == 429 else {}
            self._send(fault.status, _error(*FAULT_BODIES[fault.status]) if fault.status in FAULT_BODIES
                       else "upstream connect error or disconnect/reset before headers", headers)
            return
        problem = _shape(raw, self.headers.get("Content-Type") or "")
        if problem:
            self._record(hook, 400)
            self._send(400, _error("TriggerInputSchemaMismatch", "The input body for trigger 'manual' of type "
                                   f"'Request' did not match its schema definition. Error details: '{problem}'."))
            return
        if fault is not None and fault.lands == "never":
            time.sleep(fault.delay)  # the world being slow, then silent: no run, no answer
            self.close_connection = True
            return
        self._accept(hook, json.loads(raw), len(raw))
        if fault is not None and fault.delay:
            time.sleep(fault.delay)  # accepted and posted, but the answer comes too late
        self._send(202, "")

    def _accept(self, hook: Webhook, body: dict[str, Any], size: int) -> None:
        state = self.server.state
        with state.received:
            for attachment in body["attachments"]:
                (hook.cards if size <= RUN_LIMIT else hook.failed_in_run).append(attachment["content"])
            state.posts.append(Post(hook.name, 202, time.monotonic()))
            state.received.notify_all()

    def _record(self, hook: Webhook, status: int) -> None:
        state = self.server.state
        with state.received:
            state.posts.append(Post(hook.name, status, time.monotonic()))
            state.received.notify_all()

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = (json.dumps(body) if isinstance(body, dict) else str(body)).encode()
        try:
            self.send_response(status)
            if data:
                self.send_header("Content-Type", "application/json; charset=utf-8" if isinstance(body, dict)
                                 else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def _shape(raw: bytes, content_type: str) -> str | None:
    """Why the body is not a message with Adaptive Card attachments, or None."""
    if "application/json" not in content_type:
        return "Content-Type must be application/json"
    try:
        body = json.loads(raw.decode("utf-8"))
    except ValueError:
        return "the body is not JSON"
    attachments = body.get("attachments") if isinstance(body, dict) else None
    if not isinstance(body, dict) or body.get("type") != "message" or not isinstance(attachments, list) \
            or not attachments:
        return "Required properties are missing from object: type, attachments."
    for a in attachments:
        card = a.get("content") if isinstance(a, dict) else None
        if not isinstance(a, dict) or a.get("contentType") != CARD_TYPE or not isinstance(card, dict) \
                or card.get("type") != "AdaptiveCard" or not isinstance(card.get("version"), str):
            return "Property 'type' must be 'AdaptiveCard'."
    return None


class TeamsHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: TeamsState, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.state = state


class TeamsServer:
    """The stand-in in a background thread on a loopback port (a free one unless given)."""

    def __init__(self, port: int = 0) -> None:
        self.state = TeamsState()
        self.httpd = TeamsHTTPServer(self.state, port)
        host, port = self.httpd.server_address[:2]
        self.state.url = f"http://{host!s}:{port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True, name="teams-standin")

    def __enter__(self) -> TeamsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def text_of(card: Any) -> str:
    """Every TextRun's text in a card, one paragraph a line: what a reader sees."""
    if isinstance(card, dict):
        if card.get("type") == "RichTextBlock":
            return "".join(r["text"] for r in card["inlines"]) + "\n"
        return "".join(text_of(v) for v in card.values())
    return "".join(text_of(v) for v in card) if isinstance(card, list) else ""


NAME = "advocacy"  # in the sandbox: TEAMS_WEBHOOK_ADVOCACY, for `commitment-bot teams test advocacy`


class InSandbox:
    """The stand-in as `commitment-bot sandbox` runs it (bot.shell.sandbox.channels.Running)."""

    title = "Microsoft Teams"

    def __init__(self, server: TeamsServer) -> None:
        self.server, self.state = server, server.state
        self.received = server.state.received

    def env(self) -> dict[str, str]:
        return {f"TEAMS_WEBHOOK_{NAME.upper()}": self.state.url_of(NAME)}

    def counts(self) -> tuple[int, ...]:
        return (len(self.state.hook(NAME).cards),)

    def lines(self, seen: tuple[int, ...], now: tuple[int, ...]) -> list[str]:
        return [f"teams {NAME}: {line(text_of(c))}" for c in self.state.cards(NAME)[seen[0]:now[0]]]

    def section(self) -> tuple[str, list[str]]:
        return f"Microsoft Teams: {NAME}", [text_of(c) for c in self.state.cards(NAME)]


def in_sandbox(stack: ExitStack, port: int) -> InSandbox:
    """Start the stand-in with the sandbox's one Workflow (NAME), until `stack` closes."""
    server = stack.enter_context(TeamsServer(port))
    server.state.add_webhook(NAME)
    return InSandbox(server)
