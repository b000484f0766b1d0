"""One module per channel; the registry below is the one line a new channel adds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TextIO

from notifiers.base import Delivery, Notifier, Outcome

__all__ = ["Delivery", "Notifier", "Outcome", "build"]


def _console(settings: Any, stream: TextIO, store: Any) -> Notifier | None:
    from notifiers.console import ConsoleNotifier

    return ConsoleNotifier(stream)


def _slack(settings: Any, stream: TextIO, store: Any) -> Notifier | None:
    from notifiers.slack import build_slack

    return build_slack(settings, store)


def _email(settings: Any, stream: TextIO, store: Any) -> Notifier | None:
    from notifiers.email import build_email

    return build_email(settings, store)


REGISTRY: dict[str, Callable[[Any, TextIO, Any], Notifier | None]] = {
    "console": _console,
    "slack": _slack,
    "email": _email,
}


def configured(settings: Any) -> set[str]:
    """The channels that have what they need in the settings (console always has)."""
    out = {"console"}
    if getattr(settings, "slack_bot_token", None) and "slack" in REGISTRY:
        out.add("slack")
    if getattr(settings, "smtp_url", None) and "email" in REGISTRY:
        out.add("email")
    return out


def build(settings: Any, stream: TextIO, store: Any) -> dict[str, Notifier]:
    out: dict[str, Notifier] = {}
    for name in configured(settings):
        notifier = REGISTRY[name](settings, stream, store)
        if notifier is not None:
            out[name] = notifier
    return out
