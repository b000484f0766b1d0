"""Who hears about a commitment: its own `notify:`, else the first route that matches."""

from __future__ import annotations

from collections.abc import Callable, Collection

from bot.register.model import Commitment, Route

CONSOLE = "console"


def routed(c: Commitment, routes: tuple[Route, ...]) -> tuple[str, ...]:
    if c.notify is not None:
        return c.notify
    for route in routes:
        if route.tags is None or set(route.tags) & set(c.tags):
            return route.targets
    return ()


# The configured channels' names ("slack", "email"), or whether a target is served: a channel whose
# addresses each need a setting of their own (a webhook URL per name) serves some and not others.
Served = Collection[str] | Callable[[str], bool]


def deliverable(targets: tuple[str, ...], channels: Served) -> tuple[str, ...]:
    """Targets that are served (their channel is configured); everything else goes to the console instead.

    With nothing configured a fresh clone still shows every alert, saying where it would have gone.
    """
    serves = _serves(channels)
    out = [t for t in targets if serves(t)]
    if len(out) < len(targets) or not targets:
        out.append(CONSOLE)
    return tuple(dict.fromkeys(out))


def waiting(targets: tuple[str, ...], channels: Served) -> tuple[str, ...]:
    """Routed targets that are not served: their alerts are held, not used up."""
    serves = _serves(channels)
    return tuple(t for t in targets if not serves(t))


def _serves(channels: Served) -> Callable[[str], bool]:
    if callable(channels):
        return channels
    names = channels
    return lambda target: target.split(":", 1)[0] in names
