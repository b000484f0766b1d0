"""The Slack Web API client: slack_sdk's WebClient, each call one exchange bounded as a whole.

slack_sdk reads through urllib, whose timeout is per socket read: a server that sends a byte just
inside it, in its headers or its body, holds a call for ever. Here each call is one exchange
(notifiers.waits.exchange) bounded by SLACK_TIMEOUT_SECONDS from connect to last byte, its body
read up to BODY_MAX. A call that got no whole answer raises `Unanswered` (`sent` says whether the
request may have reached Slack), which the notifier treats as it treats any ambiguous timeout.
"""

from __future__ import annotations

import functools
import io
import ssl
from http.client import HTTPMessage
from typing import Any
from urllib.error import HTTPError
from urllib.request import Request

from slack_sdk import WebClient
from slack_sdk.errors import SlackRequestError

from notifiers.waits import Unanswered, Unusable, exchange, pool

BODY_MAX = 32 * 1024 * 1024  # a page of 1,000 channels or 200 messages with metadata is far less


@functools.cache
def _system_context() -> ssl.SSLContext:
    """The system's CA store, loaded once: loading it took about 40 ms, and a client is made for
    each delivery, so every click → thread reply paid for it (benchmarks/slack_click_to_reply.py:
    49–78 ms before the bounded client, 90–117 ms with it, paired). An SSLContext is shared safely."""
    return ssl.create_default_context()


class BoundedClient(WebClient):
    """A WebClient whose every HTTP exchange ends within `timeout` seconds, headers and body included."""

    def __init__(self, *args: Any, body_max: int = BODY_MAX, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.body_max = body_max
        self._connections = pool(self.ssl or _system_context(), self.proxy or None)

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if not url.lower().startswith(("http://", "https://")):
            raise SlackRequestError("Invalid URL detected: only http and https are used")
        data = req.data if isinstance(req.data, bytes) else b""
        try:
            reply = exchange(self._connections, "POST", url, dict(req.header_items()), data,
                             whole=float(self.timeout), cap=self.body_max)
        except Unusable as e:
            raise SlackRequestError(f"Invalid URL detected ({e})") from None
        if reply.cut:  # the answer is in the body: without it, Slack may have done what was asked
            raise Unanswered(f"HTTP {reply.status}, but {reply.cut}", sent=True, late=reply.late,
                             elapsed=reply.elapsed)
        headers = HTTPMessage()
        for k, v in reply.headers.items():
            headers[k] = v
        if not 200 <= reply.status < 300:  # as urllib does: slack_sdk reads the refusal from the error
            raise HTTPError(url, reply.status, f"HTTP {reply.status}", headers, io.BytesIO(reply.body))
        body = reply.body.decode(headers.get_content_charset() or "utf-8", errors="replace")
        return {"status": reply.status, "headers": headers, "body": body}

    def close(self) -> None:
        self._connections.close()


def client(token: str, base_url: str, timeout: float) -> BoundedClient:
    """The client every part of the bot that calls Slack's Web API uses; no retrying of its own."""
    return BoundedClient(token=token, base_url=base_url if base_url.endswith("/") else base_url + "/",
                         timeout=timeout, retry_handlers=[])  # type: ignore[arg-type]
