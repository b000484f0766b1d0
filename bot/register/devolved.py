"""Whose Parliament a promise answers to: the devolved governments, found by the names registers write.

The date reader holds Westminster's calendar only (its sessions, recesses and dissolutions, SPEC
§2.1), and a phrase names no Parliament: "by the end of this session" is read as the UK
Parliament's. A devolved government answers to its own legislature, whose calendar differs (the
Scottish Parliament calls its whole five-year term a session; the Senedd and the Northern Ireland
Assembly sit and rise on their own days). So a devolved government's promise read by Westminster's
calendar would put a deadline the government never set: the register refuses it and asks for
`deadline:` (bot.register.recording.promised).

Only names that are unmistakably devolved are matched: the Scotland Office, the Wales Office and
the Northern Ireland Office are UK government departments, and stay Westminster's.
"""

from __future__ import annotations

import re

__all__ = ["legislature"]

_BODIES = (
    (re.compile(r"\bscottish\s+(?:government|executive|ministers?)\b|\briaghaltas\s+na\s+h-alba\b|"
                r"\bscottish\s+parliament\b"), "the Scottish Parliament"),
    (re.compile(r"\bwelsh\s+(?:assembly\s+)?government\b|\bwelsh\s+ministers?\b|\bllywodraeth\s+cymru\b|\bsenedd\b"),
     "the Senedd"),
    (re.compile(r"\bnorthern\s+ireland\s+executive\b|\bni\s+executive\b|\bexecutive\s+office\b|"
                r"\((?:northern\s+ireland|ni)\)|\bnorthern\s+ireland\s+assembly\b"), "the Northern Ireland Assembly"),
)


def legislature(owner: str | None) -> str | None:
    """The devolved legislature `owner` answers to ("the Scottish Parliament"), or None for the UK
    government, its departments and anyone else."""
    if not owner:
        return None
    text = " ".join(owner.lower().split())
    return next((name for pattern, name in _BODIES if pattern.search(text)), None)
