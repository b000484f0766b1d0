"""What a link in the register must look like (SPEC §2, §6.3): the rule the loader, `update`,
Slack and the JSON Schema share, in a room of its own so none of them imports another for it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

URL_RE = re.compile(r"https?://\S+")


def malformed(url: str) -> str | None:
    """Why a link that starts well cannot be fetched (a port past 65535, a broken [IPv6], no host,
    an empty label), or None: `sources` and the watch would otherwise meet it at run time."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError when the port is out of range or not a number
    except ValueError as e:
        return str(e)
    host = parts.hostname or ""
    if not host:
        return "it names no host"
    if ".." in host or host.startswith("."):
        return f'its host "{host}" has an empty label'
    return None
