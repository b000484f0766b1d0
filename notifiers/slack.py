"""The Slack channel: one thread per commitment per channel, delivered through Slack's failures.

Targets are "slack:#channel" or "slack:C0123ABC". Each message's `Outcome` is yielded the
moment Slack answers, and the shell records it at once.

Exactly once, and the one window. A message is recorded as sent right after Slack's answer.
If the process dies between Slack's answer and that record (a crash, SIGKILL, power loss),
the row is still queued and the next run posts that message again: at most one duplicate
per message in flight at the moment of the crash (one per channel being delivered at once).
Nothing is ever lost: a row is only marked sent after Slack said `ok`.

Ambiguous answers are checked, not retried blindly. A timeout or a dropped connection after
the request was sent may mean Slack posted it. Every message carries metadata naming the
notification rows, so before retrying we look for it in the channel (or thread) history; if
that look-up is impossible (no `channels:history` scope, or Slack still down) the row stays
queued for the next run, which then posts it: this second, rarer window is the only other
way a message can appear twice. A `5xx` answer is taken to mean Slack did not post.

Surviving Slack: a `429` waits for `Retry-After`; 5xx, timeouts and refused connections
back off exponentially; all waiting in one run is bounded by `SLACK_RETRY_BUDGET_SECONDS`,
after which rows stay queued (exit 3). A permanent refusal (bot not in the channel, channel
archived, bad token) is reported in plain words and stops further calls to that channel (or,
for the token, to Slack) for the rest of the run; the rows are kept and retried next run.
Messages to one channel are paced (`SLACK_MIN_INTERVAL_SECONDS`, Slack allows about one a
second per channel), so a busy cycle rarely meets a 429 at all.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from notifiers.base import Delivery, Outcome
from notifiers.slack_blocks import SlackMessage, alert_message, summary_message
from storage.slack_threads import Anchor, SlackThreads

DEFAULT_API = "https://slack.com/api/"
GROUP_ABOVE = 5  # SPEC §3: beyond 5 alerts for one channel in one cycle, one summary
EVENT_TYPE = "commitment_bot_alert"
CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{8,}$")
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


def explain(error: str, channel: str) -> str:
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
        return "the Slack app lacks the chat:write scope: add it under OAuth & Permissions and reinstall the app"
    if error.startswith("restricted_action"):
        return f"{channel} does not let the bot post ({error}): ask a workspace admin to allow it"
    if error in THIS_MESSAGE:
        return f"Slack rejected the message itself ({error}): this is a commitment-bot bug, please report it"
    return f"Slack refused the message ({error})"


@dataclass(frozen=True)
class Policy:
    """How patient to be with Slack; from the environment so tests and benchmarks can tune it."""

    budget: float = 60.0  # seconds of retrying per run, then rows stay queued
    first_backoff: float = 0.25
    max_backoff: float = 8.0
    min_interval: float = 1.0  # seconds between messages to one channel
    timeout: float = 10.0  # seconds to wait for one answer
    group_above: int = GROUP_ABOVE
    parallel: bool = True  # channels side by side (SLACK_PARALLEL_CHANNELS=0: one at a time)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Policy:
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


@dataclass(frozen=True)
class Answer:
    """Slack's last word on one message, after any retrying."""

    data: dict[str, Any] | None = None
    error: str | None = None
    code: str | None = None  # Slack's error code, when it gave one
    permanent: bool = False
    retry_after: float | None = None

    def outcome(self, ids: tuple[int, ...], meta: dict[str, Any] | None = None) -> Outcome:
        if self.data is not None:
            return Outcome(ids, meta=meta or {})
        return Outcome(ids, self.error or "failed", self.permanent, self.retry_after)


@dataclass(frozen=True)
class Attempt:
    """One HTTP exchange: `ambiguous` when Slack may have posted but we never heard."""

    data: dict[str, Any] | None = None
    code: str | None = None
    status: int = 200
    retry_after: float | None = None
    ambiguous: bool = False
    reason: str = ""


def build_slack(settings: Any, store: Any) -> SlackNotifier | None:
    if not getattr(settings, "slack_bot_token", None):
        return None
    from slack_sdk import WebClient

    policy = Policy.from_env(getattr(settings, "env", None) or os.environ)
    base = settings.slack_api_url or DEFAULT_API
    client = WebClient(token=settings.slack_bot_token, base_url=base if base.endswith("/") else base + "/",
                       timeout=policy.timeout, retry_handlers=[])  # type: ignore[arg-type]
    notifier = SlackNotifier(client, SlackThreads(store.engine), policy)
    notifier.parallel_targets = policy.parallel
    return notifier


class SlackNotifier:
    channel = "slack"
    parallel_targets = True  # thread-safe; Slack's rate limit is per channel, so channels go side by side

    def __init__(self, client: Any, threads: SlackThreads, policy: Policy | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time) -> None:
        self.client, self.threads, self.policy = client, threads, policy or Policy()
        self.sleep, self.clock, self.wall = sleep, clock, wall
        self._lock = threading.Lock()
        self._reset()

    # -- one run's memory ---------------------------------------------------------------------
    def _reset(self) -> None:
        self._deadline: float | None = None
        self._blocked: dict[str, tuple[str, bool, float | None]] = {}  # channel or "*" → why
        self._last_post: dict[str, float] = {}
        self._ids: dict[str, str] = {}
        self._last_active = self.clock()

    def _new_run_if_idle(self) -> None:
        """A long-lived scheduler reuses the notifier: a quiet spell starts a fresh run."""
        with self._lock:
            if self.clock() - self._last_active > max(self.policy.budget, 60.0):
                self._reset()
            self._last_active = self.clock()

    def _may_wait(self, seconds: float) -> bool:
        with self._lock:
            if self._deadline is None:
                self._deadline = self.clock() + self.policy.budget
            return self.clock() + seconds <= self._deadline

    def _block(self, key: str, why: str, permanent: bool, retry_after: float | None = None) -> None:
        with self._lock:
            self._blocked.setdefault(key, (why, permanent, retry_after))

    def _why_blocked(self, channel: str) -> Answer | None:
        with self._lock:
            hit = self._blocked.get("*") or self._blocked.get(channel)
        return Answer(error=hit[0], permanent=hit[1], retry_after=hit[2]) if hit else None

    # -- the Notifier contract ------------------------------------------------------------------
    def deliver(self, target: str, batch: Sequence[Delivery]) -> Iterator[Outcome]:
        self._new_run_if_idle()
        channel = target.split(":", 1)[1] if ":" in target else target
        if len(batch) > self.policy.group_above:
            yield self._summary(channel, batch)
            return
        for item in batch:
            yield self._single(channel, item)

    def _single(self, channel: str, item: Delivery) -> Outcome:
        alert = item.alert
        anchor = self.threads.get(channel, alert.id)
        kwargs = self._message(channel, alert_message(alert), (item.id,), alert.id, alert.kind)
        if anchor is not None:
            kwargs.update(thread_ts=anchor.ts, reply_broadcast=alert.kind == "closed")
        answer = self._post(channel, kwargs)
        if anchor is not None and answer.code == "thread_not_found":  # the parent was deleted
            kwargs.pop("thread_ts")
            kwargs.pop("reply_broadcast")
            anchor, answer = None, self._post(channel, kwargs)
        if answer.data is None:
            return answer.outcome((item.id,))
        ts, channel_id = str(answer.data.get("ts")), str(answer.data.get("channel") or "") or None
        if anchor is None:
            self.threads.put(Anchor(channel, alert.id, ts, channel_id), datetime.now(UTC))
        meta = {"channel": channel_id, "ts": ts, "thread_ts": anchor.ts if anchor else ts}
        return answer.outcome((item.id,), meta)

    def _summary(self, channel: str, batch: Sequence[Delivery]) -> Outcome:
        ids = tuple(item.id for item in batch)
        blocked = self._why_blocked(channel)
        if blocked is not None:
            return blocked.outcome(ids)
        links = self._thread_links(channel, [item.alert.id for item in batch])
        message = summary_message([(item.alert, links.get(item.alert.id)) for item in batch])
        answer = self._post(channel, self._message(channel, message, ids, None, "summary"))
        meta = {"channel": answer.data.get("channel"), "ts": answer.data.get("ts"), "summary": True} \
            if answer.data else None
        return answer.outcome(ids, meta)

    def _message(self, channel: str, message: SlackMessage, ids: tuple[int, ...], cid: str | None,
                 kind: str) -> dict[str, Any]:
        key = f"{channel}|{','.join(map(str, ids))}"
        payload = {"key": key, "commitment": cid or "", "kind": kind}
        return {"channel": channel, "text": message.text, "blocks": message.blocks, "unfurl_links": False,
                "unfurl_media": False, "link_names": False,
                "metadata": {"event_type": EVENT_TYPE, "event_payload": payload}}

    # -- talking to Slack -------------------------------------------------------------------
    def _post(self, channel: str, kwargs: dict[str, Any]) -> Answer:
        since, attempt = self.wall() - 5, 0
        while True:
            blocked = self._why_blocked(channel)
            if blocked is not None:
                return blocked
            self._pace(channel)
            tried = self._attempt(kwargs)
            if tried.ambiguous:
                checked, found = self._landed(channel, kwargs, since)
                if found is not None:
                    return Answer(data=found)
                if not checked:
                    return Answer(error=f"Slack did not answer ({tried.reason}) and may have posted; "
                                        "kept for the next run")
            if tried.data is not None:
                self._learn(channel, tried.data)
                return Answer(data=tried.data)
            final = self._final(channel, tried)
            if final is not None:
                return final
            if tried.retry_after is not None:  # Slack said how long; our own backoff is for failures
                wait = tried.retry_after
            else:
                wait, attempt = self.policy.backoff(attempt), attempt + 1
            if not self._may_wait(wait):
                return self._give_up(channel, tried, wait)
            self.sleep(wait)

    def _final(self, channel: str, tried: Attempt) -> Answer | None:
        """Slack's refusals that retrying now will not fix (None: worth another try)."""
        code = tried.code
        if code is None or code in TRANSIENT or tried.status == 429 or tried.status >= 500 or tried.ambiguous:
            return None
        why = explain(code, channel)
        if code in WHOLE_APP:
            self._block("*", why, True)
        elif code in WHOLE_CHANNEL:
            self._block(channel, why, True)
        return Answer(error=why, code=code, permanent=code in WHOLE_APP | WHOLE_CHANNEL | THIS_MESSAGE)

    def _give_up(self, channel: str, tried: Attempt, wait: float) -> Answer:
        if tried.status == 429:
            why = f"Slack is rate-limiting {channel} (asked to wait {wait:.0f}s); kept for the next run"
            self._block(channel, why, False, wait)
            return Answer(error=why, retry_after=wait)
        why = (f"Slack kept failing ({tried.reason}) for {self.policy.budget:.0f}s "
               "(SLACK_RETRY_BUDGET_SECONDS); kept for the next run")
        self._block("*", why, False)
        return Answer(error=why)

    def _pace(self, channel: str) -> None:
        with self._lock:
            last = self._last_post.get(channel)
        wait = 0.0 if last is None else last + self.policy.min_interval - self.clock()
        if wait > 0:
            self.sleep(wait)

    def _attempt(self, kwargs: dict[str, Any]) -> Attempt:
        from slack_sdk.errors import SlackApiError

        try:
            response = self.client.chat_postMessage(**kwargs)
        except SlackApiError as e:
            return _refusal(e.response)
        except Exception as e:  # noqa: BLE001 - the network's many ways of failing
            return _network(e)
        with self._lock:  # Slack's limit counts messages posted, so pace from the last success
            self._last_post[str(kwargs["channel"])] = self.clock()
        return Attempt(data=dict(response.data))

    def _learn(self, channel: str, data: Mapping[str, Any]) -> None:
        if data.get("channel"):
            with self._lock:
                self._ids[channel] = str(data["channel"])

    # -- finding out what Slack did --------------------------------------------------------------
    def _landed(self, channel: str, kwargs: dict[str, Any], since: float) -> tuple[bool, dict[str, Any] | None]:
        """(could we check, the message if Slack posted it) — by the metadata key we sent."""
        channel_id = self._channel_id(channel)
        if channel_id is None:
            return False, None
        key = kwargs["metadata"]["event_payload"]["key"]
        try:
            if kwargs.get("thread_ts"):
                found = self.client.conversations_replies(channel=channel_id, ts=kwargs["thread_ts"],
                                                          oldest=f"{since:.6f}", include_all_metadata=True)
            else:
                found = self.client.conversations_history(channel=channel_id, oldest=f"{since:.6f}",
                                                          include_all_metadata=True, limit=200)
        except Exception:  # noqa: BLE001 - no scope, or Slack still down: we cannot tell
            return False, None
        for m in found.get("messages") or []:
            if ((m.get("metadata") or {}).get("event_payload") or {}).get("key") == key:
                return True, {"ok": True, "channel": channel_id, "ts": m.get("ts")}
        return True, None

    def _channel_id(self, channel: str) -> str | None:
        if CHANNEL_ID.match(channel):
            return channel
        with self._lock:
            known = self._ids.get(channel)
        known = known or self.threads.channel_id(channel) or self._look_up(channel)
        if known:
            with self._lock:
                self._ids[channel] = known
        return known

    def _look_up(self, channel: str) -> str | None:
        name, cursor = channel.lstrip("#"), None
        try:
            for _ in range(50):
                page = self.client.conversations_list(types="public_channel,private_channel",
                                                      exclude_archived=True, limit=1000, cursor=cursor)
                for c in page.get("channels") or []:
                    if c.get("name") == name:
                        return str(c["id"])
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return None
        except Exception:  # noqa: BLE001 - without channels:read we simply cannot check
            return None
        return None

    def _thread_links(self, channel: str, commitment_ids: list[str]) -> dict[str, str]:
        """Links to each commitment's thread: one chat.getPermalink call shows the workspace's form."""
        anchors = self.threads.in_channel(channel, commitment_ids)
        base: str | None = None
        out: dict[str, str] = {}
        for cid, a in anchors.items():
            channel_id = a.channel_id or self._channel_id(channel)
            if channel_id is None:
                continue
            if base is None:
                base = self._archive_base(channel_id, a.ts) or "https://slack.com/archives/"
            out[cid] = f"{base}{channel_id}/p{a.ts.replace('.', '')}"
        return out

    def _archive_base(self, channel_id: str, ts: str) -> str | None:
        try:
            link = str(self.client.chat_getPermalink(channel=channel_id, message_ts=ts).get("permalink") or "")
        except Exception:  # noqa: BLE001 - a link is a nicety; the summary goes out without it
            return None
        head, sep, _ = link.partition(f"{channel_id}/")
        return head if sep else None


def _refusal(response: Any) -> Attempt:
    status = int(getattr(response, "status_code", 200) or 200)
    data = response.data if isinstance(getattr(response, "data", None), dict) else {}
    code = None if status >= 500 else str(data.get("error") or "unknown_error")
    retry_after = None
    if status == 429:
        headers = {k.lower(): v for k, v in (response.headers or {}).items()}
        value = headers.get("retry-after")
        value = value[0] if isinstance(value, list) else value
        retry_after = float(value) if value else 1.0
    return Attempt(code=code, status=status, retry_after=retry_after, reason=f"HTTP {status} {code or ''}".strip())


def _network(e: Exception) -> Attempt:
    """A refused connection never reached Slack; a timeout or a reset might have."""
    reason = getattr(e, "reason", None)
    if isinstance(reason, ConnectionRefusedError) or isinstance(e, ConnectionRefusedError):
        return Attempt(status=0, reason="connection refused")
    return Attempt(status=0, ambiguous=True, reason=f"{type(e).__name__}: {e}"[:200])
