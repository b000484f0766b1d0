"""The Teams channel behind the Notifier contract: Adaptive Cards posted to each NAME's webhook.

Targets are "teams:NAME"; NAME's webhook URL is TEAMS_WEBHOOK_NAME (notifiers/teams/setup.py).
Each card's `Outcome` is yielded the moment Teams answers, and the shell records it at once.

Grouping: up to 5 alerts for a target in one run are one card each; beyond 5, one summary,
continued in further cards only when it would not fit one (notifiers/teams/cards.py).

Surviving Teams: a 429 waits for Retry-After, a 5xx or a refused connection backs off
exponentially, and all waiting for one target in one run is bounded by TEAMS_RETRY_BUDGET_SECONDS;
then its rows stay queued for the next run. A refusal that only a person can fix (400, 401, 403,
404, a redirect: a wrong, deleted or locked-down Workflow) is kept with a plain reason that names
the variable to set, and ends the run's posts to that webhook.

Exactly once, and the window left: a webhook cannot be asked what it posted, so a post whose
answer never came (a timeout or a dropped connection once the request was sent, or a 504) is not
posted again in that run; the row comes back after `Patience.landing` and is posted again, the
card saying that an earlier post of it at that time got no answer and may have arrived too. A
row taken over from a worker that died comes back the same way. So Teams may show an alert twice
in that window, marked; it never loses one. Workflows answer 202 as soon as they queue the run,
so this window is a narrow one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from notifiers.base import Checked, Delivery, Notifier, Outcome
from notifiers.teams.cards import alert_card, hello_card, message, summary_cards
from notifiers.teams.setup import TeamsSetup, Webhook, setup
from notifiers.teams.webhook import Answer, Poster


@dataclass(frozen=True)
class Result:
    """How one card fared after any retrying: `why` is None when Teams took it."""

    why: str | None = None
    permanent: bool = False
    retry_after: float | None = None
    unsure: bool = False
    stop: bool = False  # nothing more goes to this webhook in this run
    what: str = ""  # of an unanswered post: what happened, measured


class TeamsNotifier(Notifier):
    channel = "teams"
    parallel_targets = True  # each webhook is throttled on its own, so targets go side by side
    claim_all = True  # all of a target's due rows in one call: one summary per target per run

    def __init__(self, teams: TeamsSetup, poster: Poster | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.setup, self.patience = teams, teams.patience
        self.poster = poster or Poster(self.patience.timeout)
        self.sleep, self.clock = sleep, clock
        self._lock = threading.Lock()
        self._last_post: dict[str, float] = {}  # variable → when its webhook last took a post

    def serves(self, target: str) -> bool:
        """A NAME is served once its own TEAMS_WEBHOOK_NAME is set; the others' alerts are held."""
        return self.setup.serves(target.split(":", 1)[1] if ":" in target else target)

    def deliver(self, target: str, batch: Sequence[Delivery]) -> Iterator[Outcome]:
        if not batch:
            return
        name = target.split(":", 1)[1] if ":" in target else target
        hook = self.setup.webhook(name)
        if isinstance(hook, str):
            yield Outcome(tuple(d.id for d in batch), hook, permanent=True)
            return
        deadline = self.clock() + self.patience.budget
        plan = self._plan(batch)
        for n, (payload, rows) in enumerate(plan):
            result = self.post(hook, payload, deadline)
            ids = tuple(d.id for d in rows)
            yield Outcome(ids, meta={"channel": "teams", "target": name}) if result.why is None else \
                Outcome(ids, result.why, result.permanent, result.retry_after, unsure=result.unsure)
            rest = tuple(d.id for _, later in plan[n + 1:] for d in later)
            if result.stop and rest:  # never posted: kept with the same reason, retried as it says
                yield Outcome(rest, result.why, result.permanent, result.retry_after)
                return

    def _plan(self, batch: Sequence[Delivery]) -> list[tuple[dict[str, Any], list[Delivery]]]:
        site = self.setup.site_url
        if len(batch) <= self.patience.group_above:
            return [(message(alert_card(d.alert, site, _again([d]))), [d]) for d in batch]
        parts = summary_cards([d.alert for d in batch], site, [_again([d]) for d in batch])
        return [(message(card), [batch[i] for i in held]) for card, held in parts]

    # -- one card, through Teams' failures --------------------------------------------------------
    def post(self, hook: Webhook, payload: Any, deadline: float, budget: str = "TEAMS_RETRY_BUDGET_SECONDS",
             reach: bool = False) -> Result:
        """One card, retried through Teams' failures until `deadline` (`budget` names what set it).
        Each try is bounded as a whole by TEAMS_TIMEOUT_SECONDS (notifiers.teams.webhook); one that
        timed out or dropped once sent may have been posted, so it is never tried again here: it
        follows Slack's rule for an ambiguous timeout (SPEC §6.5), `unsure`, back after `landing`.
        `reach`: a setup check, for which an address nothing answers at (a refused connection, a
        host that does not resolve) is said at once rather than retried as a send would be."""
        attempt, tries, started = 0, 0, self.clock()
        while True:
            self._pace(hook.variable)
            answer = self.poster.post(hook, payload)
            tries += 1
            if answer.ok:
                with self._lock:
                    self._last_post[hook.variable] = self.clock()
                return Result()
            if reach and answer.status == 0 and not answer.unsure:  # never reached: nothing was posted
                return Result(f"nothing answered at {_host(hook)} ({answer.reason}): check the URL in {hook.variable}",
                              stop=True)
            if answer.unsure or answer.status == 504:  # a gateway gave up waiting: the Workflow may have run
                what = self._unanswered(answer)
                return Result(f"{what}, and Teams may have posted the card; it is posted again after "
                              f"{self.patience.landing:g}s, marked as a possible repeat (a webhook cannot be asked "
                              "what it posted)", retry_after=self.patience.landing, unsure=True, what=what)
            if not _transient(answer):
                return refusal(hook, answer)
            if answer.status == 429 and answer.retry_after is not None:
                wait = answer.retry_after  # Teams said how long; our own back-off is for failures
            else:
                wait, attempt = self.patience.backoff(attempt), attempt + 1
            if self.clock() + wait > deadline:
                return self._give_up(hook, answer, wait, self.clock() - started, tries, budget)
            self.sleep(wait)

    def _unanswered(self, answer: Answer) -> str:
        """What became of a post that got no answer, as it happened: the time it took, or the reason."""
        if answer.status == 504:
            return f"a gateway on the way to Teams gave up waiting for it (HTTP 504 after {answer.elapsed:.1f}s)"
        if answer.late:
            return (f"Teams did not answer within {self.patience.timeout:g}s (TEAMS_TIMEOUT_SECONDS; the post was "
                    f"given up after {answer.elapsed:.1f}s)")
        return f"the connection to Teams failed {answer.elapsed:.1f}s after the card was sent ({answer.reason})"

    def _give_up(self, hook: Webhook, answer: Answer, wait: float, spent: float, tries: int, budget: str) -> Result:
        if answer.status == 429:
            return Result(f"Teams is throttling the webhook for {hook.name} (asked to wait {wait:.0f}s); kept for "
                          "the next run", retry_after=wait, stop=True)
        return Result(f"Teams kept failing ({answer.reason}) for {spent:.1f}s ({tries} "
                      f"tr{'ies' if tries > 1 else 'y'}); another try, {wait:g}s on, would pass the retry budget "
                      f"({budget}); kept for the next run", stop=True)

    def _pace(self, key: str) -> None:
        """Posts to one webhook at most one per TEAMS_MIN_INTERVAL_SECONDS, so a busy run rarely meets a 429."""
        with self._lock:
            last = self._last_post.get(key)
        wait = 0.0 if last is None else last + self.patience.min_interval - self.clock()
        if wait > 0:
            self.sleep(wait)


def _transient(answer: Answer) -> bool:
    """Worth another try: throttled, Teams' own trouble, or never reached (nothing was posted)."""
    return answer.status in (0, 408, 429) or answer.status >= 500


def refusal(hook: Webhook, answer: Answer) -> Result:
    """A refusal only a person can fix, said so they can; the rest of the run's posts would fail alike."""
    code = f", {answer.code}" if answer.code else ""
    status, whose, var = answer.status, f"the Teams webhook for {hook.name}", hook.variable
    if status == 413:
        return Result(f"Teams refused the card as too large (413{code}): this is a commitment-bot bug, please "
                      "report it", permanent=True)
    if status in (404, 410):
        why = f"{whose} was refused ({status}): the Workflow was deleted or its URL changed — set {var} again"
    elif status in (401, 403):
        why = (f"{whose} was refused ({status}{code}): the Workflow does not let this caller in — in its trigger "
               f"set \"Who can trigger the flow\" to \"Anyone\", or copy the whole URL into {var} again")
    elif status == 400:
        why = (f"{whose} refused the card (400{code}): the Workflow's trigger expects another shape — use the "
               f"Teams template \"Post to a channel when a webhook request is received\" and set {var} to its URL")
    elif 300 <= status < 400:
        why = f"{whose} answered with a redirect ({status}): set {var} to the URL the Workflow's trigger shows"
    elif status == -1:
        why = f"{var} cannot be used: {answer.reason}"
    else:
        why = f"{whose} refused the post ({status}{code}): check the Workflow in Teams, and {var}"
    return Result(why, permanent=True, stop=True)


def _host(hook: Webhook) -> str:
    """Where a webhook's URL points, as host and port: never its path or query, which hold the secret."""
    parts = urlsplit(hook.url)
    host = parts.hostname or "?"
    try:
        port = str(parts.port or (443 if parts.scheme == "https" else 80))
    except ValueError:  # not a port at all: the connection was never made, and this says where it was to go
        port = "?"
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _again(rows: Sequence[Delivery]) -> datetime | None:
    """When an earlier post of these rows went unanswered (the shell keeps it as `unsure_since`)."""
    times = [d.unsure_since for d in rows if d.unsure_since is not None]
    return min(times) if times else None


def build(settings: Any) -> TeamsNotifier:
    """A notifier even when a NAME's URL is unusable: its deliveries then fail, saying why, and stay kept."""
    return TeamsNotifier(setup(settings))


def check(settings: Any, name: str) -> Checked:
    """`commitment-bot teams test NAME`: post a test card and say, in plain words, what happened."""
    teams = setup(settings)
    hook = teams.webhook(name)
    if isinstance(hook, str):
        return Checked(hook, ok=False)
    notifier = TeamsNotifier(teams)
    try:
        budget = "TEAMS_RETRY_BUDGET_SECONDS" + (", at most 30s for a test" if teams.patience.budget > 30 else "")
        result = notifier.post(hook, message(hello_card(name)), notifier.clock() + min(teams.patience.budget, 30),
                               budget, reach=True)
    finally:
        notifier.poster.close()
    if result.why is None:
        return Checked(f"posted a test card to {name} ({hook.variable}); Teams accepted it, and the Workflow posts "
                       "it in a moment: if it does not appear, open the Workflow's run history in Teams")
    if result.unsure:
        return Checked(f"{result.what}: the test card may still appear in the channel; look there before trying "
                       "again", ok=False, permanent=False)
    return Checked(result.why.replace("kept for the next run", "nothing was posted; try again later"), ok=False,
                   permanent=result.permanent)
