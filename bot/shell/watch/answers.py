"""A chased question's answer (SPEC §7.5; issue 24 item 3): the loop closes itself.

The team tabled a written question and recorded it (`commitment-bot chase ID --how
written-question --ref HL1234`, or a commitment's `actions:` in the file). Until it is answered
(bot.decide.holds.answered: an update with the question's page as its source, or the team's own
record of the reply), each watch pass asks Parliament's written questions API for the question
by its reference, once a pass whatever number of commitments chased it: `uIN` and `house` (from
the reference's form: "HL…" is the Lords, a number the Commons), tabled around the day the team recorded it. Once answered, the answer is a hit on every
commitment that chased it ("HL1234 answered on 16 Dec 2026", the answer's text as its snippet),
never scored: it answers the team's own question. A person confirms it as an update, which also
answers the chase, so the question is not asked again and `reply-overdue` stops.

What an answer means is read from the API's own fields (the swagger's QuestionsViewModel):
`dateAnswered` and `answerText` both set, and not `answerIsHolding` (a holding answer, "I will
reply as soon as possible", is not the answer). The list gives an answer's first 255 characters
or so, ending "..." (tests/fixtures/uk-apis/parliament_written_questions_list_sample.source.txt):
the snippet ends at the last whole word, and the full answer is on the question's page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from bot.chase.references import reference
from bot.decide.holds import FoundAnswer, answered, chases
from bot.decide.timeline import every_action, tracks
from bot.register.model import TERMINAL, Action, Commitment, Register, Update, Watch
from bot.register.questions import LOOK_AHEAD, LOOK_BACK, question_of
from bot.shell.watch.found import Ask, Hit, day_of
from bot.shell.watch.parliament import question_url, values
from bot.shell.watch.text import plain, whole_words

# Questions tabled from 90 days before the team recorded its chase to 7 days after are looked
# at (bot.register.questions, which also links a confirmed answer to its chase): a UIN is numbered
# afresh each session, and a chase may be recorded some time after it was tabled. Of those, the
# one tabled nearest the chase is the team's.
LIST_CUT = 255  # the list API gives an answer's first 255 characters, then "..."
SNIPPET = 600  # characters of the answer kept as the lead's snippet (each channel shows fewer)

State = Literal["answered", "waiting", "unknown", "withdrawn"]


@dataclass(frozen=True)
class Chased:
    """One tabled question the team awaits the answer to, with every commitment that chased it."""

    uin: str  # as Parliament writes it: "HL1234", "12345"
    house: str  # Commons | Lords
    ref: str  # as the team wrote it first
    commitments: tuple[tuple[str, str], ...]  # (id, title) of each commitment it chases, in register order
    first: date  # the earliest day the team recorded chasing it
    last: date  # the latest
    today: date

    @property
    def who(self) -> str:
        return ", ".join(cid for cid, _ in self.commitments)

    def asks(self) -> list[Ask]:
        """An Ask per commitment chasing it: how its answer joins the pass's other finds."""
        return [Ask(cid, Watch(), None, self.today, frozenset(), title) for cid, title in self.commitments]


def pending(register: Register, updates: Mapping[str, Sequence[Update]], actions: Mapping[str, Sequence[Action]],
            today: date) -> tuple[list[Chased], list[str]]:
    """Every written question chased by `today` with a reference and no answer yet (on an open
    track of its commitment: bot.decide.holds.answered), once per question; and a problem
    for each reference that is not in a form the API can be asked for."""
    groups: dict[tuple[str, str], list[tuple[Commitment, Action]]] = {}
    problems = []
    for c in register.commitments:
        for a in awaiting(c, updates.get(c.id, ()), actions.get(c.id, ()), today):
            assert a.ref is not None
            found = reference(a.ref)
            if found is None:
                problems.append(f"{c.id}: written question {a.ref}: not a reference Parliament's questions API "
                                "is asked by (HL1234 in the Lords, 12345 in the Commons): its answer is not looked "
                                "for")
                continue
            groups.setdefault(found, []).append((c, a))
    out = []
    for (uin, house), chased in groups.items():
        named = tuple(dict.fromkeys((c.id, c.title) for c, _ in chased))
        days = [a.on for _, a in chased]
        out.append(Chased(uin, house, chased[0][1].ref or uin, named, min(days), max(days), today))
    return out, problems


def awaiting(c: Commitment, recorded: Sequence[Update], actions: Sequence[Action], today: date) -> list[Action]:
    """This commitment's written questions with a reference, chased by `today`, that no update of
    an open track it speaks for answers yet."""
    every = every_action(c, actions)
    taken = [a for a in every if a.kind == "chase" and a.how == "written-question" and a.ref]
    if not taken:
        return []
    out: dict[str, Action] = {}
    for track in tracks(c, recorded, today):
        if track.status in TERMINAL:
            continue
        for a in chases(taken, track.period, today):
            if not answered(a, track.updates, every, today):
                out.setdefault(a.key, a)
    return list(out.values())


def open_answers(store: Any, register: Register, actions: Mapping[str, Sequence[Action]]) -> dict[str, list[FoundAnswer]]:
    """The written questions' answers the watch posted as leads that no one has confirmed or
    dismissed yet, per commitment they may answer, when any commitment chased a question by its
    reference (bot.decide.engine: a reply-overdue then says the answer is there to confirm)."""
    if not any(a.kind == "chase" and a.how == "written-question" and a.ref
               for c in register.commitments for a in every_action(c, actions.get(c.id, ()))):
        return {}
    out: dict[str, list[FoundAnswer]] = {}
    for lead in store.leads.list("new"):
        if lead.source == "parliament-question" and question_of(lead.url) is not None:
            for cid in lead.commitments:
                out.setdefault(cid, []).append(FoundAnswer(lead.id, lead.url, lead.published))
    return out


def request(base: str, q: Chased) -> tuple[str, dict[str, Any]]:
    """The question by its UIN, in its House, tabled around the chase (the swagger's list
    parameters `uIN`, `house`, `tabledWhenFrom`, `tabledWhenTo`), answered or not, withdrawn
    included (so a withdrawn question is told as such, not as unknown), of any session."""
    params = {"uIN": q.uin, "house": q.house, "tabledWhenFrom": (q.first - LOOK_BACK).isoformat(),
              "tabledWhenTo": (q.last + LOOK_AHEAD).isoformat(), "answered": "Any", "includeWithdrawn": "true",
              "sessionStatus": "Any", "expandMember": "true"}  # expandMember: the answering member's name
    return f"{base.rstrip('/')}/api/writtenquestions/questions", params


def read(data: Any, base: str, q: Chased) -> tuple[State, Hit | None]:
    """What the API says of the question: answered (with the hit), waiting, withdrawn, or unknown."""
    found = [(tabled, v) for v in values(data)
             if str(v.get("uin", "")).upper() == q.uin and v.get("house", q.house) == q.house
             and (tabled := day_of(v.get("dateTabled"))) is not None]
    if not found:
        return "unknown", None
    tabled, item = min(found, key=lambda f: abs((f[0] - q.first).days))
    if item.get("isWithdrawn") is True:
        return "withdrawn", None
    day = day_of(item.get("dateAnswered"))
    text = item.get("answerText") if isinstance(item.get("answerText"), str) else None
    snippet = answer_snippet(text)
    if day is None or day > q.today or not snippet or item.get("answerIsHolding") is True:
        return "waiting", None
    uin = str(item["uin"])  # as the API writes it, so the page is the one its search links to
    by = _member(item.get("answeringMember"))
    title = f"{uin} answered on {day.day} {day:%b %Y}" + (f" by {by}" if by else "")
    return "answered", Hit(title, question_url(base, tabled, uin), day, "parliament-question", snippet, kept=True)


def _member(member: Any) -> str | None:
    """The answering member's name (the swagger's MemberViewModel `name`, given with expandMember),
    plain and short; None when the API gives none."""
    if not isinstance(member, dict) or not isinstance(member.get("name"), str):
        return None
    name = plain(member["name"], 120)
    return name if name and len(name) <= 100 and " by " not in name else None


# The title of a chased question's answer lead: "HL1234 answered on 12 Dec 2025[ by NAME]".
_TITLE = re.compile(r"(?P<uin>HL\d+|\d+) answered on (?P<day>\d{1,2} [A-Z][a-z]{2} \d{4})(?: by (?P<by>.+))?")


def as_update(title: str, snippet: str | None, source: str) -> tuple[str, str | None]:
    """What confirming a lead records by default: its note and who gave the words (SPEC §7.2).
    A chased question's answer keeps the answer's words, quoted, and the answering member as
    `said_by` (found in review: the note was only "HL1234 answered on 12 Dec 2025", the words lost);
    any other lead, its title and no one."""
    found = _TITLE.fullmatch(title) if source == "parliament-question" else None
    if found is None:
        return title, None
    words = f": “{snippet}”" if snippet else ""
    return f"{found['uin']} answered on {found['day']}{words}", found["by"]


def answer_snippet(text: str | None) -> str | None:
    """The answer's words, plain and inert, ending at a whole word: the list's own cut ("…re...")
    loses its broken last word, and a longer answer is cut at SNIPPET characters."""
    words = plain(text, 10 * SNIPPET)
    if not words:
        return None
    if words.endswith("...") and len(words) >= LIST_CUT:  # the list API's cut, mid-word
        kept = words[:-3].rsplit(" ", 1)[0] if " " in words[:-3] else words[:-3]
        return whole_words(kept.rstrip(" ,;:") + "…", SNIPPET)
    return whole_words(words, SNIPPET)

