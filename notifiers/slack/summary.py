"""Slack's summary of many alerts for one channel in one run (SPEC §3: beyond 5, one summary):
one compact list, the full alerts posted as replies (each in its commitment's thread when it has
one, SPEC §6.1; the rest in the summary's own thread, where `details_messages` packs several per
reply, so a thousand alerts need a few hundred messages, not a thousand, at Slack's pace of about
one a second per channel)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.decide import facts
from bot.decide.alerts import Alert
from bot.decide.kinds import kind, tally
from notifiers.slack.blocks import (
    BLOCKS_MAX,
    DETAILS_JSON_MAX,
    HEADER_MAX,
    LABEL_MAX,
    SECTION_MAX,
    TEXT_MAX,
    SlackMessage,
    Summary,
    _mrkdwn,
    _section,
    alert_message,
    clip,
    cut,
    day,
    escape,
    label,
    link,
    plain,
)


def _pack(lines: list[str], most: int) -> list[list[str]]:
    """Lines into at most `most` sections of at most SECTION_MAX characters, in order."""
    sections: list[list[str]] = []
    size = SECTION_MAX + 1
    for line in lines:
        if size + len(line) + 1 > SECTION_MAX:
            if len(sections) == most:
                break
            sections.append([])
            size = 0
        sections[-1].append(line)
        size += len(line) + 1
    return sections


def _guide(threaded: bool, here: bool) -> str:
    where = []
    if threaded:
        where.append("a linked title opens its commitment's thread")
    if here:
        where.append("the other alerts are in full in this message's thread" if threaded
                     else "each alert is in full in this message's thread")
    text = "; ".join(where)
    return text[:1].upper() + text[1:] + ". Record news with `commitment-bot update ID`."


def summary_line(alert: Alert, url: str | None) -> str:
    """One alert in a summary: always leads on, to its thread or to this summary's thread."""
    k = kind(alert.kind)
    icon, word = k.icon, k.headline_of(alert)
    name = link(url, label(alert.title, LABEL_MAX)) if url else clip(alert.title, LABEL_MAX)
    overdue = facts.past_due(alert)
    due = f" (deadline {day(alert.deadline)})" if alert.deadline else ""
    where = "" if url else " · details in this thread"
    return f"{icon} {name} — {word.lower()}{overdue}{due}{where}"


def details_messages(alerts: Sequence[Alert], most: int,
                     interactive: bool = False) -> list[tuple[SlackMessage, tuple[int, ...]]]:
    """The full alerts for a summary's thread, several to a reply (at most `most`, 50 blocks and
    DETAILS_JSON_MAX characters), each with the positions of the alerts it carries."""
    out: list[tuple[SlackMessage, tuple[int, ...]]] = []
    blocks: list[dict[str, Any]] = []
    texts: list[str] = []
    held: list[int] = []
    for i, alert in enumerate(alerts):
        message = alert_message(alert, interactive)
        more = ([{"type": "divider"}] if blocks else []) + message.blocks
        if held and (len(held) == most or len(blocks) + len(more) > BLOCKS_MAX
                     or len(json.dumps(blocks + more)) > DETAILS_JSON_MAX):
            out.append((SlackMessage(cut("\n".join(texts), TEXT_MAX), blocks), tuple(held)))
            blocks, texts, held, more = [], [], [], message.blocks
        blocks += more
        texts.append(message.text)
        held.append(i)
    if held:
        out.append((SlackMessage(cut("\n".join(texts), TEXT_MAX), blocks), tuple(held)))
    return out


NOTE_IN_LINE = 100  # characters of an update's note in a summary line


def summary_note(alert: Alert) -> str:
    """The recorded update a line is about, briefly, so six updates in one run read as six lines:
    ` · “Statement published”`. Empty for kinds that report no update of their own."""
    u = alert.last_update
    note = " ".join(u.note.split()) if u is not None and kind(alert.kind).announces else ""
    return f" · “{clip(note, NOTE_IN_LINE)}”" if note else ""


def summary_message(items: Sequence[tuple[Alert, str | None]], leads: int = 0) -> Summary:
    """Many alerts for one channel: one compact list, most overdue first. An item's URL is its
    commitment's thread, where its full alert is posted as a reply of its own (SPEC §6.1); an item
    without one has its full alert in this message's thread (the caller posts both). Each line also
    names the update it reports; an item too many to list is said to be in full in its own thread
    when it has one, else in this one. `leads`: how many leads the same run posts whole in their
    commitments' threads (never summarised: SPEC §7.4)."""
    order = sorted(range(len(items)), key=lambda i: (-items[i][0].days_overdue, items[i][0].id))
    title = f"📋 {len(items)} alerts about commitments ({tally(alert for alert, _ in items)})"
    sections = _pack([summary_line(*items[i]) + summary_note(items[i][0]) for i in order], BLOCKS_MAX - 3)
    listed = order[: sum(len(s) for s in sections)]
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": plain(title, HEADER_MAX),
                                                                 "emoji": True}}]
    blocks += [_section("\n".join(lines)) for lines in sections]
    unlisted = order[len(listed):]
    if unlisted:
        own = sum(1 for i in unlisted if items[i][1])
        where = ("their full alerts are in this thread" if own == 0 else
                 "each is in full in its commitment's thread" if own == len(unlisted) else
                 "each is in full in its commitment's thread, or in this thread if it has none")
        blocks.append(_section(f"…and {len(unlisted)} more: {where}"))
    threaded = any(items[i][1] for i in listed)
    here = any(not items[i][1] for i in order)
    blocks.append({"type": "context", "elements": [_mrkdwn(_guide(threaded, here))]})
    if leads:
        blocks.append({"type": "context", "elements": [_mrkdwn(
            f"Also {leads} lead{'' if leads == 1 else 's'} (possible news, not yet confirmed): each is posted in "
            "full in its commitment's thread, with its buttons.")]})
    return Summary(SlackMessage(escape(title), blocks), tuple(listed))
