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

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from bot.decide import words
from bot.decide.alerts import Alert, times
from bot.decide.digest import Digest, fmt_day
from bot.decide.kinds import KINDS, kind
from bot.register.inert import inert
from notifiers.console import render
from notifiers.email.smtp import MailError, SmtpConfig, clean_header, parse_smtp_url, put, put_text, valid_address

# Each kind's colour, under its name (an alert mail) and its digest section; the sections for an
# ask or an expectation past its date (bot.decide.digest) share the lapse's red and a brown.
COLOURS = {**{k.name: k.colour for k in KINDS.values()}, **{k.section: k.colour for k in KINDS.values()},
           "unanswered": kind("lapsed").colour, "no-news": "#8a4b00"}


@dataclass(frozen=True)
class MailSetup:
    """Where mail goes from and through; `config` is None when SMTP_URL is unset or unreadable."""

    config: SmtpConfig | None
    sender: str
    unsubscribe_address: str
    problem: str | None = None

    def require(self, hint: str = "") -> SmtpConfig:
        """The SMTP settings, or a MailError saying how to give them (`hint`: what else the caller offers)."""
        if self.config is None:
            raise MailError(self.problem or f"SMTP_URL is not set: see the README's email section{hint}", True)
        return self.config


def mail_setup(settings: Any) -> MailSetup:
    """SMTP_URL, EMAIL_FROM, MAINTAINER_EMAIL, plus SMTP_CA_FILE and SMTP_TIMEOUT (env)."""
    url = getattr(settings, "smtp_url", None)
    timeout = float(getattr(settings, "smtp_timeout", None) or os.environ.get("SMTP_TIMEOUT") or 30)
    ca_file = getattr(settings, "smtp_ca_file", None) or os.environ.get("SMTP_CA_FILE") or None
    config, problem = None, None
    if url:
        try:
            config = parse_smtp_url(url, timeout, ca_file)
        except MailError as e:
            problem = str(e)
    sender = clean_header(getattr(settings, "email_from", None) or _default_sender(config))
    unsubscribe = clean_header(getattr(settings, "maintainer_email", None) or sender)
    return MailSetup(config, sender, unsubscribe, problem)


def _default_sender(config: SmtpConfig | None) -> str:
    if config and config.username and "@" in config.username:
        return config.username
    return "commitment-bot@localhost"


# -- rendering ----------------------------------------------------------------------------
def _day(value: str | date | None) -> str:
    if not value:
        return "—"
    return fmt_day(date.fromisoformat(value) if isinstance(value, str) else value)


def _link(url: str | None) -> str:
    """Only web and mail links become clickable; `javascript:` and friends stay plain text."""
    return url if url and url.lower().startswith(("https://", "http://", "mailto:")) else ""


def _clip(text: str | None, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(value: Any) -> Any:
    """Every value a template prints: control characters, a line break included, become visible
    escapes; the only line breaks are the templates' own. Markup is a rendered macro, whose values
    went through here already."""
    return inert(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("notifiers.email", "templates"), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"], default_for_string=True, default=True),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, finalize=_shown)
    env.filters.update(day=_day, link=_link, clip=_clip,
                       yesterday=lambda d: _day(d - timedelta(days=1)),
                       times=times, capitalize_first=lambda t: t[:1].upper() + t[1:], typewords=words.of,
                       late=words.late, span=words.span,
                       attributed=lambda p: words.attributed(p.words, p.said_by, p.on, p.where, _day))
    return env


# The default policy, but bodies go as 7bit/8bit text while lines fit in 998 characters. Headers
# are not folded by the email package at all: notifiers.email.smtp.Header writes them.
POLICY = policy.default.clone(max_line_length=998)
ENV = _environment()
TEXT = ENV.overlay(autoescape=False)


def _render(name: str, **values: Any) -> tuple[str, str]:
    """The (text, html) pair of a template; the text one is never HTML-escaped."""
    text = re.sub(r"\n{3,}", "\n\n", TEXT.get_template(f"{name}.txt").render(**values))
    return text, ENV.get_template(f"{name}.html").render(**values)


def _frame(setup: MailSetup, recipient: str, reason: str) -> dict[str, Any]:
    mailto = f"mailto:{setup.unsubscribe_address}?subject={quote('unsubscribe ' + recipient)}"
    return {"recipient": recipient, "reason": reason, "unsubscribe": mailto,
            "unsubscribe_address": setup.unsubscribe_address, "colours": COLOURS}


def compose(setup: MailSetup, to: str, subject: str, text: str, html: str | None, kind: str) -> EmailMessage:
    """One mail: exactly the headers below (plus MIME-Version and Content-Type), each written by
    us; a text part, and with `html` a `multipart/alternative` of the two."""
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
    return kind(a.kind).headline(a.type, a.status)


def alert_subject(alerts: Sequence[Alert]) -> str:
    if len(alerts) == 1:
        a = alerts[0]
        return f"{_headline(a).upper()}: {_clip(clean_header(a.title), 120)}"
    counts: dict[str, int] = {}
    for a in alerts:
        counts[_headline(a)] = counts.get(_headline(a), 0) + 1
    parts = ", ".join(f"{n} {word.lower()}" for word, n in counts.items())
    return f"{len(alerts)} commitment alerts: {parts}"


def _view(a: Alert) -> dict[str, Any]:
    """What the HTML card of one alert says, worded once by bot.decide.words as every channel words it."""
    w = words.of(a.type)
    stress, rest = kind(a.kind).says(a, _day)
    if len(a.promises) > 1:
        now = a.promises[-1]
        current = words.attributed(now.words, now.said_by, now.on, now.where, _day)
    else:
        current = f"“{a.words}”" if a.words else "no date (open-ended)"
    reading = f", read as {a.reading}" if a.deadline or (a.words and len(a.promises) > 1) else ""
    return {"headline": _headline(a).upper(), "who": w.by(a.owner, a.made_by), "stress": stress, "rest": rest,
            "time_label": w.time_label + (" now" if len(a.promises) > 1 else ""), "current": current + reading}


def _text_lines(a: Alert) -> list[str]:
    """The console's rendering of an alert; for a lead, that says what was found, every commitment
    it may answer and how to answer it."""
    return render(a).split("\n")


def alert_message(setup: MailSetup, to: str, alerts: Sequence[Alert]) -> EmailMessage:
    subject = alert_subject(alerts)
    reason = f"You get this mail because the commitments register routes these commitments to {to}."
    values = {**_frame(setup, to, reason), "subject": subject, "subject_line": clean_header(subject),
              "alerts": alerts, "texts": [_text_lines(a) for a in alerts], "views": [_view(a) for a in alerts]}
    text, html = _render("alerts", **values)
    return compose(setup, to, subject, text, html, "alerts")


def digest_message(setup: MailSetup, digest: Digest) -> EmailMessage:
    summary = digest.subject.split(" — ", 1)[0]
    if digest.routed_count:
        reason = (f"You get this digest because the commitments register routes {digest.routed_count} "
                  f"commitment{'s' if digest.routed_count != 1 else ''} to {digest.recipient} (routes / notify).")
    else:  # only a preview (`digest --dry-run --to`) is built for an address in no route
        reason = (f"This is a preview: the commitments register routes no commitments to {digest.recipient} "
                  "(routes / notify), so no digest is sent to it.")
    values = {**_frame(setup, digest.recipient, reason), "subject": digest.subject, "digest": digest,
              "summary": summary}
    text, html = _render("digest", **values)
    return compose(setup, digest.recipient, digest.subject, text, html, "digest")


def test_message(setup: MailSetup, to: str) -> EmailMessage:
    config = setup.require()
    reason = "You get this mail because someone ran `commitment-bot email test` with your address."
    text = TEXT.get_template("test.txt").render(recipient=to, server=config.display, reason=reason)
    return compose(setup, to, "commitment-bot test mail", text, None, "test")
