"""One exchange with Slack and what it means: how patient to be, what came back, and what a
maintainer must do about a refusal, in plain words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from notifiers import waits
from notifiers.base import Outcome

DEFAULT_API = "https://slack.com/api/"
GROUP_ABOVE = 5  # SPEC §3: beyond 5 alerts for one channel in one cycle, one summary
WHOLE_APP = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
             "missing_scope", "no_permission", "team_access_not_granted", "org_login_required",
             "ekm_access_denied", "not_allowed_token_type"}
WHOLE_CHANNEL = {"channel_not_found", "not_in_channel", "is_archived", "restricted_action",
                 "restricted_action_read_only_channel", "restricted_action_thread_only_channel",
                 "restricted_action_non_threadable_channel"}
THIS_MESSAGE = {"invalid_blocks", "invalid_blocks_format", "msg_too_long", "no_text", "too_many_attachments",
                "invalid_metadata_format", "invalid_metadata_schema", "metadata_too_large", "invalid_arguments",
                "message_limit_exceeded", "duplicate_message_not_found"}
TRANSIENT = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
             "team_added_to_org"}


def explain(error: str, channel: str, needed: str | None = None) -> str:
    """What the maintainer must do, in plain words (shown by `status` and `check`)."""
    if error == "not_in_channel":
        return f"the bot is not in {channel}: invite it with /invite @commitment-bot (Slack code not_in_channel)"
    if error == "channel_not_found":
        return (f"Slack has no channel {channel} that the bot can see: check the name in commitments.yaml, "
                "or invite the bot if the channel is private (Slack code channel_not_found)")
    if error == "is_archived":
        return f"{channel} is archived: unarchive it or route to another channel (Slack code is_archived)"
    if error in ("invalid_auth", "not_authed", "not_allowed_token_type"):
        return (f"Slack refused the bot token ({error}): set SLACK_BOT_TOKEN to the app's Bot User OAuth "
                "Token (xoxb-…) from its OAuth & Permissions page")
    if error in ("account_inactive", "token_revoked", "token_expired"):
        return (f"the Slack app's token no longer works ({error}): reinstall the app to the workspace "
                "and set SLACK_BOT_TOKEN to the new Bot User OAuth Token")
    if error == "missing_scope":
        return (f"the Slack app lacks the {needed or 'chat:write'} scope: add it under OAuth & Permissions "
                "and reinstall the app")
    if error.startswith("restricted_action"):
        return f"{channel} does not let the bot post ({error}): ask a workspace admin to allow it"
    if error in THIS_MESSAGE:
        return f"Slack rejected the message itself ({error}): this is a commitment-bot bug, please report it"
    return f"Slack refused the message ({error})"


@dataclass(frozen=True)
class Patience:
    """How patient to be with Slack; from the environment so tests and benchmarks can tune it."""

    budget: float = 60.0  # seconds of retrying per run, then rows stay queued
    first_backoff: float = 0.25
    max_backoff: float = 8.0
    min_interval: float = 1.0  # seconds between messages to one channel
    timeout: float = 10.0  # seconds for one whole exchange, connect to last byte (notifiers.slack.transport)
    group_above: int = GROUP_ABOVE
    parallel: bool = True  # channels side by side (SLACK_PARALLEL_CHANNELS=0: one at a time)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Patience:
        def num(name: str, default: float) -> float:
            try:
                return float(env.get(name) or default)
            except ValueError:
                return default

        return cls(budget=num("SLACK_RETRY_BUDGET_SECONDS", cls.budget),
                   min_interval=num("SLACK_MIN_INTERVAL_SECONDS", cls.min_interval),
                   timeout=num("SLACK_TIMEOUT_SECONDS", cls.timeout),
                   parallel=env.get("SLACK_PARALLEL_CHANNELS", "1").strip() not in ("0", "false", "no"))

    def backoff(self, attempt: int) -> float:
        return min(self.max_backoff, self.first_backoff * 2**attempt)

    @property
    def landing(self) -> float:
        """Seconds after an unanswered post by which it has landed if it ever will: the server
        has had twice as long as we waited for its answer, and at least 30 s (a request still in
        progress that long is one that any proxy on the way has long cut off)."""
        return max(2 * self.timeout, 30.0)

    @property
    def margin(self) -> float:
        """How far before `unsure_since` to search: the post went out up to one timeout earlier,
        and this machine's clock and Slack's may disagree by a minute."""
        return self.timeout + 60.0


@dataclass(frozen=True)
class Answer:
    """Slack's last word on one message, after any retrying."""

    data: dict[str, Any] | None = None
    error: str | None = None
    code: str | None = None  # Slack's error code, when it gave one
    permanent: bool = False
    retry_after: float | None = None
    unsure: bool = False  # sent, but no answer: it may have landed

    def outcome(self, ids: tuple[int, ...], meta: dict[str, Any] | None = None) -> Outcome:
        if self.data is not None:
            return Outcome(ids, meta=meta or {})
        return Outcome(ids, self.error or "failed", self.permanent, self.retry_after, unsure=self.unsure)


@dataclass(frozen=True)
class Attempt:
    """One HTTP exchange: `ambiguous` when Slack may have posted but we never heard."""

    data: dict[str, Any] | None = None
    code: str | None = None
    status: int = 200
    retry_after: float | None = None
    ambiguous: bool = False
    reason: str = ""
    late: bool = False  # ambiguous because the exchange ran out of time (else: the connection failed)
    elapsed: float | None = None  # seconds the exchange took, when measured


def refusal(response: Any) -> Attempt:
    status = int(getattr(response, "status_code", 200) or 200)
    data = response.data if isinstance(getattr(response, "data", None), dict) else {}
    code = None if status >= 500 else str(data.get("error") or "unknown_error")
    retry_after = None
    if status == 429:
        headers = {k.lower(): v for k, v in (response.headers or {}).items()}
        value = headers.get("retry-after")
        value = value[0] if isinstance(value, list) else value
        retry_after = waits.retry_after(value if isinstance(value, str) else None) or 1.0
    return Attempt(code=code, status=status, retry_after=retry_after, reason=f"HTTP {status} {code or ''}".strip())


def network(e: Exception) -> Attempt:
    """A refused connection never reached Slack; a timeout or a reset might have."""
    if isinstance(e, waits.Unanswered):
        if not e.sent:
            return Attempt(status=0, reason=e.reason[:200])
        return Attempt(status=0, ambiguous=True, reason=e.reason[:200], late=e.late, elapsed=e.elapsed)
    reason = getattr(e, "reason", None)
    if isinstance(reason, ConnectionRefusedError) or isinstance(e, ConnectionRefusedError):
        return Attempt(status=0, reason="connection refused")
    return Attempt(status=0, ambiguous=True, reason=f"{type(e).__name__}: {e}"[:200],
                   late=isinstance(e, TimeoutError) or isinstance(reason, TimeoutError))


def code_of(e: Exception | str) -> tuple[str, str | None]:
    """Slack's error code (and the scope it wants) from a failed call, or what went wrong."""
    from slack_sdk.errors import SlackApiError

    if isinstance(e, str):
        return e, None
    if isinstance(e, SlackApiError):
        data = e.response.data if isinstance(getattr(e.response, "data", None), dict) else {}
        return str(data.get("error") or f"HTTP {e.response.status_code}"), data.get("needed")
    return f"{type(e).__name__}: {e}"[:200], None
