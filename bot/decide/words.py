"""The vocabulary every surface shares, so each says the same true thing (each kind's own words
are in bot.decide.kinds).

A team puts its name to every word the bot posts, mails and publishes (SPEC §7). Three rules
live here and nowhere else:
- a promise, an ask and an expectation are each named as what they are (§7.1): only a promise
  is "promised", only a promise "lapses"; an expectation that passes its date has "no news";
- the words in force are attributed to whoever said them, when and where (§7.2);
- lateness in prose is said in words ("nearly three years late"); tables keep numbers.

Pure: renderers pass in how they write a day (`day`), and add their own markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

Day = Callable[[str], str]  # an ISO date as the channel writes it ("31 Aug 2022")


@dataclass(frozen=True)
class TypeWords:
    """How one type of commitment is named (SPEC §7.1)."""

    name: str  # promise | ask | expectation
    noun: str  # "promise", "ask", "expectation"
    time_label: str  # the label of its time words: "Promised", "Asked for", "Expected"
    close_button: str  # the button that closes it: "Mark delivered", "Mark met"
    statuses: dict[str, str]  # a closing status as this type says it
    past_label: str  # the label of its days past the date: only a promise is "overdue"
    times: tuple[str, str]  # its times, one and many: "promised time(s)", "time(s) asked for"
    now_label: str  # the label of the words in force once an update changed them (see `label`)
    date: str  # its date: only a promise has "the deadline"; "the date asked for", "the expected date"

    def label(self, changed: bool) -> str:
        """The label of the words in force: "Promised", then "Promised now" once an update gave new
        words. A new date for an ask or an expectation comes from whoever answers it, not from who
        asked nor from the team: "Date now given", never "Asked for now" or "Expected now" beside a
        minister's name."""
        return self.now_label if changed else self.time_label

    def by(self, owner: str, made_by: str | None) -> str:
        """ "promised by Home Office (Lord Sharpe of Epsom)", "asked of Home Office by Nicole Jacobs",
        "expected of Home Office, not promised"."""
        if self.name == "ask":
            return f"asked of {owner}" + (f" by {made_by}" if made_by else "")
        if self.name == "expectation":
            return f"expected of {owner}, not promised"
        return f"promised by {owner}" + (f" ({flat(made_by)})" if made_by else "")

    def by_field(self, owner: str, made_by: str | None) -> tuple[str, str]:
        """Who it is of, as a field with no label of its own: the words of `by`, capitalised, so every
        surface says the same ("Promised by Home Office (Lord Sharpe of Epsom)", SPEC §7.1)."""
        said = self.by(owner, made_by)
        return "", said[:1].upper() + said[1:]

    def past(self, days: int) -> str:
        """Days past the date as this type says it: a promise is "about eight months late"; an
        ask or an expectation was never promised, so it is only past its date ("" when not)."""
        if days <= 0:
            return ""
        if self.name == "promise":
            return late(days)
        return f"{span(days)} past {self.date}"

    def status(self, status: str) -> str:
        """A status as people say it of this type: an ask is "met", a promise "delivered"."""
        return self.statuses.get(status, status.replace("-", " "))

    def after(self, days: int) -> str:
        """How long after its date a closing's news came: "about three months after the deadline"
        ("" when not after). An update is dated by its news, which is not always when the thing
        was done (money for 2022-23 reported in July 2023 was not shown to be paid late), so a
        closing is never said to be "delivered N late": only its news is dated."""
        return f"{span(days)} after {self.date}" if days > 0 else ""

    def closed(self, status: str, on: str) -> str:
        """ "Delivered: news of 12 Jul 2023": a closing, dated by the news that reported it (`after`
        says how long after the date that was)."""
        said = self.status(status)
        return f"{said[:1].upper()}{said[1:]}: news of {on}"


def flat(name: str) -> str:
    """ "Priti Patel (Home Secretary)" inside brackets reads as "Priti Patel, Home Secretary"."""
    if name.endswith(")") and name.count("(") == 1:
        return name[:-1].replace(" (", ", ")
    return name


_PROMISE_STATUSES = {"delivered": "delivered", "partly-delivered": "partly delivered", "dropped": "dropped",
                     "superseded": "superseded", "open": "open"}
_MET_STATUSES = {"delivered": "met", "partly-delivered": "partly met", "dropped": "dropped",
                 "superseded": "superseded", "open": "open"}

TYPES: dict[str, TypeWords] = {t.name: t for t in (
    TypeWords("promise", "promise", "Promised", "Mark delivered", _PROMISE_STATUSES, "Days overdue",
              ("promised time", "promised times"), "Promised now", "the deadline"),
    TypeWords("ask", "ask", "Asked for", "Mark met", _MET_STATUSES, "Days past the date asked for",
              ("time asked for", "times asked for"), "Date now given", "the date asked for"),
    TypeWords("expectation", "expectation", "Expected", "Mark met", _MET_STATUSES, "Days past the expected date",
              ("expected time", "expected times"), "Date now given", "the expected date"),
)}


# What each state means, for people who have not met the word before (SPEC §3): the public site
# explains every state it shows with these, so they speak of the record, not of the team's alerts
# (`status` has its own, which do).
STATES = {
    "upcoming": "its deadline is still some way off",
    "due-soon": "its deadline is close",
    "lapsed": "past its deadline, with no update since (or none for a long time)",
    "overdue": "past its deadline, with news since",
    "open": "it names no date, and there has been recent news",
    "silent": "it names no date, and there has been no news for a long time",
    "delivered": "closed: delivered, with evidence",
    "partly-delivered": "closed: partly delivered, with evidence",
    "dropped": "closed: dropped, with evidence",
    "superseded": "closed: replaced by another commitment",
    "archived": "removed from the register; kept here with its history",
}


# Past its date is "lapsed" or "overdue" only for a promise (SPEC §7.1): tables say what it is.
PAST_DATE = {"promise": "lapsed", "ask": "no answer", "expectation": "no news"}  # and no news since
NEWS_SINCE = {"promise": "overdue", "ask": "past date", "expectation": "past date"}  # with news since
MET = {"delivered": "met", "partly-delivered": "partly met"}  # an ask's or an expectation's closing
STATES |= {"no answer": "an ask past the date it asked for, with no answer since (or none for a long time)",
           "no news": "an expectation past its date, with no news since (or none for a long time)",
           "past date": "an ask or an expectation past its date, with news since",
           "met": "closed: an ask or an expectation met, with evidence",
           "partly met": "closed: an ask or an expectation partly met, with evidence"}


def the_owner(owner: str) -> str:
    """An owner as prose names it: "the Home Office", but "HM Treasury" (a name that starts with
    "HM", "His Majesty's" or "The" takes no "the")."""
    article = "" if owner.lower().startswith(("hm ", "the ", "his majesty", "her majesty")) else "the "
    return f"{article}{owner}"


def context_label(owner: str) -> str:
    """How an update that is someone else's statement (a context update) is labelled wherever it
    is listed: "Context (not the Home Office's word)". It is about the commitment, never the
    owner's word on it, so no surface may read it as the government's latest news."""
    return f"Context (not {the_owner(owner)}'s word)"


def answered(type_name: str | None) -> bool:
    """Whether its first date is not the owner's, so the owner's first date answers it: an ask's is
    the asker's, an expectation's the team's (SPEC §7.1). That answer is never a slip of the date
    before it; only later moves of the owner's own date are."""
    return type_name in ("ask", "expectation")


def stated_as(type_name: str, promised_times: int) -> str:
    """The type a state and a headline are said for: an ask or an expectation the owner answered
    with a date of its own (a second promised time) is past that date as a promise is, "lapsed",
    never "no answer" or "no news" (the owner did answer); its type stays what it is everywhere
    else (SPEC §7.1)."""
    return "promise" if answered(type_name) and promised_times > 1 else type_name


def the_date(type_name: str, owner: str, promised_times: int) -> str:
    """The date in force, named as what it is (SPEC §7.1): a promise's deadline, the date an ask
    asked for or an expectation expected, or, once the owner answered with a date of its own
    (`stated_as`), the date the owner gave."""
    return f"the date {owner} gave" if stated_as(type_name, promised_times) != type_name else of(type_name).date


def date_news(the_date: str, was: str | None, now: str | None, day: Day) -> str | None:
    """What new time words did to the date, as news says it wherever it is told (an alert, the
    digest, the feed): "the deadline was brought forward from 31 Jan 2027 to 31 Dec 2026", or "it
    named no date before; the deadline is now 31 Mar 2027". None when they did neither: a later
    date, or none, is a slip (told apart), and the same date only stays. `was` and `now` are ISO days."""
    if now is None or (was is not None and now >= was):
        return None
    if was is None:
        return f"it named no date before; {the_date} is now {day(now)}"
    return f"{the_date} was brought forward from {day(was)} to {day(now)}"


def answer_news(owner: str, how: str, given: str | None, asked: str | None, day: Day) -> str:
    """The owner's first date for an ask or an expectation, as the digest and the feed say it (the
    alert says it with who gave the words, bot.decide.kinds.news): "Home Office gives a date, 30 Apr
    2027; it was expected by 31 Mar 2026". `how` is the type's time label ("asked for", "expected");
    `given` and `asked` are ISO days."""
    was = f"; it was {how} by {day(asked)}" if asked else ""
    return f"{owner} answers with no date{was}" if given is None else f"{owner} gives a date, {day(given)}{was}"


def state_word(state: str, type_name: str | None) -> str:
    """A state as a table shows it for this type: an expectation past its date has "no news", an
    ask with news since its date is "past date" (never "overdue": nothing was promised), and one
    closed is "met"."""
    if state == "lapsed":
        return PAST_DATE.get(type_name or "promise", "lapsed")
    if state == "overdue":
        return NEWS_SINCE.get(type_name or "promise", "overdue")
    if state in MET and type_name in ("ask", "expectation"):
        return MET[state]  # nothing was promised, so nothing was delivered
    return state


def said_as(state: str) -> list[str]:
    """Every way a state is said, one per type, each once: "lapsed" is ["lapsed", "no answer",
    "no news"], "upcoming" is ["upcoming"]. Tables that list states (status's filters, the site's,
    the report's rows) list these."""
    return list(dict.fromkeys(state_word(state, t) for t in TYPES))


def of(type_name: str | None) -> TypeWords:
    """The words of a type; an alert stored before types existed is a promise."""
    return TYPES.get(type_name or "promise", TYPES["promise"])


# How the team chased (`chase --how`, SPEC §7.3), as every surface names it: the command line's
# `chase` and `history`, Slack's thread line, reply-overdue, the report, the site. One table.
CHASE_NOUN = {"written-question": "written question", "letter": "letter", "foi": "FOI request",
              "meeting": "meeting", "other": "chase"}


def chased_by(how: str | None, ref: str | None = None) -> str:
    """What follows "the team chased": "by written question HL1234", "by FOI request FOI-2026-1",
    "by letter", "at a meeting"; another way is not named, only its reference ("" without one)."""
    if how == "meeting":
        return "at a meeting" + (f" ({ref})" if ref else "")
    if how in ("written-question", "letter", "foi"):
        return f"by {CHASE_NOUN[how]}" + (f" {ref}" if ref else "")
    return ref or ""


_SMALL = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _count(n: int, unit: str) -> str:
    """ "three years", "a year", "11 months": numbers to ten in words, as prose writes them."""
    if n == 1:
        return f"a {unit}" if unit != "day" else "one day"
    return f"{_SMALL[n] if n < len(_SMALL) else n} {unit}s"


def number(n: int, noun: str, nouns: str | None = None) -> str:
    """ "1 recorded update", "3 recorded updates": a count in figures with its noun agreeing, for
    summaries and messages (prose about time uses span and late)."""
    return f"{n} {noun if n == 1 else nouns or noun + 's'}"


def span(days: int) -> str:
    """A span of days as a reader says it: "31 days", "about 8 months", "nearly three years",
    "over a year", "two and a half years". Under two months it stays exact; beyond, it rounds
    the way people do, never says less than a year when it is more, and never says more than it
    is: "and a half" only from the half year on (4 years 3 months is "over four years")."""
    days = abs(days)
    if days < 62:
        return _count(days, "day")
    if days < 335:
        return f"about {_count(round(days / 30.44), 'month')}"
    years = days / 365.25
    if abs(years - round(years)) < 0.01 and days >= 365 * round(years):  # 365 or 366 days, 730 or 731: never 364
        return _count(round(years), "year")
    whole, part = int(years), years - int(years)
    if whole == 0 or part >= 0.75:
        return f"nearly {_count(whole + 1, 'year')}"
    if part < 0.5:
        return f"over {_count(whole, 'year')}"
    if whole == 1:
        return "a year and a half"
    return f"{_SMALL[whole] if whole < len(_SMALL) else whole} and a half years"


def late(days: int) -> str:
    """ "nearly three years late"; "" when not late."""
    return f"{span(days)} late" if days > 0 else ""


def attributed(words: str | None, said_by: str | None, on: str | None, where: str | None, day: Day,
               recurring: bool = False, expected: bool = False) -> str:
    """The words in force with who gave them, when and where (SPEC §7.2):
    '“later this year”: Lord Murray of Blidworth, 31 Jul 2023 (Written answer HL9622)'. Without a
    speaker the source stands in its place: '“in due course”: Written answer HL9620, 31 Jul 2023'.
    A bare link is no title and no speaker: with neither, it says so, '“July 2026”: 22 Apr 2026;
    who said it is not recorded', never a link or a date in a speaker's place. Words nobody said
    are never quoted: a later period of a series (`recurring`), an expectation's own date (`expected`)."""
    if recurring:
        return recurs(words)
    if expected:
        return f"{words}, {EXPECTED}" if words else "no date given"
    quoted = as_said(words) if words else "no time given"
    titled = where if where and not where.startswith(("http://", "https://")) else None  # a bare link is no title
    who = said_by or titled
    if not who:
        return f"{quoted}: " + (f"{day(on)}; " if on else "") + "who said it is not recorded"
    parts = ", ".join(p for p in (who, day(on) if on else None) if p)
    place = f" ({titled})" if said_by and titled else ""
    return f"{quoted}: {parts}{place}"


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def written(d: date | str) -> str:
    """A day as people write it, "31 Jul 2023" (SPEC §7.2), from a date or its ISO form: the one
    way every surface that does not write ISO dates writes a day."""
    day = date.fromisoformat(d) if isinstance(d, str) else d
    return f"{day.day} {day:%b %Y}"
RECURS = "a period it recurs in"  # a later period's name, as a series shows it: nobody's words (SPEC §7.1)
EXPECTED = "the team's expected date"  # an expectation's own date: the team's, nobody's words (SPEC §7.1)


def as_said(words: str, recurring: bool = False, expected: bool = False) -> str:
    """Time words as every surface shows them: in quotation marks, as someone's words, unless
    nobody said them: a later period of a series ("2025-26, a period it recurs in"), an
    expectation's own date (the team's: "summer 2026") or a date the register gives in place of
    words ("due: 2025-10-26")."""
    if recurring:
        return recurs(words)
    return words if expected or _ISO_DAY.fullmatch(words) else f"“{words}”"


def recurs(period: str | None) -> str:
    """ "2025-26, a period it recurs in": a later period of a series, never quoted as if said."""
    return f"{period}, {RECURS}"


def cited(title: str | None, said_by: str | None) -> str:
    """ "source: Written answer HL9622, Lord Murray of Blidworth"; with no source named, "said by
    Lord Murray of Blidworth": a speaker is never shown as the source or the evidence when none was
    recorded ("" when there is neither)."""
    if title:
        return f"source: {source_of(title, said_by)}"
    return f"said by {said_by}" if said_by else ""


def source_of(title: str | None, said_by: str | None) -> str:
    """An update's source with who spoke in it: "Written answer HL9622, Lord Murray of Blidworth".
    Its note is the team's own account of the news, so the speaker is named with the source (and
    beside its quote), never before the note as if the note were theirs (SPEC §7.2)."""
    return ", ".join(p for p in (title, said_by) if p)


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def _nth(n: int) -> str:
    """ "second", "tenth", "11th", "21st", "112th": in words to ten, as prose writes them."""
    if 1 <= n <= len(_ORDINALS):
        return _ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def reminder(n: int | None, every: str | None, stops: str) -> str:
    """Why a lapse or silence is told again, in words (never a bare "reminder 2"): which
    reminder this is, how often they come and what stops them. "" for a first alert."""
    if not n or n < 2:
        return ""
    often = f"one goes out every {every}" if every else "they repeat"
    return f" ({_nth(n)} reminder: {often} until {stops})"


def link_text(url: str, limit: int = 60) -> str:
    """What a link with no title of its own says: its host and path, "example.org/answer", never
    the raw address as if it were a title (the address is the link's href)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    text = host + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    return text if len(text) <= limit else text[: limit - 1] + "…"
