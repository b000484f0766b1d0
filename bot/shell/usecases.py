"""The use cases every entry point calls (the CLI, the scheduler, the Slack app): each checks the
request with the core's rules, then stores it, so no door repeats the checks or the storage calls.
"""

from __future__ import annotations

from datetime import datetime

from bot.register.model import Action, Register
from bot.register.recording import ActionRequest, check_action
from storage.repository import Store


def record_action(store: Store, register: Register, source_hash: str, request: ActionRequest, now: datetime,
                  origin: str | None = None) -> int | str:
    """Record the team's snooze or chase (SPEC §7.3): its row number, or why it was refused (nothing
    changed). `origin` names where it was recorded (a Slack view): a replay records once."""
    problem = check_action(register, request)
    if problem:
        return problem
    store.register.sync(register, source_hash, now)  # only now: a refused action changes nothing
    action = Action("", request.kind, request.on, request.period, request.until, request.how, request.ref,
                    request.to, request.reply_due, request.note, request.by, request.recorded_by)
    return store.actions.add(request.commitment_id, action, now, origin)
