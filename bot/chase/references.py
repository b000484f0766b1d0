"""A written question's reference, and the House it names: "HL1234" is a Lords question, "12345"
a Commons one (each House numbers its questions its own way). The watch reads it to ask
Parliament for the answer; `chase` and the Slack form read it to refuse a House that contradicts
it, since the reply due date is counted by that House's standard. Pure: no I/O. `reference`
itself lives below the chase room (bot.register.questions), where a chase's answer is read too."""

from __future__ import annotations

from bot.register.questions import reference

__all__ = ["reference", "wrong_house"]


def wrong_house(ref: str | None, house: str | None) -> str | None:
    """Why `ref` cannot be a question tabled in `house` ("commons" | "lords"); None when it can
    (or either is not given). Recorded anyway, its reply would be due by the other House's
    standard while the watch asked the House the reference names."""
    found = reference(ref) if ref and house else None
    if found is None or found[1].lower() == house:
        return None
    uin, named = found
    other = "a Lords one starts HL" if named == "Commons" else "a Commons one is a number alone"
    return (f"{uin} is the number of a {named} question ({other}), but the question is said to be "
            f"tabled in the House of {'Lords' if named == 'Commons' else 'Commons'}: check the reference or the House")
