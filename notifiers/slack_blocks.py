"""Slack messages for alerts: Block Kit for people, plain fallback `text` for notifications.

Everything from the register is escaped (`&`, `<`, `>`) and sent with `verbatim` text, so a
title such as "<!channel>" can neither ping a channel nor forge a link. Block Kit limits are
kept here (50 blocks, 3,000 characters per section, 150 per header): long text is cut with
"…" and, for quotes, a link to the full source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.alerts import Alert

HEADER_MAX = 150
SECTION_MAX = 3000
FIELD_MAX = 2000
BLOCKS_MAX = 50
QUOTE_MAX = 600
TEXT_MAX = 3000

HEADLINES = {
    "heads-up": ("⏳", "Due soon"),
    "lapsed": ("🔴", "Lapsed"),
    "silent": ("🔕", "Gone silent"),
    "slipped": ("↪️", "Slipped"),
    "closed": ("✅", "Closed"),
}
CLOSED_MARKS = {"delivered": "✅", "partly-delivered": "🟡", "dropped": "✖️", "superseded": "🔁"}


@dataclass(frozen=True)
class SlackMessage:
    text: str  # the fallback: notifications, screen readers, old clients
    blocks: list[dict[str, Any]]


def escape(text: str) -> str:
    """Slack's three control characters; the only escaping Slack asks for."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """Escaped `text` no longer than `limit`, cut on a character (never inside `&amp;`) with "…"."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    out, size = [], 1
    for ch in text:
        piece = escape(ch)
        if size + len(piece) > limit:
            break
        out.append(piece)
        size += len(piece)
    return "".join(out).rstrip() + "…"


def plain(text: str, limit: int) -> str:
    """For plain_text fields (headers): no escaping needed, Slack never parses them."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def day(iso: str | None) -> str:
    """2022-08-31 → 31 Aug 2022, the way the team writes dates."""
    if not iso:
        return "none"
    d = date.fromisoformat(iso)
    return f"{d.day} {d:%b %Y}"


def times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def link(url: str | None, label: str) -> str:
    """A Slack link; the URL is escaped too, so a `|` or `>` in it cannot start a new label."""
    if not url or not url.startswith(("https://", "http://")):
        return label
    return f"<{escape(url).replace('|', '%7C')}|{label}>"


def headline(alert: Alert) -> str:
    icon, word = HEADLINES.get(alert.kind, ("•", alert.kind))
    if alert.kind == "closed":
        icon, word = CLOSED_MARKS.get(alert.status, icon), f"Closed — {alert.status}"
    period = f" ({alert.period})" if alert.period else ""
    return f"{icon} {word}: {alert.title}{period}"


def status_line(alert: Alert) -> str:
    """The one sentence that makes each kind read differently."""
    deadline = day(alert.deadline)
    if alert.kind == "heads-up":
        return f"*Deadline {deadline} is close.* No update recorded since it was promised."
    if alert.kind == "lapsed":
        again = f" (reminder {alert.n})" if alert.n and alert.n > 1 else ""
        return f"*{alert.days_overdue} days overdue*{again}: the deadline of {deadline} passed with no update."
    if alert.kind == "silent":
        return f"*No news on this open-ended promise* (reminder {alert.n or 1}). Has anything happened?"
    if alert.kind == "slipped":
        before = alert.promises[-2] if len(alert.promises) > 1 else None
        was = day(before.deadline) if before and before.deadline else "an earlier date"
        now = deadline if alert.deadline else "no date at all (withdrawn)"
        return f"*The deadline moved from {was} to {now}.*"
    return f"*Closed as {escape(alert.status)}.* This thread is done unless someone reopens it."


def promise_fields(alert: Alert) -> list[dict[str, Any]]:
    who = alert.owner + (f" — {alert.made_by}" if alert.made_by else "")
    words = f"“{alert.words}”" if alert.words else "no date"
    reading = alert.reading if not alert.deadline else f"{alert.reading} (deadline {day(alert.deadline)})"
    pairs = [("Promised by", who), ("Made on", day(alert.made_on) if alert.made_on else "unknown"),
             ("Promised", f"{words} → {reading}")]
    if alert.kind in ("lapsed", "heads-up") or alert.days_overdue:
        pairs.append(("Days overdue", str(alert.days_overdue)))
    return [_mrkdwn(f"*{label}*\n{clip(value, FIELD_MAX - len(label) - 4)}") for label, value in pairs]


def quote_text(alert: Alert) -> str | None:
    if not alert.quote and not alert.source_title:
        return None
    parts = []
    if alert.quote:
        quote = clip(alert.quote, QUOTE_MAX)
        cut = quote.endswith("…") and len(escape(alert.quote)) > QUOTE_MAX
        parts.append("> " + quote.replace("\n", "\n> "))
        if cut and alert.source_url:
            parts.append(link(alert.source_url, "read the full quote"))
    if alert.source_title or alert.source_url:
        parts.append("Source: " + link(alert.source_url, clip(alert.source_title or "link", 300)))
    return "\n".join(parts)


def history_text(alert: Alert) -> str | None:
    if not alert.slips:
        return None
    chain = " → ".join(p.words or p.reading for p in alert.promises)
    return clip(f"Slipped {times(alert.slips)}: {chain}", SECTION_MAX)


def update_text(alert: Alert) -> str:
    u = alert.last_update
    if u is None:
        return "_No update recorded yet._"
    by = f" ({u.by})" if u.by else ""
    source = " " + link(u.source_url, "evidence") if u.source_url else ""
    return f"*Last update {day(u.on)}*{clip(by, 200)}: {clip(u.note, 1500)}{source}"


def alert_message(alert: Alert) -> SlackMessage:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": plain(headline(alert), HEADER_MAX), "emoji": True}},
        _section(status_line(alert)),
        {"type": "section", "fields": promise_fields(alert)},
    ]
    for extra in (quote_text(alert), history_text(alert), update_text(alert)):
        if extra:
            blocks.append(_section(extra))
    if alert.kind != "closed":
        blocks.append({"type": "context", "elements": [
            _mrkdwn(f"Record what happened: `{escape(alert.update_command)}`")]})
    return SlackMessage(fallback(alert), blocks[:BLOCKS_MAX])


def fallback(alert: Alert) -> str:
    """One or two lines, escaped: what a phone notification shows."""
    icon, _ = HEADLINES.get(alert.kind, ("•", ""))
    head = clip(headline(alert), 300)
    detail = {
        "lapsed": f"{alert.days_overdue} days overdue (deadline {day(alert.deadline)})",
        "heads-up": f"deadline {day(alert.deadline)}",
        "silent": "no news on an open-ended promise",
        "slipped": f"now due {day(alert.deadline) if alert.deadline else 'with no date'}, slipped {times(alert.slips)}",
        "closed": f"closed as {alert.status}",
    }.get(alert.kind, "")
    return f"{head} — {escape(detail)} · {escape(alert.owner)}"[:TEXT_MAX]


def summary_message(items: Sequence[tuple[Alert, str | None]]) -> SlackMessage:
    """Many alerts for one channel: one compact list, most overdue first, linking threads."""
    ordered = sorted(items, key=lambda it: (-it[0].days_overdue, it[0].id))
    counts: dict[str, int] = {}
    for alert, _ in ordered:
        counts[alert.kind] = counts.get(alert.kind, 0) + 1
    tally = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    title = f"📋 {len(ordered)} commitments need attention ({tally})"
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": plain(title, HEADER_MAX),
                                                                 "emoji": True}}]
    chunk: list[str] = []
    size = 0
    lines = [summary_line(a, url) for a, url in ordered]
    for i, line in enumerate(lines):
        if size + len(line) + 1 > SECTION_MAX:
            blocks.append(_section("\n".join(chunk)))
            chunk, size = [], 0
            if len(blocks) >= BLOCKS_MAX - 2:
                blocks.append(_section(f"…and {len(lines) - i} more: run `commitment-bot status`"))
                break
        chunk.append(line)
        size += len(line) + 1
    else:
        blocks.append(_section("\n".join(chunk)))
    blocks.append({"type": "context", "elements": [_mrkdwn("Each commitment's thread has the details; "
                                                           "record news with `commitment-bot update ID`.")]})
    return SlackMessage(escape(title), blocks)


def summary_line(alert: Alert, url: str | None) -> str:
    icon, word = HEADLINES.get(alert.kind, ("•", alert.kind))
    name = link(url, clip(alert.title, 120)) if url else clip(alert.title, 120)
    overdue = f", {alert.days_overdue} days overdue" if alert.days_overdue else ""
    due = f" (deadline {day(alert.deadline)})" if alert.deadline else ""
    return f"{icon} {name} — {word.lower()}{overdue}{due}"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(text[:SECTION_MAX])}


def _mrkdwn(text: str) -> dict[str, Any]:
    """`verbatim` stops Slack turning bare names, #channels or URLs in register text into links."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}
