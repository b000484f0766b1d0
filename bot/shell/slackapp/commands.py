"""`/commitments` and the App Home tab (SPEC §6.2): what is lapsed and due, one promise's story,
and news recorded in a line. Answers go only to the person who asked unless they add `post`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.model import TERMINAL, Register
from bot.shell.slackapp.desk import Desk
from bot.shell.slackapp.handlers import may_record
from bot.shell.slackapp.recorder import Form, missing, record, refusal
from notifiers.slack.blocks import clip, escape
from notifiers.slack.views import HELP, home_view

DUE_WITHIN = timedelta(days=30)


def install(bolt: Any, desk: Desk) -> None:
    @bolt.command("/commitments")
    def command(ack: Any, command: dict[str, Any], respond: Any, client: Any) -> None:
        ack()
        words = (command.get("text") or "").split()
        public = len(words) > 1 and words[-1] == "post" and words[0].lower() != "update"  # a note may end in "post"
        words = words[:-1] if public else words
        answer = _answer(words, command, client)
        respond(text=answer, response_type="in_channel" if public else "ephemeral")

    def _answer(words: list[str], command: dict[str, Any], client: Any) -> str:
        sub = words[0].lower() if words else "help"
        register, _ = desk.register()
        now = desk.now(register)
        if sub in ("lapsed", "due"):
            lapsed, due = _lapsed_and_due(_rows(register, now), now.date())
            picked = lapsed if sub == "lapsed" else due
            heading = "Lapsed" if sub == "lapsed" else "Due in the next 30 days"
            return f"*{heading}* ({len(picked)})\n" + ("\n".join(_line(r) for r in picked[:40]) or "_Nothing._")
        if sub == "show" and len(words) == 2:
            return _show(register, words[1], now)
        if sub == "update" and len(words) >= 3:
            return _update(register, words[1], " ".join(words[2:]), command, client, now)
        prefix = "" if sub == "help" else f"I do not know `{escape(' '.join(words))[:100]}`.\n"
        return prefix + HELP

    def _show(register: Register, commitment_id: str, now: Any) -> str:
        from bot.shell.text.history import render_history

        c = register.by_id().get(commitment_id)
        if c is None:
            return missing(register, commitment_id)
        recorded = desk.store.recorded_updates([c.id], register.quarters).get(c.id, [])
        text = render_history(c, None, recorded, now)
        return "```" + escape(text)[:2800] + "```"

    def _update(register: Register, commitment_id: str, note: str, command: dict[str, Any], client: Any,
                now: Any) -> str:
        c = register.by_id().get(commitment_id)
        if c is None:
            return missing(register, commitment_id)
        user = command["user_id"]
        denied = may_record(register, user, client)
        if denied is None and not register.recorders and not _routed_here(register, c, command):
            where = ", ".join(f"#{n}" for n in desk.slack_channels(register, c)) or "no Slack channel"
            denied = (f"Updates for {c.id} are recorded from the channel its alerts go to ({where}): run the command "
                      "there, so the people following it see it.")
        if denied:
            return denied
        form = Form(c.id, note, now.date())
        problem = refusal(register, c, form, now.date())
        if problem:
            return f"Nothing was recorded: {problem.message}"
        record(desk.store, form, user, now)
        desk.check_now()
        return f"Recorded for *{clip(c.title, 200)}* on {now.date():%-d %b %Y}: {clip(note, 2000)}"

    def _rows(register: Register, now: Any) -> list[Any]:
        from bot.status import summarise

        return summarise(register, desk.store.recorded_updates(quarters=register.quarters), now,
                         desk.store.first_seen())

    @bolt.event("app_home_opened")
    def home(event: dict[str, Any], client: Any) -> None:
        user = event["user"]
        answer = client.users_conversations(user=user, types="public_channel,private_channel", limit=999)
        names = sorted(str(ch.get("name")) for ch in answer.get("channels") or [])
        register, _ = desk.register()
        now = desk.now(register)
        mine = {c.id for c in register.commitments if set(desk.slack_channels(register, c)) & set(names)}
        lapsed, due = _lapsed_and_due([r for r in _rows(register, now) if r.id in mine], now.date())
        client.views_publish(user_id=user, view=home_view([_line(r) for r in lapsed], [_line(r) for r in due], names))

    def _routed_here(register: Register, c: Any, command: dict[str, Any]) -> bool:
        """The command was run in a channel the commitment's alerts go to: by name, or (a private
        channel, which Slack names "privategroup" here) by the id its thread was posted with."""
        names = desk.slack_channels(register, c)
        ids = {desk.store.threads.channel_id(f"#{n}") for n in names}
        return command.get("channel_name") in names or command.get("channel_id") in ids


def _lapsed_and_due(rows: list[Any], today: date) -> tuple[list[Any], list[Any]]:
    """What is lapsed, and what is due in the next 30 days and not closed."""
    lapsed = [r for r in rows if r.state == "lapsed"]
    due = [r for r in rows if r.deadline and r.state not in TERMINAL and r.state != "lapsed"
           and today <= date.fromisoformat(r.deadline) <= today + DUE_WITHIN]
    return lapsed, due


def _line(r: Any) -> str:
    overdue = f"{r.days_overdue} days overdue, " if r.days_overdue else ""
    return f"• *{clip(r.title, 150)}* (`{clip(r.id, 100)}`): {overdue}deadline {r.deadline or 'none'}"
