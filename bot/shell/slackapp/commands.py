"""`/commitments` and the App Home tab (SPEC §6.2): what is lapsed and due, one promise's story,
and news recorded in a line. Answers go only to the person who asked unless they add `post`.

Long lists are cut at whole lines, most overdue (or soonest due) first, and say how many more
there are, with a link to the site's full list when COMMITMENT_BOT_SITE_URL is set.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, timedelta
from typing import Any

from bot.decide import words
from bot.register.model import TERMINAL, Register
from bot.shell import usecases
from bot.shell.slackapp.access import may_record
from bot.shell.slackapp.desk import Desk, log, plain_error
from bot.shell.slackapp.recorder import Form, missing, refusals, request_of
from notifiers.slack.blocks import clip, escape
from notifiers.slack.views import ANSWER_MAX, HELP, home_view, whole_lines

DUE_WITHIN = timedelta(days=30)
SHOW_MAX = 2800  # one promise's story, inside a code block
_SAFE_URL = re.compile(r"https?://[^\s<>|]+")


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
        register, source_hash = desk.register()
        now = desk.now(register)
        if sub in ("lapsed", "due"):
            lapsed, due = _lapsed_and_due(_rows(register, now), now.date())
            picked = lapsed if sub == "lapsed" else due
            heading = f"*{'Past their deadline' if sub == 'lapsed' else 'Due in the next 30 days'}* ({len(picked)})"
            lines = whole_lines([_line(r) for r in picked], ANSWER_MAX - len(heading) - 1, site_link(desk, sub))
            return heading + "\n" + ("\n".join(lines) or "_Nothing._")
        if sub == "show" and len(words) == 2:
            return _show(register, words[1], now)
        if sub == "update" and len(words) >= 3:
            return _update(register, source_hash, words[1], " ".join(words[2:]), command, client, now)
        prefix = "" if sub == "help" else f"I do not know `{clip(' '.join(words), 100)}`.\n"
        return prefix + HELP

    def _show(register: Register, commitment_id: str, now: Any) -> str:
        from bot.shell.text.history import render_history

        c = register.by_id().get(commitment_id)
        if c is None:
            return missing(register, commitment_id)
        recorded = desk.store.updates.recorded([c.id], register.quarters).get(c.id, [])
        lines = [escape(line) for line in render_history(c, None, recorded, now).splitlines()]
        return "```" + "\n".join(whole_lines(lines, SHOW_MAX)) + "```"

    def _update(register: Register, source_hash: str, commitment_id: str, note: str, command: dict[str, Any],
                client: Any, now: Any) -> str:
        c = register.by_id().get(commitment_id)
        if c is None:
            return missing(register, commitment_id)
        user = command["user_id"]
        denied = may_record(register, user, client, desk.groups)
        if denied is None and not register.recorders and not _routed_here(register, c, command):
            where = ", ".join(f"#{n}" for n in desk.slack_channels(register, c)) or "no Slack channel"
            denied = (f"Updates for {c.id} are recorded from the channel its alerts go to ({where}): run the command "
                      "there, so the people following it see it.")
        if denied:
            return denied
        form = Form(c.id, note, now.date(), ref=replay_ref(command), recorded_by=desk.display_name(client, user))
        problems = refusals(register, c, form, now.date())
        if problems:
            return "Nothing was recorded: " + " ".join(escape(p) for p in problems.values())
        try:
            row = usecases.record_update(desk.store, register, source_hash, request_of(form, user), now,
                                         ref=form.ref, recorded_by=form.recorded_by)
        except Exception as e:  # noqa: BLE001 - a locked or unreachable database: say so, record nothing
            log.warning("recording from Slack failed: %s", plain_error(e))
            return f"Nothing was recorded: the database is busy or out of reach ({clip(plain_error(e), 200)}). Try again in a minute."
        if isinstance(row, str):
            return f"Nothing was recorded: {escape(row)}"
        desk.deliver(touched=c.id)
        return f"Recorded for *{clip(c.title, 200)}* on {now.date():%-d %b %Y}: {clip(note, 2000)}"

    def _rows(register: Register, now: Any) -> list[Any]:
        from bot.decide.status import summarise

        return summarise(register, desk.store.updates.recorded(quarters=register.quarters), now,
                         desk.store.register.first_seen())

    @bolt.event("app_home_opened")
    def home(event: dict[str, Any], client: Any) -> None:
        user = event["user"]
        answer = client.users_conversations(user=user, types="public_channel,private_channel", limit=999)
        names = sorted(str(ch.get("name")) for ch in answer.get("channels") or [])
        register, _ = desk.register()
        now = desk.now(register)
        mine = {c.id for c in register.commitments if set(desk.slack_channels(register, c)) & set(names)}
        lapsed, due = _lapsed_and_due([r for r in _rows(register, now) if r.id in mine], now.date())
        client.views_publish(user_id=user, view=home_view(
            [_line(r) for r in lapsed], [_line(r) for r in due], names, (site_link(desk, "lapsed"), site_link(desk, "due"))))

    def _routed_here(register: Register, c: Any, command: dict[str, Any]) -> bool:
        """The command was run in a channel the commitment's alerts go to: by name, or (a private
        channel, which Slack names "privategroup" here) by the id its thread was posted with."""
        names = desk.slack_channels(register, c)
        ids = {desk.store.threads.channel_id(f"#{n}") for n in names}
        return command.get("channel_name") in names or command.get("channel_id") in ids


def replay_ref(command: dict[str, Any]) -> str:
    """The identity of one slash command: a replay of the same signed request (or Slack sending
    it twice) carries the same body, so it records once, as a form submission does."""
    body = json.dumps(command, sort_keys=True, default=str).encode("utf-8", "surrogatepass")
    return "slash:" + hashlib.sha256(body).hexdigest()[:40]


def site_link(desk: Desk, which: str) -> str | None:
    """The site's full list of what is lapsed (or every promise, soonest deadline first), when
    COMMITMENT_BOT_SITE_URL names the published site; None without one, or with one that is not
    a plain http(s) address (it goes inside Slack's <url|text> markup)."""
    from bot.shell.publish.listing import href

    base = (desk.context.settings.site_url or "").rstrip("/")
    if not _SAFE_URL.fullmatch(base):
        return None
    return f"{base}/{href('state-lapsed') if which == 'lapsed' else href('all', 'deadline')}"


PAST = ("lapsed", "overdue")  # past the deadline: recent news pauses reminders, it does not keep a promise


def _lapsed_and_due(rows: list[Any], today: date) -> tuple[list[Any], list[Any]]:
    """What is past its deadline and not closed (lapsed, or overdue with recent news), most overdue
    first; and what is due in the next 30 days and not closed, soonest first."""
    lapsed = sorted((r for r in rows if r.state in PAST), key=lambda r: (-r.days_overdue, r.id))
    due = sorted((r for r in rows if r.deadline and r.state not in TERMINAL and r.state not in PAST
                  and today <= date.fromisoformat(r.deadline) <= today + DUE_WITHIN), key=lambda r: (r.deadline, r.id))
    return lapsed, due


def _line(r: Any) -> str:
    """One promise in a list: an ask or an expectation named as such, lateness in words (SPEC §7.1)."""
    kind = {"ask": "ask: ", "expectation": "expected: "}.get(r.type, "")
    if r.days_overdue:
        late = {"ask": "no answer", "expectation": "no news"}.get(r.type, words.late(r.days_overdue))
        when = f"{late}, deadline {r.deadline}" + ("; news since, reminders paused" if r.state == "overdue" else "")
    else:
        when = f"deadline {r.deadline or 'none'}"
    return f"• {kind}*{clip(r.title, 150)}* (`{clip(r.id, 100)}`): {when}"
