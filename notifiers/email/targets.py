"""Email's target syntax, pure so validating a register never imports the mail machinery."""

from __future__ import annotations

import json
import re

# No spaces, commas, quotes, angle brackets or newlines: no address can carry a second one or a header.
ADDRESS = re.compile(r"^[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+$")


def check_target(address: str) -> str | None:
    """Why `address` is not an email address as the register writes one, or None."""
    if ADDRESS.fullmatch(address):
        return None
    return f'email {json.dumps(address, ensure_ascii=False)} is not an address like "name@example.org"'
