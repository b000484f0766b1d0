"""A person's hand in the sandbox's Slack: clicking a button on an alert, filling the form it opens,
typing `/commitments`. Each sends the app exactly what Slack would over Socket Mode (the payload
shapes in socketmode.py), to whichever Slack app is connected: `commitment-bot slack serve` or `run`.

What a person would leave as it is in a form (the date, the promised words shown) stays as the app
filled it in; what they type is given as `values`. The answer is what the person would see next:
the form's objections under its fields, a note only they see, or the message the click put in a
channel (the update's alert in the commitment's thread).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import notifiers.slack.ids as ids
from bot.shell.sandbox import words, world
from bot.shell.sandbox.slackstate import Message, SlackState
from bot.shell.sandbox.socketmode import SocketMode, click, slash, submission

WAIT = 30.0  # seconds a connecting app may take to connect, and a connected one to open a form or answer
FORMS = ids.OPENS_A_FORM  # a click on these opens a form, which the hand fills and submits
NOTHING = f"nothing came back within {WAIT:.0f} s: see the app's terminal"


@dataclass(frozen=True)
class Answer:
    """What the person saw, line by line; `ok` is False when nothing was done (exit 1)."""

    lines: list[str] = field(default_factory=list)
    ok: bool = True


def press(state: SlackState, edge: SocketMode, action: str, commitment: str, values: dict[str, str],
          lead: int | None = None) -> Answer:
    """Click the newest `action` button about `commitment` in any channel, then submit its form."""
    found = find_button(state, action, commitment, lead)
    if found is None:
        return Answer([f"no message in the sandbox's channels has a {action} button for {commitment}: "
                       "run `commitment-bot check` (or `watch`, for a lead's buttons) with the sandbox's settings, "
                       "and see sandbox/index.html"], ok=False)
    message, button = found
    if not edge.awaited(WAIT):
        return Answer(["no Slack app is connected to the sandbox: start `commitment-bot slack serve` "
                       "(or `commitment-bot run`) with the sandbox's settings"], ok=False)
    channel = state.channels[message.channel].name
    said = [f'clicked "{_label(button)}" in #{channel}, as {world.USER_NAMES[0]} ({world.USER})']
    mark = _mark(state)
    payload = click(state, action, _value(button), world.USER, message.channel, message.ts, message.thread_ts)
    edge.ack(edge.send("interactive", payload))
    if action not in FORMS:
        return Answer(said + (_outcome(state, mark) or [NOTHING]))
    opened = _opened(state, mark)
    if opened is None:  # a refusal, said to the person (a removed commitment, someone access leaves out)
        return Answer(said + (_outcome(state, mark, wait=False) or ["the app opened no form"]), ok=False)
    view_id, view = opened
    filled = _filled(view, values)
    said.append(f'submitted the form "{_title(view)}": ' + ", ".join(f'{k} "{v}"' for k, v in filled.items() if v))
    mark = _mark(state)
    errors = (edge.ack(edge.send("interactive", submission(view, view_id, world.USER, filled))) or {}).get("errors")
    if errors:
        return Answer(said + [f"the form said, under {name}: {why}" for name, why in errors.items()]
                      + ["nothing was recorded"], ok=False)
    return Answer(said + (_outcome(state, mark) or [NOTHING]))


def ask(state: SlackState, edge: SocketMode, text: str, channel: str) -> Answer:
    """Type `/commitments TEXT` in `channel`; the app's answer (to the person, or to the channel)."""
    if state.channel(channel) is None:
        return Answer([f"the sandbox's Slack has no channel {channel}: "
                       + ", ".join(f"#{c}" for c in world.CHANNELS)], ok=False)
    if not edge.awaited(WAIT):
        return Answer(["no Slack app is connected to the sandbox: start `commitment-bot slack serve` "
                       "(or `commitment-bot run`) with the sandbox's settings"], ok=False)
    mark = _mark(state)
    answered = edge.ack(edge.send("slash_commands", slash(state, text, world.USER, channel))) or {}
    if answered.get("text"):
        return Answer(words.lines(str(answered["text"])))
    return Answer(_outcome(state, mark) or [NOTHING])


def find_button(state: SlackState, action: str, commitment: str,
                lead: int | None = None) -> tuple[Message, dict[str, Any]] | None:
    """The newest message carrying an `action` button whose value names `commitment` (and `lead`)."""
    with state.lock:
        for message in reversed(state.messages):
            for button in _buttons(message):
                value = _value(button)
                if button.get("action_id") == action and value.get("id") == commitment \
                        and (lead is None or value.get("lead") == lead):
                    return message, button
    return None


def _buttons(message: Message) -> list[dict[str, Any]]:
    if message.deleted:
        return []
    return [e for block in message.blocks or [] if block.get("type") == "actions"
            for e in block.get("elements", []) if e.get("type") == "button"]


def _value(button: dict[str, Any]) -> dict[str, Any]:
    try:
        value = json.loads(button.get("value") or "")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _label(button: dict[str, Any]) -> str:
    return str((button.get("text") or {}).get("text") or button.get("action_id"))


def _title(view: dict[str, Any]) -> str:
    return str((view.get("title") or {}).get("text") or "")


def _mark(state: SlackState) -> tuple[int, int, int, int]:
    """How much each surface held before an action, so its answer is what came after."""
    with state.lock:
        return len(state.messages), len(state.ephemeral), len(state.responses), len(state.view_calls)


def _opened(state: SlackState, mark: tuple[int, int, int, int]) -> tuple[str, dict[str, Any]] | None:
    """The form the click opened (its id and view), or None when the app answered otherwise."""
    state.wait_for(lambda s: len(s.view_calls) > mark[3] or len(s.ephemeral) > mark[1]
                   or len(s.messages) > mark[0], WAIT)
    with state.lock:
        if len(state.view_calls) <= mark[3]:
            return None
        opened = state.view_calls[mark[3]][1]
        return next((vid, v) for vid, v in reversed(state.views.items()) if v is opened)


def _filled(view: dict[str, Any], values: dict[str, str]) -> dict[str, str]:
    """Each input of the form: what the person typed, else what the app filled in."""
    out: dict[str, str] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        initial = element.get("initial_date") or element.get("initial_value") \
            or (element.get("initial_option") or {}).get("value") or ""
        out[block["block_id"]] = values.get(block["block_id"], initial)
    return out


def _outcome(state: SlackState, mark: tuple[int, int, int, int], wait: bool = True) -> list[str]:
    """What appeared after `mark`: the first message in a channel, a note to the person, an answer."""
    if wait:
        state.wait_for(lambda s: len(s.messages) > mark[0] or len(s.ephemeral) > mark[1]
                       or len(s.responses) > mark[2], WAIT)
    with state.lock:
        said = [f"only you see: {line}" for e in state.ephemeral[mark[1]:] for line in words.lines(str(e.get("text")))]
        said += [line for r in state.responses[mark[2]:] for line in words.lines(str(r.get("text", "")))]
        for m in state.messages[mark[0]:]:
            where = "in the thread" if m.thread_ts else "in the channel"
            said.append(f"#{state.channels[m.channel].name}, {where}: {words.line(m.text)}")
        return said
