"""What a Teams target may be (SPEC §7.8): a NAME, whose webhook URL is read from TEAMS_WEBHOOK_NAME.

Pure, so validating a register never imports the transport. The webhook URL is a secret, so it
never belongs in the register: a target that looks like one is refused, and the message never
repeats it (validation errors are printed, and may be pasted into an issue).
"""

from __future__ import annotations

import json
import re

PREFIX = "TEAMS_WEBHOOK_"
# SPEC §7.8 names the variable from any NAME ("every other character than A–Z and 0–9 as _"): a
# team may write "Advocacy team", "policy.team" or "équipe" (any letters: é is "_" in the variable);
# only what could be part of a URL is refused.
NAME = re.compile(r"^[^\W_](?:[\w .-]{0,62}\w)?$")
URLISH = re.compile(r"[:/?=&@]|^https?", re.I)  # nothing a NAME has, and what every URL has


def variable(name: str) -> str:
    """The environment variable that holds NAME's webhook URL: TEAMS_WEBHOOK_ + NAME upper-cased,
    every character other than A–Z and 0–9 written as `_` ("policy-team" → TEAMS_WEBHOOK_POLICY_TEAM)."""
    return PREFIX + re.sub(r"[^A-Z0-9]", "_", name.upper())


def check_target(name: str) -> str | None:
    """Why `name` is not a Teams target as the register writes one, or None."""
    if NAME.fullmatch(name):
        return None
    if URLISH.search(name):
        return ("a Teams target is a name (teams: [advocacy]), not a webhook URL: the URL is a secret and goes in "
                "the environment as TEAMS_WEBHOOK_ADVOCACY; take it out of the register, and as the file keeps "
                "its history, make a new webhook in Teams")
    shown = json.dumps(name[:64], ensure_ascii=False)
    return (f'teams name {shown} must be letters, digits, spaces, ".", "-" or "_", at most 64 (like "advocacy", whose '
            "webhook URL is then read from TEAMS_WEBHOOK_ADVOCACY)")
