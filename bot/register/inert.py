"""Text from the register (or the command line) made safe to print: every control character
becomes a visible escape, so a title cannot clear a terminal, retitle its window, move the
cursor, or hide what came before it on the line.

Escaped: the C0 controls (ESC, BEL, NUL, CR, LF, TAB, …), DEL, the C1 controls (CSI U+009B,
OSC U+009D, NEL U+0085, …), the Unicode line and paragraph separators, the bidirectional
embeddings, overrides and isolates that reorder the text after them on screen, lone
surrogates (which no terminal or UTF-8 encoder takes), and the noncharacters (U+FFFE, U+FDD0,
…), which XML refuses: a fetched title carrying one made its lead impossible to confirm. Each is
shown as its Python escape (`\\x1b`, `\\r`, `\\u202e`); everything else is left as it is. Pure: no I/O.
"""

from __future__ import annotations

import re

# One class of ranges keeps `sub` as fast as it was (listing the 32 astral noncharacters one by one
# made every call about eight times slower): everything from U+1FFFE up matches, and `_escape`
# gives back unchanged all but the noncharacters among it.
_CONTROL = re.compile("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ud800-\\udfff"
                      "\\ufdd0-\\ufdef\\ufffe\\uffff\\U0001fffe-\\U0010ffff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    if code > 0xFFFF:  # a noncharacter ends in FFFE or FFFF; the rest of the range is text
        return f"\\U{code:08x}" if code & 0xFFFE == 0xFFFE else ch
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str) -> str:
    """`text` with every control character shown as a visible escape; idempotent. A renderer
    applies it to each line it builds (a newline in a title is escaped too), then joins them."""
    return _CONTROL.sub(_escape, text)
