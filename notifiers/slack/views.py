"""Block Kit for the Slack app (SPEC §6.2): the buttons on an alert, the record and snooze
modals, the App Home tab and `/commitments` answers. Pure: the shell fills them and sends them.

The ids are the contract: `action_id`s `record_update`, `snooze`, `mark_delivered` carry a JSON
`value` {"id", "period"}; the record modal's inputs have `block_id` = `action_id` = `note`, `on`,
`due`, `deadline`, `status`, `source`; the snooze modal's `until` and `reason`. Everything from
the register or a person is escaped (blocks.escape) and shown in `plain_text` where Slack allows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.register.model import STATUSES
from notifiers.slack.blocks import clip

TITLE_MAX = 24  # a modal title
NOTE_MAX = 3000  # what a note may hold: Slack's own limit on a plain_text_input
ACTIONS = ("record_update", "snooze", "mark_delivered")


def button_value(commitment_id: str, period: str | None) -> str:
    return json.dumps({"id": commitment_id, "period": period}, separators=(",", ":"))


def alert_actions(commitment_id: str, period: str | None, closed: bool,
                  close_label: str = "Mark delivered") -> dict[str, Any]:
    """The buttons under every alert; a closed promise can only be given news (or reopened).
    `close_label` names closing as the type says it: an ask or an expectation is "met" (SPEC §7.1)."""
    value = button_value(commitment_id, period)
    shown: list[tuple[str, str, str | None]] = [("record_update", "Record update", None)]
    if not closed:
        shown += [("snooze", "Snooze", None), ("mark_delivered", close_label, "primary")]
    elements = []
    for action, label, style in shown:
        button: dict[str, Any] = {"type": "button", "action_id": action, "value": value,
                                  "text": {"type": "plain_text", "text": label}}
        if style:
            button["style"] = style
        elements.append(button)
    return {"type": "actions", "elements": elements}  # no block_id: a reply may carry several alerts


def lead_actions(commitment_id: str, lead_id: int, label: str = "Confirm: record it",
                 dismiss: bool = True) -> dict[str, Any]:
    """Confirm (opens the record form filled from the lead, for `commitment_id`) or dismiss what the
    watch found (SPEC §6.3). A lead naming several commitments has one confirm per commitment,
    each in its own block (an action id is unique within a block), and one dismiss."""
    value = json.dumps({"id": commitment_id, "lead": lead_id}, separators=(",", ":"))
    elements: list[dict[str, Any]] = [
        {"type": "button", "action_id": "confirm_lead", "value": value, "style": "primary",
         "text": {"type": "plain_text", "text": label[:75]}}]
    if dismiss:
        elements.append({"type": "button", "action_id": "dismiss_lead", "value": value,
                         "text": {"type": "plain_text", "text": "Dismiss"}})
    return {"type": "actions", "elements": elements}


def _input(block_id: str, label: str, element: dict[str, Any], optional: bool = False,
           hint: str | None = None, dispatch: bool = False) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "input", "block_id": block_id, "optional": optional,
                             "label": {"type": "plain_text", "text": label},
                             "element": {**element, "action_id": block_id}}
    if hint:
        block["hint"] = {"type": "plain_text", "text": clip(hint, 2000)}
    if dispatch:
        block["dispatch_action"] = True
    return block


def _text(placeholder: str, multiline: bool = False, initial: str | None = None, max_length: int = NOTE_MAX) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length,
                               "placeholder": {"type": "plain_text", "text": placeholder}}
    if initial:
        element["initial_value"] = initial
    return element


def _date_picker(initial: date | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "datepicker"}
    if initial:
        element["initial_date"] = initial.isoformat()
    return element


def _option(value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": value}, "value": value}


def record_modal(metadata: str, title: str, promised: str, today: date, status: str | None = None,
                 preview: str | None = None, note: str | None = None, source: str | None = None,
                 on: date | None = None) -> dict[str, Any]:
    """The record modal; `preview` is how the `due` words typed so far read (refreshed on Enter)."""
    select: dict[str, Any] = {"type": "static_select", "placeholder": {"type": "plain_text", "text": "unchanged"},
                              "options": [_option(s) for s in STATUSES]}
    if status:
        select["initial_option"] = _option(status)
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{clip(title, 300)}*\n{clip(promised, 700)}"}},
        _input("note", "What happened", _text("e.g. The Minister now says spring 2027", True, note)),
        _input("on", "When it happened", _date_picker(on or today)),
        _input("due", "New promised time, in the government's words", _text("e.g. spring 2027", max_length=200),
               optional=True, hint=preview or "Press Enter to see how the bot will read it.", dispatch=True),
        _input("deadline", "New deadline, if the words do not read", _date_picker(None), optional=True),
        _input("status", "Status", select, optional=True),
        _input("source", "Evidence link", _text("https://…", initial=source, max_length=2000), optional=True,
               hint="Needed to mark a promise delivered, partly delivered or dropped."),
        _input("said_by", "Who said it", _text("e.g. Lord Murray of Blidworth", max_length=200), optional=True,
               hint="The minister or official whose words these are, when the source names them: the bot "
                    "attributes the new promised time to them, never to whoever made the first promise."),
    ]
    return {"type": "modal", "callback_id": "record_update", "private_metadata": metadata,
            "title": {"type": "plain_text", "text": "Record an update"},
            "submit": {"type": "plain_text", "text": "Record"}, "close": {"type": "plain_text", "text": "Cancel"},
            "blocks": blocks}


def snooze_modal(metadata: str, title: str, today: date) -> dict[str, Any]:
    return {"type": "modal", "callback_id": "snooze", "private_metadata": metadata,
            "title": {"type": "plain_text", "text": "Snooze reminders"},
            "submit": {"type": "plain_text", "text": "Snooze"}, "close": {"type": "plain_text", "text": "Cancel"},
            "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": f"*{clip(title, 300)}*"}},
                _input("until", "Until", _date_picker(today)),
                _input("reason", "Why", _text("e.g. Officials promised a reply after recess", max_length=500)),
            ]}


SECTION_MAX = 2900  # characters of mrkdwn in one section (Slack allows 3,000)
HOME_SECTIONS = 20  # sections per list in App Home: two lists and their headings stay far under 100 blocks
ANSWER_MAX = 3900  # a `/commitments` answer: under the 4,000 characters Slack advises for a message


def more_line(left: int, link: str | None, what: str = "them all") -> str:
    """What is not shown, in words, with a link to the site when there is one."""
    return f"_…and {left} more_" + (f": <{link}|see {what} on the site>" if link else ".")


def whole_lines(lines: Sequence[str], budget: int, link: str | None = None) -> list[str]:
    """As many whole lines as fit in `budget` characters, then "…and N more" (which fits too).
    Lines are never cut, so no bold, link or `&amp;` is ever split across a limit."""
    kept: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        left = len(lines) - i - 1
        tail = len(more_line(left, link)) + 1 if left else 0
        if used + len(line) + 1 + tail > budget:
            return [*kept, more_line(len(lines) - i, link)]
        kept.append(line)
        used += len(line) + 1
    return kept


def sections(lines: Sequence[str], limit: int = HOME_SECTIONS, link: str | None = None) -> list[dict[str, Any]]:
    """Section blocks of whole lines, each at most SECTION_MAX characters, at most `limit` of them;
    what does not fit is counted ("…and N more") at the end of the last one."""
    chunks: list[list[str]] = [[]]
    size = 0
    for i, line in enumerate(lines):
        if size + len(line) + 1 > SECTION_MAX and len(chunks) < limit:
            chunks.append([])
            size = 0
        left = len(lines) - i - 1
        reserve = len(more_line(left, link)) + 1 if left and len(chunks) == limit else 0
        if size + len(line) + 1 + reserve > SECTION_MAX:
            chunks[-1].append(more_line(left + 1, link))
            break
        chunks[-1].append(line)
        size += len(line) + 1
    return [{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(chunk)}} for chunk in chunks if chunk]


def home_view(lapsed: Sequence[str], due: Sequence[str], channels: Sequence[str],
              links: tuple[str | None, str | None] = (None, None)) -> dict[str, Any]:
    """The App Home tab: what is lapsed and due soon in the channels the viewer is in; `links`
    are the site's pages listing each in full, when the site's address is known."""
    where = ", ".join(f"#{c}" for c in channels) or "none of the bot's channels"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Promises in your channels"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Channels: " + clip(where, 2900)}]},
    ]
    for heading, lines, link in (("🔴 Past their deadline", lapsed, links[0]), ("⏳ Due in the next 30 days", due, links[1])):
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*{heading}* ({len(lines)})"}})
        blocks += sections(lines, link=link) or [{"type": "section", "text": {"type": "mrkdwn", "text": "_Nothing._"}}]
    return {"type": "home", "blocks": blocks}


HELP = """*`/commitments`* — ask the bot about promises (only you see the answer; end with `post` to share it)
• `/commitments lapsed` — promises whose deadline passed with no update since
• `/commitments due` — promises due in the next 30 days
• `/commitments show ID` — one promise: what was promised, its deadline, slips and last update
• `/commitments update ID what happened…` — record news dated today, as you
• `/commitments help` — this list"""
