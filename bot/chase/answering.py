"""Who answers for an owner: the shipped, cited table data/answering_bodies.csv.

Registers name an owner as people do ("Home Office"). A written question goes to the minister in
charge of it in the Commons ("the Secretary of State for the Home Department", the form the
Table Office prints) and to His Majesty's Government in the Lords (Companion 5.14: "Questions are
addressed to Her Majesty's Government and not to a particular minister"; the answer is headed with
the department). A letter goes to the Secretary of State by title, never by name: people change
jobs often, junior ministers' portfolios oftener ("the Minister for Safeguarding" has been renamed
and re-split several times), and the Secretary of State answers for everything the department does.

Covered: every UK government ministerial department, found by the name registers write
("Ministry of Housing, Communities and Local Government") or by the abbreviation people use
("MHCLG", "MoJ", "DfE"; the `aliases` column), case, "&" for "and", a leading "the" and spacing aside.
Devolved governments answer to their own parliaments, and a regulator or agency (Ofwat) to its
department: they are out of scope, and an owner outside the table gets no written question or
letter. An FOI request needs no answering body: it goes to the owner itself as the public authority
(`public_authority`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot.chase.tables import rows
from bot.register.problems import did_you_mean

__all__ = ["AnsweringBody", "UnknownOwner", "bodies", "body", "public_authority"]

TABLE = "bot/chase/data/answering_bodies.csv"


class UnknownOwner(LookupError):
    """An owner the table does not hold; `str(e)` says so and how to go on (the nearest name, the
    names it holds, adding a row, or an FOI request, which needs no answering body)."""


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

    @property
    def personal(self) -> bool:
        """A Commons question asks what the office-holder did ("what guidance she has issued"), not
        "his Department": an Office that is no department of its own ("The Office of the Leader of
        the House of Commons is a business unit of the Cabinet Office", its answer of 24 Apr 2024)."""
        return self.department.startswith("the Office of ")

    @property
    def office(self) -> str:
        """The Commons addressee as an office someone holds: "Secretary of State for the Home
        Department", "Chancellor of the Exchequer", "Leader of the House"."""
        return self.commons_to.removeprefix("the ")


@cache
def bodies() -> dict[str, AnsweringBody]:
    out = {}
    for r in rows("answering_bodies.csv"):
        sources = tuple((what, r[f"{what}_source"]) for what in ("commons", "lords", "address", "foi")
                        if r[f"{what}_source"])
        out[r["owner"]] = AnsweringBody(r["owner"], r["department"], r["commons_to"], r["lords_to"], r["minister"],
                                        r["salutation"], r["address"], r["foi_route"], sources)
    return out


def _key(name: str) -> str:
    """A name as the table matches it: case, "&" for "and", a curly apostrophe, a leading "the" and
    spacing aside ("the Ministry of Housing, Communities & Local Government")."""
    folded = " ".join(name.replace("&", " and ").replace("\u2019", "'").casefold().split())
    return folded.removeprefix("the ")


@cache
def _names() -> dict[str, str]:
    """Every name the table answers to (its owners and their aliases) → the owner's row."""
    out = {}
    for r in rows("answering_bodies.csv"):
        for name in (r["owner"], *r["aliases"].split(";")):
            if name.strip():
                out[_key(name)] = r["owner"]
    return out


def body(owner: str) -> AnsweringBody:
    """The answering body of `owner`, matched by its name or an abbreviation (MoJ, DfE, MHCLG)."""
    known = bodies()
    found = _names().get(_key(owner))
    if found is None:
        shown = " ".join(owner.split())
        raise UnknownOwner(
            f'the answering-bodies table has no answering body for "{shown}"{did_you_mean(shown, sorted(known))}, '
            "so a written question or a letter cannot be addressed. To go on: write the department's name as "
            f"the table has it ({'; '.join(sorted(known))}; or an abbreviation such as MoJ, DfE or MHCLG); or "
            f"add a row for it to {TABLE}, with a source for its Commons form; or draft an FOI request "
            "(--as foi): an FOI request needs none, and goes to the owner itself as the public authority. "
            "The devolved governments (which answer to their own parliaments) and regulators or agencies "
            "(which answer through their department) are out of scope.")
    return known[found]


def public_authority(owner: str) -> AnsweringBody:
    """Where an FOI request goes: the owner's department when the table holds it, else the owner
    itself as the public authority, with no route the bot could cite (FOIA applies to a public
    authority, not to a minister: no answering body is needed)."""
    try:
        return body(owner)
    except UnknownOwner:
        shown = " ".join(owner.split())
        route = (f"the public authority: {shown} (its freedom of information contact is not in the answering-bodies "
                 "table: find it on its own website; a Scottish public authority answers under the Freedom of "
                 "Information (Scotland) Act 2002, not the 2000 Act named below)")
        return AnsweringBody(shown, shown, "", "", "", "", "", route, ())
