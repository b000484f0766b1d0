"""Email's target syntax, pure so validating a register never imports the mail machinery."""

from __future__ import annotations

import json
import re

# No spaces, commas, quotes, angle brackets or newlines: no address can carry a second one or a header.
ADDRESS = re.compile(r"^[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+$")


LONGEST = 254  # RFC 5321's limit on a path, so the longest address any mail server takes (as smtp.LONGEST)


def check_target(address: str) -> str | None:
    """Why `address` is not an email address as the register writes one, or None."""
    if len(address) > LONGEST:
        shown = json.dumps(address[:59] + "…", ensure_ascii=False)
        return f"email address {shown} is {len(address):,} characters: at most {LONGEST} (RFC 5321)"
    if ADDRESS.fullmatch(address):
        return None
    return f'email {json.dumps(address, ensure_ascii=False)} is not an address like "name@example.org"'
