"""What the email channel sends: grouped alert mails, the weekly digest and the test mail.

Mails are rendered from Jinja2 templates (autoescaped HTML plus plain text) into one
`multipart/alternative` message. Every value a template prints is shown inert (bot.register.inert:
control characters as visible escapes). Headers are written by `notifiers.email.smtp.put`/`put_text`:
a title is one line, encoded by us so that an RFC 2047 encoded word in it stays literal text,
and addresses must be plain `name@domain` (`valid_address`); nothing from the register can add
a header or change the MIME structure. Message-IDs are random (`make_msgid`), never derived
from database rows, so a new database or a staging instance never reuses one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from bot.decide import words
from bot.decide.alerts import Alert, times
from bot.decide.clip import clip
from bot.decide.digest import Digest, Section
from bot.decide.kinds import KINDS, kind, tally
from bot.register.inert import inert
from notifiers.console import render
from notifiers.email.fit import Level, fit
from notifiers.email.links import Line, Links, record_lines
from notifiers.email.setup import NO_SENDER, PREVIEW_SENDER, MailSetup, for_preview, mail_setup
from notifiers.email.smtp import MailError, clean_header, put, put_text, valid_address

# MailSetup and friends live in notifiers.email.setup; callers have always imported them from here.
__all__ = ["NO_SENDER", "PREVIEW_SENDER", "MailSetup", "alert_message", "alert_subject", "colours", "compose",
           "digest_message", "footer", "for_preview", "list_unsubscribe", "mail_setup", "not_an_address", "not_sent_reason",
           "render_parts", "repeat_line", "repeat_parts", "repeat_subject", "test_message"]


def colours() -> dict[str, str]:
    """Each kind's colour, under its name (an alert mail) and its digest section, read from the
    kinds table when a mail is made, so a kind added there has its colour; the sections for an ask
    or an expectation past its date (bot.decide.digest) share the lapse's red and a brown."""
    return {**{k.name: k.colour for k in KINDS.values()},
            **{k.section: k.colour for k in KINDS.values() if k.section is not None},
            "unanswered": kind("lapsed").colour, "no-news": "#8a4b00"}


# -- rendering ----------------------------------------------------------------------------
def _day(value: str | date | None) -> str:
    if not value:
        return "—"
    return words.written(date.fromisoformat(value) if isinstance(value, str) else value)


def _link(url: str | None) -> str:
    """Only web and mail links become clickable; `javascript:` and friends stay plain text."""
    return url if url and url.lower().startswith(("https://", "http://", "mailto:")) else ""


def _clip(text: str | None, limit: int) -> str:
    """Cut between words with "…", never inside one (bot.decide.clip)."""
    return clip(text, limit)


def _shown(value: Any) -> Any:
    """Every value a template prints: control characters, a line break included, become visible
    escapes; the only line breaks are the templates' own. Markup is a rendered macro, whose values
    went through here already."""
    return inert(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("notifiers.email", "templates"), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"], default_for_string=True, default=True),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, finalize=_shown)
    env.filters.update(day=_day, link=_link, clip=_clip, link_text=words.link_text,
                       yesterday=lambda d: _day(d - timedelta(days=1)),
                       times=times, capitalize_first=lambda t: t[:1].upper() + t[1:], typewords=words.of,
                       late=words.late, span=words.span, state=lambda s, t: words.state_word(s, t).capitalize(),
                       said_as=words.said_as, cited=lambda u: words.cited(u.source_title, u.said_by), source_named=lambda p: words.source_of(*p),
                       attributed=lambda p: words.attributed(p.words, p.said_by, p.on, p.where, _day),
                       as_said=words.as_said)
    return env


# The default policy, but bodies go as 7bit/8bit text while lines fit in 998 characters. Headers
# are not folded by the email package at all: notifiers.email.smtp.Header writes them.
POLICY = policy.default.clone(max_line_length=998)
ENV = _environment()
TEXT = ENV.overlay(autoescape=False)
# A day in the HTML part is kept whole: a phone's narrow column broke "31 Aug / 2022" across lines
# (a newcomer's walk at 375 px). Days come from templates and from alert words alike, so the rendered
# page is mended once; a day has no markup in it, and no address holds a space.
_DAY = re.compile(r"\b(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4})\b")


def _whole_days(html: str) -> str:
    return _DAY.sub(r"\1&nbsp;\2&nbsp;\3", html)


def render_parts(name: str, **values: Any) -> tuple[str, str]:
    """The (text, html) pair of a template; the text one is never HTML-escaped."""
    text = re.sub(r"\n{3,}", "\n\n", TEXT.get_template(f"{name}.txt").render(**values))
    return text, _whole_days(ENV.get_template(f"{name}.html").render(**values))


def footer(setup: MailSetup, recipient: str, reason: str) -> dict[str, Any]:
    mailto = f"mailto:{setup.unsubscribe_address}?subject={quote('unsubscribe ' + recipient)}"
    return {"recipient": recipient, "reason": reason, "unsubscribe": mailto,
            "unsubscribe_address": setup.unsubscribe_address, "colours": colours()}


def compose(setup: MailSetup, to: str, subject: str, text: str, html: str | None, kind: str) -> EmailMessage:
    """One mail: exactly the headers below (plus MIME-Version and Content-Type), each written by
    us; a text part, and with `html` a `multipart/alternative` of the two."""
    if not setup.sender:
        raise MailError(NO_SENDER, True)
    for what, addr in (("EMAIL_FROM", setup.sender), ("MAINTAINER_EMAIL", setup.unsubscribe_address)):
        if not valid_address(addr):
            raise MailError(f'{what} "{clean_header(addr)}" is not an email address like name@example.org', True)
    if not valid_address(to):
        raise MailError(not_an_address(to), True)
    msg = EmailMessage(policy=POLICY)
    put_text(msg, "Subject", subject)
    put(msg, "From", f"commitment-bot <{setup.sender}>")
    put(msg, "To", to)
    put(msg, "Date", format_datetime(datetime.now(UTC)))
    put(msg, "Message-ID", make_msgid(kind, domain=setup.sender.rsplit("@", 1)[-1]))
    mailto = f"mailto:{quote(setup.unsubscribe_address, safe='@')}?subject=unsubscribe"
    for name, value in list_unsubscribe([mailto]):
        put(msg, name, value)
    put(msg, "Auto-Submitted", "auto-generated")
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
        for part in msg.iter_parts():
            del part["MIME-Version"]  # add_alternative gives the new part its own; only the mail has one
    return msg


def list_unsubscribe(uris: Sequence[str]) -> list[tuple[str, str]]:
    """List-Unsubscribe naming every URI, and List-Unsubscribe-Post (RFC 8058 one-click) only when
    one of them is HTTPS: a mailto cannot be one-click. The bot has no web endpoint, so today its
    only URI is the maintainers' mailto and no List-Unsubscribe-Post is sent."""
    headers = [("List-Unsubscribe", ", ".join(f"<{uri}>" for uri in uris))]
    if any(uri.lower().startswith("https://") for uri in uris):
        headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    return headers


def not_an_address(addr: str) -> str:
    return (f'"{clean_header(addr)}" is not an email address this bot sends to (plain ASCII name@example.org, '
            'no "=?"): fix it in the register')


def _headline(a: Alert) -> str:
    return kind(a.kind).headline_of(a)


def alert_subject(alerts: Sequence[Alert]) -> str:
    if len(alerts) == 1:
        a = alerts[0]
        return f"{_headline(a).upper()}: {_clip(clean_header(a.title), 120)}"
    return f"{len(alerts)} commitment alerts: {tally(alerts)}"


def _view(a: Alert) -> dict[str, Any]:
    """What the HTML card of one alert says, worded once by bot.decide.words as every channel words it."""
    w, k = words.of(a.type), kind(a.kind)
    stress, rest = k.says(a, _day)
    if len(a.promises) > 1:
        now = a.promises[-1]
        current = words.attributed(now.words, now.said_by, now.on, now.where, _day)
    else:
        first = a.promises[0] if a.promises else None  # a later year's name, the team's date: nobody's words
        current = words.as_said(a.words, bool(first and first.recurring), bool(first and first.expected)) if a.words \
            else "no date (open-ended)"
    reading = f", read as {a.reading}" if a.deadline or (a.words and len(a.promises) > 1) else ""
    return {"headline": _headline(a).upper(), "who": _clip(w.by(a.owner, a.made_by), FIELD), "stress": stress,
            "rest": _clip(rest, LONG), "time_label": w.label(len(a.promises) > 1),
            "current": _clip(current + reading, LONG), "closes": k.closes}


FIELD, LONG, LINE_MAX = 300, 1200, 4000  # characters: a name or title, a sentence, a text line


def _record(a: Alert, links: Links, setup: MailSetup) -> tuple[Line, ...]:
    places = links.places(a.id, a.routed)
    return record_lines(places, links.interactive, setup.unsubscribe_address, lead=a.lead is not None,
                        record=a.to_record)


def _text_lines(a: Alert, record: Sequence[Line]) -> list[str]:
    """The console's rendering of an alert, with the mail's links for where to record what
    happened; each line cut to LINE_MAX characters, however long the register's text."""
    return [_clip(line, LINE_MAX) for line in render(a, [str(r) for r in record] or None).split("\n")]


def _brief(a: Alert, links: Links) -> dict[str, Any]:
    """One alert as one line, for a mail about more alerts than fit: its headline, title, the
    words to stress of its sentence and one link."""
    return {"headline": _headline(a), "title": _clip(a.title, 150), "id": _clip(a.id, 100), "period": a.period,
            "stress": _clip(_view(a)["stress"], 150), "link": _link(links.places(a.id, a.routed).first)}


REPEAT = "[possible repeat] "  # before the subject of a mail sent again after one the server never confirmed


def repeat_line(since: datetime) -> str:
    """The first line of a mail sent again: a repeat a reader can recognise."""
    at = since.astimezone(UTC)
    return (f"Sent again: an earlier mail of this at {at:%H:%M} UTC on {_day(at.date())} was not confirmed by the "
            "mail server and may have arrived too.")


def not_sent_reason(e: MailError) -> str:
    """Why a mail was not sent, as kept and shown: one the server took but never confirmed may have
    arrived, and the mail that carries it again is marked (repeat_subject, repeat_parts)."""
    return f"{e}; it is sent again later, marked as a possible repeat" if e.unsure else str(e)


def repeat_subject(subject: str, again: datetime | None) -> str:
    """A mail's subject, after "[possible repeat] " when it is sent `again` (see repeat_parts)."""
    return REPEAT + subject if again else subject


def repeat_parts(parts: tuple[str, str], again: datetime | None) -> tuple[str, str]:
    """A mail's (text, html), saying first that it may repeat one sent at `again` that the server
    never confirmed: an alert mail, a digest and a report alike. Unchanged when `again` is None."""
    if again is None:
        return parts
    text, html = parts
    said = repeat_line(again)
    return f"{said}\n\n{text}", html.replace("<h1", f'<p style="margin:0 0 12px;font-weight:bold;color:#8a4b00;">'
                                                     f"{escape(said)}</p>\n<h1", 1)


def alert_message(setup: MailSetup, to: str, alerts: Sequence[Alert], links: Links | None = None,
                  again: datetime | None = None) -> EmailMessage:
    """One mail of every alert for `to`, under 100 KB however many there are (notifiers.email.fit).
    `again`: when an earlier mail of these alerts went unconfirmed; this one then says it may repeat it."""
    links = links or Links()
    subject = repeat_subject(alert_subject(alerts), again)
    reason = f"You get this mail because the commitments register routes these commitments to {to}."
    frame = {**footer(setup, to, reason), "subject": subject, "subject_line": clean_header(subject),
             "site": links.site}

    texts: dict[int, list[str]] = {}  # what each alert says, worked out once for every level tried
    views: dict[int, dict[str, Any]] = {}
    records: dict[int, tuple[Line, ...]] = {}

    def render(level: Level) -> tuple[str, str]:
        full, brief, more = level.split(len(alerts))
        for i, a in enumerate(alerts[:full]):
            if i not in texts:
                records[i] = _record(a, links, setup)
                texts[i], views[i] = _text_lines(a, records[i]), _view(a)
        return repeat_parts(render_parts("alerts", **frame, alerts=alerts[:full],
                                         records=[records[i] for i in range(full)], more=more,
                                         texts=[texts[i] for i in range(full)], views=[views[i] for i in range(full)],
                                         briefs=[_brief(a, links) for a in alerts[full:full + brief]]), again)

    return fit(render, lambda text, html: compose(setup, to, subject, text, html, "alerts"))


class _Cards:
    """Each digest item's card, in HTML and in text, rendered once for every level tried: a
    section of a thousand items is not rendered again for each size the mail is tried at."""

    def __init__(self, links: Links, setup: MailSetup) -> None:
        self.links, self.setup = links, setup
        self.html, self.text = ENV.get_template("_item.html").module, TEXT.get_template("_item.txt").module
        self.done: dict[tuple[str, int], tuple[Markup, Markup]] = {}
        self.colours = colours()

    def card(self, section: Section, index: int) -> tuple[Markup, Markup]:
        key = (section.key, index)
        if key not in self.done:
            item = section.items[index]
            record = record_lines(self.links.places(item.id), self.links.interactive,
                                  self.setup.unsubscribe_address, lead=item.lead is not None)
            self.done[key] = (Markup(self.html.card(item, self.colours[section.key], section.key, record)),  # type: ignore[attr-defined]
                              Markup(self.text.block(item, section.key, record)))  # type: ignore[attr-defined]
        return self.done[key]

    def least(self, sections: Sequence[Section]) -> Callable[[Level], int]:
        """A lower bound on a mail's characters at a level: the HTML of the cards it shows in full
        (already rendered by then, since the whole mail is tried first, and put in the mail as
        they are; the text part's blank lines are squeezed, so its cards are not counted), so a
        level that cannot fit is never rendered."""
        def at(level: Level) -> int:
            return sum(len(self.card(s, i)[0]) for s in sections for i in range(level.split(len(s.items))[0]))
        return at

    def section(self, section: Section, level: Level) -> dict[str, Any]:
        """One section at `level`: its first items as cards, the next one line each, then a count."""
        full, brief, more = level.split(len(section.items))
        cards = [self.card(section, i) for i in range(full)]
        return {"key": section.key, "heading": section.heading, "count": len(section.items),
                "cards": [c[0] for c in cards], "blocks": [c[1] for c in cards], "more": more,
                "briefs": [(i, _link(self.links.places(i.id).first)) for i in section.items[full:full + brief]]}


def digest_message(setup: MailSetup, digest: Digest, links: Links | None = None,
                   again: datetime | None = None) -> EmailMessage:
    """One recipient's digest, under 100 KB however long the register (notifiers.email.fit).
    `again`: when an earlier send of this digest went unconfirmed; this one then says it may repeat it."""
    links = links or Links()
    subject = repeat_subject(digest.subject, again)
    summary = digest.subject.split(" — ", 1)[0]
    if digest.routed_count:
        reason = (f"You get this digest because the commitments register routes {digest.routed_count} "
                  f"commitment{'s' if digest.routed_count != 1 else ''} to {digest.recipient} (routes / notify).")
    else:  # only a preview (`digest --dry-run --to`) is built for an address in no route
        reason = (f"This is a preview: the commitments register routes no commitments to {digest.recipient} "
                  "(routes / notify), so no digest is sent to it.")
    frame = {**footer(setup, digest.recipient, reason), "subject": subject, "digest": digest,
             "summary": summary, "site": links.site}

    cards = _Cards(links, setup)

    def render(level: Level) -> tuple[str, str]:
        return repeat_parts(render_parts("digest", **frame, sections=[cards.section(s, level) for s in digest.sections]),
                            again)

    return fit(render, lambda text, html: compose(setup, digest.recipient, subject, text, html, "digest"),
               least=cards.least(digest.sections))


def test_message(setup: MailSetup, to: str) -> EmailMessage:
    config = setup.require()
    reason = "You get this mail because someone ran `commitment-bot email test` with your address."
    text = TEXT.get_template("test.txt").render(recipient=to, server=config.display, reason=reason)
    return compose(setup, to, "commitment-bot test mail", text, None, "test")
