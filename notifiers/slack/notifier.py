"""The Slack channel: one thread per commitment per channel, delivered through Slack's failures.

Targets are "slack:#channel" or "slack:C0123ABC". Each message's `Outcome` is yielded the
moment Slack answers, and the shell records it at once. Nothing is ever lost: a row is only
marked sent after Slack said `ok`, or after a search found the message in the channel.

Exactly once: a post that may have landed is searched for, never re-sent blindly (SPEC §6.5).
Every message carries its notification's identity in its metadata (`event_payload.ident`; a
summary carries a digest of its notifications' identities and its target, the replies holding
its full alerts carry their identities, in its thread or in their commitments'), so the search
is exact. A timeout or a dropped connection after the request was sent may mean Slack posted it,
perhaps later: the outcome is `unsure`, nothing more is tried for that row in this run, and the
shell hands the row back, with `unsure_since`, no sooner than `Patience.landing` (twice the
client timeout, at least 30 s), by when it has landed if it ever will. A row the shell takes
over from a worker that died between Slack's answer and its record comes back `unsure` too.
Before posting such a row, the channel's history from `unsure_since` (minus the timeout and a
minute for clock skew), the threads of the bot's recent summaries and the commitments' own
threads are searched (before a summary found is completed): found, the row is sent; searched and
not found, it is posted; if the search is impossible (no `channels:history` / `groups:history`
scope, the channel's id unknown without `channels:read`, Slack down) the row is held, not
posted, and the reason says what to fix (a missing scope is permanent, so `status` shows it
until someone adds the scope). What is left: a message Slack stores more than `landing` after it
was sent appears twice; a process that dies while posting a summary's full alerts leaves the
rest to a second, smaller summary. A `5xx` answer is taken to mean Slack did not post.

Surviving Slack: a `429` waits for `Retry-After`; 5xx and refused connections back off
exponentially; all waiting in one run is bounded by `SLACK_RETRY_BUDGET_SECONDS`, after which
rows stay queued (exit 3). A permanent refusal (bot not in the channel, channel archived, bad
token) is reported in plain words and stops further calls to that channel (or, for the token,
to Slack) for the rest of the run; the rows are kept and retried next run. Messages to one
channel are paced (`SLACK_MIN_INTERVAL_SECONDS`, Slack allows about one a second per channel),
so a busy cycle rarely meets a 429 at all.

Many alerts for one channel: the notifier takes all of a target's due rows at once
(`claim_all`) and posts one summary per channel per run. A line links to its commitment's
thread when there is one, and that alert is then posted in full in the thread, as a reply of its
own carrying its identity as a lone alert's does (every update reaches the thread, SPEC §6.1);
the full alerts of the others go in the summary's own thread, several to a reply (see
notifiers/slack/blocks.py). Leads are never summarised: a line cannot say what was found
or carry its buttons, so each lead is posted whole in its commitment's thread (SPEC §7.4).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any, Protocol

from bot.decide.kinds import kind
from bot.decide.threads import Anchor
from notifiers.base import Delivery, Notifier, Outcome
from notifiers.slack.answers import (
    DEFAULT_API,
    THIS_MESSAGE,
    TRANSIENT,
    WHOLE_APP,
    WHOLE_CHANNEL,
    Answer,
    Attempt,
    Patience,
    code_of,
    explain,
    network,
    refusal,
)
from notifiers.slack.blocks import SlackMessage, alert_message
from notifiers.slack.identity import EVENT_TYPE, TAG_MAX, Seen, carried_by, digest, ident_of, note, summaries_among, tag
from notifiers.slack.summary import details_messages, summary_message

__all__ = ["DEFAULT_API", "TAG_MAX", "Patience", "SlackNotifier", "ThreadAnchors", "build", "explain", "tag"]


class ThreadAnchors(Protocol):
    """Where each commitment's thread is, read from whatever keeps them (storage implements it).
    Threads this channel starts come back to the shell in `Outcome.anchor`, which records them."""

    def get(self, channel: str, commitment_id: str) -> Anchor | None: ...

    def in_channel(self, channel: str, commitment_ids: list[str]) -> dict[str, Anchor]: ...

    def channel_id(self, channel: str) -> str | None: ...

CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{8,}$")
DETAILS_PER_REPLY = 10  # full alerts in one reply of a summary's thread (keeps metadata small)
LOOKBACK = 3600.0  # a summary's thread may have started this long before an unanswered reply in it
SEARCH_PAGES = 20  # of 200 messages: more than that since an unanswered post, and we cannot tell
SEARCH_THREADS = 50  # threads read in one search
PASS_GAP = 0.2  # seconds with no delivery in progress that end a run (the shell's targets follow at once)


class SlackNotifier(Notifier):
    channel = "slack"
    parallel_targets = True  # thread-safe; Slack's rate limit is per channel, so channels go side by side
    claim_all = True  # all of a target's due rows in one call: one summary per channel per run
    interactive = False  # the Slack app is set up: alerts carry its buttons (SPEC §6.2)

    def __init__(self, client: Any, threads: ThreadAnchors, policy: Patience | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.client, self.threads, self.policy = client, threads, policy or Patience()
        self.sleep, self.clock = sleep, clock
        self._lock = threading.Lock()
        self._last_post: dict[str, float] = {}  # facts about Slack, kept across runs
        self._ids: dict[str, str] = {}
        self._anchors: dict[tuple[str, str], Anchor] = {}  # threads this process started (the shell stores them)
        self._active, self._last_active = 0, self.clock()
        self._reset()

    # -- one run's memory ---------------------------------------------------------------------
    def _reset(self) -> None:
        self._deadline: float | None = None
        self._blocked: dict[str, tuple[str, bool, float | None]] = {}  # channel or "*" → why

    def _begin(self) -> None:
        """A run is one delivery pass of the shell: the targets it delivers one after another
        or side by side. The always-on service passes again every few seconds, so a moment with
        no delivery in progress ends the run: a refusal or a spent budget is not remembered into
        the next pass, which retries what is due."""
        with self._lock:
            if self._active == 0 and self.clock() - self._last_active > PASS_GAP:
                self._reset()
            self._active += 1

    def _end(self) -> None:
        with self._lock:
            self._active -= 1
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
        self._begin()
        try:
            yield from self._deliver(target, batch)
        finally:
            self._end()

    def _deliver(self, target: str, batch: Sequence[Delivery]) -> Iterator[Outcome]:
        channel = target.split(":", 1)[1] if ":" in target else target
        fresh = [item for item in batch if item.unsure_since is None]
        unsure = [item for item in batch if item.unsure_since is not None]
        if unsure:
            fresh = sorted(fresh + (yield from self._settle(channel, unsure)), key=lambda item: item.id)
        leads = [item for item in fresh if item.alert.lead is not None]
        others = [item for item in fresh if item.alert.lead is None]
        if len(others) > self.policy.group_above:
            yield from self._summary(channel, others, leads=len(leads))
        else:
            for item in others:
                yield self._single(channel, item)
        for item in leads:  # each in its commitment's thread with its buttons, however busy the run (SPEC §7.4)
            yield self._single(channel, item)

    def _single(self, channel: str, item: Delivery) -> Outcome:
        alert = item.alert
        anchor = self._thread(channel, alert.id)
        payload = {"ident": ident_of(item), "commitment": alert.id, "kind": alert.kind}
        kwargs = self._message(channel, alert_message(alert, self.interactive), payload)
        if anchor is not None:
            kwargs.update(thread_ts=anchor.ts, reply_broadcast=kind(alert.kind).broadcast)
        answer = self._post(channel, kwargs)
        if anchor is not None and answer.code == "thread_not_found":  # the parent was deleted
            kwargs.pop("thread_ts")
            kwargs.pop("reply_broadcast")
            anchor, answer = None, self._post(channel, kwargs)
        if answer.data is None:
            return answer.outcome((item.id,))
        ts, channel_id = str(answer.data.get("ts")), str(answer.data.get("channel") or "") or None
        started = None if anchor is not None else self._started(Anchor(channel, alert.id, ts, channel_id))
        meta = {"channel": channel_id, "ts": ts, "thread_ts": anchor.ts if anchor else ts}
        return replace(answer.outcome((item.id,), meta), anchor=started)

    def _summary(self, channel: str, rows: Sequence[Delivery], posted: str | None = None,
                 done: frozenset[int] = frozenset(), leads: int = 0) -> Iterator[Outcome]:
        """One message listing every row, then each row's full alert: in its commitment's thread
        when its line links there (every update reaches that thread, SPEC §6.1), else in the
        summary's own thread. `posted`: the summary is already in the channel (found by a search),
        so only what `done` lacks is still to come. `leads`: how many leads this run posts in their
        commitments' threads besides (the summary says so)."""
        blocked = self._why_blocked(channel)
        if blocked is not None and posted is None:
            yield blocked.outcome(tuple(r.id for r in rows))
            return
        links = self._thread_links(channel, [r.alert.id for r in rows])
        if posted is None:
            summary = summary_message([(r.alert, links.get(r.alert.id)) for r in rows], leads=leads)
            payload = {"kind": "summary", "digest": digest(ident_of(r) for r in rows), "count": len(rows),
                       "target": channel, "commitment": ""}
            answer = self._post(channel, self._message(channel, summary.message, payload))
            if answer.data is None:
                yield answer.outcome(tuple(r.id for r in rows))
                return
            posted = str(answer.data.get("ts"))
        for r in rows:  # each its own reply, found by its identity as a lone alert's is
            if links.get(r.alert.id) and r.id not in done:
                yield self._single(channel, r)
        rest = [r for r in rows if not links.get(r.alert.id) and r.id not in done]
        yield from self._details(channel, rest, posted, self._channel_id(channel))

    def _details(self, channel: str, rows: Sequence[Delivery], parent: str, channel_id: str | None) -> Iterator[Outcome]:
        """The full alerts in a summary's thread, several to a reply, each reply its rows' delivery."""
        for message, held in details_messages([r.alert for r in rows], DETAILS_PER_REPLY, self.interactive):
            part = [rows[i] for i in held]
            payload = {"kind": "details", "idents": "\n".join(ident_of(r) for r in part), "commitment": ""}
            kwargs = {**self._message(channel, message, payload), "thread_ts": parent}
            answer = self._post(channel, kwargs)
            meta = {"channel": channel_id, "ts": (answer.data or {}).get("ts"), "thread_ts": parent}
            yield answer.outcome(tuple(r.id for r in part), meta)

    def _message(self, channel: str, message: SlackMessage, payload: dict[str, Any]) -> dict[str, Any]:
        return {"channel": channel, "text": message.text, "blocks": message.blocks, "unfurl_links": False,
                "unfurl_media": False, "link_names": False, "parse": "none",
                "metadata": {"event_type": EVENT_TYPE, "event_payload": payload}}

    # -- rows whose earlier post got no answer ----------------------------------------------------
    def _settle(self, channel: str, rows: list[Delivery]) -> Generator[Outcome, None, list[Delivery]]:
        """Look for each row's message before anything is posted again; return the rows that
        were searched for and not found (to be posted). Rows that cannot be looked for are held."""
        since = min(r.unsure_since.timestamp() for r in rows if r.unsure_since) - self.policy.margin
        seen = self._search(channel, since)
        if isinstance(seen, Answer):
            yield seen.outcome(tuple(r.id for r in rows))
            return []
        # An alert about a commitment with a thread replies there, alone or beside a summary, and
        # history does not show replies: those threads are read before a found summary is completed.
        pending = [r for r in rows if ident_of(r) not in seen.messages]
        anchors = self._threads_in(channel, sorted({r.alert.id for r in pending}))
        parents = sorted({anchors[r.alert.id].ts for r in pending if r.alert.id in anchors})
        read = self._read_threads(channel, seen, parents[:SEARCH_THREADS], since)
        if isinstance(read, Answer):
            yield from self._found(channel, [r for r in rows if ident_of(r) in seen.messages], seen)
            yield read.outcome(tuple(r.id for r in rows if ident_of(r) not in seen.messages))
            return []
        unread = set(parents[SEARCH_THREADS:])
        waiting = [r for r in rows if ident_of(r) not in seen.messages
                   and r.alert.id in anchors and anchors[r.alert.id].ts in unread]
        if waiting:  # searched a slice at a time, so each run settles some and the rest follow
            yield Outcome(tuple(r.id for r in waiting), f"more than {SEARCH_THREADS} threads to search for posts "
                          "that got no answer; these are searched for at the next retry",
                          retry_after=self.policy.landing, unsure=True)
        settled = yield from self._match(channel, rows, seen, frozenset(r.id for r in waiting))
        return [r for r in rows if r.id not in settled]

    def _match(self, channel: str, rows: list[Delivery], seen: Seen,
               held: frozenset[int]) -> Generator[Outcome, None, set[int]]:
        """Rows whose message (or whose summary) is in the channel after all, or that are `held`
        (not searched for yet, so not posted); their ids. A found summary's other rows are posted."""
        found = {r.id for r in rows if ident_of(r) in seen.messages}
        yield from self._found(channel, [r for r in rows if r.id in found], seen)
        settled = found | held
        for ts, group in summaries_among(rows, seen):
            yield from self._summary(channel, group, posted=ts, done=frozenset(settled))
            settled |= {r.id for r in group}
        return settled

    def _found(self, channel: str, rows: list[Delivery], seen: Seen) -> Iterator[Outcome]:
        """Rows whose message is in the channel after all: sent. A lone alert that was its
        commitment's first message there becomes the commitment's thread."""
        for r in rows:
            m = seen.messages[ident_of(r)]
            ts, thread = str(m.get("ts")), str(m.get("thread_ts") or m.get("ts"))
            single = "ident" in carried_by(m)
            started = None
            if single and thread == ts and self._thread(channel, r.alert.id) is None:
                started = self._started(Anchor(channel, r.alert.id, ts, seen.channel_id))
            yield Outcome((r.id,), meta={"channel": seen.channel_id, "ts": ts, "thread_ts": thread}, anchor=started)

    def _search(self, channel: str, since: float) -> Seen | Answer:
        """The bot's messages in the channel since `since`: its history, and the threads of the
        summaries posted up to LOOKBACK earlier (their full alerts are replies)."""
        blocked = self._why_blocked(channel)
        if blocked is not None:
            return Answer(error=blocked.error, permanent=blocked.permanent, retry_after=blocked.retry_after,
                          unsure=True)
        channel_id = self._find_channel(channel)
        if isinstance(channel_id, Answer):
            return channel_id
        seen = Seen(channel_id)
        try:
            top = self._read(self.client.conversations_history, channel=channel_id, oldest=f"{since - LOOKBACK:.6f}")
        except Exception as e:  # noqa: BLE001 - no scope, Slack down, or too much to read: we cannot tell
            return self._cannot_look(channel, e)
        for m in top:
            note(seen, m)
        parents = [str(m["ts"]) for m in top if carried_by(m).get("kind") == "summary" and m.get("reply_count")]
        read = self._read_threads(channel, seen, parents[:SEARCH_THREADS], since)
        return read if isinstance(read, Answer) else seen

    def _read_threads(self, channel: str, seen: Seen, parents: list[str], since: float) -> Answer | None:
        """Add what the bot posted in these threads since `since` to `seen`."""
        try:
            for ts in parents:
                for m in self._replies(seen.channel_id, ts, since):
                    note(seen, m)
        except Exception as e:  # noqa: BLE001 - as in _search
            return self._cannot_look(channel, e)
        return None

    def _replies(self, channel_id: str, ts: str, since: float) -> list[dict[str, Any]]:
        try:
            return self._read(self.client.conversations_replies, channel=channel_id, ts=ts, oldest=f"{since:.6f}")
        except Exception as e:
            if code_of(e)[0] == "thread_not_found":
                return []  # a deleted parent: nothing of ours is left in that thread
            raise

    def _read(self, method: Callable[..., Any], **kwargs: Any) -> list[dict[str, Any]]:
        """Every page of a history or replies call, with metadata; too many pages is an error."""
        out: list[dict[str, Any]] = []
        cursor = None
        for _ in range(SEARCH_PAGES):
            page = method(**kwargs, include_all_metadata=True, limit=200, **({"cursor": cursor} if cursor else {}))
            out += page.get("messages") or []
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return out
        raise OverflowError(f"more than {SEARCH_PAGES * 200} messages to read")

    def _cannot_look(self, channel: str, e: Exception | str) -> Answer:
        """Why a search could not be done, and what fixes it. A missing scope or an unusable
        channel is permanent: only a person can fix it, so `status` shows it; the row is held,
        never posted blindly, and is searched for at the next run after the fix."""
        code, needed = code_of(e)
        lead = (f"an earlier post to {channel} got no answer and may have landed, so it is held (not sent "
                "again) until the bot can search the channel for it: ")
        if code == "missing_scope":
            return Answer(error=lead + explain(code, channel, needed or "channels:history"), permanent=True,
                          unsure=True)
        if code in WHOLE_APP | WHOLE_CHANNEL:
            return Answer(error=lead + explain(code, channel), permanent=True, unsure=True)
        return Answer(error=lead + f"Slack could not be searched ({code}); it is tried again later",
                      retry_after=self.policy.landing, unsure=True)

    # -- talking to Slack -------------------------------------------------------------------
    def _post(self, channel: str, kwargs: dict[str, Any]) -> Answer:
        attempt = 0
        while True:
            blocked = self._why_blocked(channel)
            if blocked is not None:
                return blocked
            self._pace(channel)
            tried = self._attempt(kwargs)
            if tried.ambiguous:  # never re-sent in this run: it may still land (SPEC §6.5)
                return Answer(error=f"{self._unanswered(tried)}, and Slack may have posted the message; it is "
                                    f"searched for, not sent again, after {self.policy.landing:g}s",
                              retry_after=self.policy.landing, unsure=True)
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

    def _unanswered(self, tried: Attempt) -> str:
        """What became of a post that got no answer, as it happened: the time it took, or the reason."""
        took = "" if tried.elapsed is None else f"; the post was given up after {tried.elapsed:.1f}s"
        if tried.late:
            return f"Slack did not answer within {self.policy.timeout:g}s (SLACK_TIMEOUT_SECONDS{took})"
        after = "" if tried.elapsed is None else f" {tried.elapsed:.1f}s"
        return f"the connection to Slack failed{after} after the message was sent ({tried.reason})"

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
        with self._lock:
            spent = self.policy.budget - ((self._deadline or self.clock()) - self.clock())
        why = (f"Slack kept failing ({tried.reason}) for {spent:.1f}s; another try, {wait:g}s on, would pass "
               "the run's retry budget (SLACK_RETRY_BUDGET_SECONDS); kept for the next run")
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
            return refusal(e.response)
        except Exception as e:  # noqa: BLE001 - the network's many ways of failing
            return network(e)
        with self._lock:  # Slack's limit counts messages posted, so pace from the last success
            self._last_post[str(kwargs["channel"])] = self.clock()
        return Attempt(data=dict(response.data))

    def _learn(self, channel: str, data: Mapping[str, Any]) -> None:
        if data.get("channel"):
            with self._lock:
                self._ids[channel] = str(data["channel"])

    # -- threads: read through ThreadAnchors, started ones handed back in the Outcome ---------
    def _thread(self, channel: str, commitment_id: str) -> Anchor | None:
        with self._lock:
            mine = self._anchors.get((channel, commitment_id))
        return mine or self.threads.get(channel, commitment_id)

    def _threads_in(self, channel: str, commitment_ids: list[str]) -> dict[str, Anchor]:
        found = dict(self.threads.in_channel(channel, commitment_ids))
        with self._lock:
            found.update({cid: a for (ch, cid), a in self._anchors.items() if ch == channel and cid in commitment_ids})
        return found

    def _started(self, anchor: Anchor) -> Anchor:
        """A thread this process started: used at once here, stored by the shell from the Outcome."""
        with self._lock:
            self._anchors[(anchor.channel, anchor.commitment_id)] = anchor
        return anchor

    # -- channel ids and thread links ----------------------------------------------------------
    def _known_id(self, channel: str) -> str | None:
        if CHANNEL_ID.match(channel):
            return channel
        with self._lock:
            known = self._ids.get(channel)
        return known or self.threads.channel_id(channel)

    def _remember(self, channel: str, channel_id: str) -> str:
        with self._lock:
            self._ids[channel] = channel_id
        return channel_id

    def _channel_id(self, channel: str) -> str | None:
        """Slack's id for a routed channel, or None when it cannot be learned (links are a nicety)."""
        found = self._find_channel(channel)
        return found if isinstance(found, str) else None

    def _find_channel(self, channel: str) -> str | Answer:
        """Slack's id for a routed channel, or why it cannot be learned (a search needs it)."""
        known = self._known_id(channel)
        if known:
            return self._remember(channel, known)
        try:
            listed = self._look_up(channel)
        except Exception as e:  # noqa: BLE001 - no channels:read, or Slack down
            return self._cannot_look(channel, e)
        if listed is None:
            return Answer(error=(f"an earlier post to {channel} got no answer and may have landed, so it is held "
                                 f"until the bot can search the channel for it, but the bot cannot find {channel} "
                                 "in the workspace's channel list: check the name, or route to the channel's id "
                                 "(C…), or add the groups:read scope if it is private"), permanent=True, unsure=True)
        return self._remember(channel, listed)

    def _look_up(self, channel: str) -> str | None:
        name, cursor = channel.lstrip("#"), None
        for _ in range(50):
            page = self.client.conversations_list(types="public_channel,private_channel",
                                                  exclude_archived=True, limit=1000, cursor=cursor)
            for c in page.get("channels") or []:
                if c.get("name") == name:
                    return str(c["id"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    def _thread_links(self, channel: str, commitment_ids: list[str]) -> dict[str, str]:
        """Links to each commitment's thread: one chat.getPermalink call shows the workspace's form."""
        anchors = self._threads_in(channel, commitment_ids)
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


def build(settings: Any, anchors: ThreadAnchors) -> SlackNotifier | None:
    if not getattr(settings, "slack_bot_token", None):
        return None
    from notifiers.slack.transport import client

    policy = Patience.from_env(getattr(settings, "env", None) or os.environ)
    notifier = SlackNotifier(client(settings.slack_bot_token, settings.slack_api_url or DEFAULT_API, policy.timeout),
                             anchors, policy)
    notifier.parallel_targets = policy.parallel
    notifier.interactive = bool(getattr(settings, "slack_app_token", None) or getattr(settings, "slack_signing_secret", None))
    return notifier
