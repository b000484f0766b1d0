"""The sandbox's page of what arrived: each Slack channel with its threads (the blocks' text and their
buttons, drawn as plain HTML), the mailbox, and each other channel's stand-in (bot.shell.sandbox.channels).
Static: it is rewritten after each
arrival, and reloads itself every few seconds while it is open.

A button cannot send anything from a file on disk, so each one shows the command that clicks it
(`commitment-bot sandbox click …`). Slack's mrkdwn is drawn as Slack draws it (mrkdwn.py); everything a
message says is escaped (there, and Jinja2's autoescape); only `http(s)` links become links.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from bot.shell.sandbox.mrkdwn import mrkdwn
from bot.shell.sandbox.slackstate import Message, SlackState

# Put before a mail's HTML in its frame: no script, and nothing fetched from anywhere (a tracker, a font).
MAIL_POLICY = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
               'img-src data:; base-uri \'none\'; form-action \'none\'">')


@dataclass
class Shown:
    """One message as the page draws it: its parts in order, and the replies in its thread."""

    ts: str
    parts: list[tuple[str, Any]]  # (kind, content): header, text, context, fields, buttons, divider
    replies: list[Shown] = field(default_factory=list)
    anchor: str = ""  # its id on the page, where its permalink leads (the stand-in's /archives/CHANNEL/pTS)


def shown(message: Message) -> Shown:
    anchor = f"{message.channel}-p{message.ts.replace('.', '')}"
    if not message.blocks:
        return Shown(message.ts, [("text", mrkdwn(message.text))], anchor=anchor)
    parts: list[tuple[str, Any]] = []
    for block in message.blocks:
        parts += _block(block)
    return Shown(message.ts, parts, anchor=anchor)


def _block(block: dict[str, Any]) -> list[tuple[str, Any]]:
    kind = block.get("type")
    if kind == "header":
        return [("header", (block.get("text") or {}).get("text", ""))]
    if kind == "divider":
        return [("divider", None)]
    if kind == "context":
        return [("context", Markup(" · ").join(mrkdwn(e.get("text", "")) for e in block.get("elements", [])
                                                if "text" in e))]
    if kind == "actions":
        return [("buttons", [_button(e) for e in block.get("elements", []) if e.get("type") == "button"])]
    out: list[tuple[str, Any]] = []
    if block.get("text"):
        out.append(("text", mrkdwn(block["text"].get("text", ""))))
    if block.get("fields"):
        out.append(("fields", [mrkdwn(f.get("text", "")) for f in block["fields"]]))
    return out


def _button(button: dict[str, Any]) -> dict[str, str]:
    """A button's label, and the command that clicks it in the sandbox."""
    try:
        value = json.loads(button.get("value") or "{}")
    except ValueError:
        value = {}
    value = value if isinstance(value, dict) else {}
    command = f"commitment-bot sandbox click {button.get('action_id')} --commitment {value.get('id')}"
    if value.get("lead") is not None:
        command += f" --lead {value['lead']}"
    return {"label": (button.get("text") or {}).get("text", ""), "command": command}


def channels(state: SlackState) -> list[tuple[str, list[Shown]]]:
    """Each channel's messages, oldest first, each with its thread's replies under it."""
    with state.lock:
        out = []
        for channel in state.channels.values():
            posted = [m for m in state.messages if m.channel == channel.id and not m.deleted]
            roots = {m.ts: shown(m) for m in posted if m.thread_ts is None}
            for m in posted:
                if m.thread_ts is not None and m.thread_ts in roots:
                    roots[m.thread_ts].replies.append(shown(m))
            out.append((channel.name, list(roots.values())))
        return out


def mail(received: Any) -> dict[str, str]:
    """A mail as the page shows it: who it went to, its subject, its plain-text part, and its HTML
    part (what a phone's mail app shows) for an <iframe sandbox>, under a policy that fetches nothing."""
    message = received.message
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return {"to": ", ".join(received.rcpt_tos), "subject": str(message["Subject"]), "sender": received.mail_from,
            "text": text.get_content() if text is not None else "",
            "html": _policed(html.get_content()) if html is not None else ""}


def _policed(html: str) -> str:
    """The mail's HTML with MAIL_POLICY first in it (after its doctype, so it keeps its standards mode)."""
    doctype = re.match(r"\s*<!doctype[^>]*>", html, re.IGNORECASE)
    at = doctype.end() if doctype else 0
    return html[:at] + MAIL_POLICY + html[at:]


def write(path: Path, html: str) -> None:
    """Replace the page whole, so a browser reloading it never reads half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    part.write_text(html, encoding="utf-8")
    os.replace(part, path)


def render(context: dict[str, Any]) -> str:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("bot.shell.sandbox", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("channels.html").render(**context)
