"""Reply overdue (SPEC §7.3): the team chased (a written question, a letter, an FOI request)
and the reply due date passed with nothing that answers it (bot.decide.holds.answered_on: the
reply the team recorded, or its written question's answer; news since the chase is not its
reply). Told once per chase, identity (id, action); it is the team's own reminder, held by a
snooze like the others. A written question whose answer the watch posted as a lead not yet
confirmed is said to be answered, with the lead to confirm (the engine sets `ChaseView.lead`).
How to record the reply is each channel's to say (`Alert.to_record`): Slack's Record reply
button, the alert mail's links to the thread and the site, or the command when it knows neither."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.decide import words
from bot.decide.alerts import Alert
from bot.decide.holds import awaiting
from bot.decide.kinds.base import Day, Due, Kind, Moment, Said, same
from bot.decide.sent import ident
from bot.decide.states import start_of
from bot.register.model import TERMINAL, Action

# Reply-overdue's words, kept here and nowhere else. The bot knows what the team recorded (how and on
# which day it chased, to whom, the reply due), who owes the reply (the owner, or whom it went to),
# and that no answer has been recorded or found since; it never knows that the department "has not
# answered" nor the day a question was tabled (the day it was recorded is not that day).
# Each `--how` is named from the one table (words.CHASE_NOUN).
_N = words.CHASE_NOUN
WHAT = {"written-question": f"the {_N['written-question']}", "letter": f"the team's {_N['letter']}",
        "foi": f"the {_N['foi']}", "meeting": "what the team asked at a meeting", "other": f"the team's {_N['other']}"}
NAMED = {"written-question": _N["written-question"], "letter": f"the team's {_N['letter']}",
         "foi": f"the team's {_N['foi']}"}


class Rule:
    def due(self, m: Moment) -> list[Due]:
        if m.track.status in TERMINAL:
            return []
        return [Due(key, deadline=m.track.deadline, action=a) for a in self._overdue(m)
                if (key := _ident(m, a)) not in m.index.idents]

    def next_change(self, m: Moment) -> datetime | None:
        if m.track.status in TERMINAL:
            return None
        later = [start_of(a.reply_due + timedelta(days=1), m.tz) for a in awaiting(m.actions, m.track.updates,
                                                                                    m.track.period, m.today)
                 if a.reply_due is not None and _about(a, m) and _ident(m, a) not in m.index.idents]
        return max(m.now, min(later)) if later else None

    def still_true(self, kind_deadline: date | None, state: str, deadline: date | None) -> bool:
        return state not in TERMINAL

    @staticmethod
    def _overdue(m: Moment) -> list:  # type: ignore[type-arg]
        return [a for a in awaiting(m.actions, m.track.updates, m.track.period, m.today)
                if a.reply_due is not None and a.reply_due < m.today and _about(a, m)]


def _ident(m: Moment, a: Action) -> str:
    """Its identity (id, action), SPEC §7.3: a chase naming no period of a series is one chase of
    every year it is about, told once (the engine keeps the first, the earliest open year), not
    once a year."""
    return ident("reply-overdue", m.c.id, a.period, a.key)


def _about(a: Action, m: Moment) -> bool:
    """A chase naming no period of a series is about the periods already past their date when it
    was made: a letter about the lapsed 2025-26 year is not a year's chase of 2026-27, still ahead."""
    if a.period is not None or m.track.period is None:
        return True
    return m.track.deadline is not None and m.track.deadline < a.on


def says(a: Alert, day: Day) -> Said:
    chase = a.chase
    if chase is None:
        return "A reply is overdue", "."
    chased = WHAT.get(chase.how, "the team's chase")
    what = f"{NAMED.get(chase.how, chased)} {chase.ref}" if chase.ref else chased
    reply = "answer" if chase.how == "written-question" else "reply"
    due = f", reply due {_day(chase.reply_due)}" if chase.reply_due else ""
    own = f"This is the team's own chase, not news of the {words.of(a.type).noun}."
    if chase.lead is not None:  # the watch found the answer: it is not missing, it waits for a person
        on = f" on {_day(chase.answered)}" if chase.answered else ""
        return (f"{chase.ref or 'The question'} was answered{on} (lead {chase.lead}, not yet confirmed)",
                f": it waits for someone to confirm it as the answer, or dismiss it if it is not"
                f" (recorded as chased on {_day(chase.on)}{due}). {own}")
    return (f"No {reply} from {_from(a)} to {what} has been recorded",
            f" (recorded as chased on {_day(chase.on)}{due}). {own}")


def _from(a: Alert) -> str:
    """Who the reply is awaited from: a written question is answered by the government (the
    register's owner, whoever tabled it); a letter, an FOI request or a meeting by whom it went to,
    as the team recorded it, else the owner."""
    chase = a.chase
    return a.owner if chase is None or chase.how == "written-question" or not chase.to else chase.to


def _day(iso: str) -> str:
    """A day as people write it, with its weekday ("Mon 7 Dec 2026"), in every channel: a reply due
    falls on a working day, and the weekday lets a reader check it."""
    return f"{date.fromisoformat(iso):%a %-d %b %Y}"


KIND = Kind("reply-overdue", "⌛", "#8a4b00", None, same("Reply overdue"), says, Rule(), reminder=True, follow_up=True,
            several={"reply overdue": "replies overdue"})
