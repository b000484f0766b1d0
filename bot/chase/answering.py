"""Who answers for an owner: the shipped, cited table data/answering_bodies.csv.

Registers name an owner as people do ("Home Office"). A written question goes to the minister in
charge of it in the Commons ("the Secretary of State for the Home Department", the form the
Table Office prints) and to His Majesty's Government in the Lords (Companion 5.14: "Questions are
addressed to Her Majesty's Government and not to a particular minister"; the answer is headed with
the department). A letter goes to the Secretary of State by title, never by name: people change
jobs often, junior ministers' portfolios oftener ("the Minister for Safeguarding" has been renamed
and re-split several times), and the Secretary of State answers for everything the department does.

Covered: UK government departments that registers of this kind name (the Home Office, the Ministry
of Justice, HM Treasury, the Departments for Education, of Health and Social Care, and for Work and
Pensions). Devolved governments answer to their own parliaments and are out of scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot.chase.tables import rows

__all__ = ["AnsweringBody", "UnknownOwner", "bodies", "body"]


class UnknownOwner(LookupError):
    """An owner the table does not hold; `str(e)` lists the owners it does."""


@dataclass(frozen=True)
class AnsweringBody:
    owner: str  # as registers write it: "Home Office"
    department: str  # as a sentence names it: "the Home Office"
    commons_to: str  # "the Secretary of State for the Home Department"
    lords_to: str  # "His Majesty's Government"
    minister: str  # the letter's addressee, by role
    salutation: str  # "Dear Home Secretary"
    address: str  # the department's postal address, where a cited source gives it ("" otherwise)
    foi_route: str  # where an FOI request goes, as published
    sources: tuple[tuple[str, str], ...]  # (what, where): one per column that needs a source


@cache
def bodies() -> dict[str, AnsweringBody]:
    out = {}
    for r in rows("answering_bodies.csv"):
        sources = tuple((what, r[f"{what}_source"]) for what in ("commons", "lords", "address", "foi")
                        if r[f"{what}_source"])
        out[r["owner"]] = AnsweringBody(r["owner"], r["department"], r["commons_to"], r["lords_to"], r["minister"],
                                        r["salutation"], r["address"], r["foi_route"], sources)
    return out


def body(owner: str) -> AnsweringBody:
    """The answering body of `owner`, matched as written (case and outer spaces aside)."""
    known = bodies()
    found = {k.casefold(): v for k, v in known.items()}.get(owner.strip().casefold())
    if found is None:
        raise UnknownOwner(f"no answering body for owner {owner!r}: bot/chase/data/answering_bodies.csv holds "
                           + ", ".join(sorted(known)) + " (devolved governments are out of scope)")
    return found
