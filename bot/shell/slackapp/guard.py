"""Every check a listener makes before it acts, in one place: that a button is one the bot made,
that its commitment (and lead) are still there, that the person may record (access.py), and, for
`/commitments update`, that it was run where the commitment's alerts go. A check that fails
answers the person and changes nothing; a listener acts only on what these return.
"""

from __future__ import annotations

import json
from typing import Any

from bot.register.model import Commitment, Register
from bot.register.recording import UpdateRequest, check_update
from bot.shell.slackapp.access import may_record
from bot.shell.slackapp.desk import Desk
from bot.shell.slackapp.payload import tell, where
from bot.shell.slackapp.recorder import missing
from notifiers.slack.blocks import escape

NOT_OURS = "This button is not one of the bot's: nothing was changed."


def denied(desk: Desk, register: Register, user: str, client: Any) -> str | None:
    """Why `user` may not record for this register, or None (SPEC §6.2 `access.recorders`)."""
    return may_record(register, user, client, desk.groups)


def clicked(desk: Desk, body: dict[str, Any], client: Any, action: dict[str, Any],
            key: str) -> tuple[Register, Commitment, Any] | None:
    """The commitment a button's value names and the value's `key`, once the clicker may record;
    or None, after telling them why not (a value the bot never made, a commitment no longer in
    the register, a clicker access.recorders leaves out)."""
    user, channel, _ = where(body)
    try:
        value = json.loads(action.get("value") or "")
        commitment_id, wanted = str(value["id"]), value.get(key)
    except (ValueError, KeyError, TypeError, AttributeError):
        tell(client, channel, user, NOT_OURS)
        return None
    register, c = desk.commitment(commitment_id)
    if c is None:
        tell(client, channel, user, missing(register, commitment_id))
        return None
    refused = denied(desk, register, user, client)
    if refused:
        tell(client, channel, user, refused)
        return None
    return register, c, wanted


def value_of(action: dict[str, Any]) -> dict[str, Any]:
    """A button's value as the bot made it (a JSON object), or {} for anything else."""
    try:
        value = json.loads(action.get("value") or "")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def alert_clicked(desk: Desk, body: dict[str, Any], client: Any,
                  action: dict[str, Any]) -> tuple[Register, Commitment, str | None] | None:
    """What `clicked` finds for a button on an alert, once the period it names (a recurring
    promise's occurrence) is one the series has; or None after telling the person why not."""
    found = clicked(desk, body, client, action, "period")
    if found is None:
        return None
    register, c, period = found
    today = desk.now(register).date()
    problem = check_update(register, UpdateRequest(c.id, today, "-", period=period)) if period else None
    if problem:
        user, channel, _ = where(body)
        tell(client, channel, user, f"{escape(problem.replace('--period', 'Period'))}: nothing was recorded.")
        return None
    return register, c, period


def lead_clicked(desk: Desk, body: dict[str, Any], client: Any,
                 action: dict[str, Any]) -> tuple[Register, Commitment, Any] | None:
    """The register, the commitment and the lead a lead's button names, while the lead is still
    new; or None after telling the person why not."""
    user, channel, _ = where(body)
    found = clicked(desk, body, client, action, "lead")
    if found is None:
        return None
    register, c, lead_id = found
    try:
        lead = desk.store.leads.get(int(lead_id))
    except (ValueError, TypeError, OverflowError):  # 1e400, "x", null: not a value the bot made
        tell(client, channel, user, NOT_OURS)
        return None
    if lead is None or c.id not in lead.commitments:
        refused = "This lead is not in the database any more: nothing was changed."
    elif lead.state != "new":
        refused = decided_already(lead)
    else:
        return register, c, lead
    tell(client, channel, user, refused)
    return None


def decided_already(lead: Any) -> str:
    """What someone who clicks a lead another person decided is told: who decided it, and how.
    Two clicks at once both find the lead new; the one whose claim loses reads it again and is
    told the same, so the answer does not depend on which click Slack delivered first."""
    if lead is None or lead.state == "new":
        return "This lead is not in the database any more: nothing was changed."
    by = f" by <@{lead.decided_by}>" if lead.decided_by else ""
    return f"This lead was already {lead.state}{by}: nothing was changed."


def slash_denied(desk: Desk, register: Register, c: Commitment, command: dict[str, Any], client: Any) -> str | None:
    """Why `/commitments update` may not record for `c` here, or None: the person is not a
    recorder, or (with no `access.recorders`, when anyone may) the command was not run in a
    channel the commitment's alerts go to, where the people following it would see it."""
    refused = denied(desk, register, command["user_id"], client)
    if refused is None and not register.recorders and not _routed_here(desk, register, c, command):
        where = ", ".join(f"#{n}" for n in desk.slack_channels(register, c)) or "no Slack channel"
        refused = (f"Updates for {c.id} are recorded from the channel its alerts go to ({where}): run the command "
                   "there, so the people following it see it.")
    return refused


def _routed_here(desk: Desk, register: Register, c: Commitment, command: dict[str, Any]) -> bool:
    """By name, or (a private channel, which Slack names "privategroup" in a slash command) by
    the id its thread was posted with."""
    names = desk.slack_channels(register, c)
    ids = {desk.store.threads.channel_id(f"#{n}") for n in names}
    return command.get("channel_name") in names or command.get("channel_id") in ids
