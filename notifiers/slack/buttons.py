"""The buttons the Slack app answers (SPEC §6.2, §6.3, §7.5), as Block Kit `actions` blocks: the
ones under an alert and the ones under a lead. Their ids are notifiers.slack.ids, which the
listeners import too; what each opens is in views.py.
"""

from __future__ import annotations

import json
from typing import Any

import notifiers.slack.ids as ids


def button_value(commitment_id: str, period: str | None) -> str:
    return json.dumps({"id": commitment_id, "period": period}, separators=(",", ":"))


def _button(action: str, label: str, value: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {"type": "button", "action_id": action, "value": value,
                              "text": {"type": "plain_text", "text": label[:75]}}
    if style:
        button["style"] = style
    return button


def alert_actions(commitment_id: str, period: str | None, closed: bool, close_label: str = "Mark delivered",
                  follow_up: bool = False, reply: str | None = None) -> dict[str, Any]:
    """The buttons under every alert; a closed promise can only be given news (or reopened).
    `close_label` names closing as the type says it: an ask or an expectation is "met" (SPEC
    §7.1). `follow_up`: the alert is about a lapse or an unanswered chase, and may be chased.
    `reply`: the alert is about the team's chase awaiting its reply, of this identity (Action.key):
    Record reply records it, the chase named in its value as {"id", "period", "chase"}."""
    value = button_value(commitment_id, period)
    elements = [_button(ids.RECORD_UPDATE, "Record update", value)]
    if reply is not None and not closed:
        chase = json.dumps({"id": commitment_id, "period": period, "chase": reply}, separators=(",", ":"))
        elements.append(_button(ids.RECORD_REPLY, "Record reply", chase))
    if not closed:
        elements += [_button(ids.SNOOZE, "Snooze", value), _button(ids.MARK_DELIVERED, close_label, value, "primary")]
        if follow_up:
            elements.append(_button(ids.DRAFT_FOLLOW_UP, "Draft follow-up", value))
    return {"type": "actions", "elements": elements}  # no block_id: a reply may carry several alerts


def lead_actions(commitment_id: str, lead_id: int, label: str = "Confirm: record it",
                 dismiss: bool = True) -> dict[str, Any]:
    """Confirm (opens the record form filled from the lead, for `commitment_id`) or dismiss what the
    watch found (SPEC §6.3). A lead naming several commitments has one confirm per commitment,
    each in its own block (an action id is unique within a block), and one dismiss."""
    value = json.dumps({"id": commitment_id, "lead": lead_id}, separators=(",", ":"))
    elements = [_button(ids.CONFIRM_LEAD, label, value, "primary")]
    if dismiss:
        elements.append(_button(ids.DISMISS_LEAD, "Dismiss", value))
    return {"type": "actions", "elements": elements}
