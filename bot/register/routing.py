"""Who hears about a commitment: its own `notify:`, else the first route that matches."""

from __future__ import annotations

from collections.abc import Collection

from bot.register.model import Commitment, Route

CONSOLE = "console"


def routed(c: Commitment, routes: tuple[Route, ...]) -> tuple[str, ...]:
    if c.notify is not None:
        return c.notify
    for route in routes:
        if route.tags is None or set(route.tags) & set(c.tags):
            return route.targets
    return ()


def deliverable(targets: tuple[str, ...], channels: Collection[str]) -> tuple[str, ...]:
    """Targets whose channel is configured; everything else goes to the console instead.

    `channels` names the configured notifiers ("slack", "email"); with none configured a
    fresh clone still shows every alert, saying where it would have gone.
    """
    out = [t for t in targets if t.split(":", 1)[0] in channels]
    if len(out) < len(targets) or not targets:
        out.append(CONSOLE)
    return tuple(dict.fromkeys(out))


def waiting(targets: tuple[str, ...], channels: Collection[str]) -> tuple[str, ...]:
    """Routed targets whose channel is not configured: their alerts are held, not used up."""
    return tuple(t for t in targets if t.split(":", 1)[0] not in channels)
