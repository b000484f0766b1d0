"""Which finds become leads: each URL once, naming the commitments it scores well enough against
(SPEC §7.4), and none whose link from outside is too long to be kept, or is not a web address."""

from __future__ import annotations

from collections.abc import Sequence

from bot.shell.watch.found import Ask, Hit
from bot.shell.watch.score import score
from storage.leads import Found

# A lead is told under "lead|ID||URL" (an id is at most 100 characters) in a String(400) column, and
# its URL is one key of the leads table: a link from outside longer than this is not kept, and the
# pass says so, rather than failing on PostgreSQL for every other commitment (a register's own
# watched pages are held to LONGEST_PAGE, 250, when it is read). Real GOV.UK and Parliament links
# are well under 200 characters.
LONGEST_LINK = 290  # "lead|" + a 100-character id + "||" + 290 < 400


def links_that_fit(found: list[tuple[Ask, Hit]], problems: list[str]) -> tuple[list[tuple[Ask, Hit]], list[str]]:
    """The finds whose link can be kept and followed, and a problem line for each kind left out: a
    link over LONGEST_LINK characters, and one that is not http(s) (a `javascript:` or `data:` link
    from an API answer can never be opened, confirmed or cited)."""
    said = list(problems)
    web = {hit.url for _, hit in found if not hit.url.lower().startswith(("http://", "https://"))}
    if web:
        first = sorted(web)[0]
        said.append(f"{len(web)} find{'s' if len(web) > 1 else ''} whose link is not a web address (http or https) "
                    f"not kept (the first: {first[:80]}{'…' if len(first) > 80 else ''})")
    long = {hit.url for _, hit in found if hit.source != "page" and len(hit.url) > LONGEST_LINK} - web
    if long:
        first = sorted(long)[0]
        said.append(f"{len(long)} find{'s' if len(long) > 1 else ''} with a link over {LONGEST_LINK} characters not "
                    f"kept (the first: {first[:80]}…)")
    if not web and not long:
        return found, problems
    return [(a, h) for a, h in found if h.url not in long and h.url not in web], said


def judged(found: Sequence[tuple[Ask, Hit]]) -> tuple[list[Found], int]:
    """The finds grouped by URL, each naming the commitments it scores well enough against, best
    first (a changed watched page, and the answer to the team's own question, need no score); and
    how many URLs scored too low for every one."""
    groups: dict[str, tuple[Hit, dict[str, int | None]]] = {}
    for ask, hit in found:
        answers = groups.setdefault(hit.url, (hit, {}))[1]
        if hit.source == "page" or hit.kept:
            answers[ask.commitment_id] = None
            continue
        query = ask.watch.govuk_query if hit.source == "govuk" else ask.watch.parliament_query
        s = score(query, ask.title, hit.title, hit.snippet)
        if s.passes:
            answers[ask.commitment_id] = max(s.percent, answers.get(ask.commitment_id) or 0)
    out = []
    for url, (hit, answers) in groups.items():
        if answers:
            best = sorted(answers.items(), key=lambda a: -(100 if a[1] is None else a[1]))
            out.append(Found(url, hit.title, hit.published, hit.source, hit.snippet, tuple(best)))
    return out, sum(1 for _, answers in groups.values() if not answers)
