"""Teams messages: an Adaptive Card (schema 1.4) for one alert, for a summary of many, and for `teams test`.

What a card says comes from the core (bot.decide.words, bot.decide.kinds) exactly as the console and Slack say
it; this module only lays it out.

Register text stays inert. A TextBlock's text is parsed as (a subset of) Markdown, so no card
here has a TextBlock: every word is a TextRun inside a RichTextBlock, which the schema defines as
"Text to display. Markdown is not supported" (TextRun, Adaptive Cards 1.2+). `**bold**`, `[x](y)`,
`<at>someone</at>` or `- ` at a line's start therefore show as typed. Control characters are shown
as visible escapes (bot.register.inert), keeping a note's own line breaks. Links are buttons
(Action.OpenUrl) with our own titles, and only for http(s) URLs; a `javascript:` URL stays text.

Size: Teams refuses a posted message over about 28 KB, inside the Workflow, after the webhook has
answered 202 (learn.microsoft.com/connectors/teams, "Message size limit"), so the failure would be
silent. Texts are cut before they go in, every card stays under CARD_BYTES, and a summary too long
for one card continues in the next.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from bot.decide import facts, words
from bot.decide.alerts import Alert, times
from bot.decide.kinds import kind, tally
from bot.decide.words import written as day  # a day as every surface writes it, "31 Aug 2022"
from bot.register.inert import inert
from bot.register.model import recorder_of

VERSION = "1.4"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_BYTES = 20_000  # a whole message, as UTF-8 JSON: well under Teams' 28 KB
URL_MAX = 1000  # a longer link is not made a button: four of them and the text fit a card
TITLE_MAX, QUOTE_MAX, NOTE_MAX, FIELD_MAX, SNIPPET_MAX, LINE_MAX = 300, 600, 1500, 600, 600, 200
Card = dict[str, Any]


def message(card: Card) -> dict[str, Any]:
    """The body Teams' Workflows webhook takes (SPEC §7.8): one message with the card attached."""
    return {"type": "message", "attachments": [{"contentType": CONTENT_TYPE, "content": card}]}


def size(payload: Any) -> int:
    return len(json.dumps(payload, ensure_ascii=False).encode("utf-8"))


# -- text, made inert -------------------------------------------------------------------------
def shown(text: str, limit: int) -> str:
    """Register text as a TextRun shows it: line breaks kept, every other control character a
    visible escape, and no longer than `limit` once escaped (cut with "…", never inside an escape)."""
    text = text.replace("\r\n", "\n")
    whole = "\n".join(inert(part) for part in text.split("\n"))
    if len(whole) <= limit:
        return whole
    out, used = [], 1
    for ch in text[:limit]:  # each character shows as one or more: the first `limit` are enough
        piece = ch if ch == "\n" else inert(ch)
        if used + len(piece) > limit:
            break
        out.append(piece)
        used += len(piece)
    return "".join(out).rstrip() + "…"


def run(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextRun", "text": text, **style}


def line(*runs: dict[str, Any], **props: Any) -> dict[str, Any]:
    """One paragraph; empty runs are dropped (a TextRun must say something)."""
    return {"type": "RichTextBlock", "inlines": [r for r in runs if r["text"]], **props}


def link(url: str | None) -> str | None:
    """`url` if it may become a button: http(s), with a host, no spaces or controls, not too long."""
    if not url or len(url) > URL_MAX or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.hostname else None


def open_url(title: str, url: str | None) -> dict[str, Any] | None:
    target = link(url)
    return {"type": "Action.OpenUrl", "title": title, "url": target} if target else None


def page(site_url: str | None, commitment_id: str) -> str | None:
    """The commitment's page on the published site (`export site`), when its address is known."""
    return f"{site_url}/c/{quote(commitment_id, safe='')}.html" if site_url else None


# -- one alert ----------------------------------------------------------------------------------
def headline(alert: Alert) -> str:
    k = kind(alert.kind)
    icon, word = k.icon_for(alert.status), k.headline_of(alert)
    period = f" ({alert.period})" if alert.period else ""
    return f"{icon} {word}: {alert.title}{period}"


def status_line(alert: Alert) -> dict[str, Any]:
    """The one sentence that makes each kind read differently (bot.decide.kinds), its stress in bold."""
    stress, rest = kind(alert.kind).says(alert, day)
    return line(run(shown(stress, FIELD_MAX), weight="Bolder"), run(shown(rest, FIELD_MAX)))


def fields(alert: Alert) -> list[tuple[str, str]]:
    """Who made it, when, the words in force and how late: the fields Slack shows, in its order."""
    return facts.fields(alert, day)


def lead_lines(alert: Alert) -> list[dict[str, Any]]:
    lead = alert.lead
    if lead is None:
        return []
    when = f" (published {day(lead.published)}, {lead.source_name})" if lead.published else f" ({lead.source_name})"
    out = [line(run("Found: ", weight="Bolder"), run(shown(lead.title, TITLE_MAX) + shown(when, LINE_MAX)))]
    if lead.snippet:
        out.append(line(run(shown(lead.snippet, SNIPPET_MAX), italic=True)))
    return out


def quote_lines(alert: Alert) -> list[dict[str, Any]]:
    out = []
    if alert.quote:
        out.append(line(run(f"“{shown(alert.quote, QUOTE_MAX)}”", italic=True)))
    if alert.source_title or alert.source_url:
        out.append(line(run("Source: ", weight="Bolder"),
                        run(shown(alert.source_title or alert.source_url or "", TITLE_MAX))))
    return out


def update_line(alert: Alert) -> dict[str, Any]:
    u = alert.last_update
    if u is None:
        other = alert.series_update
        if other is not None and alert.period:
            about = f" (for {other.period})" if other.period else ""
            return line(run(shown(f"No update recorded for {alert.period}; the last on this series was "
                                  f"{day(other.on)}{about}.", LINE_MAX), italic=True))
        return line(run(shown(f"No update from {alert.owner} recorded yet.", LINE_MAX), italic=True))
    who = recorder_of(u.recorded_by, u.by)  # never a bare Slack id (§7.2)
    by = f" (recorded by {who})" if who else ""  # the team member, never read as the note's speaker
    cited = words.cited(u.source_title, u.said_by)  # the speaker with the source (SPEC §7.2), never as one
    source = f" ({shown(cited, LINE_MAX)})" if cited else ""
    return line(run(f"Last update {day(u.on)}", weight="Bolder"), run(shown(by, LINE_MAX)),
                run(": " + shown(u.note, NOTE_MAX) + source))


def footer(alert: Alert, site_url: str | None = None) -> dict[str, Any] | None:
    """What to do next, as a command: Teams cards carry no buttons that record (see README). The
    reply to the team's chase is what coordinators are asked for: with the site known, they are
    pointed to its page (the card's Open on the site) and the maintainers, not a command line."""
    if alert.lead is not None:
        return confirm_line(alert.lead.lead_id)
    if kind(alert.kind).closes:
        return None
    asked = alert.to_record
    if alert.reply_command is not None and link(page(site_url, alert.id)):
        return line(run(f"To record {asked.what}, tell the register's maintainers; the commitment's page on the site "
                        "(Open on the site) shows what is recorded.", isSubtle=True))
    return line(run(f"{asked.ask}: " + shown(asked.command, LINE_MAX), isSubtle=True))


def confirm_line(lead_id: int) -> dict[str, Any]:
    return line(run(f"Confirm it: commitment-bot leads confirm {lead_id} (or leads dismiss {lead_id})", isSubtle=True))


def again_line(since: datetime | None) -> dict[str, Any] | None:
    """A repeat a reader can recognise: the earlier post got no answer and may have arrived too."""
    if since is None:
        return None
    at = since.astimezone(UTC)
    return line(run(f"Sent again: an earlier post of this at {at:%H:%M} UTC on {day(at.date().isoformat())} got no "
                    "answer from Teams and may have arrived too.", color="Warning", weight="Bolder"))


def actions(alert: Alert, site_url: str | None) -> list[dict[str, Any]]:
    found = [open_url("Open on the site", page(site_url, alert.id)),
             open_url("Open what was found", alert.lead.url if alert.lead else None),
             open_url("Open the source", alert.source_url),
             open_url("Open the evidence", alert.last_update.source_url if alert.last_update else None)]
    return [a for a in found if a is not None]


def alert_card(alert: Alert, site_url: str | None = None, again: datetime | None = None) -> Card:
    """One alert, as Slack shows it: headline, status sentence, fields, what was found, the quote
    and its source, the slips, the last update, and how to record news."""
    body = [line(run(shown(headline(alert), TITLE_MAX), weight="Bolder", size="Medium")), again_line(again),
            status_line(alert)]
    body += [line(run(f"{label}: ", weight="Bolder"), run(shown(value, FIELD_MAX))) if label
             else line(run(shown(value, FIELD_MAX))) for label, value in fields(alert)]
    body += lead_lines(alert) + quote_lines(alert)
    if alert.slips:
        body.append(line(run(shown(f"Slipped {times(alert.slips)}: {alert.words_over_time}", FIELD_MAX))))
    body += [update_line(alert), footer(alert, site_url)]
    return _card([b for b in body if b is not None], actions(alert, site_url))


def _card(body: list[dict[str, Any]], buttons: list[dict[str, Any]] | None = None) -> Card:
    card: Card = {"$schema": SCHEMA, "type": "AdaptiveCard", "version": VERSION, "body": body}
    if buttons:
        card["actions"] = buttons
    return fit(card)


def fit(card: Card) -> Card:
    """The card, its longest texts halved until the message is under CARD_BYTES. Each text is cut
    already; this is for the card whose every field is long and wide (escapes, emoji)."""
    while size(message(card)) > CARD_BYTES:
        longest = max((o for o in _runs(card) if len(o["text"]) > 40), key=lambda o: len(o["text"]), default=None)
        if longest is None:
            break
        longest["text"] = longest["text"][: len(longest["text"]) // 2].rstrip() + "…"
    return card


def _runs(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return ([node] if node.get("type") == "TextRun" else []) + [r for v in node.values() for r in _runs(v)]
    return [r for v in node for r in _runs(v)] if isinstance(node, list) else []


# -- many alerts ---------------------------------------------------------------------------------
def summary_item(alert: Alert, site_url: str | None) -> dict[str, Any]:
    """One alert in a summary: what it is, who it is of, its status sentence, and what was found or
    last recorded. There are no threads to hold the full alerts, so the item says the essentials."""
    word = kind(alert.kind).headline_of(alert)
    overdue = facts.past_due(alert)
    due = f" (deadline {day(alert.deadline)})" if alert.deadline else ""
    period = f" ({alert.period})" if alert.period else ""
    title = run(shown(alert.title + period, TITLE_MAX), weight="Bolder")
    target = link(page(site_url, alert.id))
    if target:
        title["selectAction"] = {"type": "Action.OpenUrl", "url": target}
    items = [line(run(kind(alert.kind).icon + " "), title, run(shown(f" — {word.lower()}{overdue}{due}", LINE_MAX))),
             line(run(shown(words.of(alert.type).by(alert.owner, alert.made_by), LINE_MAX), isSubtle=True)),
             status_line(alert)]
    if alert.lead is not None:
        found = lead_lines(alert)
        target = link(alert.lead.url)
        if target:
            found[0]["inlines"][-1]["selectAction"] = {"type": "Action.OpenUrl", "url": target}
        items += [*found, confirm_line(alert.lead.lead_id)]
    elif alert.last_update is not None:
        u = alert.last_update
        items.append(line(run(f"Last update {day(u.on)}: ", weight="Bolder"), run(shown(u.note, LINE_MAX))))
    return {"type": "Container", "separator": True, "items": items}


def summary_cards(alerts: Sequence[Alert], site_url: str | None = None,
                  again: Sequence[datetime | None] = ()) -> list[tuple[Card, tuple[int, ...]]]:
    """Many alerts for one channel: a summary, most overdue first, in as few cards as fit under
    CARD_BYTES; each card with the positions (in `alerts`) of the alerts it lists. `again[i]`:
    when an earlier post of alert i got no answer (the card then says it may repeat)."""
    order = sorted(range(len(alerts)), key=lambda i: (-alerts[i].days_overdue, alerts[i].id))
    counted = tally(alerts)
    parts: list[list[int]] = [[]]
    room = CARD_BYTES - 1500  # the header, the guide and the envelope
    used = 0
    for i in order:
        item = size(summary_item(alerts[i], site_url))
        if parts[-1] and used + item > room:
            parts.append([])
            used = 0
        parts[-1].append(i)
        used += item
    out = []
    for n, part in enumerate(parts, 1):
        head = f"📋 {len(alerts)} alerts about commitments ({counted})"
        head += f" — part {n} of {len(parts)}" if len(parts) > 1 else ""
        earlier = [t for i in part if i < len(again) and (t := again[i]) is not None]
        body = [line(run(head, weight="Bolder", size="Medium")), again_line(min(earlier) if earlier else None)]
        body += [summary_item(alerts[i], site_url) for i in part]
        body.append(line(run("Record news with commitment-bot update ID; a commitment's whole story: "
                             "commitment-bot history ID.", isSubtle=True)))
        out.append((_card([b for b in body if b is not None]), tuple(part)))
    return out


def hello_card(name: str) -> Card:
    """What `commitment-bot teams test NAME` posts."""
    return _card([line(run("👋 commitment-bot is set up", weight="Bolder", size="Medium")),
                  line(run(f"Alerts about commitments routed to teams: [{name}] will appear in this channel."))])
