"""Renders a draft (bot.chase.draft) as plain text with the form's template, or as JSON.

The templates in templates/ are plain text a maintainer can edit: one per form and House, with
the header, the record (promise, slips, lateness) and the sources shared as includes. Nothing
here sends anything: the text is for a person, who checks it and sends it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from bot.chase.draft import Draft
from bot.decide import words

__all__ = ["as_json", "render", "template_name"]

_ENV = Environment(loader=PackageLoader("bot.shell.drafts", "templates"), undefined=StrictUndefined,
                   keep_trailing_newline=True, trim_blocks=False, autoescape=False)  # plain text, not HTML
_ENV.filters["capitalize_first"] = lambda s: s[:1].upper() + s[1:]
_ENV.filters["flat"] = words.flat  # "Priti Patel (Home Secretary)" inside brackets: "Priti Patel, Home Secretary"
_ENV.filters["link_text"] = words.link_text  # a source with no title: its host and path, never the address as a title
# The words beside a date: ' (“end August”)'; a date the register gives in place of words is no one's
# words and says nothing the date beside it does not: "" (README, "How we keep it true").
_ENV.filters["in_words"] = lambda phrase: f" ({words.as_said(phrase)})" if phrase and words.as_said(phrase) != phrase else ""


def template_name(d: Draft) -> str:
    return f"written-question-{d.house}.txt.j2" if d.form == "written-question" else f"{d.form}.txt.j2"


def render(d: Draft) -> str:
    """The draft's text: blank lines never pile up, and it ends with one newline."""
    text = _ENV.get_template(template_name(d)).render(
        d=d, by=words.of(d.type).by(d.owner, d.made_by), day=_day, long=_long,
        span=lambda deadline: words.span((d.today - deadline).days), words=lambda s: len(s.split()))
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"


def as_json(d: Draft) -> dict[str, Any]:
    """`draft --json`: {"id","as","house","to","subject","body","reply_due","reply_due_explained","sources"}."""
    return {"id": d.id, "as": d.form, "house": d.house, "to": d.to, "subject": d.subject, "body": render(d),
            "reply_due": d.reply.on.isoformat() if d.reply else None,
            "reply_due_explained": d.reply.explained if d.reply else d.reply_note,
            "sources": [{"title": s.source.title, "url": s.source.url, "quote": s.source.quote, "said_by": s.said_by,
                         "on": s.on.isoformat() if s.on else None} for s in d.sources if s.source]}


def _day(d: date) -> str:
    return f"{d:%-d %b %Y}"


def _long(d: date) -> str:
    return f"{d:%-d %B %Y}"
