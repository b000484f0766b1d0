"""Block Kit for the Slack app (SPEC §6.2, §7.5): the record, snooze, draft follow-up and record reply modals,
the App Home tab and `/commitments` answers (the buttons that open the modals are buttons.py).
Pure: the shell fills them and sends them.

The ids are the contract (notifiers.slack.ids, which the listeners import too): the record modal's
inputs have `block_id` = `action_id` = `note`, `on`, `due`, `deadline`, `status`, `source`,
`said_by`; the snooze modal's `until` and `reason`; the follow-up's `form`, `reply_due.FORM`,
`ref`, `to`, `note`; the record reply modal's `chase`, `on`, `note`, `link`. Everything from the register or a person is shown in `plain_text`, which
Slack never parses, or made inert and escaped for mrkdwn (blocks.clip: no `*_~` or backtick of
theirs can open a span, see blocks' docstring); a command to copy keeps its characters (blocks.code).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import notifiers.slack.ids as ids
from bot.decide import words
from bot.register.model import STATUSES
from bot.register.recording import LONGEST
from notifiers.slack.blocks import clip, code, plain

NOTE_MAX = LONGEST["--note"]  # what a note may hold (Slack's own limit on a plain_text_input): every door holds it
SECTION_MAX = 2900  # characters of text in one section (Slack allows 3,000)
HOME_SECTIONS = 20  # sections per list in App Home: two lists and their headings stay far under 100 blocks
ANSWER_MAX = 3900  # a `/commitments` answer: under the 4,000 characters Slack advises for a message


def _input(block_id: str, label: str, element: dict[str, Any], optional: bool = False,
           hint: str | None = None, dispatch: bool = False) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "input", "block_id": block_id, "optional": optional,
                             "label": {"type": "plain_text", "text": label},
                             "element": {**element, "action_id": block_id}}
    if hint:
        block["hint"] = {"type": "plain_text", "text": plain(hint, 2000)}
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


def _option(value: str, shown: str | None = None) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": shown or value}, "value": value}


DUE_LABELS = {"promise": "New promised time, in the government's words",
              "ask": "A date the government now gives, in its words",
              "expectation": "A date the government now gives, in its words"}


def record_modal(metadata: str, title: str, promised: str, today: date, status: str | None = None,
                 preview: str | None = None, note: str | None = None, source: str | None = None,
                 on: date | None = None, type_name: str = "promise", said_by: str | None = None) -> dict[str, Any]:
    """The record modal; `preview` is how the `due` words typed so far read (refreshed on Enter);
    `said_by`, who gave the words it reports when that is known (a lead's answering member), shown
    where the person can see and correct it (SPEC §7.2).
    It speaks of the commitment as what it is (SPEC §7.1): an ask or an expectation is "met",
    never "delivered", and has no "promised time"; the values sent back are the register's."""
    w = words.of(type_name)
    select: dict[str, Any] = {"type": "static_select", "placeholder": {"type": "plain_text", "text": "unchanged"},
                              "options": [_option(s, w.status(s)) for s in STATUSES]}
    if status:
        select["initial_option"] = _option(status, w.status(status))
    closings = f"{w.status('delivered')}, {w.status('partly-delivered')} or dropped"
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{clip(title, 300)}*"}},
        _plain_section(plain(promised, 700)),
        _input(ids.NOTE, "What happened", _text("e.g. The Minister now says spring 2027", True, note)),
        _input(ids.ON, "When it happened", _date_picker(on or today)),
        _input(ids.DUE, DUE_LABELS[w.name], _text("e.g. spring 2027", max_length=LONGEST["--due"]),
               optional=True, hint=preview or "Press Enter to see how the bot will read it.", dispatch=True),
        _input(ids.DEADLINE, "New deadline, if the words do not read", _date_picker(None), optional=True),
        _input(ids.STATUS, "Status", select, optional=True),
        _input(ids.SOURCE, "Evidence link", _text("https://…", initial=source, max_length=LONGEST["--source"]), optional=True,
               hint=f"Needed to mark {'a' if w.name == 'promise' else 'an'} {w.noun} {closings}."),
        _input(ids.SAID_BY, "Who said it", _text("e.g. Lord Murray of Blidworth", initial=said_by,
                                                 max_length=LONGEST["--said-by"]), optional=True,
               hint="The minister or official whose words these are, when the source names them: the bot "
                    f"attributes a new date to them, never to whoever made the first {w.noun}."),
    ]
    return {"type": "modal", "callback_id": ids.RECORD_VIEW, "private_metadata": metadata,
            "title": {"type": "plain_text", "text": "Record an update"},
            "submit": {"type": "plain_text", "text": "Record"}, "close": {"type": "plain_text", "text": "Cancel"},
            "blocks": blocks}


def snooze_modal(metadata: str, title: str, today: date) -> dict[str, Any]:
    return {"type": "modal", "callback_id": ids.SNOOZE_VIEW, "private_metadata": metadata,
            "title": {"type": "plain_text", "text": "Snooze reminders"},
            "submit": {"type": "plain_text", "text": "Snooze"}, "close": {"type": "plain_text", "text": "Cancel"},
            "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": f"*{clip(title, 300)}*"}},
                _input(ids.UNTIL, "Until", _date_picker(today)),
                _input(ids.REASON, "Why", _text("e.g. Officials promised a reply after recess", max_length=LONGEST["--reason"])),
            ]}


FORM_LABELS = {ids.WQ_LORDS: "Written question, House of Lords", ids.WQ_COMMONS: "Written question, House of Commons",
               ids.LETTER: "Letter to the minister", ids.FOI: "Freedom of information request"}
DRAFT_SECTIONS = 12  # sections of draft text: the longest draft shipped needs two


@dataclass(frozen=True)
class FollowUp:
    """What the draft follow-up modal shows: the draft in one form, or why there is none, and
    the reply due by the service standard for that form, or why it could not be worked out."""

    form: str  # a key of ids.DRAFT_FORMS
    text: str | None  # the draft as `commitment-bot draft` prints it; None: it could not be drafted
    why_not: str  # why not, when `text` is None
    command: str  # the command that prints the same draft, in full
    reply_due: date | None
    reply_why: str  # how the reply due was counted, or why it could not be


def follow_up_modal(metadata: str, title: str, shown: FollowUp) -> dict[str, Any]:
    """The draft for a person to check and send (the bot never sends it), the form it is drafted
    in (choosing another redraws it), and what "Record as chased" records: the reference, whom it
    went to, the reply due (the standard's day, to change if it was sent on another day) and a note."""
    select: dict[str, Any] = {"type": "static_select", "options": [{"text": {"type": "plain_text", "text": label}, "value": value}
                                                   for value, label in FORM_LABELS.items()]}
    select["initial_option"] = next(o for o in select["options"] if o["value"] == shown.form)
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            f"*{clip(title, 300)}*\nA draft for you to check and send: *the bot never sends it*. Once the team "
            "has sent it, record it here, so lapse reminders wait for the reply and you hear if it is overdue.")}},
        _input(ids.FORM, "Draft it as", select, dispatch=True),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"The same draft in full, to copy: `{code(shown.command)}`"}]},
        *draft_sections(shown),
        _input(ids.reply_due_block(shown.form), "Reply due", _date_picker(shown.reply_due), hint=shown.reply_why),
        _input(ids.REF, "Reference", _text("e.g. HL1234", max_length=LONGEST["--ref"]), optional=True,
               hint="A written question's reference: the bot then looks for its answer on each watch pass."),
        _input(ids.TO, "Sent to", _text("e.g. the Member who tabled it, or the minister's office", max_length=LONGEST["--to"]),
               optional=True),
        _input(ids.NOTE, "Note for the team", _text("e.g. Tabled by Baroness Meacher", True, max_length=LONGEST["chase --note"]),
               optional=True),
    ]
    return {"type": "modal", "callback_id": ids.RECORD_CHASE, "private_metadata": metadata,
            "title": {"type": "plain_text", "text": "Draft follow-up"},
            "submit": {"type": "plain_text", "text": "Record as chased"},
            "close": {"type": "plain_text", "text": "Close"}, "blocks": blocks}


def reply_modal(metadata: str, title: str, chases: Sequence[tuple[str, str]], chosen: str | None, today: date,
                type_name: str = "promise") -> dict[str, Any]:
    """Record reply (SPEC §7.3): which of the commitment's chases awaiting a reply was replied to
    (`chases`: (Action.key, how people name it), the alert's own `chosen`), the day the reply came
    (today, to change), a note and a link to the reply. What it records is the team's action, as
    `commitment-bot chase ID --replied` records it; what the reply says is news, for Record update."""
    options = [_option(key, plain(named, 75)) for key, named in chases[:100]]  # Slack's limits on a select
    select: dict[str, Any] = {"type": "static_select", "options": options,
                              "placeholder": {"type": "plain_text", "text": "Choose the chase"}}
    if (first := next((o for o in options if o["value"] == chosen), None)) is not None:
        select["initial_option"] = first
    noun = words.of(type_name).noun
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            f"*{clip(title, 300)}*\nRecord that the team's chase was replied to. This is the team's record, not "
            f"news of the {noun}: what the reply says of it is news, recorded with *Record update*.")}},
        _input(ids.CHASE, "Which chase was replied to", select),
        _input(ids.ON, "The day the reply came", _date_picker(today), hint="Not after today, and not before the chase."),
        _input(ids.NOTE, "Note for the team", _text("e.g. Holds no information; a fuller answer promised in March", True),
               optional=True),
        _input(ids.LINK, "Link to the reply", _text("https://…", max_length=LONGEST["--source"]), optional=True,
               hint="Where the team keeps the reply, if anywhere: it is kept with the note."),
    ]
    return {"type": "modal", "callback_id": ids.REPLY_VIEW, "private_metadata": metadata,
            "title": {"type": "plain_text", "text": "Record reply"},
            "submit": {"type": "plain_text", "text": "Record reply"}, "close": {"type": "plain_text", "text": "Cancel"},
            "blocks": blocks}


def draft_sections(shown: FollowUp) -> list[dict[str, Any]]:
    """The draft in plain_text sections (Slack parses nothing in them), whole lines to a section
    of at most SECTION_MAX characters; a line longer than that is cut, and a draft longer than
    DRAFT_SECTIONS sections ends by saying the rest is in the command's output."""
    if shown.text is None:
        return [_plain_section(f"No draft: {shown.why_not}")]
    chunks: list[str] = [""]
    for line in shown.text.rstrip("\n").split("\n"):
        line = line if len(line) <= SECTION_MAX else line[: SECTION_MAX - 1] + "…"
        if chunks[-1] and len(chunks[-1]) + len(line) + 1 > SECTION_MAX:  # never an empty section first
            chunks.append("")
        chunks[-1] += line + "\n"
    if len(chunks) > DRAFT_SECTIONS:
        chunks = [*chunks[: DRAFT_SECTIONS - 1], "… the rest is in the command's output above."]
    return [_plain_section(chunk.rstrip("\n") or " ") for chunk in chunks]


def _plain_section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "plain_text", "text": text, "emoji": False}}


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
              link: str | None = None) -> dict[str, Any]:
    """The App Home tab: what is past its date and due soon in the channels the viewer is in;
    `link` is the site's page listing every commitment, when the site's address is known."""
    where = ", ".join(f"#{c}" for c in channels) or "none of the bot's channels"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Commitments in your channels"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Channels: " + clip(where, 2900)}]},
    ]
    for heading, lines in (("🔴 Past their date", lapsed), ("⏳ Due in the next 30 days", due)):
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*{heading}* ({len(lines)})"}})
        blocks += sections(lines, link=link) or [{"type": "section", "text": {"type": "mrkdwn", "text": "_Nothing._"}}]
    return {"type": "home", "blocks": blocks}


HELP = """*`/commitments`* — ask the bot about promises (only you see the answer; end with `post` to share it)
• `/commitments lapsed` — what is past its date (promises, asks and expectations), longest past first
• `/commitments due` — what is due in the next 30 days
• `/commitments show ID` — one commitment: its words, its deadline, slips and last update
• `/commitments update ID what happened…` — record news dated today, as you
• `/commitments help` — this list"""
