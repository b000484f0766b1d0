"""The shipped register says only what its sources say (issue 21, "Every word true"; SPEC §7.1, §7.2).

An advocacy team puts its name to every word the bot posts from `commitments.yaml`, so each claim
the file makes is checked against the documents it was built from (tests/fixtures/seeds/: the five
seed documents and `later-evidence.md`, cut into the passages that hold one dated, attributed item):
the words quoted, who said them, when, whether a government said them, and what is published.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from bot.register.model import Commitment, Source, Update
from bot.register.yamlnodes import compose
from bot.shell.registerfile import load_texts
from bot.shell.watch.text import normal
from tests.conftest import REPO, Cli

SEEDS = REPO / "tests" / "fixtures" / "seeds"
SHIPPED = REPO / "commitments.yaml"
TEXT = SHIPPED.read_text(encoding="utf-8")
LOADED = load_texts([("commitments.yaml", TEXT)])
assert LOADED.register is not None
COMMITMENTS = LOADED.register.commitments
BY_ID = LOADED.register.by_id()

# Who speaks in each seed letter (tests/fixtures/seeds/README.md): the two government letters,
# the Commissioner's letter and briefing, and a news article quoting a Home Office spokesman.
LETTERS = {"000_3be28b51066bdd2c.txt": "GOV", "001_6467b004db3e9b31.txt": "GOV",
           "002_35d9e887d7741f24.txt": "DAC", "003_80aaa7d85820bca1.txt": "DAC",
           "004_736ee2c9d487f17a.txt": "MEDIA"}
HOUSE_CODE = re.compile(r"\[(GOV|PARL|DAC|NGO|MEDIA)\b")


@dataclass(frozen=True)
class Passage:
    """One letter, or one dated item of later-evidence.md (a top-level "- **DATE** – [LABEL] …" bullet
    with its sub-bullets), normalised for comparing words; `label` is who is speaking."""

    where: str
    label: str
    text: str

    def holds(self, words: str) -> bool:
        return normal(words).lower() in self.text.lower()


def _evidence_items(text: str) -> list[Passage]:
    items: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("- **"):
            items.append([line])
        elif line.startswith("#") or line.startswith("---"):
            items.append([])  # a heading ends the item above it
        elif items:
            items[-1].append(line)
    out = []
    for lines in items:
        body = "\n".join(lines)
        if label := re.search(r"\*\*\[([A-Z]+)", body):
            out.append(Passage(f"later-evidence.md: {lines[0][:60]}", label[1], normal(body)))
    return out


PASSAGES = [Passage(name, label, normal((SEEDS / name).read_text(encoding="utf-8"))) for name, label in LETTERS.items()]
PASSAGES += _evidence_items((SEEDS / "later-evidence.md").read_text(encoding="utf-8"))
ALL_SEEDS = normal(" ".join(p.text for p in PASSAGES)).lower()


def holding(quote: str) -> list[Passage]:
    return [p for p in PASSAGES if p.holds(quote)]


def said(c: Commitment) -> list[tuple[str, str | None, Source | None, date | None, Update | None]]:
    """(where, who, source, when, update) for a commitment's own words and for each update's."""
    own = [(c.id, c.made_by, c.source, c.made_on, None)]
    return own + [(f"{c.id} update {u.on}", u.said_by, u.source, u.on, u) for u in c.updates]


SAID = [row for c in COMMITMENTS for row in said(c)]
QUOTED = [row for row in SAID if row[2] is not None and row[2].quote]


def _date_forms(d: date) -> list[str]:
    return [f"{d.day} {d:%b %Y}", f"{d.day} {d:%B %Y}", f"{d:%d %B %Y}"]


def _name_and_role(who: str) -> tuple[str, str | None]:
    """"Priti Patel (Home Secretary)" → the name and the role, each to be found in the seeds."""
    m = re.fullmatch(r"(.+?) \(([^()]+)\)", who)
    return (m[1], m[2]) if m else (who, None)


# -- who said it (SPEC §7.2) ----------------------------------------------------------------
def _update_nodes() -> list[tuple[str, MappingNode]]:
    root, problems = compose(TEXT, str(SHIPPED))
    assert root is not None and not problems
    top = {k.value: v for k, v in root.value}
    out = []
    for item in top["commitments"].value:
        fields = {k.value: v for k, v in item.value}
        updates = fields.get("updates")
        for u in updates.value if isinstance(updates, SequenceNode) else []:
            assert isinstance(u, MappingNode)
            out.append((fields["id"].value, u))
    return out


def _comments_inside(node: MappingNode) -> str:
    """The comment lines of the register between an update's first and last line."""
    lines = TEXT.split("\n")[node.start_mark.line:node.end_mark.line + 1]
    return " ".join(line.strip() for line in lines if line.strip().startswith("#"))


def test_every_revised_promise_says_who_gave_its_words() -> None:
    """An update with a new `due` (a slip, or a new time) names the person who gave those words
    in `said_by`, or a comment in it says why it cannot (the source does not name them)."""
    checked = 0
    for cid, node in _update_nodes():
        fields = {k.value: v for k, v in node.value if isinstance(k, ScalarNode)}
        if "due" not in fields:
            continue
        checked += 1
        assert "said_by" in fields or re.search(r"No said_by: .*\w", _comments_inside(node)), \
            f"{cid} update {fields['date'].value}: a revised promise with no said_by and no comment saying why"
    assert checked >= 4


def test_the_evaluation_is_a_promise_to_produce_the_report_and_publishing_it_is_no_slip() -> None:
    """Found in the truth audit: the title said "Produce and publish", and HL9620's "we will
    publish the evaluation in due course" was a second slip. HL303, the Home Secretary's letter
    and HL4287 speak of producing (receiving) the report; HL9620 is the first word of publishing."""
    c = BY_ID["smv-evaluation-final-report"]
    assert c.title.startswith("Produce the final evaluation report") and "publish" not in c.title.lower()
    hl9620 = next(u for u in c.updates if u.source and "HL9620" in u.source.title)
    assert hl9620.due is None and "first word of publishing" in hl9620.note
    assert "a year after" not in " ".join(u.note for u in c.updates)


def test_the_mvp_slip_is_lord_murrays_words() -> None:
    """The alert showed Lord Sharpe of Epsom beside "later this year"; they are Lord Murray of
    Blidworth's words, in HL9622 on 31 Jul 2023."""
    latest = [u for u in BY_ID["mvp-implement-by-end-august-2022"].updates if u.due][-1]
    assert (latest.due, latest.said_by, latest.on) == ("later this year", "Lord Murray of Blidworth", date(2023, 7, 31))
    assert latest.source is not None and "HL9622" in latest.source.title


@pytest.mark.parametrize(("where", "who", "source"), [(w, who, s) for w, who, s, _, _ in SAID if who],
                         ids=[w for w, who, *_ in SAID if who])
def test_every_name_is_in_the_passage_its_words_come_from(where: str, who: str, source: Source | None) -> None:
    """Every `made_by` and `said_by` is a name found word for word (case aside: letterheads are in
    capitals) in the letter or evidence item holding the quote it is given for; a role in brackets
    after it is found word for word in the seeds."""
    assert source is not None and source.quote, f"{where}: {who!r} is given for no quote, so nothing shows it"
    name, role = _name_and_role(who)
    passages = holding(source.quote)
    assert passages, f"{where}: quote not in the seeds"
    assert any(p.holds(name) for p in passages), f"{where}: {name!r} is not in {[p.where for p in passages]}"
    if role is not None and role.startswith("restating "):  # a speaker restating an earlier promise: its words
        assert any(p.holds(role.removeprefix("restating ")) for p in passages), \
            f"{where}: what {name!r} restates is not in the passage quoted"
    elif role is not None:
        assert normal(role).lower() in ALL_SEEDS, f"{where}: the role {role!r} is in no seed document"


def test_a_wrong_speaker_is_not_found() -> None:
    """The check is not lenient: the speaker the alert once showed for HL9622's words is not in
    the evidence item holding them, nor is a wrong date."""
    passages = holding("The Protocol will be finalised and communicated later this year.")
    assert passages and not any(p.holds("Lord Sharpe of Epsom") for p in passages)
    assert not any(p.holds(form) for p in passages for form in _date_forms(date(2022, 2, 21)))


@pytest.mark.parametrize(("where", "source", "on", "update"), [(w, s, on, u) for w, _, s, on, u in QUOTED],
                         ids=[w for w, *_ in QUOTED])
def test_every_date_is_the_date_of_its_words(where: str, source: Source, on: date | None,
                                             update: Update | None) -> None:
    """A quote is dated as its letter or evidence item dates it. An undated source is dated by a
    judgement its note states ("dated here to …")."""
    assert on is not None
    passages = holding(source.quote or "")
    if update is not None and "dated here to" in update.note:
        return
    assert any(p.holds(form) for p in passages for form in _date_forms(on)), \
        f"{where}: {on} is not the date of {[p.where for p in passages]}"


# -- what is tracked (SPEC §7.1) ------------------------------------------------------------
def test_only_government_words_make_a_promise_or_move_it() -> None:
    """A promise quotes the government; so does every update that moves a deadline or sets a
    status. Everyone else's words are context, an ask, or the team's expectation."""
    for where, _, source, _, update in SAID:
        cid = where.split(" ")[0]
        kind = BY_ID[cid].type
        moves = update is not None and (update.due or update.status or update.deadline)
        if (update is None and kind == "promise") or moves:
            assert source is not None and source.quote, f"{where}: no quote shows whose words these are"
            labels = {p.label for p in holding(source.quote)}
            assert "GOV" in labels, f"{where}: {'moves the deadline or status' if moves else 'a promise'} " \
                                    f"on words that are not the government's ({labels})"


def test_an_ask_is_asked_by_someone_else() -> None:
    """The Commissioner's call for a firewall amendment is her ask of the Home Office, not its
    promise, and its title says what is asked."""
    ask = BY_ID["dac-firewall-amendment-ask"]
    assert ask.type == "ask" and ask.owner == "Home Office"
    assert ask.made_by is not None and "Nicole Jacobs" in ask.made_by
    assert ask.source is not None and {p.label for p in holding(ask.source.quote or "")} == {"DAC"}
    for c in COMMITMENTS:
        assert not c.title.lower().startswith(("tracked ask", "ask:")), c.title


@pytest.mark.parametrize("c", [c for c in COMMITMENTS if c.due and c.type != "expectation"], ids=lambda c: c.id)
def test_each_due_is_the_promises_own_time_words(c: Commitment) -> None:
    """`due:` is the promised time as the quote says it, on the commitment and on each update."""
    for where, due, source in [(c.id, c.due, c.source), *((f"update {u.on}", u.due, u.source) for u in c.updates)]:
        if due:
            assert source is not None and source.quote and normal(due).lower() in normal(source.quote).lower(), \
                f"{c.id} {where}: due {due!r} is not in its quote"


# -- the funding series ---------------------------------------------------------------------
def _names_its_year(quote: str, period: str) -> bool:
    """A financial year "2023-24" as the government writes it: 2023-24, 2023/24, "2023/ 24", or
    its last month ("until March 2024")."""
    start, end = period.split("-")
    forms = [period, f"{start}/{end}", f"{start}/ {end}", f"March 20{end}"]
    return any(normal(f) in normal(quote) for f in forms)


def test_the_2022_answer_promised_one_year_and_the_later_years_are_expected() -> None:
    """HL303 promised £1.4m in 2022-23: a one-year promise, with that quote. Later years are the
    team's expectation, and each year answered is answered by words about that year."""
    once = BY_ID["smv-scheme-funding"]
    assert (once.type, once.recurs, once.due) == ("promise", None, "2022-23")
    assert once.source is not None and "£1.4 million in 2022-23" in (once.source.quote or "")
    each = BY_ID["smv-scheme-funding-each-year"]
    assert (each.type, each.recurs, each.due) == ("expectation", "financial-year", "2023-24")
    assert each.source is None or _names_its_year(each.source.quote or "", "2023-24")
    answered = {u.period: u for u in each.updates if u.period}
    assert set(answered) == {"2023-24", "2024-25"}
    for period, u in answered.items():
        assert u.status == "delivered" and u.source is not None and _names_its_year(u.source.quote or "", period)


def test_a_recurring_commitments_quote_covers_its_first_period_only() -> None:
    """The renderers show a series' quote beside the period it covers: it must name that period."""
    for c in COMMITMENTS:
        if c.recurs and c.source is not None and c.source.quote:
            assert c.due and _names_its_year(c.source.quote, c.due), c.id


def test_status_shows_no_lapsed_2025_26_promise(cli: Cli, tmp_path: Path) -> None:
    """On 7 Dec 2026 the 2022 answer is delivered, and 2025-26 is the expectation's, not a promise's."""
    shutil.copyfile(SHIPPED, tmp_path / "commitments.yaml")
    result = cli("status", "--json", "--now", "2026-12-07", "--file", str(tmp_path / "commitments.yaml"),
                 "--database", f"sqlite:///{tmp_path / 'bot.db'}")
    rows = {(r["id"], r["period"]): r for r in json.loads(result.stdout)}
    assert rows[("smv-scheme-funding", None)]["state"] == "delivered"
    assert ("smv-scheme-funding-each-year", "2025-26") in rows
    assert [k for k in rows if k[1] and k[0] != "smv-scheme-funding-each-year"] == []


# -- what is published ----------------------------------------------------------------------
def _published(c: Commitment) -> list[tuple[str, str]]:
    texts = [("title", c.title)] + ([("source title", c.source.title)] if c.source else [])
    for u in c.updates:
        texts += [(f"note {u.on}", u.note)] + ([(f"source title {u.on}", u.source.title)] if u.source else [])
    return texts


@pytest.mark.parametrize("c", COMMITMENTS, ids=lambda c: c.id)
def test_published_words_carry_no_house_codes_or_ids(c: Commitment) -> None:
    """Notes and titles are published: no "[DAC]"-style codes, and no commitment id a reader
    could not know (a note names another commitment by what it is)."""
    for what, text in _published(c):
        assert not HOUSE_CODE.search(text), f"{c.id} {what}: {text}"
        assert "://" not in text, f"{c.id} {what} prints a raw link; name the source in words: {text}"
        assert not [other for other in BY_ID if re.search(rf"(?<![\w/-]){re.escape(other)}(?![\w-])", text)], \
            f"{c.id} {what} names a commitment id: {text}"


# -- context is not news (someone else's statement about a promise) ----------------------------
def test_every_statement_not_the_governments_is_marked_context_and_only_those() -> None:
    """The house rules: [PARL], [DAC], [NGO] and [MEDIA] statements are context updates
    (`context: true`), which change neither status nor deadline; the government's own are not."""
    for where, _, source, _, update in SAID:
        if update is None:
            continue
        assert source is not None and source.quote, f"{where}: no quote shows whose words these are"
        government = "GOV" in {p.label for p in holding(source.quote)}
        assert update.context is not government, \
            f"{where}: {'the government' if government else 'not the government'} said it, context: {update.context}"


def _states(cli: Cli, tmp_path: Path, now: str) -> dict[str, tuple[str, str | None]]:
    shutil.copyfile(SHIPPED, tmp_path / "commitments.yaml")
    result = cli("status", "--json", "--now", now, "--file", str(tmp_path / "commitments.yaml"),
                 "--database", f"sqlite:///{tmp_path / f'{now}.db'}")
    assert result.exit_code == 0, result.output
    return {r["id"]: (r["state"], r["last_update"]) for r in json.loads(result.stdout)}


# What the government's own record says at each date: the three lapsed promises stay lapsed after
# the Commissioner's briefing; the safeguards and the firewall ask stay silent after the charities'.
STATES_ON = {
    "2024-05-15": {
        "mvp-implement-by-end-august-2022": ("lapsed", "2023-07-31"),
        "code-of-practice-by-end-august-2022": ("lapsed", "2023-07-31"),
        "code-of-practice-consultation-2023": ("lapsed", None),
        "mvp-stakeholder-engagement": ("silent", "2023-07-31"),
        "data-sharing-safeguards-medium-term": ("silent", "2022-08-09"),
        "dac-sector-safer-reporting-routes": ("silent", "2023-07-07"),
        "dac-firewall-amendment-ask": ("silent", None),
    },
    "2026-03-01": {
        "mvp-implement-by-end-august-2022": ("lapsed", "2023-07-31"),
        "code-of-practice-by-end-august-2022": ("lapsed", "2023-07-31"),
        "code-of-practice-consultation-2023": ("lapsed", None),
        "data-sharing-safeguards-medium-term": ("silent", "2022-08-09"),
        "dac-firewall-amendment-ask": ("silent", None),
        "retain-dv-settlement-safeguards": ("open", "2025-12-11"),
    },
    "2026-11-22": {
        "data-sharing-safeguards-medium-term": ("silent", "2022-08-09"),
        "dac-firewall-amendment-ask": ("silent", None),
        "retain-dv-settlement-safeguards": ("silent", "2025-12-11"),
    },
}


@pytest.mark.parametrize("now", STATES_ON)
def test_the_states_are_what_the_governments_own_record_says(cli: Cli, tmp_path: Path, now: str) -> None:
    found = _states(cli, tmp_path, now)
    assert {cid: found[cid] for cid in STATES_ON[now]} == STATES_ON[now]


def test_the_commissioners_briefing_is_no_news_of_the_lapsed_promises(cli: Cli, tmp_path: Path) -> None:
    shutil.copyfile(SHIPPED, tmp_path / "commitments.yaml")
    result = cli("check", "--dry-run", "--now", "2024-05-15", "--file", str(tmp_path / "commitments.yaml"),
                 "--database", f"sqlite:///{tmp_path / 'bot.db'}")
    heads = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert not [h for h in heads if h.startswith("[NEWS]")], heads
    assert sum(h.startswith("[LAPSED]") for h in heads) == 3


def test_every_watch_query_is_a_phrase_the_sources_themselves_use() -> None:
    """GOV.UK and Parliament are asked for exact phrases (SPEC §7.4): a bag of keywords ("code of
    practice domestic abuse data sharing immigration") matches no title anyone writes, and the
    watch stayed silent where it mattered. Each shipped query is a run of words found in the
    letters and the later evidence (hyphens and case aside), of three words or more: a find whose
    title holds the query passes the score on the query alone, so "firewall" alone made a lead of
    "Cyber security: NHS firewall upgrades" (found in review)."""
    text = " ".join(re.findall(r"[a-z0-9]+", " ".join(
        p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir()) if p.suffix in (".txt", ".md")).lower()))
    loaded = load_texts([("commitments.yaml", (REPO / "commitments.yaml").read_text(encoding="utf-8"))])
    assert loaded.register is not None
    queries = {q for c in loaded.register.commitments if c.watch
               for q in (c.watch.govuk_query, c.watch.parliament_query) if q}
    assert len(queries) >= 6
    for q in queries:
        assert f" {' '.join(re.findall(r'[a-z0-9]+', q.lower()))} " in f" {text} ", q
        assert len(re.findall(r"[a-z0-9]+", q.lower())) >= 3, q
