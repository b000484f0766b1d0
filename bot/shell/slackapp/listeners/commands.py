"""`/commitments` (SPEC §6.2): what is lapsed and due, one promise's story, and news recorded in a
line. Answers go only to the person who asked unless they end with `post`.

Long lists are cut at whole lines, most overdue (or soonest due) first, and say how many more
there are, with a link to the site's full list when COMMITMENT_BOT_SITE_URL is set.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from bot.register.model import Register
from bot.shell import usecases
from bot.shell.slackapp import lists
from bot.shell.slackapp.desk import Desk, database_trouble, not_recorded
from bot.shell.slackapp.guard import slash_denied
from bot.shell.slackapp.recorder import Form, missing, refusals, request_of
from notifiers.slack.blocks import clip, code, escape
from notifiers.slack.views import ANSWER_MAX, HELP, whole_lines

COMMAND = "/commitments"
SHOW_MAX = 2800  # one promise's story, inside a code block


def register(app: Any, desk: Desk) -> None:
    @app.command(COMMAND)
    def command(ack: Any, command: dict[str, Any], respond: Any, client: Any) -> None:
        ack()
        words = (command.get("text") or "").split()
        public = len(words) > 1 and words[-1] == "post" and words[0].lower() != "update"  # a note may end in "post"
        words = words[:-1] if public else words
        try:
            said = answer(desk, words, command, client)
        except Exception as e:
            trouble = database_trouble(e)
            if trouble is None:
                raise
            respond(text=trouble, response_type="ephemeral")
            return
        respond(text=said, response_type="in_channel" if public else "ephemeral")


def answer(desk: Desk, words: list[str], command: dict[str, Any], client: Any) -> str:
    sub = words[0].lower() if words else "help"
    register, source_hash = desk.register()
    now = desk.now(register)
    if sub in ("lapsed", "due"):
        lapsed, due = lists.lapsed_and_due(lists.rows(desk, register, now), now.date())
        picked = lapsed if sub == "lapsed" else due
        heading = f"*{'Past their date' if sub == 'lapsed' else 'Due in the next 30 days'}* ({len(picked)})"
        shown = whole_lines([lists.line(r) for r in picked], ANSWER_MAX - len(heading) - 1, lists.site_link(desk))
        return heading + "\n" + ("\n".join(shown) or "_Nothing._")
    if sub == "show" and len(words) == 2:
        return _show(desk, register, words[1], now)
    if sub == "update" and len(words) >= 3:
        return _update(desk, register, source_hash, words[1], " ".join(words[2:]), command, client, now)
    prefix = "" if sub == "help" else f"I do not know `{clip(' '.join(words), 100)}`.\n"
    return prefix + HELP


def _unknown(desk: Desk, register: Register, commitment_id: str) -> str:
    """A typed id the register does not hold: archived (its history is kept) or never there."""
    return missing(register, commitment_id, known=bool(desk.store.register.first_seen([commitment_id])))


def _show(desk: Desk, register: Register, commitment_id: str, now: datetime) -> str:
    from bot.shell.text.history import render_history

    c = register.by_id().get(commitment_id)
    if c is None:
        return _unknown(desk, register, commitment_id)
    recorded = desk.store.updates.recorded([c.id], quarters=register.quarters).get(c.id, [])
    lines = [code(line) for line in render_history(c, None, recorded, now).splitlines()]  # no ``` of theirs ends the block
    return "```" + "\n".join(whole_lines(lines, SHOW_MAX)) + "```"


def _update(desk: Desk, register: Register, source_hash: str, commitment_id: str, note: str, command: dict[str, Any],
            client: Any, now: datetime) -> str:
    c = register.by_id().get(commitment_id)
    if c is None:
        return _unknown(desk, register, commitment_id)
    refused = slash_denied(desk, register, c, command, client)
    if refused:
        return refused
    user = command["user_id"]
    form = Form(c.id, note, now.date(), ref=replay_ref(command), recorded_by=desk.display_name(client, user, command))
    problems = refusals(register, c, form, now.date())
    if problems:
        return "Nothing was recorded: " + " ".join(escape(p) for p in problems.values())
    try:
        row = usecases.record_update(desk.store, register, source_hash, request_of(form, user), now,
                                     ref=form.ref, recorded_by=form.recorded_by)
    except Exception as e:  # noqa: BLE001 - a locked or unreachable database: say so, record nothing
        return not_recorded(e)
    if isinstance(row, str):
        return f"Nothing was recorded: {escape(row)}"
    desk.deliver(touched=c.id)
    return f"Recorded for *{clip(c.title, 200)}* on {now.date():%-d %b %Y}: {clip(note, 2000)}"


def replay_ref(command: dict[str, Any]) -> str:
    """The identity of one slash command: a replay of the same signed request (or Slack sending
    it twice) carries the same body, so it records once, as a form submission does."""
    body = json.dumps(command, sort_keys=True, default=str).encode("utf-8", "surrogatepass")
    return "slash:" + hashlib.sha256(body).hexdigest()[:40]
