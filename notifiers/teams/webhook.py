"""One POST to a Teams Workflows webhook, and what its answer means.

A Workflows webhook ("When a Teams webhook request is received") answers 202 Accepted with an
empty body as soon as the Workflow's run is queued; it posts the card afterwards, so a card the
Workflow then fails to post is never reported back (README: what Teams cannot do). It answers 400
with `{"error": {"code", "message"}}` for a body its trigger will not take, 401/403 for a caller it
will not let in, 404 for a Workflow that is gone, and 429 with Retry-After when throttled
(bot/shell/sandbox/teams.py cites where each shape comes from).

The URL is a secret. Requests go through httpcore (httpx's engine), not an httpx.Client: the client
logs every request's full URL at INFO, and `commitment-bot run` logs at INFO. Nothing here puts the
URL, or any text that could hold it, into an answer.

One post is one exchange bounded as a whole by TEAMS_TIMEOUT_SECONDS: connect, headers and body
(notifiers.waits.exchange), so a webhook that drips its answer a byte at a time cannot hold a run.
Once the status line has come it is Teams' answer: a body that then drips, breaks off or runs past
BODY_MAX changes nothing. No status line in time is an unanswered post (`unsure`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import httpx

from notifiers.teams.setup import Webhook
from notifiers.waits import Pool, Unanswered, Unusable, exchange, pool, retry_after

BODY_MAX = 64 * 1024  # of an answer: Teams' are empty or a short error
CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.]{0,79}$")


@dataclass(frozen=True)
class Answer:
    """Teams' word on one post. `sent`: the post certainly reached Teams; `unsure`: it may have."""

    status: int = 0  # 0: no HTTP answer
    code: str | None = None  # the error code of a refusal, when Teams gave one we can show
    retry_after: float | None = None
    unsure: bool = False  # sent, but no answer came: it may have been posted
    reason: str = ""  # what went wrong, in words that never hold the URL
    late: bool = False  # no answer within TEAMS_TIMEOUT_SECONDS (else: the connection failed)
    elapsed: float = 0.0  # seconds the exchange took, measured

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class Poster:
    """POSTs a JSON body to a webhook, each post bounded as a whole by `timeout` seconds. One pool
    of connections for the notifier's life."""

    def __init__(self, timeout: float, connections: Pool | None = None) -> None:
        self.timeout = timeout
        self.connections = connections or pool(httpx.create_ssl_context())

    def post(self, hook: Webhook, payload: Any) -> Answer:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            reply = exchange(self.connections, "POST", hook.url, {"Content-Type": "application/json; charset=utf-8",
                                                                   "User-Agent": "commitment-bot"},
                             body, whole=self.timeout, cap=BODY_MAX)
        except Unusable as e:
            return Answer(status=-1, reason=f"the URL cannot be used ({_why(e, hook)})")
        except Unanswered as e:  # never reached Teams, or sent and no answer: it may have been posted
            return Answer(unsure=e.sent, reason=_why(e, hook), late=e.late, elapsed=e.elapsed)
        status = reply.status  # the status is Teams' answer; a body cut short changes nothing
        return Answer(status=status, code=_code(reply.body) if status >= 400 else None,
                      retry_after=retry_after(reply.headers.get("retry-after")), reason=f"HTTP {status}",
                      elapsed=reply.elapsed)

    def close(self) -> None:
        self.connections.close()


def _why(e: Exception, hook: Webhook) -> str:
    """An exception in words, without the URL or any part of it that could carry the secret."""
    text = e.reason if isinstance(e, Unanswered) else f"{type(e).__name__}: {e}"
    for secret in {hook.url, hook.url.split("?", 1)[-1], *re.findall(r"sig=([^&\s]+)", hook.url)}:
        if secret:
            text = text.replace(secret, "…")
    return re.sub(r"https?://\S+", "…", text)[:160]


def _code(raw: bytes) -> str | None:
    """The error code of a refusal (`{"error": {"code": ...}}`), if it is a plain identifier."""
    try:
        data = json.loads(raw.decode("utf-8"))
        code = data.get("error", {}).get("code") if isinstance(data, dict) else None
    except (ValueError, AttributeError):
        return None
    return code if isinstance(code, str) and CODE.fullmatch(code) else None
