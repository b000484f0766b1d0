"""The Slack app's stable ids (SPEC §6.2): every `action_id`, `callback_id` and `block_id` the bot
puts in a message or a modal and listens for. The message builders (buttons.py, views.py) and the
listeners (bot/shell/slackapp/listeners/) both import them from here, so a button and the
listener that answers it cannot drift apart.

An input's element has `action_id` equal to its `block_id`: one name per field. The strings are a
contract with every message already posted in a workspace: a button in last month's alert still
sends its old id, so they never change.
"""

from __future__ import annotations

# Buttons on an alert about a commitment: `value` is JSON {"id", "period"}.
RECORD_UPDATE = "record_update"
SNOOZE = "snooze"
MARK_DELIVERED = "mark_delivered"
DRAFT_FOLLOW_UP = "draft_follow_up"  # on lapsed and reply-overdue alerts (SPEC §7.5)
RECORD_REPLY = "record_reply"  # on reply-overdue alerts: `value` is JSON {"id", "period", "chase"} (the chase's key)

# Buttons on a lead (SPEC §6.3): `value` is JSON {"id", "lead"}.
CONFIRM_LEAD = "confirm_lead"
DISMISS_LEAD = "dismiss_lead"

# Every button the bot puts under a message, and those whose click opens a form (a modal) rather than
# doing its work at once. `commitment-bot sandbox click` offers these buttons and fills the forms they
# open (bot/shell/cli/sandbox.py, bot/shell/sandbox/hand.py), so a new button is named here only.
BUTTONS = (RECORD_UPDATE, MARK_DELIVERED, SNOOZE, DRAFT_FOLLOW_UP, RECORD_REPLY, CONFIRM_LEAD, DISMISS_LEAD)
OPENS_A_FORM = frozenset({RECORD_UPDATE, MARK_DELIVERED, SNOOZE, DRAFT_FOLLOW_UP, RECORD_REPLY, CONFIRM_LEAD})

# Modals, by `callback_id`.
RECORD_VIEW = RECORD_UPDATE  # the record modal (a button of the same name opens it)
SNOOZE_VIEW = SNOOZE
RECORD_CHASE = "record_chase"  # the draft follow-up modal; submitting it is "Record as chased"
REPLY_VIEW = RECORD_REPLY  # the record reply modal

# The record modal's inputs.
NOTE = "note"
ON = "on"
DUE = "due"  # Enter in it asks for a preview of how the words read (dispatch_action)
DEADLINE = "deadline"
STATUS = "status"
SOURCE = "source"
SAID_BY = "said_by"

# The snooze modal's inputs.
UNTIL = "until"
REASON = "reason"

# The draft follow-up modal's inputs (its note is NOTE). Choosing a FORM redraws the draft.
FORM = "form"
REF = "ref"
TO = "to"
REPLY_DUE = "reply_due"

# The record reply modal's inputs (its day is ON, its note NOTE): which chase was replied to (a select of
# the chases awaiting a reply, by Action.key), and a link to the reply.
CHASE = "chase"
LINK = "link"

# The forms a follow-up is drafted in: the select's option value → (how the chase is recorded, House).
WQ_LORDS, WQ_COMMONS, LETTER, FOI = "written-question-lords", "written-question-commons", "letter", "foi"
DRAFT_FORMS: dict[str, tuple[str, str | None]] = {
    WQ_LORDS: ("written-question", "lords"),
    WQ_COMMONS: ("written-question", "commons"),
    LETTER: ("letter", None),
    FOI: ("foi", None),
}


def reply_due_block(form: str) -> str:
    """The reply-due datepicker's block id for a draft in `form`. Slack keeps what an input holds
    across `views.update` while its block id stays the same, so a date worked out for one form
    would stay when the person chooses another: each form has its own block, and the date follows."""
    return f"{REPLY_DUE}.{form}"
