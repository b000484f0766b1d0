"""Slack's mrkdwn (api.slack.com/reference/surfaces/formatting) as the HTML of the sandbox's page:
*bold*, _italic_, ~strike~, `code`, ```preformatted```, lines starting with `>` as a block quote,
`<https://…|label>` links and `<@U…>` mentions, the way Slack shows them.

Everything a message says is escaped: Slack's own `&lt;` `&gt;` `&amp;` are text, never markup; only
`http(s)` links become links; a marker inside a word (snake_case, 2*3*4) stays a character. Each
emphasis is matched with its nearest closer and the text between is drawn on its own, so the
tags always nest, whatever the markers (`*a _b* c_`).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from bot.shell.sandbox import world

_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|([^>]*))?>")
_MENTION = re.compile(r"<[@#!]([^>|]+)(?:\|([^>]*))?>")
_HOLE = re.compile("\ue000(\\d+)\ue001")  # where a link or a mention was taken out of the text
_TAGS = {"*": "strong", "_": "em", "~": "s"}
_QUOTE = re.compile(r"^>(?: |$)")


def mrkdwn(text: str) -> Markup:
    """One Slack text as HTML, safe to put inside a <div>."""
    holes: list[Markup] = []
    text = _keep(re.sub("[\ue000\ue001]", "\ufffd", text), holes)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    parts = text.split("```")
    out = []
    for i, part in enumerate(parts):
        closed = i % 2 == 1 and i < len(parts) - 1
        out.append(Markup("<pre>{}</pre>").format(_plain(part, holes)) if closed
                   else _lines(part if i % 2 == 0 else "```" + part, holes))
    return Markup("").join(out)


def _keep(text: str, holes: list[Markup]) -> str:
    """Take the links and mentions out (Slack's markup is in the raw text), leaving a hole for each."""
    def link(found: re.Match[str]) -> str:
        label = _decode(found.group(2) or found.group(1))
        holes.append(Markup('<a href="{}">{}</a>').format(found.group(1), label))
        return f"\ue000{len(holes) - 1}\ue001"

    def mention(found: re.Match[str]) -> str:
        who = found.group(2) or (world.USER_NAMES[0] if found.group(1) == world.USER else found.group(1))
        holes.append(Markup("{}").format("@" + _decode(who)))
        return f"\ue000{len(holes) - 1}\ue001"

    return _MENTION.sub(mention, _LINK.sub(link, text))


def _decode(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _lines(text: str, holes: list[Markup]) -> Markup:
    """Line by line; a run of lines starting with `>` is one block quote."""
    out: list[Markup] = []
    quoted: list[Markup] = []
    for line in text.split("\n"):
        if _QUOTE.match(line):
            quoted.append(_inline(line[2:], holes))
            continue
        if quoted:
            out.append(Markup("<blockquote>{}</blockquote>").format(Markup("<br>").join(quoted)))
            quoted = []
        out.append(_inline(line, holes) + Markup("<br>"))
    if quoted:
        out.append(Markup("<blockquote>{}</blockquote>").format(Markup("<br>").join(quoted)))
    html = Markup("").join(out)
    return Markup(html.removesuffix("<br>"))


def _inline(text: str, holes: list[Markup]) -> Markup:
    """`code`, then the first emphasis with a closer, drawn around its own text; the rest likewise."""
    for i, mark in enumerate(text):
        if mark == "`" and (end := text.find("`", i + 1)) > i + 1:
            return _plain(text[:i], holes) + Markup("<code>{}</code>").format(_plain(text[i + 1:end], holes)) \
                + _inline(text[end + 1:], holes)
        if mark in _TAGS and _opens(text, i) and (close := _closer(text, i)) is not None:
            tag = _TAGS[mark]
            return _plain(text[:i], holes) + Markup(f"<{tag}>") + _inline(text[i + 1:close], holes) \
                + Markup(f"</{tag}>") + _inline(text[close + 1:], holes)
    return _plain(text, holes)


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isalnum() and before != text[i] and not after.isspace() and after != text[i]


def _closer(text: str, i: int) -> int | None:
    mark = text[i]
    for j in range(i + 2, len(text)):
        after = text[j + 1] if j + 1 < len(text) else " "
        if text[j] == mark and not text[j - 1].isspace() and not after.isalnum() and after != mark:
            return j
    return None


def _plain(text: str, holes: list[Markup]) -> Markup:
    """Text, escaped, with its links and mentions put back."""
    return Markup(_HOLE.sub(lambda m: str(holes[int(m.group(1))]), str(escape(text))))
