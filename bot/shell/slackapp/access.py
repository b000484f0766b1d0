"""Who may record from Slack (SPEC §6.2 `access.recorders`): user ids, and user groups whose
members Slack lists.

A group's members are asked of Slack at most once a minute (`Groups`), not on every click by
anyone; and when Slack cannot answer (a 429, a 5xx, the network) the last list known is used, or
the person is told Slack could not be asked: a rate limit never becomes "you may not record".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.register.model import Register

GROUP_TTL = 60.0  # seconds a group's members are trusted before Slack is asked again


class Unreachable(Exception):
    """Slack could not say who is in a group just now, and no earlier answer is known."""


@dataclass
class Groups:
    """User-group members as Slack last listed them, per group, with when they were listed."""

    ttl: float = GROUP_TTL
    clock: Callable[[], float] = time.monotonic
    known: dict[str, tuple[frozenset[str], float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def members(self, group: str, client: Any) -> frozenset[str]:
        """The group's members (none for a group Slack says it does not have); raises Unreachable
        when Slack did not answer and the group was never listed."""
        with self.lock:  # one question to Slack per group at a time: a burst of clicks asks once
            cached = self.known.get(group)
            if cached is not None and self.clock() - cached[1] < self.ttl:
                return cached[0]
            try:
                users = frozenset(_listed(client, group))
            except Unreachable:
                if cached is not None:
                    return cached[0]  # a little stale beats refusing a real recorder
                raise
            self.known[group] = (users, self.clock())
            return users


def _listed(client: Any, group: str) -> list[str]:
    from slack_sdk.errors import SlackApiError

    try:
        return list(client.usergroups_users_list(usergroup=group).get("users") or [])
    except SlackApiError as e:
        status = getattr(e.response, "status_code", 200)
        if status == 429 or status >= 500:
            raise Unreachable("Slack is rate limiting the bot" if status == 429 else f"Slack answered {status}") from None
        return []  # no_such_subteam, missing_scope: Slack answered, and the group admits nobody
    except Exception as e:  # noqa: BLE001 - a timeout or a refused connection: nobody can say
        raise Unreachable(f"Slack did not answer: {type(e).__name__}") from None


def may_record(register: Register, user: str, client: Any, groups: Groups) -> str | None:
    """Why `user` may not record, or None. Without a list, anyone who can see the alert may:
    Slack shows the buttons only to the channel's members."""
    recorders = register.recorders
    if not recorders or user in recorders:
        return None
    unsure: list[tuple[str, str]] = []
    for group in (r for r in recorders if r.startswith("S")):
        try:
            if user in groups.members(group, client):
                return None
        except Unreachable as e:
            unsure.append((group, str(e)))
    if unsure:
        names = ", ".join(g for g, _ in unsure)
        return (f"I could not check whether you are in {names}, one of the groups allowed to record "
                f"({unsure[0][1]}): nothing was recorded. Try again in a minute.")
    return (f"Only the people listed under access.recorders in the register may record updates. Ask a maintainer "
            f"to add you (your Slack id is {user}); nothing was recorded.")
