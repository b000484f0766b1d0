"""Slack messages for alerts: Block Kit for people, plain fallback `text` for notifications.

Nothing from the register becomes markup (SPEC §2). Slack's own reference, "Formatting text for
app surfaces" (api.slack.com/reference/surfaces/formatting; docs.slack.dev/messaging/formatting-
message-text), names `&`, `<` and `>` as the only characters to escape, and its text-object
reference says `verbatim: true` stops URLs, channels and mentions being linked while "Slack will
continue to process all markdown formatting": `*bold*`, `_italic_`, `~strike~`, `` `code` `` and
a `>` quote still render. mrkdwn has no escape for them (a backslash shows and does not escape:
slackhq/slack-api-docs#34, #93; Slack's answer there: backticks, or a space either side of the
marker). So:
  - text that is the register's alone (the quote, the fields such as "Promised by", the slip
    history, headers) goes in `plain_text`, which Slack never parses: shown as written, unescaped;
  - register text that must sit in mrkdwn beside the bot's bold and links (a title in a link, a
    note, a source's name) goes through `inert`: each of `*`, `_`, `~` and the backtick becomes a
    look-alike Slack's parser does not know (∗ ˍ ∼ ˋ, none of which Unicode normalises back), and
    a line break becomes a space, so no line of it can open a quote. An invisible character
    beside the marker was rejected: Slack treats a zero-width space as a word boundary, which is
    why converters insert one to make a marker *parse* (jsarafajr/slackify-markdown,
    NousResearch/hermes-agent#72711), so it cannot be relied on to stop one. It is also escaped
    (`&`, `<`, `>`) and sent with `verbatim`, so a title such as "<!channel>" can neither ping a
    channel nor forge a link; in a link, a `|` in the URL is encoded and one in the label replaced
    by "∣", so neither can split the link. URLs are never altered beyond that: a link's target goes
    through `link()`, never `inert`. Block Kit limits are kept here (50 blocks, 3,000
characters per section, 150 per header): text is cut with "…" *before* links are built around
it, so a cut never lands inside a link or an `&amp;`; a URL too long to fit is shown as its label.

A summary of many alerts for one channel in one run is built in notifiers/slack/summary.py from
the pieces here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.decide import facts, words
from bot.decide.alerts import Alert, times
from bot.decide.kinds import kind
from bot.register.model import TERMINAL, recorder_of
from notifiers.slack.buttons import alert_actions, lead_actions

HEADER_MAX = 150
SECTION_MAX = 3000
FIELD_MAX = 2000
BLOCKS_MAX = 50
QUOTE_MAX = 600
TEXT_MAX = 3000
URL_MAX = 1000  # longer URLs are shown as their label, so two links and the quote fit one section
LABEL_MAX = 120  # a title in a summary line
DETAILS_JSON_MAX = 16_000  # one reply of full alerts; a single larger alert still goes alone
SLACK_USER = re.compile(r"[UW][A-Z0-9]{6,20}")  # an update recorded from Slack: `by` is its user id, shown as a mention
UNFINISHED = re.compile(r"(<[^>]*|&[a-z]*)$")  # a link or an entity the cut would break



@dataclass(frozen=True)
class SlackMessage:
    text: str  # the fallback: notifications, screen readers, old clients
    blocks: list[dict[str, Any]]


@dataclass(frozen=True)
class Summary:
    message: SlackMessage
    listed: tuple[int, ...]  # the items (by position) that have a line, in display order


INERT = str.maketrans({"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"})
LINE_BREAK = re.compile(r"[ \t]*[\r\n]+[ \t]*")


def inert(text: str) -> str:
    """Register text that cannot open or close a mrkdwn span: `*_~` and backticks become
    look-alikes Slack does not parse (∗ ˍ ∼ ˋ), and line breaks spaces, so no line of it can
    start a quote (see the module's docstring for why not an invisible character)."""
    return LINE_BREAK.sub(" ", text).translate(INERT)


def code(text: str) -> str:
    """Text inside the bot's own `code`: escaped, and a backtick (the only thing that could end
    the span) made a look-alike; everything else is kept exactly, to be copied."""
    return escape(text).replace("`", "\u02cb")


def escape(text: str) -> str:
    """Slack's three control characters; the only escaping Slack asks for."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """Register text for mrkdwn: inert, escaped, no longer than `limit`, cut on a character
    (never inside `&amp;`) with "…"."""
    text = inert(text)
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


def cut(mrkdwn: str, limit: int) -> str:
    """Built mrkdwn no longer than `limit`, cut before any link or entity it would break."""
    if len(mrkdwn) <= limit:
        return mrkdwn
    return UNFINISHED.sub("", mrkdwn[: limit - 1]).rstrip() + "…"


def label(text: str, limit: int) -> str:
    """Register text as a link's label: escaped, clipped, and unable to split the link."""
    return clip(text, limit).replace("|", "∣")


def plain(text: str, limit: int) -> str:
    """For plain_text objects: no escaping at all, Slack never parses them."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def day(iso: str | None) -> str:
    """2022-08-31 → 31 Aug 2022, the way the team writes dates."""
    return words.written(iso) if iso else "none"


def link(url: str | None, text: str) -> str:
    """A Slack link around already-built `text`; the URL is escaped too, so a `|` or `>` in it
    cannot start a new label. No link (the text alone) for other schemes or an over-long URL."""
    target = escape(url).replace("|", "%7C") if url else ""
    if not target.startswith(("https://", "http://")) or len(target) > URL_MAX:
        return text
    return f"<{target}|{text.replace('|', '∣')}>"


def headline(alert: Alert) -> str:
    k = kind(alert.kind)
    icon, word = k.icon_for(alert.status), k.headline_of(alert)
    period = f" ({alert.period})" if alert.period else ""
    return f"{icon} {word}: {alert.title}{period}"


def status_line(alert: Alert) -> str:
    """The one sentence that makes each kind read differently (bot.decide.words says it; Slack stresses it)."""
    stress, rest = kind(alert.kind).says(alert, day)
    return f"*{clip(stress, 1000)}*{clip(rest, 1900)}"


def lead_text(alert: Alert) -> str | None:
    """What the watch found, linked, with its date and source (the passage that matched is
    `snippet_block`'s, in plain_text)."""
    lead = alert.lead
    if lead is None:
        return None
    when = f"published {day(lead.published)}" if lead.published else "undated"
    return f"*Found:* {link(lead.url, label(lead.title, 300))}\n{when} · {clip(lead.source_name, 200)}"


def quoted(text: str, limit: int) -> str:
    """A passage in the words of its source, for plain_text: in quotation marks, unescaped."""
    return f"“{plain(text, limit)}”"


def _plain_section(text: str) -> dict[str, Any]:
    """Register text alone: plain_text, which Slack never parses (no emoji codes either)."""
    return {"type": "section", "text": {"type": "plain_text", "text": plain(text, SECTION_MAX), "emoji": False}}


def lead_message(alert: Alert, interactive: bool = False) -> SlackMessage:
    """A lead leads with what was found; then the commitment whose thread it is in, and the others
    it may answer (it is posted once per channel, here); then one confirm per commitment and a
    dismiss (SPEC §7.4)."""
    assert alert.lead is not None
    lead, period = alert.lead, f" ({alert.period})" if alert.period else ""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": plain(f"🔎 Lead: {lead.title}", HEADER_MAX),
                                    "emoji": True}},
        _section(status_line(alert)),
        _section(lead_text(alert) or ""),
    ]
    if lead.snippet:
        blocks.append(_plain_section(quoted(lead.snippet, QUOTE_MAX)))
    others = lead.others(alert.id)
    if others:
        named = "\n".join(f"• {clip(title, 200)} (`{code(cid)}`)" for cid, title in others)
        blocks.append(_section(f"*It may also answer:*\n{named}\nThis channel gets it once, not once per commitment; confirm "
                               "it for the commitment it answers."))
    blocks.append({"type": "section", "fields": promise_fields(alert)})
    blocks += detail_blocks(alert)
    answers = [(alert.id, alert.title), *others]
    buttons = lead_buttons(alert.id, lead.lead_id, answers) if interactive else [lead_commands(lead.lead_id, answers)]
    blocks = blocks[: BLOCKS_MAX - len(buttons)] + buttons
    head = f"🔎 Lead: {lead.title} — possible news for {alert.title}{period}"
    return SlackMessage(cut(f"{clip(head, 600)} · {clip(alert.owner, 300)}", TEXT_MAX), blocks)


LEAD_BUTTONS = 10  # commitments with a confirm button of their own; the rest are named with the command


def lead_buttons(thread: str, lead_id: int, answers: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    if len(answers) == 1:
        return [lead_actions(thread, lead_id)]
    shown = answers[:LEAD_BUTTONS]
    out = [lead_actions(cid, lead_id, plain(f"Confirm for: {title}", 75), dismiss=i == len(shown) - 1)
           for i, (cid, title) in enumerate(shown)]
    if len(answers) > len(shown):
        out.append({"type": "context", "elements": [_mrkdwn(
            f"…and {len(answers) - len(shown)} more: `commitment-bot leads confirm {lead_id} --commitment ID`")]})
    return out


def lead_commands(lead_id: int, answers: Sequence[tuple[str, str]]) -> dict[str, Any]:
    which = f" --commitment {code(answers[0][0])}" if len(answers) > 1 else ""
    return {"type": "context", "elements": [_mrkdwn(
        f"Confirm it: `commitment-bot leads confirm {lead_id}{which}` (or `leads dismiss {lead_id}`)")]}


def promise_fields(alert: Alert) -> list[dict[str, Any]]:
    """Who made it, when, the words in force, how late: plain_text, as the register has them."""
    return [{"type": "plain_text", "text": plain(f"{label}\n{value}" if label else value, FIELD_MAX), "emoji": False}
            for label, value in facts.fields(alert, day)]


def quote_text(alert: Alert) -> str | None:
    """The quote, in plain_text: the register's words exactly, in quotation marks."""
    return quoted(alert.quote, QUOTE_MAX) if alert.quote else None


def source_text(alert: Alert) -> str | None:
    """The quote's links: to the full quote when it was cut, and to its source."""
    if not alert.quote and not alert.source_title:
        return None
    source = "Source: " + link(alert.source_url, label(alert.source_title or "link", 300)) \
        if alert.source_title or alert.source_url else ""
    more = link(alert.source_url, "read the full quote") if alert.quote and len(alert.quote) > QUOTE_MAX else ""
    return " · ".join(p for p in (more, source) if p) or None


def history_text(alert: Alert) -> str | None:
    if not alert.slips:
        return None
    return plain(f"Slipped {times(alert.slips)}: {alert.words_over_time}", SECTION_MAX)


def detail_blocks(alert: Alert) -> list[dict[str, Any]]:
    """The quote (plain_text), its links, the slip history (plain_text) and the last update."""
    out = []
    quote, source, history = quote_text(alert), source_text(alert), history_text(alert)
    if quote:
        out.append(_plain_section(quote))
    if source:
        out.append(_section(source))
    if history:
        out.append(_plain_section(history))
    out.append(_section(update_text(alert)))
    return out


def update_text(alert: Alert) -> str:
    u = alert.last_update
    if u is None:
        other = alert.series_update
        if other is not None and alert.period:
            about = f" (for {clip(other.period, 200)})" if other.period else ""
            return f"_No update recorded for {clip(alert.period, 200)}; the last on this series was {day(other.on)}{about}._"
        return f"_No update from {clip(alert.owner, 1000)} recorded yet._"
    # who recorded it, as the site says it: never read as the note's speaker (SPEC §7.2)
    who = recorder_of(u.recorded_by, u.by)  # a name; a Slack user id is mentioned, which Slack shows as the name
    by = f" (recorded by <@{u.by}>)" if u.by and SLACK_USER.fullmatch(u.by) else clip(f" (recorded by {who})", 200) \
        if u.by and who else ""
    named = clip(words.source_of(u.source_title, u.said_by), 200) if u.source_title else None  # SPEC §7.2
    said = f", said by {clip(u.said_by, 200)}" if u.said_by and not u.source_title else ""
    cited = clip(words.cited(u.source_title, u.said_by), 200)
    source = f" (source: {link(u.source_url, named or 'evidence')}{said})" if u.source_url else \
        (f" ({cited})" if cited else "")
    return f"*Last update {day(u.on)}*{by}: {clip(u.note, 1500)}{source}"  # < 3,000 with any URL


def alert_message(alert: Alert, interactive: bool = False) -> SlackMessage:
    """`interactive`: the Slack app is set up, so the alert carries its buttons (SPEC §6.2)."""
    if alert.lead is not None:
        return lead_message(alert, interactive)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": plain(headline(alert), HEADER_MAX), "emoji": True}},
        _section(status_line(alert)),
        {"type": "section", "fields": promise_fields(alert)},
    ]
    blocks += detail_blocks(alert)
    k, asked = kind(alert.kind), alert.to_record
    reply = alert.chase.key if alert.chase is not None and alert.reply_command is not None else None
    if interactive and reply is not None:  # an unanswered chase: its reply is recorded with its own button
        blocks.append({"type": "context", "elements": [_mrkdwn(f"{asked.ask} with *{asked.button}* below.")]})
    elif interactive and alert.chase is not None and alert.chase.lead is not None:  # its answer, found as a lead
        blocks.append({"type": "context", "elements": [_mrkdwn(
            f"{asked.ask} with *{asked.button}* on the lead's message (lead {alert.chase.lead}).")]})
    if interactive:
        blocks.append(alert_actions(alert.id, alert.period, k.closes, words.of(alert.type).close_button,
                                    follow_up=k.follow_up and alert.status not in TERMINAL, reply=reply))
    if not k.closes and (not interactive or (alert.reply_command is not None and reply is None)):
        blocks.append({"type": "context", "elements": [_mrkdwn(f"{asked.ask}: `{code(asked.command)}`")]})
    return SlackMessage(fallback(alert), blocks[:BLOCKS_MAX])


def fallback(alert: Alert) -> str:
    """One or two lines, inert and escaped (the fallback is mrkdwn): what a phone notification shows."""
    head = clip(headline(alert), 300)
    return cut(f"{head} — {clip(kind(alert.kind).line(alert, day), 2000)} · {clip(alert.owner, 300)}", TEXT_MAX)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(cut(text, SECTION_MAX))}


def _mrkdwn(text: str) -> dict[str, Any]:
    """`verbatim` stops Slack turning bare names, #channels or URLs in register text into links."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


# -- a summary whose linked lines have their full alerts in their commitments' threads -------------
