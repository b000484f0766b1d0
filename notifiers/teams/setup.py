"""The Teams channel's settings, read from the environment it is given (`settings.env`, .env included).

- TEAMS_WEBHOOK_NAME: the webhook URL of a Teams Workflow ("Post to a channel when a webhook
  request is received") for `teams: [name]`. A secret: it is never printed, logged or kept in an
  error. A `Webhook` carries it with `repr=False`, and every message names the variable instead.
- TEAMS_TIMEOUT_SECONDS (10), TEAMS_RETRY_BUDGET_SECONDS (60), TEAMS_MIN_INTERVAL_SECONDS (1):
  patience with Teams, as SLACK_* is with Slack.
- TEAMS_SITE_URL: the published site's address (`export site --base-url`), so each card can link
  to the commitment's page; without it cards link only to sources and evidence.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from notifiers.teams.targets import PREFIX, check_target, variable

GROUP_ABOVE = 5  # SPEC §3: beyond 5 alerts for one channel in one cycle, one summary
LOOPBACK_NAMES = ("localhost",)


@dataclass(frozen=True)
class Webhook:
    """Where one NAME's cards go. `url` is the secret; `variable` is what messages name instead."""

    name: str
    variable: str
    url: str = field(repr=False)


@dataclass(frozen=True)
class Patience:
    """How patient to be with Teams; from the environment so tests can tune it."""

    budget: float = 60.0  # seconds of waiting (back-off, Retry-After) per target per run
    first_backoff: float = 0.5
    max_backoff: float = 8.0
    min_interval: float = 1.0  # seconds between two posts to one webhook
    timeout: float = 10.0  # seconds to wait for Teams to answer one post
    group_above: int = GROUP_ABOVE

    def backoff(self, attempt: int) -> float:
        return min(self.max_backoff, self.first_backoff * 2**attempt)

    @property
    def landing(self) -> float:
        """Seconds after an unanswered post by which it has arrived if it ever will (as for Slack:
        twice the wait for an answer, and at least 30 s)."""
        return max(2 * self.timeout, 30.0)


@dataclass(frozen=True)
class TeamsSetup:
    env: Mapping[str, str] = field(repr=False)
    patience: Patience = Patience()
    site_url: str | None = None

    def serves(self, name: str) -> bool:
        """NAME's own TEAMS_WEBHOOK_NAME is set: "configured" is per NAME (SPEC §7.8), so the alerts of a
        NAME without it are held, as for a channel not configured, and the current ones go out once it
        is. A variable set to an unusable URL is configured: its deliveries fail, saying why."""
        return _has_variable(self.env, name)

    def webhook(self, name: str) -> Webhook | str:
        """NAME's webhook, or why there is none usable, in words that never repeat the URL."""
        why = check_target(name)
        if why is not None:
            return why
        var = variable(name)
        url = (self.env.get(var) or "").strip()
        if not url:
            return (f"{var} is not set: in Teams, add the Workflow \"Post to a channel when a webhook request is "
                    f"received\" to the channel for {name}, copy its URL into {var} (environment or .env); "
                    "see the README's Microsoft Teams section")
        problem = url_problem(url)
        return f"{var} {problem} — copy the URL again from the Workflow in Teams" if problem else Webhook(name, var, url)


def url_problem(url: str) -> str | None:
    """Why a webhook URL cannot be used (said without the URL), or None. https only; http only to
    this machine (the tests' and the sandbox's stand-in)."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return "has spaces or line breaks in it"
    if "&amp;" in url:
        return 'has "&amp;" where "&" belongs (it was copied from a web page or an HTML file)'
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "is not a URL"
    if parts.scheme not in ("https", "http") or not host:
        return "is not an https:// URL"
    if parts.scheme == "http" and not _loopback(host):
        return "starts with http://, not https://"
    if len(url) > 4000:
        return "is too long to be a webhook URL"
    return None


def _loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def configured(settings: Any) -> bool:
    """Some TEAMS_WEBHOOK_* is set: the channel is on. Which NAMEs it serves is `TeamsSetup.serves`'s to say."""
    return any(k.startswith(PREFIX) and (v or "").strip() for k, v in _env(settings).items())


def _has_variable(env: Mapping[str, str], name: str) -> bool:
    return check_target(name) is None and bool((env.get(variable(name)) or "").strip())


def setting(name: str) -> str:
    """The variable NAME needs, for `status` and `check` to name of its held alerts."""
    return variable(name)


def setup(settings: Any) -> TeamsSetup:
    env = _env(settings)

    def num(name: str, default: float) -> float:
        try:
            value = float(env.get(name) or default)
        except ValueError:
            return default
        return value if value >= 0 else default

    patience = Patience(budget=num("TEAMS_RETRY_BUDGET_SECONDS", Patience.budget),
                        min_interval=num("TEAMS_MIN_INTERVAL_SECONDS", Patience.min_interval),
                        timeout=num("TEAMS_TIMEOUT_SECONDS", Patience.timeout) or Patience.timeout)
    site = (env.get("TEAMS_SITE_URL") or "").strip().rstrip("/")
    return TeamsSetup(env, patience, site if site.startswith(("https://", "http://")) else None)


def _env(settings: Any) -> Mapping[str, str]:
    """The settings' environment: the process's and .env's (bot.shell.settings keeps it whole).
    Settings built without one (in tests) have nothing configured."""
    return getattr(settings, "env", None) or {}
