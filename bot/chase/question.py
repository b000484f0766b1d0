"""The question a draft asks Parliament (SPEC §7.5): one question in the House's own form,
within the answering body's responsibility, without argument (Companion 5.12), citing the latest
written answer as the one fact a department needs. Pure; split from bot.chase.draft, which calls
`question` once the rest of a draft is known."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from bot.register.model import Source
from bot.register.questions import question_of

if TYPE_CHECKING:
    from bot.chase.draft import Draft, Said

__all__ = ["question"]

_UIN = re.compile(r"\b(?:written answer|question)\s+(HL\d+|\d{3,})\b", re.IGNORECASE)


def _long(d: date) -> str:
    """A day as Parliament writes it in a question: "31 July 2023"."""
    return f"{d:%-d %B %Y}"


def question(d: Draft) -> str:
    """One question in the House's form, asking what is known and when, never arguing."""
    commons = d.house == "commons"
    opening = f"To ask {d.answering.commons_to if commons else d.answering.lords_to}, "
    cited = _answer(d)
    ref = _reference(cited, commons) if cited else ""
    text = opening + ref + _ask(d, commons, cited)
    return text if ref or commons else text.replace(", ", " ", 1)  # Lords: "To ask His Majesty's Government what …"


def _ask(d: Draft, commons: bool, cited: Said | None) -> str:
    """What the question asks. The Commons asks the minister about "his Department" or "her
    Department" as fits whoever holds the office when it is tabled (the Table Office prints it so:
    "what steps her Department is taking", UIN 120901), which the bot does not know: the Member
    writes it in. An office with no department of its own (the Leader of the House) is asked what
    "he" or "she" did. The Lords asks His Majesty's Government, "they"."""
    mine = "[he/she]" if d.answering.personal else "[his/her] Department"
    who, has, plans = (mine, "has", "plans") if commons else ("they", "have", "plan")
    if d.type == "promise" and not d.dated:  # continuing work: what was done since, and whether it stands
        since = "since then" if cited is d.latest else f"since {_long(d.latest.on)}" if d.latest.on else "so far"
        return f"what steps {who} {has} taken {since} to {d.task}; and whether that commitment still stands."
    if d.type == "promise":
        done = "when that work is expected to be completed" if commons else "when they expect that work to be completed"
        return f"what progress {who} {has} made on plans to {d.task}; and {done}."
    if d.type == "ask" and d.in_law:  # a minister brings forward legislative proposals, or the Government does
        return f"whether {'[he/she]' if commons else 'they'} will bring forward legislative proposals to {d.task}; and if" \
               " not, why not."
    if d.type == "ask":  # whether it will be done, never when: no plan or date is presumed
        return f"whether {who} will {d.task}; and if not, why not."
    if d.lapsed:  # an expectation's occurrences that passed with no news, not those met
        return f"whether {who} decided to {d.asked}; and if not, why not."
    if d.asked != d.task:  # an occurrence named: the period says when
        return f"whether {who} {plans} to {d.asked}."
    return f"whether {who} {plans} to {d.task}; and if so, when."


def _uin(source: Source | None) -> str | None:
    """The written question a source is the answer to: named in its title ("Written answer HL9622"),
    or its link the question's own page (a confirmed answer lead's, recorded with no title)."""
    if source is None:
        return None
    found = _UIN.search(source.title)
    if found:
        return found.group(1).upper()
    page = question_of(source.url)
    return page[0] if page else None


def _answer(d: Draft) -> Said | None:
    """The latest written answer among the words in force and the statements since: the one fact a
    department needs to answer precisely."""
    return next((s for s in reversed((d.now, *d.later)) if s.on and _uin(s.source)), None)


def _reference(now: Said, commons: bool) -> str:
    """ "with reference to the Answer given in the House of Lords on 31 July 2023 to Question HL9622, "
    in the Commons; "further to the Written Answer by … on 31 July 2023 (HL9622), " in the Lords."""
    uin = _uin(now.source)
    if not uin or now.on is None:
        return ""
    if commons:
        where = " in the House of Lords" if uin.startswith("HL") else ""
        return f"with reference to the Answer given{where} on {_long(now.on)} to Question {uin}, "
    by = f" by {now.said_by.split(' (')[0]}" if now.said_by else ""  # a name, not its gloss
    where = "" if uin.startswith("HL") else " in the House of Commons"  # a Commons answer, named as one
    return f"further to the Written Answer{by}{where} on {_long(now.on)} ({uin}), "
