"""The Web API methods the local Slack speaks (api.slack.com/methods), each a function of the state
and the call's parameters returning (HTTP status, body), under the state's lock.

Their answers are Slack's documented ones: `ok: false` with Slack's error codes, threads, message
metadata only when asked for, history and replies paged with a cursor, a missing scope named.
"""

from __future__ import annotations

import json
import time
from typing import Any

from bot.shell.sandbox.slackstate import METADATA_MAX, NEEDS, Channel, Message, SlackState


def _true(value: Any) -> bool:
    return str(value).lower() in ("true", "1")


def _ok(**fields: Any) -> tuple[int, dict[str, Any]]:
    return 200, {"ok": True, **fields}


def _err(error: str) -> tuple[int, dict[str, Any]]:
    return 200, {"ok": False, "error": error}


def auth_test(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return _ok(url=state.archive.removesuffix("archives/"), team="Advocacy", user="commitment-bot",
               team_id="T0TEST", user_id="U0BOT", bot_id="B0BOT")


def missing_scope(state: SlackState, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
    """Slack's answer when the token lacks the scope a method needs, naming the one to add."""
    public, private = NEEDS.get(method, ("", ""))
    channel = state.channel(str(params.get("channel", "")))
    needed = private if channel is not None and channel.private else public
    granted = state.scopes.split(",")
    if not needed or needed in granted:
        return None
    return 200, {"ok": False, "error": "missing_scope", "needed": needed, "provided": state.scopes}


def _writable(state: SlackState, params: dict[str, Any]) -> Channel | str:
    channel = state.channel(str(params.get("channel", "")))
    if channel is None:
        return "channel_not_found"
    if channel.archived:
        return "is_archived"
    if not channel.member:
        return "not_in_channel"
    return channel


def _rate_limited(state: SlackState, channel: Channel) -> float | None:
    if state.rate_per_channel is None:
        return None
    now = time.monotonic()
    last = state.last_post.get(channel.id)
    gap = 1.0 / state.rate_per_channel
    if last is not None and now - last < gap:
        return gap - (now - last)
    state.last_post[channel.id] = now
    return None


def post_message(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    channel = _writable(state, params)
    if isinstance(channel, str):
        return _err(channel)
    if not params.get("text") and not params.get("blocks"):
        return _err("no_text")
    if len(params.get("blocks") or []) > 50:
        return _err("invalid_blocks")
    if len(json.dumps(params.get("metadata") or {})) > METADATA_MAX:
        return _err("metadata_too_large")
    thread_ts = params.get("thread_ts")
    if thread_ts and not any(m.ts == thread_ts and not m.deleted and m.channel == channel.id
                             for m in state.messages):
        return _err("thread_not_found")
    wait = _rate_limited(state, channel)
    if wait is not None:
        return 429, {"ok": False, "error": "ratelimited", "_retry_after": wait}
    m = Message(channel.id, state.next_ts(), str(params.get("text") or ""), params.get("blocks"),
                thread_ts, _true(params.get("reply_broadcast")), params.get("metadata"))
    state.messages.append(m)
    return _ok(channel=channel.id, ts=m.ts, message=_shape(state, m, True))


def update_message(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    channel = _writable(state, params)
    if isinstance(channel, str):
        return _err(channel)
    for m in state.messages:
        if m.channel == channel.id and m.ts == params.get("ts") and not m.deleted:
            m.text = str(params.get("text") or m.text)
            m.blocks = params.get("blocks") or m.blocks
            return _ok(channel=channel.id, ts=m.ts, text=m.text, message=_shape(state, m, True))
    return _err("message_not_found")


def get_permalink(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    channel = state.channels.get(str(params.get("channel", "")))  # Slack wants the id here
    if channel is None:
        return _err("channel_not_found")
    for m in state.messages:
        if m.channel == channel.id and m.ts == params.get("message_ts") and not m.deleted:
            link = f"{state.archive}{channel.id}/p{m.ts.replace('.', '')}"
            if m.thread_ts:
                link += f"?thread_ts={m.thread_ts}&cid={channel.id}"
            return _ok(channel=channel.id, permalink=link)
    return _err("message_not_found")


def list_conversations(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    chans = [{"id": c.id, "name": c.name, "is_archived": c.archived, "is_member": c.member}
             for c in state.channels.values()]
    return _ok(channels=chans, response_metadata={"next_cursor": ""})


def _readable(state: SlackState, params: dict[str, Any]) -> Channel | str:
    channel = state.channels.get(str(params.get("channel", "")))  # Slack wants the id here
    if channel is None:
        return "channel_not_found"
    if not channel.member:  # a private channel the bot is not in does not exist for it
        return "channel_not_found" if channel.private else "not_in_channel"
    return channel


def _page(state: SlackState, found: list[Message], params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """One page of `found` (already in Slack's order), `limit` at a time, with Slack's cursor."""
    start = int(params.get("cursor") or 0)
    limit = max(1, min(int(params.get("limit") or 100), 999))
    with_meta = _true(params.get("include_all_metadata"))
    page = [_shape(state, m, with_meta) for m in found[start:start + limit]]
    more = start + limit < len(found)
    return _ok(messages=page, has_more=more, response_metadata={"next_cursor": str(start + limit) if more else ""})


def _between(m: Message, params: dict[str, Any]) -> bool:
    return float(params.get("oldest") or 0) <= float(m.ts) <= float(params.get("latest") or "inf")


def history(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Newest first; thread replies only when broadcast to the channel, as in Slack."""
    channel = _readable(state, params)
    if isinstance(channel, str):
        return _err(channel)
    found = [m for m in reversed(state.messages) if m.channel == channel.id and not m.deleted
             and _between(m, params) and (m.thread_ts is None or m.reply_broadcast)]
    return _page(state, found, params)


def replies(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The parent first, then the replies in `oldest`..`latest`, oldest first."""
    channel = _readable(state, params)
    if isinstance(channel, str):
        return _err(channel)
    root = params.get("ts")
    parent = [m for m in state.messages if m.channel == channel.id and not m.deleted and m.ts == root]
    if not parent:
        return _err("thread_not_found")
    found = parent + [m for m in state.messages if m.channel == channel.id and not m.deleted
                      and m.thread_ts == root and m.ts != root and _between(m, params)]
    return _page(state, found, params)


def _shape(state: SlackState, m: Message, with_meta: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "message", "ts": m.ts, "text": m.text, "user": "U0BOT", "bot_id": "B0BOT"}
    if m.blocks:
        out["blocks"] = m.blocks
    if m.thread_ts:
        out["thread_ts"] = m.thread_ts
    thread = [r.ts for r in state.messages if r.thread_ts == m.ts and r.ts != m.ts and not r.deleted]
    if thread and m.thread_ts is None:
        out.update(thread_ts=m.ts, reply_count=len(thread), latest_reply=thread[-1])
    if with_meta and m.metadata:
        out["metadata"] = m.metadata
    return out


def apps_connections_open(state: SlackState, token: str) -> tuple[int, dict[str, Any]]:
    if token not in state.app_tokens:
        return _err("invalid_auth")
    if state.socket_url is None:
        return _err("socket_mode_not_enabled")
    state.connecting_since = time.monotonic()  # an app is on its way to the WebSocket
    return _ok(url=state.socket_url)


def _view_out(view_id: str, view: dict[str, Any]) -> dict[str, Any]:
    return {**view, "id": view_id, "hash": f"h{len(json.dumps(view))}"}


def views_open(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    view = _json(params.get("view"))
    if not params.get("trigger_id"):
        return _err("invalid_trigger_id")
    if view.get("type") != "modal" or len(view.get("blocks") or []) > 100:
        return _err("invalid_arguments")
    view_id = f"V0{len(state.views) + 1:07d}"
    state.views[view_id] = view
    state.view_calls.append(("open", view))
    return _ok(view=_view_out(view_id, view))


def views_update(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    view_id = str(params.get("view_id") or "")
    if view_id not in state.views:
        return _err("not_found")
    view = _json(params.get("view"))
    state.views[view_id] = view
    state.view_calls.append(("update", view))
    return _ok(view=_view_out(view_id, view))


def views_publish(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    view = _json(params.get("view"))
    if view.get("type") != "home":
        return _err("invalid_arguments")
    state.homes[str(params.get("user_id"))] = view
    return _ok(view=_view_out(f"VH{params.get('user_id')}", view))


def post_ephemeral(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    channel = _writable(state, params)
    if isinstance(channel, str):
        return _err(channel)
    state.ephemeral.append({**params, "channel": channel.id})
    return _ok(message_ts=state.next_ts())


def users_conversations(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    mine = state.members.get(str(params.get("user")), set())
    chans = [{"id": c.id, "name": c.name} for c in state.channels.values() if c.id in mine]
    return _ok(channels=chans, response_metadata={"next_cursor": ""})


def usergroup_users(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    group = str(params.get("usergroup"))
    return _ok(users=state.usergroups[group]) if group in state.usergroups else _err("no_such_subteam")


def users_info(state: SlackState, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """users.info as Slack answers it (https://api.slack.com/methods/users.info): the profile's
    display_name (empty when the person never set one) and real_name."""
    user = str(params.get("user"))
    names = state.names.get(user)
    if names is None:
        return _err("user_not_found")
    display, real = names
    return _ok(user={"id": user, "name": real.lower().replace(" ", "."), "real_name": real,
                     "profile": {"display_name": display, "real_name": real}})


def _json(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else dict(value or {})


METHODS = {
    "auth.test": auth_test,
    "views.open": views_open,
    "views.update": views_update,
    "views.publish": views_publish,
    "chat.postEphemeral": post_ephemeral,
    "users.conversations": users_conversations,
    "usergroups.users.list": usergroup_users,
    "users.info": users_info,
    "chat.postMessage": post_message,
    "chat.update": update_message,
    "chat.getPermalink": get_permalink,
    "conversations.list": list_conversations,
    "conversations.history": history,
    "conversations.replies": replies,
}
