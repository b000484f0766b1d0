"""Every word true (SPEC §6.1, §7.1–7.4, issue 21): what the bot says and publishes is only what
its sources say. One test (or table) per rule; each failed before the fix it holds."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import feedparser

from tests.standins import running_slack, running_teams  # noqa: F401 (the `slack` and `teams` fixtures)

REGISTER = """\
version: 1
routes:
  - email: [coordinator@example.org]
commitments:
  - id: mvp
    title: Implement the Migrant Victim Protocol
    owner: Home Office
    made_by: Lord Sharpe of Epsom
    made_on: 2022-02-21
    due: end August
    source:
      title: Letter to Baroness Meacher
      quote: "we aim to implement them by end August."
    updates:
      - date: 2023-07-31
        note: The Protocol will be finalised later this year.
        due: later this year
        said_by: Lord Murray of Blidworth
        source:
          title: Written answer HL9622
          url: https://example.org/hl9622
          quote: "The Protocol will be finalised and communicated later this year."
"""
NOW = ("--now", "2026-11-30T10:00")
NOTE = "Asked again in the Lords: no date given"


def test_one_update_is_listed_once_on_every_surface_after_it_is_copied_into_the_file(
        cli, write_register, tmp_path: Path) -> None:
    """SPEC §6.1: record, `export updates --write`, then the site, the feed, the table, the
    digest, the thread and `history --json` each count the update once."""
    write_register(REGISTER)
    assert cli("update", "mvp", "--note", NOTE, "--source", "https://example.org/a", *NOW).exit_code == 0
    assert cli("check", *NOW).exit_code == 0  # the news is told once, here
    assert cli("export", "updates", "--write", *NOW).exit_code == 0
    assert NOTE in (tmp_path / "commitments.yaml").read_text(encoding="utf-8")
    told_again = json.loads(cli("check", "--json", *NOW).stdout)["notifications"]
    assert told_again == []  # the thread (and every channel) is not told a second time
    assert cli("export", "site", "public", *NOW).exit_code == 0
    page = (tmp_path / "public" / "c" / "mvp.html").read_text(encoding="utf-8")
    assert page.count(NOTE) == 1
    assert cli("export", "atom", "feed.xml", *NOW).exit_code == 0
    feed = feedparser.parse((tmp_path / "feed.xml").read_text(encoding="utf-8"))
    assert [e.id for e in feed.entries].count(next(e.id for e in feed.entries if NOTE in e.summary)) == 1
    assert sum(NOTE in e.summary for e in feed.entries) == 1
    assert cli("export", "csv", "t.csv", *NOW).exit_code == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8"))))
    assert [r["last_update"] for r in rows] == ["2026-11-30"]
    story = json.loads(cli("history", "mvp", "--json", *NOW).stdout)
    assert [u["note"] for u in story["updates"]].count(NOTE) == 1
    preview = tmp_path / "preview"
    assert cli("digest", "--dry-run", "--to", "coordinator@example.org", "--out", str(preview),
               "--now", "2026-12-07T09:00").exit_code == 0
    digest = next(preview.glob("*.eml")).read_text(encoding="utf-8")
    assert digest.count(NOTE) <= 2  # the text part and the HTML part: once each


# -- §7.3: the team's own actions are not the government's record ---------------------------------
LAPSING = """\
version: 1
defaults: {grace: 0 days, remind_every: 30 days}
routes:
  - email: [coordinator@example.org]
commitments:
  - id: mvp
    title: Implement the Migrant Victim Protocol
    owner: Home Office
    made_on: 2022-02-21
    due: 2025-11-30
    source: {title: Letter to Baroness Meacher, quote: "by end November."}
"""


def kinds_on(cli, day: str) -> list[str]:  # type: ignore[no-untyped-def]
    result = cli("check", "--json", "--now", f"{day}T09:00")
    assert result.exit_code == 0, result.output
    return [n["kind"] for n in json.loads(result.stdout)["notifications"]]


def test_a_snooze_holds_reminders_to_the_day_and_is_never_news(cli, write_register, tmp_path: Path) -> None:
    """Issue 21 item 4: the snooze was posted as "News: Snoozed until 29 Jan 2026", written into the
    register as an update, and the lapse came back 22 days before the date chosen."""
    write_register(LAPSING)
    assert kinds_on(cli, "2025-12-01") == ["lapsed"]
    snoozed = cli("snooze", "mvp", "--until", "2026-01-29", "--reason", "reply promised after recess",
                  "--by", "A. Advocate", "--now", "2025-12-07T10:00")
    assert snoozed.exit_code == 0, snoozed.output
    assert "until 29 Jan 2026" in snoozed.output
    assert kinds_on(cli, "2025-12-07") == []  # never told as news
    for day in ("2025-12-31", "2026-01-06", "2026-01-28", "2026-01-29"):  # 1 Jan would be remind_every
        assert kinds_on(cli, day) == [], day
    assert kinds_on(cli, "2026-01-30") == ["lapsed"]  # the day after, not a day later
    history = cli("history", "mvp", "--now", "2026-01-30T10:00").output
    assert "the team's own actions (not the government's record):" in history
    assert "2025-12-07  snoozed reminders until 2026-01-29 (reply promised after recess) [by A. Advocate]" in history
    assert cli("export", "updates", "--now", "2026-01-30T10:00").stdout.count("Snoozed") == 0
    story = json.loads(cli("history", "mvp", "--json", "--now", "2026-01-30T10:00").stdout)
    assert story["updates"] == []  # not an update
    assert cli("export", "site", "public", "--now", "2026-01-30T10:00").exit_code == 0
    page = (tmp_path / "public" / "c" / "mvp.html").read_text(encoding="utf-8")
    assert "snooze" not in page.lower() and "recess" not in page  # never on the public site
    assert "No update recorded yet." in page


def test_a_snooze_is_checked_at_the_door(cli, write_register) -> None:
    write_register(LAPSING)
    for args, says in ((["--until", "2025-12-01"], "is before today"),
                       (["--until", "2026-01-29", "--period", "2025-26"], "only for recurring"),
                       (["--until", "2026-01-29", "--reason", "a\x1b[2Jb"], "--reason")):
        refused = cli("snooze", "mvp", *args, "--now", "2025-12-07T10:00")
        assert refused.exit_code == 1 and says in refused.output, refused.output
    assert cli("snooze", "nope", "--until", "2026-01-29").exit_code == 1
    assert "the team's own actions" not in cli("history", "mvp", "--now", "2025-12-07T10:00").output


# -- §7.1 and §7.2: a promise, an ask and an expectation named as what they are; words attributed --
TYPED = """\
version: 1
timezone: Europe/London
defaults: {grace: 0 days, remind_every: 30 days, check_in: 6 months}
routes:
  - slack: ["#mvp-watch"]
    email: [coord@example.org]
commitments:
  - id: mvp
    title: Implement the Migrant Victim Protocol
    owner: Home Office
    made_by: Lord Sharpe of Epsom
    made_on: 2022-02-21
    due: end August
    source: {title: Letter to Baroness Meacher, quote: "we aim to implement them by end August."}
    updates:
      - date: 2023-07-31
        note: The Protocol will be finalised later this year.
        due: later this year
        said_by: Lord Murray of Blidworth
        source: {title: Written answer HL9622, url: "https://example.org/hl9622"}
  - id: firewall
    title: Respond to the call for a data-sharing firewall
    owner: Home Office
    type: ask
    made_by: Nicole Jacobs (Domestic Abuse Commissioner)
    made_on: 2023-11-09
    source: {title: Letter to the Home Secretary, quote: "I am recommending an amendment."}
  - id: funding
    title: Fund the Support for Migrant Victims Scheme each year
    owner: Home Office
    type: expectation
    made_on: 2023-05-22
    due: 2023-24
    recurs: financial-year
    source: {title: Written answer 185692, quote: "a further £1.4 million in 2023/ 24"}
    updates:
      - {date: 2023-05-22, period: 2023-24, note: Announced., status: delivered, source: {title: Written answer 185692, url: "https://example.org/185692"}}
      - {date: 2023-07-31, period: 2024-25, note: Extended until March 2025., status: delivered, source: {title: Written answer HL9620, url: "https://example.org/hl9620"}}
"""
TYPED_NOW = "2026-06-01T09:00"


def _texts(node: object) -> list[str]:
    """Every "text" string inside Slack blocks, with Slack's bold marks taken out."""
    if isinstance(node, dict):
        return [node["text"].replace("*", "")] if isinstance(node.get("text"), str) else \
            [t for v in node.values() for t in _texts(v)]
    return [t for v in node for t in _texts(v)] if isinstance(node, list) else []


def _surfaces(cli, write_register, slack, tmp_path: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every surface's text about the register, by name: what a team would put its name to."""
    from email import message_from_bytes, policy

    from bot.shell.sandbox.smtp import smtp_server
    from tests.standins import slack_env

    write_register(TYPED)
    now = ("--now", TYPED_NOW)
    out = {"console": cli("check", "--dry-run", *now).output}
    with smtp_server(tmp_path) as server:
        assert cli("check", *now, env={**slack_env(slack), **server.env()}).exit_code == 0
        out["mail"] = "\n".join(part.get_content() for m in server.handler.to("coord@example.org")
                                for part in m.iter_parts())
    out["slack"] = "\n".join([m.text for m in slack.posted()] + [t for m in slack.posted() for t in _texts(m.blocks)])
    preview = tmp_path / "preview"
    assert cli("digest", "--dry-run", "--to", "coord@example.org", "--out", str(preview), *now).exit_code == 0
    out["digest"] = "\n".join(part.get_content() for p in preview.glob("*.eml")
                              for part in message_from_bytes(p.read_bytes(), policy=policy.default).iter_parts())
    out["status"] = cli("status", *now).output
    assert cli("export", "site", "public", *now).exit_code == 0
    out["site"] = re.sub(r'</?span(?: class="nw")?>', "", "\n".join(  # a date kept on one line reads as written
        p.read_text(encoding="utf-8") for p in sorted((tmp_path / "public" / "c").glob("*.html"))))
    for what, name in (("ics", "d.ics"), ("atom", "f.xml"), ("csv", "t.csv")):
        assert cli("export", what, name, *now).exit_code == 0
        out[what] = (tmp_path / name).read_text(encoding="utf-8")
    return out


def test_each_type_is_named_as_what_it_is_on_every_surface(cli, write_register, slack, tmp_path: Path) -> None:
    """SPEC §7.1: only a promise is "promised" or "lapsed"; the Commissioner's call is an ask of
    the Home Office, never a promise by her; a yearly expectation past its date has no news."""
    surfaces = _surfaces(cli, write_register, slack, tmp_path)
    for name, text in surfaces.items():
        flat = " ".join(text.replace("=\n", "").split())
        assert "Promised by Home Office — Nicole Jacobs" not in flat and "promised by Home Office (Nicole" not in flat, name
        assert "Lapsed: Fund" not in flat and "[LAPSED] Fund" not in flat and "broken" not in flat.lower(), name
    for name in ("console", "mail", "slack", "site"):
        flat = " ".join(surfaces[name].split())
        assert "sked of Home Office" in flat, name  # "asked of" / "Asked of"
        assert "xpected of Home Office" in flat, name
    console = surfaces["console"]
    assert "[NO NEWS] Fund the Support for Migrant Victims Scheme each year (funding, 2025-26)" in console
    assert "  expected of Home Office, not promised (tracked since 22 May 2023)" in console
    assert '"a further £1.4 million in 2023/ 24"' not in console.split("(funding, 2025-26)")[1].split("[")[0]
    assert "[GONE SILENT] Respond to the call" in console
    # "no update", not "no news": the last one may be a charity's statement, kept as context
    assert "  No update from Home Office since the ask was made on 9 Nov 2023; it names no date." in console and "No news" not in console.split("[GONE SILENT]")[1].split("[")[0]
    assert "  asked of Home Office by Nicole Jacobs (Domestic Abuse Commissioner) on 9 Nov 2023" in console
    assert "  No news of it: it was expected by 31 Mar 2026, about two months ago, with no update since." in console
    assert "  no update recorded for 2025-26; the last on this series was 31 Jul 2023 (for 2024-25)" in console
    rows = {r["id"]: r for r in json.loads(cli("status", "--json", "--now", TYPED_NOW).stdout)}
    assert {k: r["type"] for k, r in rows.items()} == {"mvp": "promise", "firewall": "ask", "funding": "expectation"}
    story = json.loads(cli("history", "firewall", "--json", "--now", TYPED_NOW).stdout)
    assert story["type"] == "ask"
    assert "Answer asked for by" not in surfaces["ics"]  # the ask names no date: no calendar event
    assert "Expected by: Fund the Support" in surfaces["ics"]
    assert "expectation" in surfaces["csv"] and "ask" in surfaces["csv"]
    # the site: the Commissioner is not of the Home Office; only a promise is late or overdue
    site = " ".join(surfaces["site"].split())
    assert "Nicole Jacobs (Domestic Abuse Commissioner), Home Office" not in site
    funding = " ".join((tmp_path / "public" / "c" / "funding.html").read_text(encoding="utf-8").split())
    words = re.sub(r"<[^>]+>", " ", funding.split("<footer>")[0])
    assert "<dt>Days past the expected date<dd>" in funding and not re.search(r"\blate\b|promised time", words)
    assert "Every expected time" in funding and "1 expected time and no slips" in funding
    index = " ".join((tmp_path / "public" / "index.html").read_text(encoding="utf-8").split())
    assert re.search(r'href="l/state-no-news\.urgency\.1\.html"[^>]*>no news <strong>1</strong>', index)
    assert "<dt>no news</dt><dd>an expectation past its date" in index
    # the public reads the record, not the team's alerts: a state is explained without them
    assert "<dt>lapsed</dt><dd>past its deadline" in index and "alerts" not in index.split("<footer>")[0]
    lapsed = (tmp_path / "public" / "l" / "state-lapsed.urgency.1.html").read_text(encoding="utf-8")
    assert "c/mvp.html" in lapsed and "c/funding.html" not in lapsed
    # an ask that names no date is not "0 days past the date asked for": there is no such date
    ask = " ".join((tmp_path / "public" / "c" / "firewall.html").read_text(encoding="utf-8").split())
    assert "<dt>Deadline now<dd>none" in ask and "Days past" not in ask


def test_the_words_in_force_are_in_the_mouth_of_who_said_them(cli, write_register, slack, tmp_path: Path) -> None:
    """SPEC §7.2, issue 21 item 2: "later this year" is Lord Murray of Blidworth's, 31 Jul 2023,
    not Lord Sharpe's; a slip the team records without a speaker is in nobody's mouth."""
    surfaces = _surfaces(cli, write_register, slack, tmp_path)
    assert "promised now “later this year”: Lord Murray of Blidworth, 31 Jul 2023 (Written answer HL9622)" \
        in surfaces["console"]
    assert "“later this year”: Lord Murray of Blidworth, 31 Jul 2023 (Written answer HL9622)" in surfaces["slack"]
    assert "“later this year”: Lord Murray of Blidworth, 31 Jul 2023 (Written answer HL9622)" in surfaces["site"]
    assert "Lord Murray of Blidworth" in surfaces["ics"]
    # the digest names who gave the first words too (SPEC §7.1: "promised by OWNER (MADE_BY)")
    assert "Promised by Home Office (Lord Sharpe of Epsom) · mvp" in surfaces["digest"]
    assert "Asked of Home Office by Nicole Jacobs (Domestic Abuse Commissioner) · firewall" in surfaces["digest"]
    for name in ("console", "slack", "site"):
        assert "Lord Sharpe of Epsom, 31 Jul 2023" not in surfaces[name] and \
            "Lord Sharpe of Epsom, 2023-07-31" not in surfaces[name], name
    recorded = cli("update", "mvp", "--note", "Now the new year", "--due", "in the new year", "--deadline",
                   "2027-03-31", "--source", "https://example.org/x", "--now", "2026-06-02T09:00")
    assert recorded.exit_code == 0, recorded.output
    slipped = cli("check", "--dry-run", "--now", "2026-06-02T09:00").output
    assert "promised now “in the new year”: 2 Jun 2026; who said it is not recorded" in slipped  # a link is no speaker
    assert "Lord Murray of Blidworth, 2026-06-02" not in slipped


def test_an_updates_note_is_the_teams_account_never_put_in_its_speakers_mouth(cli, write_register, slack,
                                                                               tmp_path: Path) -> None:
    """SPEC §7.2: `said_by` names who spoke in an update's source, not who wrote its note. The
    note ("The Protocol will be finalised later this year.") is the team's account; no surface
    may print it after Lord Murray's name as if he said it. He is named with the source."""
    surfaces = _surfaces(cli, write_register, slack, tmp_path)
    note = "The Protocol will be finalised later this year."
    for name, text in surfaces.items():
        flat = " ".join(re.sub(r"<[^>]+>", " ", text.replace("=\n", "")).split())
        for at in [m.start() for m in re.finditer(re.escape(note), flat)]:
            assert "Murray" not in flat[max(0, at - 60):at], (name, flat[max(0, at - 60):at + 60])
    feed = feedparser.parse(surfaces["atom"])
    entry = next(e for e in feed.entries if note in e.summary)
    assert entry.author != "Lord Murray of Blidworth"  # the entry is the site's account of the update
    for name in ("slack", "mail", "site", "atom"):
        text = re.sub(r"<[^>]+>", "", re.sub(r"<[^|>]+\|([^>]+)>", r"\1", surfaces[name]))  # a Slack link: its words
        assert "Written answer HL9622, Lord Murray of Blidworth" in " ".join(text.split()), name


def test_the_teams_actions_are_written_under_actions_and_read_back_as_the_same(cli, write_register,
                                                                                tmp_path: Path) -> None:
    """SPEC §7.3: `export updates --write` writes a snooze under the commitment's own `actions:`
    in block style; once in the file it is the same action (it still holds, and is not doubled)."""
    path = write_register(LAPSING)
    assert cli("snooze", "mvp", "--until", "2026-01-29", "--reason", "after recess", "--by", "A. Advocate",
               "--now", "2025-12-07T10:00").exit_code == 0
    preview = cli("export", "updates", "--now", "2025-12-07T10:00")
    assert "actions:" in preview.stdout and "kind: snooze" in preview.stdout
    assert "1 action by the team not in the register file" in preview.stderr
    before = path.read_text(encoding="utf-8")
    assert cli("export", "updates", "--write", "--now", "2025-12-07T10:00").exit_code == 0
    added = path.read_text(encoding="utf-8").removeprefix(before)
    assert added == ("    actions:\n      - date: 2025-12-07\n        kind: snooze\n        until: 2026-01-29\n"
                     "        note: after recess\n        recorded_by: A. Advocate\n")
    assert cli("validate").exit_code == 0
    assert "the register file already holds" in cli("export", "updates", "--now", "2025-12-07T10:00").stderr
    assert kinds_on(cli, "2026-01-29") == [] and kinds_on(cli, "2026-01-30") == ["lapsed"]
    history = cli("history", "mvp", "--now", "2026-01-30T10:00").output
    assert history.count("snoozed reminders until 2026-01-29") == 1


def test_the_closing_button_says_met_for_an_ask_or_an_expectation() -> None:
    """SPEC §7.1: the Commissioner's call had a "Mark delivered" button; an ask is met, not delivered."""
    from notifiers.slack.blocks import alert_message
    from tests.standins import make_alert

    def labels(type_name: str) -> list[str]:
        blocks = alert_message(make_alert(type=type_name), interactive=True).blocks
        return [e["text"]["text"] for b in blocks if b["type"] == "actions" for e in b["elements"]]

    assert labels("promise") == ["Record update", "Snooze", "Mark delivered", "Draft follow-up"]
    assert labels("ask") == labels("expectation") == ["Record update", "Snooze", "Mark met", "Draft follow-up"]


def test_the_form_a_closing_button_opens_speaks_of_what_is_tracked() -> None:
    """Found in the second truth audit: "Mark met" on the Commissioner's ask opened a form with
    status "delivered" chosen, options "delivered / partly-delivered", a "New promised time" and a
    hint "Needed to mark a promise delivered", and refused with "Status delivered needs evidence"."""
    from datetime import date

    import notifiers.slack.ids as ids
    from bot.shell.slackapp.recorder import _plain
    from notifiers.slack.views import record_modal

    def shown(type_name: str) -> str:
        view = record_modal("{}", "Answer the call", "asked for …", date(2026, 11, 22), status="delivered",
                            type_name=type_name)
        return json.dumps(view, ensure_ascii=False)

    for type_name in ("ask", "expectation"):
        view = json.loads(shown(type_name))
        status = next(b for b in view["blocks"] if b.get("block_id") == ids.STATUS)["element"]
        assert status["initial_option"] == {"text": {"type": "plain_text", "text": "met"}, "value": "delivered"}
        assert [o["text"]["text"] for o in status["options"]] == ["open", "met", "partly met", "dropped", "superseded"]
        text = re.sub(r'"value": "[^"]*"', "", shown(type_name))  # the values sent back are the register's
        assert "promised time" not in text and "delivered" not in text
        assert "promise" not in text.replace(f"first {type_name}", "")
        assert _plain("--status delivered needs evidence: add --source URL", type_name) == \
            "Status met needs evidence: add an evidence link"
    assert "New promised time" in shown("promise") and "mark a promise delivered, partly delivered or dropped" in shown("promise")


PAST_DATES = """\
version: 1
commitments:
  - id: ask-news
    title: Answer the Commissioner's call
    owner: Home Office
    type: ask
    made_by: Nicole Jacobs (Domestic Abuse Commissioner)
    made_on: 2025-01-10
    due: 2025-06-30
    source: {title: Letter, quote: "I ask for an answer by June 2025."}
    updates:
      - {date: 2026-05-20, note: The Home Office said it is considering the call., source: {title: Reply, url: "https://example.org/r"}}
  - id: ask-met-late
    title: Publish the review asked for
    owner: Home Office
    type: ask
    made_by: Nicole Jacobs (Domestic Abuse Commissioner)
    made_on: 2025-01-10
    due: 2025-03-31
    source: {title: Letter, quote: "I ask for the review by March 2025."}
    updates:
      - {date: 2025-09-01, note: Published., status: delivered, source: {title: Review, url: "https://example.org/v"}}
  - id: exp-news
    title: Fund the scheme
    owner: Home Office
    type: expectation
    made_on: 2025-01-10
    due: 2025-06-30
    source: {title: Answer, quote: "funding is expected by June 2025"}
    updates:
      - {date: 2026-05-25, note: Still being considered., source: {title: Answer 2, url: "https://example.org/a2"}}
  - id: ask-dated
    title: Review the guidance asked for
    owner: Home Office
    type: ask
    made_by: Nicole Jacobs (Domestic Abuse Commissioner)
    made_on: 2025-01-10
    due: 2025-03-31
    source: {title: Letter, quote: "I ask for the review by March 2025."}
    updates:
      - {date: 2025-03-01, note: The minister says the end of 2025., due: 2025-12-31, said_by: A. Minister, source: {title: Answer 4, url: "https://example.org/a4"}}
  - id: exp-quiet
    title: Keep the helpline open
    owner: Home Office
    type: expectation
    made_on: 2025-01-10
  - id: moved-ahead
    title: Publish the guidance
    owner: Home Office
    made_on: 2025-01-10
    due: 2025-06-30
    source: {title: Letter, quote: "We will publish the guidance by June 2025."}
    updates:
      - {date: 2025-06-01, note: Now spring 2027., due: spring 2027, said_by: A. Minister, source: {title: Answer, url: "https://example.org/a"}}
  - id: dropped-late
    title: Open the new office
    owner: Home Office
    made_on: 2025-01-10
    due: 2025-03-31
    updates:
      - {date: 2025-09-01, note: Not going ahead., status: dropped, source: {title: Answer 3, url: "https://example.org/a3"}}
"""


def test_an_ask_or_an_expectation_past_its_date_is_never_overdue_or_late(cli, write_register, tmp_path: Path) -> None:
    """Found in review: with news since its date an ask was "overdue" ("past its deadline"), and
    one met after its date was "about five months late", in the table, on the site and in the
    closing alert. Nothing was promised: they are past date, and met so long past the date."""
    write_register(PAST_DATES)
    status = cli("status", "--now", "2026-06-01").output
    assert "past date  ask-news" in status and "past date  exp-news" in status and "overdue" not in status
    assert "past date = an ask or an expectation past its date" in status
    assert "ask-news" in cli("status", "--state", "past date", "--now", "2026-06-01").output
    closed = cli("check", "--dry-run", "--now", "2025-09-02").output
    assert "Met: news of 1 Sep 2025, about five months after the date asked for." in closed and " late" not in closed
    assert cli("export", "site", "public", "--now", "2026-06-01").exit_code == 0
    met = " ".join((tmp_path / "public" / "c" / "ask-met-late.html").read_text(encoding="utf-8").split())
    assert "<dt>Met<dd>news of <time datetime=\"2025-09-01\">1 Sep 2025</time>, about five months after the date asked for" in met
    index = " ".join((tmp_path / "public" / "index.html").read_text(encoding="utf-8").split())
    assert re.search(r'class="st st-overdue" href="l/state-past-date\.urgency\.1\.html"[^>]*>past date <strong>2</strong>',
                     index)
    assert ">overdue <strong>" not in index and "<dt>past date</dt><dd>an ask or an expectation past its date" in index
    # met, not delivered: nothing was promised
    assert re.search(r"^met +ask-met-late", status, re.M) and not re.search(r"^delivered", status, re.M)
    assert 'href="l/state-met.urgency.1.html"' in index and ">delivered <strong>" not in index
    assert cli("export", "ics", "d.ics", "--now", "2026-06-01").exit_code == 0
    ics = (tmp_path / "d.ics").read_bytes().decode("utf-8").replace("\r\n ", "")  # lines unfolded (RFC 5545)
    assert "State on 1 Jun 2026: past date" in ics and ": overdue" not in ics
    # the one "lapsed" is ask-dated's: the Home Office answered it with a date of its own, which passed
    (lapsed,) = [e for e in ics.split("BEGIN:VEVENT") if "State on 1 Jun 2026: lapsed" in e]
    assert "I ask for the review by March 2025." in lapsed
    report = cli("report", "--since", "2026-05-01", "--now", "2026-06-01").output
    assert re.search(r"^  overdue / past date +0 promises, +1 ask, +1 expectation", report, re.M)
    assert "  past date: an ask or an expectation past its date, with news since" in report
    # an open-ended expectation gone quiet is "gone silent", not "no news" (that is one past its date)
    assert "[GONE SILENT] Keep the helpline open (exp-quiet)" in cli("check", "--dry-run", "--now", "2026-06-01").output
    # news on an ask: its date is the one asked for, not a deadline of the Home Office's own
    news = cli("check", "--dry-run", "--now", "2026-05-21").output
    assert "News of 20 May 2026: the date asked for stays 30 Jun 2025." in news
    # the minister gave the ask a date: he did not ask for it (found in the truth sweep)
    now = cli("check", "--dry-run", "--now", "2026-06-01").output
    assert "  date now given 2025-12-31: A. Minister, 1 Mar 2025 (Answer 4)" in now and "asked for now" not in now
    assert "2025-03-01  date given 2025-12-31" in cli("history", "ask-dated", "--now", "2026-06-01").output
    # a dropped promise was not delivered late: it was dropped
    assert "Dropped: news of 1 Sep 2025. No more reminders unless someone reopens it." in closed


DELIVERED_AFTER = """\
version: 1
routes:
  - email: [coord@example.org]
commitments:
  - id: funding
    title: Provide £1.4 million in 2022-23
    owner: Home Office
    made_on: 2022-05-27
    due: 2022-23
    source: {title: Letter, quote: "£1.4 million in 2022-23"}
    updates:
      - {date: 2023-07-12, note: The scheme was funded in 2022-23., status: delivered, said_by: Lord Sharpe of Epsom,
         source: {title: Lords oral question, url: "https://example.org/oq"}}
"""


def test_a_closing_is_dated_by_its_news_never_delivered_late(cli, write_register, tmp_path: Path) -> None:
    """Found in the truth audit: £1.4m for 2022-23, reported by a minister on 12 Jul 2023, was
    published as "Delivered 12 Jul 2023, about three months late". An update is dated by its news,
    not by when the money was paid: no surface says a closing was late, only when its news came."""
    from email import message_from_bytes, policy

    write_register(DELIVERED_AFTER)
    alert = cli("check", "--dry-run", "--now", "2023-07-13T09:00").output
    assert "Delivered: news of 12 Jul 2023, about three months after the deadline." in alert
    assert cli("export", "site", "public", "--now", "2023-08-01").exit_code == 0
    page = " ".join((tmp_path / "public" / "c" / "funding.html").read_text(encoding="utf-8").split())
    assert "<dt>Delivered<dd>news of <time datetime=\"2023-07-12\">12 Jul 2023</time>, about three months after the deadline" in page
    preview = tmp_path / "preview"
    assert cli("digest", "--dry-run", "--to", "coord@example.org", "--out", str(preview),
               "--now", "2023-07-16T09:00").exit_code == 0
    digest = "\n".join(part.get_content() for p in preview.glob("*.eml")
                       for part in message_from_bytes(p.read_bytes(), policy=policy.default).iter_parts())
    assert "Delivered: news of 12 Jul 2023, about three months after the deadline" in digest
    for text in (alert, page, digest):
        assert not re.search(r"\blate\b", re.sub(r"<[^>]+>", " ", text)), text


EXPECTED_YEARLY = """\
version: 1
commitments:
  - id: funding
    title: Fund the scheme in each financial year after 2022-23
    owner: Home Office
    type: expectation
    made_on: 2022-05-27
    due: 2023-24
    recurs: financial-year
    updates:
      - {date: 2023-05-22, period: 2023-24, note: Announced., status: delivered, source: {title: Answer 1, url: "https://example.org/1"}}
      - {date: 2023-07-31, period: 2024-25, note: Extended., status: delivered, source: {title: Answer 2, url: "https://example.org/2"}}
"""


def test_a_later_year_of_a_recurring_expectation_is_nobodys_words(cli, write_register, tmp_path: Path) -> None:
    """SPEC §7.1, found in the truth audit: the site's 2025-26 table said "Said on 2022-05-27 …
    Words 2025-26" and the calendar 'Expected: “2025-26”: 2022-05-27', as if someone had said
    "2025-26"; an expectation with no quote was captioned "These words are about 2023-24 only";
    the 2025-26 row showed 2024-25's news as its own; the calendar said "slipped 0 time(s)"."""
    write_register(EXPECTED_YEARLY)
    now = ("--now", "2026-11-22")
    assert cli("export", "site", "public", *now).exit_code == 0
    page = " ".join((tmp_path / "public" / "c" / "funding.html").read_text(encoding="utf-8").split())
    assert "No words quoted: nothing was promised, and no statement sets a date for it." in page
    assert "These words are" not in page and "tracked since <time" in page
    assert '<td>—<td>—<td><span class="nw">2025-26</span> (a period it recurs in)' in page and "<td>2022-05-27<td>—" not in page
    listing = (tmp_path / "public" / "l" / "all.deadline.1.html").read_text(encoding="utf-8")
    assert "2023-07-31 (for 2024-25) Extended." in " ".join(re.sub(r"<[^>]+>", "", listing).split())
    # the "their words" column (the site's and `status`'s) named 2025-26 as the Home Office's words
    assert "<td>(none said)<td><time>2026-03-31" in listing and "<td>2025-26<td>" not in listing
    table = cli("status", *now).stdout
    row = next(line for line in table.splitlines() if "[2025-26]" in line)
    assert "(none said)" in row and row.count("2025-26") == 1
    story = cli("history", "funding", *now).stdout  # an expectation is met, never "delivered"
    assert story.count("[status: met]") == 2 and "delivered" not in story
    assert cli("export", "ics", "d.ics", *now).exit_code == 0
    ics = (tmp_path / "d.ics").read_bytes().decode("utf-8").replace("\r\n ", "").replace("\\,", ",")
    assert "Expected: 2025-26, a period it recurs in" in ics and "“2025-26”" not in ics
    assert "never slipped" in ics and "time(s)" not in ics
    assert cli("export", "atom", "f.xml", *now).exit_code == 0
    feed = (tmp_path / "f.xml").read_text(encoding="utf-8")
    assert "“2025-26”" not in feed and "(2025-26, a period it recurs in)" in feed


def test_a_lead_names_who_gave_the_words_its_deadline_comes_from() -> None:
    """SPEC §7.2, found in the second truth audit: a lead mail said "deadline 31 Dec 2023 (passed)"
    and then "promised by Home Office (Lord Sharpe of Epsom) on 2022-02-21", and never named Lord
    Murray of Blidworth, whose "later this year" set that deadline."""
    from datetime import date

    from bot.decide.alerts import LeadView, lead_alert
    from bot.decide.timeline import tracks
    from bot.shell.registerfile import load_texts
    from notifiers.console import render

    loaded = load_texts([("c.yaml", REGISTER)])
    assert loaded.register is not None, loaded.problems
    track = tracks(loaded.register.commitments[0], (), date(2026, 11, 30))[-1]
    lead = LeadView(7, "Migrant victims guidance", "https://www.gov.uk/x", "2026-11-20", "govuk")
    alert = lead_alert(track, lead, date(2026, 11, 30), ("email:coordinator@example.org",))
    text = render(alert)
    assert "deadline 31 Dec 2023 (passed)" in text
    assert "promised by Home Office (Lord Sharpe of Epsom) on 21 Feb 2022" in text
    assert "promised now “later this year”: Lord Murray of Blidworth, 31 Jul 2023 (Written answer HL9622)" in text
    # and a mail of several counts them as leads: its subject said "2 commitment alerts: 2 lead"
    from bot.decide.kinds import tally
    assert tally([alert, alert]) == "2 leads" and tally([alert]) == "1 lead"


def test_a_later_year_is_nobodys_words_in_mail_the_digest_and_the_record_form() -> None:
    """Found in the second truth audit: the alert mail's card said 'Expected: “2025-26”', the
    digest 'Expected: "2025-26"', and the record form 'Expected: “2025-26”: 27 May 2022', as if
    someone had said "2025-26" that day; the mail also named a lead's source by its code."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from bot.decide.alerts import LeadView, PromiseView
    from bot.decide.digest import build_digest, read_book
    from bot.shell.registerfile import load_texts
    from bot.shell.settings import Settings
    from notifiers.email.messages import alert_message, digest_message, mail_setup
    from tests.standins import make_alert

    setup = mail_setup(Settings(email_from="bot@example.org"))
    later = PromiseView("2022-05-27", "2025-26", "1 Apr 2025 – 31 Mar 2026", "2026-03-31", recurring=True)
    alert = make_alert(type="expectation", period="2025-26", words="2025-26", promises=(later,), quote=None)
    html = alert_message(setup, "c@example.org", [alert]).get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "“2025-26”" not in html and "2025-26, a period it recurs in" in html
    lead = make_alert(kind="lead", lead=LeadView(3, "Guidance", "https://www.gov.uk/g", "2026-11-20", "govuk"))
    html = alert_message(setup, "c@example.org", [lead]).get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "· GOV.UK" in html and "· govuk" not in html

    loaded = load_texts([("c.yaml", EXPECTED_YEARLY.replace("version: 1\n", "version: 1\nroutes:\n  - email: [c@example.org]\n"))])
    assert loaded.register is not None, loaded.problems
    book = read_book(loaded.register, {}, datetime(2026, 11, 30, 8, tzinfo=ZoneInfo("Europe/London")))
    mail = digest_message(setup, build_digest(book, "c@example.org", None))
    for part in ("plain", "html"):
        body = mail.get_body((part,)).get_content()  # type: ignore[union-attr]
        assert "2025-26" in body and "“2025-26”" not in body and '"2025-26"' not in body, part

    from bot.shell.slackapp.recorder import promised_words

    class Updates:
        def recorded(self, ids: object, quarters: object) -> dict[str, list[object]]:
            return {}

    class Store:
        updates = Updates()

    header = promised_words(Store(), loaded.register, loaded.register.commitments[0], "2025-26", date(2026, 11, 22))
    assert header.startswith("Expected: 2025-26, a period it recurs in → ") and "27 May 2022" not in header


def test_a_speaker_with_no_source_is_never_shown_as_the_source_or_the_evidence(cli, write_register) -> None:
    """Found in the second truth audit: an update recorded with `--said-by` and no source read
    "(source: An example minister)" in Slack and "Evidence: An example minister" in the digest; with a
    bare link, the link's words were the speaker's name."""
    from bot.decide.alerts import UpdateView
    from notifiers.slack.blocks import update_text
    from notifiers.teams.cards import alert_card
    from tests.standins import make_alert

    bare = make_alert(last_update=UpdateView("2026-11-20", "Minister says spring 2027", said_by="An example minister"))
    assert "(said by An example minister)" in update_text(bare) and "source: An example" not in update_text(bare)
    card = json.dumps(alert_card(bare), ensure_ascii=False)
    assert "(said by An example minister)" in card and "source: An example" not in card
    linked = make_alert(last_update=UpdateView("2026-11-20", "Minister says spring 2027", said_by="Jess Phillips MP",
                                               source_url="https://example.org/x"))
    assert "(source: <https://example.org/x|evidence>, said by Jess Phillips MP)" in update_text(linked)
    write_register(REGISTER)
    now = ("--now", "2026-11-23T09:00")
    assert cli("update", "mvp", "--note", "Minister says spring 2027", "--said-by", "An example minister", *now).exit_code == 0
    story = cli("history", "mvp", *now).stdout
    assert "[said by: An example minister]" in story and "[source: An example minister]" not in story


def test_the_register_may_publish_the_teams_actions_and_then_only_as_the_teams(cli, write_register,
                                                                                tmp_path: Path) -> None:
    """SPEC §7.3: actions are never on the site "unless the register says `publish: {actions: true}`";
    that setting was read and then did nothing (found in the acceptance audit)."""
    now = ("--now", "2026-11-30T10:00")
    write_register(REGISTER)
    assert cli("chase", "mvp", "--how", "letter", "--ref", "L-12", "--to", "the Home Secretary", "--by", "Sam",
               "--note", "Asked when it will be implemented", *now).exit_code == 0
    assert cli("chase", "mvp", "--how", "foi", "--ref", "FOI-2026-1", *now).exit_code == 0
    for published in (False, True):
        write_register(REGISTER + ("publish: {actions: true}\n" if published else ""))
        assert cli("export", "site", "public", *now).exit_code == 0
        page = " ".join((tmp_path / "public" / "c" / "mvp.html").read_text(encoding="utf-8").split())
        if not published:
            assert "L-12" not in page and "What the team did" not in page
            continue
        assert "<h2>What the team did (2)</h2>" in page and "not the Home Office's record, and not news" in page
        assert "the team chased by letter L-12 to the Home Secretary; reply due" in page
        assert "the team chased by FOI request FOI-2026-1; reply due" in page  # as every surface names it
        assert "Updates, newest first (1)" in page  # the chase is not an update


def test_a_chain_of_words_says_which_changes_were_not_slips() -> None:
    """Found in the second truth audit: "Slipped once: later this year → in the summer → early 2023"
    beside a chain of two changes, one of which brought the date forward."""
    from bot.decide.alerts import PromiseView
    from notifiers.console import render
    from notifiers.slack.blocks import history_text
    from tests.standins import make_alert

    promises = (PromiseView("2022-02-21", "later this year", "…", "2022-12-31"),
                PromiseView("2022-08-09", "in the summer", "…", "2022-08-31"),
                PromiseView("2022-11-01", "early 2023", "…", "2023-04-30"))
    alert = make_alert(promises=promises, slips=1)
    said = "later this year → in the summer → early 2023 (one change did not move the date later)"
    assert f"slipped once: {said}" in render(alert) and f"Slipped once: {said}" in (history_text(alert) or "")
    two = make_alert(promises=promises[::2], slips=1)
    assert "did not move" not in render(two)


def test_two_slips_told_in_one_run_each_say_their_own(cli, write_register) -> None:
    """Found in the acceptance audit: both alerts said the latest slip ("moved from 2023-12-31 to
    2024-08-31 … slipped twice"), the first one's own move and count lost."""
    write_register("""\
version: 1
commitments:
  - id: f
    title: Publish the framework
    owner: Home Office
    made_on: 2022-02-21
    due: end August
    source: {title: Letter, quote: "We will publish it by end August."}
    updates:
      - {date: 2022-10-01, note: Now next year., due: "2023", source: {title: Answer 1, url: "https://example.org/1"}}
""")
    assert cli("update", "f", "--note", "Now summer 2024", "--due", "summer 2024", "--on", "2022-10-05",
               "--source", "https://example.org/2", "--now", "2022-10-05T10:00").exit_code == 0
    out = cli("check", "--dry-run", "--now", "2022-10-05T12:00").stdout
    told = [block for block in out.split("\n\n") if block.startswith("[SLIPPED]")]
    assert len(told) == 2, out
    first, second = sorted(told, key=lambda b: "2024-08-31" in b)
    assert "The deadline moved from 31 Aug 2022 to 31 Dec 2023." in first and "slipped once" in first
    assert "The deadline moved from 31 Dec 2023 to 31 Aug 2024." in second and "slipped twice" in second


# -- issue 21, the fourth truth audit: every word on every surface ---------------------------------
# One register for the surfaces a team puts its name to: a channel of each kind, a yearly promise
# whose quote is about its first year, an expectation with no source, an ask the owner answers with
# a date, a promise moved by an answer recorded with a bare link, and a date given in place of words.
WIDGETS = """\
version: 1
timezone: Europe/London
defaults: {grace: 7 days, remind_every: 30 days, heads_up: 14 days}
publish: {actions: true}
routes:
  - slack: ["#mvp-watch"]
    teams: [advocacy]
    email: [coord@example.org]
commitments:
  - id: fund-yearly
    title: Fund the scheme each year
    owner: Home Office
    made_by: Baroness Example
    made_on: 2022-05-27
    due: 2022-23
    recurs: financial-year
    source:
      title: Written answer HL303
      quote: "we will provide £1.4 million in 2022-23 to continue to fund support"
    updates:
      - {date: 2023-05-22, period: 2022-23, note: Funded, status: delivered, said_by: Sarah Dines MP,
         source: {title: Written answer 185692, quote: "a further £1.4 million"}}
  - id: a1-ask
    type: ask
    title: Fund the widget helpline
    owner: Department for Education
    made_by: Widget Commissioner
    made_on: 2026-02-01
    due: June 2026
    source:
      title: Commissioner's letter to the Secretary of State
      quote: "I ask the Department to fund the widget helpline by June 2026."
  - id: e1-expect
    type: expectation
    title: Decide the widget grant for 2026
    owner: Department for Education
    made_on: 2026-01-05
    due: 2026-05-31
  - id: e2-expect
    type: expectation
    title: Announce the widget fund for 2026-27
    owner: HM Treasury
    made_on: 2026-01-05
    due: summer 2026
    actions:
      - {date: 2026-09-20, kind: snooze, until: 2026-10-15, note: Budget timing, recorded_by: Bob}
  - id: p3-dst
    title: Lay the widget regulations
    owner: Department for Education
    made_by: Jane Minister MP
    made_on: 2026-01-10
    due: 2026-03-29
    grace: 0 days
    source:
      title: Letter to the Committee
      quote: "We will lay the widget regulations by 29 March 2026."
"""


def _told(cli, slack, teams, tmp_path: Path, now: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """What one check says on each channel: the console (a dry run first), then a real check's
    Slack messages, Teams cards and both parts of its mail; each only what this check added."""
    from bot.shell.sandbox.smtp import smtp_server
    from bot.shell.sandbox.teams import text_of
    from tests.standins import slack_env, teams_env

    out = {"console": cli("check", "--dry-run", "--now", now).output}
    seen_slack, seen_teams = len(slack.posted()), len(teams.cards("advocacy"))
    with smtp_server(tmp_path) as server:
        ran = cli("check", "--now", now, env={**slack_env(slack), **teams_env(teams), **server.env()})
        assert ran.exit_code == 0, ran.output
        mails = server.handler.to("coord@example.org")
        out["mail"] = "\n".join(m.get_body(("plain",)).get_content() for m in mails)  # type: ignore[union-attr]
        out["html"] = "\n".join(m.get_body(("html",)).get_content() for m in mails)  # type: ignore[union-attr]
    posted = slack.posted()[seen_slack:]
    out["slack"] = "\n".join([m.text for m in posted] + [t for m in posted for t in _texts(m.blocks)])
    out["teams"] = "\n".join(text_of(c) for c in teams.cards("advocacy")[seen_teams:])
    return out


def _flat(text: str) -> str:
    """Text as a reader sees it: tags, Slack links' targets and HTML entities gone, spaces single."""
    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2", text.replace("=\n", ""))
    text = re.sub(r"</?(a|strong|em|span|code|time)\b[^>]*>", "", text)  # inline: part of the words around it
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _events(path: Path) -> list[str]:
    """A calendar's events, their lines unfolded (RFC 5545) and their escapes read."""
    unfolded = path.read_bytes().decode("utf-8").replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n")
    return unfolded.split("BEGIN:VEVENT")[1:]


def test_a_recurring_promise_is_quoted_only_for_the_period_its_words_cover(cli, write_register, slack, teams,
                                                                           tmp_path: Path) -> None:
    """SPEC §7.1 "A quote is only ever shown as the words of the period it covers". Found in the
    fourth audit: Baroness Example's "£1.4 million in 2022-23" stood under 2023-24 in the console,
    Slack, Teams and mail, the site said "Said by Baroness Example | 2023-24 (a period it recurs
    in)", every later year's calendar event carried the 2022-23 quote, and a letter quoted it as
    "The promise, word for word … Its deadline: 31 Mar 2024 (“2023-24”)"."""
    write_register(WIDGETS)
    quote = "£1.4 million in 2022-23"
    told = _told(cli, slack, teams, tmp_path, "2024-05-01T09:00")
    for name, text in told.items():
        flat = _flat(text)
        assert "2023-24" in flat, name
        assert quote not in flat and "Baroness Example, 27 May 2022" not in flat, (name, flat[:2000])
    assert "promised: 2023-24, a period it recurs in → read as 1 Apr 2023 – 31 Mar 2024" in told["console"]
    now = ("--now", "2024-05-01T09:00")
    assert cli("export", "site", "public", *now).exit_code == 0
    page = " ".join((tmp_path / "public" / "c" / "fund-yearly.html").read_text(encoding="utf-8").split())
    later = re.split(r"<h3>(?:<span[^>]*>)?2023-24(?:</span>)?</h3>", page)
    assert len(later) == 2, "the page has no heading for 2023-24"
    assert "Baroness Example<td>" not in later[1]
    assert '<td>—<td>—<td><span class="nw">2023-24</span> (a period it recurs in)' in page
    assert "These words are quoted for 2022-23, its first period" in _flat(page)  # the series' quote, said as what it is
    assert cli("export", "ics", "d.ics", *now).exit_code == 0
    later = [e for e in _events(tmp_path / "d.ics") if "Fund the scheme each year (" in e]
    assert len(later) == 2 and not any(quote in e or "Baroness Example)." not in e for e in later), later
    letter = cli("draft", "fund-yearly", "--as", "letter", *now).output
    assert "(“2023-24”)" not in letter and "The promise, word for word:" not in letter
    assert "The promise, word for word, as made for 2022-23 (the register tracks it for each period since):" in letter
    assert "Its deadline for 2023-24: 31 Mar 2024." in letter
    assert "“we will provide £1.4 million in 2022-23 to continue to fund support”: Baroness Example, 27 May 2022" \
        " (Written answer HL303)" in letter


def test_an_expectations_date_is_the_teams_never_anyones_words(cli, write_register, slack, teams,
                                                              tmp_path: Path) -> None:
    """SPEC §7.1: an expectation is "expected of OWNER, not promised": its date is the team's. Found
    in the fourth audit: the feed and the calendar said 'It was read from “summer 2026”: 5 Jan 2026;
    who said it is not recorded', the site and `status` put "summer 2026" under THEIR WORDS, the page
    "Said by: not recorded | summer 2026", and Slack and Teams 'Expected “2026-05-31”'."""
    write_register(WIDGETS)
    told = _told(cli, slack, teams, tmp_path, "2026-10-20T09:00")  # after the team's snooze of e2-expect
    preview = tmp_path / "preview"
    assert cli("digest", "--dry-run", "--to", "coord@example.org", "--out", str(preview), "--now",
               "2026-10-20T09:00").exit_code == 0
    told["digest"] = next(preview.glob("*.eml")).read_text(encoding="utf-8")
    for name in ("console", "slack", "teams", "mail", "html", "digest"):
        flat = _flat(told[name])
        assert "Decide the widget grant" in flat and "Announce the widget fund" in flat, name
        assert "“2026-05-31”" not in flat and "“summer 2026”" not in flat, (name, flat)
    assert "2026-05-31 → 31 May 2026 (deadline 31 May 2026)" in told["slack"]
    now = ("--now", "2026-10-01T09:00")
    status = cli("status", *now).output
    assert re.search(r"e2-expect +2026-08-31 +\d+d +never +\(none said\)", status), status
    assert cli("export", "atom", "f.xml", *now).exit_code == 0
    feed = _flat((tmp_path / "f.xml").read_text(encoding="utf-8"))
    assert "The date it was expected by, 31 Aug 2026, passed, and nothing recorded by then said it was met." in feed
    assert "“summer 2026”" not in feed and "not recorded" not in feed
    assert cli("export", "ics", "d.ics", *now).exit_code == 0
    event = next(e for e in _events(tmp_path / "d.ics") if "widget fund" in e)
    assert "Expected: summer 2026, the team's expected date (1 Jun – 31 Aug 2026)." in event
    assert "“" not in event and "not recorded" not in event
    assert cli("export", "site", "public", *now).exit_code == 0
    page = html.unescape(" ".join((tmp_path / "public" / "c" / "e2-expect.html").read_text(encoding="utf-8").split()))
    assert "not recorded" not in page and "<td>—<td>—<td>summer 2026 (the team's expected date)<td>" in page
    assert "they are not HM Treasury's record" in page and "the HM Treasury" not in page
    listing = (tmp_path / "public" / "l" / "all.deadline.1.html").read_text(encoding="utf-8")
    assert "<td>summer 2026<td>" not in listing and "<td>(none said)<td><time>2026-08-31" in listing


def test_a_date_the_owner_gives_in_answer_to_an_ask_is_not_a_slip(cli, write_register) -> None:
    """SPEC §7.1–7.2: June 2026 was the Commissioner's date, not the Department's; its first date
    answers the ask. Found in the fourth audit: "[SLIPPED] … slipped once: June 2026 → by the end
    of 2026", `status` SLIPS 1, `history` SLIP 1. A later move of the owner's own date is a slip."""
    write_register(WIDGETS)
    now = ("--now", "2026-07-10T10:00")
    assert cli("update", "a1-ask", "--on", "2026-07-10", "--note", "The minister gives a date", "--due",
               "by the end of 2026", "--said-by", "Jane Minister MP", "--source", "https://example.org/wa9", *now
               ).exit_code == 0
    told = cli("check", "--dry-run", *now).output
    block = next(b for b in told.split("\n\n") if "(a1-ask)" in b)
    assert "[SLIPPED]" not in block and "slipped" not in block, block
    assert "Department for Education gives a date: “by the end of 2026”: Jane Minister MP, 10 Jul 2026. " \
           "It was asked for by 30 Jun 2026." in block
    assert "date now given “by the end of 2026”: Jane Minister MP, 10 Jul 2026" in block
    row = next(r for r in json.loads(cli("status", "--json", *now).stdout) if r["id"] == "a1-ask")
    assert row["slips"] == 0
    story = cli("history", "a1-ask", *now).output
    assert "SLIP" not in story and "never slipped" in story
    assert "2026-07-10  date given by the end of 2026 → 1 Jan – 31 Dec 2026, said by Jane Minister MP" in story
    letter = cli("draft", "a1-ask", "--as", "letter", *now).output
    assert "Slip" not in letter and "Dated, 10 Jul 2026: a date was given, 31 Dec 2026 (“by the end of 2026”)." in letter
    later = ("--now", "2026-09-01T10:00")
    assert cli("update", "a1-ask", "--on", "2026-09-01", "--note", "Now spring", "--due", "spring 2027",
               "--said-by", "Jane Minister MP", "--source", "https://example.org/wa10", *later).exit_code == 0
    moved = next(b for b in cli("check", "--dry-run", *later).output.split("\n\n") if "(a1-ask)" in b)
    assert moved.startswith("[SLIPPED]") and "slipped once: asked for June 2026; given by the end of 2026 → spring 2027" \
        in moved, moved
    assert cli("history", "a1-ask", *later).output.count("SLIP 1") == 1


MOVED = """\
version: 1
timezone: Europe/London
defaults: {grace: 7 days, remind_every: 30 days, heads_up: 14 days}
routes:
  - slack: ["#mvp-watch"]
    teams: [advocacy]
    email: [coord@example.org]
commitments:
  - id: p4-regs
    title: Lay the widget regulations
    owner: Department for Education
    made_by: Jane Minister MP
    made_on: 2026-01-10
    due: March 2027
    source: {title: Letter to the Committee, quote: "We will lay the widget regulations by March 2027."}
  - id: p5-guide
    title: Develop widget outreach guidance
    owner: Department for Education
    made_by: Jane Minister MP
    made_on: 2026-01-10
    source: {title: Letter to the Committee, quote: "We will develop widget outreach guidance."}
"""


def test_a_date_brought_forward_or_given_for_the_first_time_is_never_said_to_stay(
        cli, write_register, slack, teams, tmp_path: Path) -> None:
    """Issue 21, second review: a date brought forward (31 Jan 2027 → 31 Dec 2026 on the MVP) was told
    as "News of 25 Nov 2026: the deadline stays 31 Dec 2026", and an open-ended promise's first date
    as "the deadline stays 31 Mar 2027", though there was none before. Each is told as what it is,
    the same on every channel, as of its own update (a slip recorded after it in the same run is
    told apart)."""
    write_register(MOVED)
    for cid, on, due in (("p4-regs", "2026-11-20", "January 2027"), ("p5-guide", "2026-11-24", "by March 2027"),
                         ("p4-regs", "2026-11-24", "June 2027")):
        assert cli("update", cid, "--on", on, "--note", f"The minister now says {due}", "--due", due, "--said-by",
                   "Jane Minister MP", "--source", "https://example.org/wa", "--now", "2026-11-24T10:00").exit_code == 0
    told = _told(cli, slack, teams, tmp_path, "2026-11-24T11:00")
    forward = "the deadline was brought forward from 31 Mar 2027 to 31 Jan 2027"
    first = "it named no date before; the deadline is now 31 Mar 2027"
    for name, text in told.items():
        flat = _flat(text)
        assert forward in flat and first in flat, (name, flat)
        assert "stays" not in flat, (name, flat)
        assert "The deadline moved from 31 Jan 2027 to 30 Jun 2027" in flat, (name, flat)  # the slip, told apart
    assert "BROUGHT FORWARD" in cli("history", "p4-regs", "--now", "2026-11-24T11:00").output


def test_the_digest_and_the_feed_say_what_news_did_to_the_date_as_its_alert_does(
        cli, write_register, tmp_path: Path) -> None:
    """Issue 21, second review: the alert said "the deadline was brought forward from 31 Jan 2027 to
    31 Dec 2026", but the digest listed the same news as "News on 25 Nov 2026: …" and the feed as a
    plain "Update", neither with the new date. Both now say what it did to the date, in the alert's
    words; a first date for an open-ended promise too."""
    from email import message_from_bytes, policy

    write_register(MOVED)
    for cid, on, due in (("p4-regs", "2026-11-23", "January 2027"), ("p5-guide", "2026-11-24", "by March 2027"),
                         ("p4-regs", "2026-11-25", "December 2026")):
        assert cli("update", cid, "--on", on, "--note", f"The minister now says {due}", "--due", due, "--said-by",
                   "Jane Minister MP", "--source", "https://example.org/wa", "--now", "2026-11-25T10:00").exit_code == 0
    forward = ("the deadline was brought forward from 31 Mar 2027 to 31 Jan 2027",
               "the deadline was brought forward from 31 Jan 2027 to 31 Dec 2026")
    first = "it named no date before; the deadline is now 31 Mar 2027"
    preview = tmp_path / "preview"
    assert cli("digest", "--dry-run", "--to", "coord@example.org", "--out", str(preview),
               "--now", "2026-11-30T08:00").exit_code == 0
    mail = message_from_bytes(next(preview.glob("*.eml")).read_bytes(), policy=policy.default)
    for part in ("plain", "html"):
        flat = _flat(mail.get_body((part,)).get_content())  # type: ignore[union-attr]
        for said in (*forward, first):
            assert said[:1].upper() + said[1:] + "." in flat, (part, said, flat)
        assert "stays" not in flat, (part, flat)
    assert cli("export", "atom", "f.xml", "--now", "2026-11-26").exit_code == 0
    entries = {e.content[0].value for e in feedparser.parse((tmp_path / "f.xml").read_text(encoding="utf-8")).entries}
    assert "The minister now says December 2026. The deadline was brought forward from 31 Jan 2027 to 31 Dec 2026. " \
           "Said by Jane Minister MP. Evidence: example.org/wa" in entries, entries
    assert "The minister now says by March 2027. It named no date before; the deadline is now 31 Mar 2027. " \
           "Said by Jane Minister MP. Evidence: example.org/wa" in entries, entries


def test_a_date_the_owner_gives_for_an_expectation_is_not_a_slip_of_the_teams_date(
        cli, write_register, tmp_path: Path) -> None:
    """SPEC §7.1: an expectation's date is the team's, never anyone's words. Found in the second
    review: the Home Office's first date for the yearly funding ("early 2027", Jess Phillips MP) was
    told as "[SLIPPED] The deadline moved from 31 Mar 2026 to 30 Apr 2027", `status` SLIPS 1, the
    feed "Slipped … slip 1" and the digest 'Moved on … from "2025-26" (31 Mar 2026)', quoting the
    team's date. As for an ask, the owner's first date is news that gives a date; only later moves
    of the owner's own date are slips, and that date passing is said as the owner's."""
    write_register(WIDGETS)
    now = ("--now", "2026-05-20T10:00")
    assert cli("update", "e1-expect", "--on", "2026-05-20", "--note", "The minister gives a date", "--due",
               "by the end of 2026", "--said-by", "Jane Minister MP", "--source", "https://example.org/wa9", *now
               ).exit_code == 0
    told = cli("check", "--dry-run", *now).output
    block = next(b for b in told.split("\n\n") if "(e1-expect)" in b)
    assert "[SLIPPED]" not in block and "slipped" not in block and "moved" not in block, block
    assert "Department for Education gives a date: “by the end of 2026”: Jane Minister MP, 20 May 2026. " \
           "It was expected by 31 May 2026." in block, block
    assert "date now given “by the end of 2026”: Jane Minister MP, 20 May 2026" in block, block
    row = next(r for r in json.loads(cli("status", "--json", *now).stdout) if r["id"] == "e1-expect")
    assert row["slips"] == 0
    story = cli("history", "e1-expect", *now).output
    assert "SLIP" not in story and "never slipped" in story, story
    assert "2026-05-20  date given by the end of 2026 → 1 Jan – 31 Dec 2026, said by Jane Minister MP" in story
    letter = cli("draft", "e1-expect", "--as", "letter", *now).output
    assert "Slip" not in letter and "Dated, 20 May 2026: a date was given, 31 Dec 2026 (“by the end of 2026”)." in letter
    assert cli("export", "atom", "feed.xml", *now).exit_code == 0
    feed = (tmp_path / "feed.xml").read_text(encoding="utf-8")
    assert "Slipped: Decide the widget grant" not in feed and "slip 1" not in feed
    from email import message_from_bytes, policy

    preview = tmp_path / "preview"
    assert cli("digest", "--dry-run", "--to", "coord@example.org", "--out", str(preview),
               "--now", "2026-05-25T09:00").exit_code == 0
    digest = "\n".join(part.get_content() for p in preview.glob("*.eml")
                       for part in message_from_bytes(p.read_bytes(), policy=policy.default).iter_parts())
    assert "Moved on" not in digest and "2026-05-31 (31 May 2026)" not in digest, digest[:3000]
    # the owner's date passing is the owner's date passing, never "expected by" it
    past = ("--now", "2027-02-10T09:00")
    lapsed = next(b for b in cli("check", "--dry-run", *past).output.split("\n\n") if "(e1-expect)" in b)
    assert "the date Department for Education gave, 31 Dec 2026, passed with no update since. It was expected " \
           "by 31 May 2026." in lapsed and "expected by 31 Dec 2026" not in lapsed, lapsed
    assert "expected of Department for Education, not promised" in lapsed  # still an expectation, said as one
    assert cli("export", "atom", "feed.xml", *past).exit_code == 0
    feed = (tmp_path / "feed.xml").read_text(encoding="utf-8")
    assert "The date Department for Education gave, 31 Dec 2026, passed" in feed, feed
    assert "The date it was expected by, 31 Dec 2026" not in feed
    # a later move of the owner's own date is a slip
    later = ("--now", "2026-09-01T10:00")
    assert cli("update", "e1-expect", "--on", "2026-09-01", "--note", "Now spring", "--due", "spring 2027",
               "--said-by", "Jane Minister MP", "--source", "https://example.org/wa10", *later).exit_code == 0
    moved = next(b for b in cli("check", "--dry-run", *later).output.split("\n\n") if "(e1-expect)" in b)
    assert moved.startswith("[SLIPPED]") and "slipped once: expected 2026-05-31; given by the end of 2026 → " \
        "spring 2027" in moved, moved
    assert cli("history", "e1-expect", *later).output.count("SLIP 1") == 1


def test_an_ask_past_the_date_its_owner_gave_is_lapsed_never_no_answer(cli, write_register, tmp_path: Path) -> None:
    """The owner answered the ask with a date of its own; once that date passes, saying "No answer:
    it was asked for by 31 Dec 2026" is untrue twice (the owner answered; the ask was for June).
    Found in review: the console, `status` and `history` said so. The owner's date passing is a
    lapse, said as a promise's is; the ask's own date is named as what it was."""
    write_register(WIDGETS)
    assert cli("update", "a1-ask", "--on", "2026-07-10", "--note", "The minister gives a date", "--due",
               "by the end of 2026", "--said-by", "Jane Minister MP", "--source", "https://example.org/wa9",
               "--now", "2026-07-10T10:00").exit_code == 0
    now = ("--now", "2027-02-10T09:00")
    block = next(b for b in cli("check", "--dry-run", *now).output.split("\n\n") if "(a1-ask)" in b)
    assert block.startswith("[LAPSED] ") and "No answer" not in block and "[NO ANSWER]" not in block, block
    assert "the date Department for Education gave, 31 Dec 2026, passed with no update since. It was asked for " \
           "by 30 Jun 2026." in block
    assert "asked of Department for Education by Widget Commissioner" in block  # still an ask, said as one
    row = next(r for r in json.loads(cli("status", "--json", *now).stdout) if r["id"] == "a1-ask")
    assert (row["state"], row["type"]) == ("lapsed", "ask")
    assert next(line for line in cli("status", *now).output.splitlines() if " a1-ask " in line).startswith("lapsed ")
    assert "now: lapsed, deadline 2026-12-31" in cli("history", "a1-ask", *now).output
    # and every published surface and the digest say the same (found in the merge review)
    from email import message_from_bytes, policy

    preview = tmp_path / "preview"
    assert cli("digest", "--dry-run", "--to", "coord@example.org", "--out", str(preview), *now).exit_code == 0
    digest = "\n".join(part.get_content() for p in preview.glob("*.eml")
                       for part in message_from_bytes(p.read_bytes(), policy=policy.default).iter_parts())
    assert "asked for by 31 Dec 2026" not in digest and "with no answer" not in digest.splitlines()[0], digest[:600]
    assert cli("export", "site", "public", *now).exit_code == 0
    page = re.sub(r"<[^>]+>", " ", (tmp_path / "public" / "c" / "a1-ask.html").read_text(encoding="utf-8"))
    page = " ".join(page.replace("\u00a0", " ").split())
    assert "No answer" not in page and "past the date asked for" not in page.lower(), page[:1500]
    index = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'st-lapsed">lapsed</span><th scope="row"><a href="c/a1-ask.html"', index)
    assert cli("export", "atom", "feed.xml", *now).exit_code == 0
    feed = (tmp_path / "feed.xml").read_text(encoding="utf-8")
    assert "The date Department for Education gave, 31 Dec 2026, passed" in feed and "The date asked for, 31 Dec 2026" not in feed
    assert cli("export", "ics", "d.ics", *now).exit_code == 0
    ics = (tmp_path / "d.ics").read_text(encoding="utf-8").replace("\r\n ", "")
    assert "SUMMARY:Deadline: Fund the widget helpline" in ics and "Asked for by: Fund the widget helpline" not in ics


def test_a_link_never_stands_where_the_speaker_should_be(cli, write_register, slack, teams, tmp_path: Path) -> None:
    """SPEC §7.2: "without said_by, the update's source title stands"; a bare link is no title.
    Found in the fourth audit: 'promised now “July 2026”: https://example.org/reply, 22 Apr 2026' in
    the console, Slack, Teams, mail, digest and report, "Given in https://…", `history` "SLIP 1, in
    https://…", the letter '“July 2026”: https://example.org/reply', and `export updates --write`
    wrote `title: https://example.org/reply` into the register."""
    write_register(WIDGETS)
    assert cli("update", "p3-dst", "--on", "2026-04-22", "--note", "Officials say July", "--due", "July 2026",
               "--source", "https://example.org/reply", "--by", "Alice", "--now", "2026-04-22T10:00").exit_code == 0
    told = _told(cli, slack, teams, tmp_path, "2026-04-22T11:00")
    said = "“July 2026”: 22 Apr 2026; who said it is not recorded"
    for name, text in told.items():
        flat = _flat(text)
        assert "Lay the widget regulations" in flat, name
        assert "example.org/reply, 22 Apr" not in flat and "in https://" not in flat.replace("Given in", "in"), \
            (name, flat)
        assert said in flat, (name, flat)
    assert "Recorded on 22 Apr 2026; who said it is not recorded." in told["console"]
    now = ("--now", "2026-04-27T09:00")
    preview = tmp_path / "preview"
    assert cli("digest", "--dry-run", "--to", "coord@example.org", "--out", str(preview), *now).exit_code == 0
    from email import message_from_bytes, policy
    digest = "\n".join(part.get_content() for p in preview.glob("*.eml")
                       for part in message_from_bytes(p.read_bytes(), policy=policy.default).iter_parts())
    assert "example.org/reply, 22 Apr" not in _flat(digest) and said in _flat(digest)
    report = cli("report", "--since", "2026-04-01", *now).output
    assert "example.org/reply, 22 Apr" not in report and said in report
    story = cli("history", "p3-dst", *now).output
    assert "SLIP 1" in story and "in https://" not in story
    letter = cli("draft", "p3-dst", "--as", "letter", "--now", "2026-08-10T09:00").output
    assert "“July 2026”: https://" not in letter and said in letter
    assert cli("export", "updates", "--write", *now).exit_code == 0
    written = (tmp_path / "commitments.yaml").read_text(encoding="utf-8")
    assert "Officials say July" in written and "url: https://example.org/reply" in written
    assert "title: https://" not in written
    assert cli("validate").exit_code == 0


def test_a_date_given_in_place_of_words_is_never_in_quotation_marks(cli, write_register, slack, teams,
                                                                   tmp_path: Path) -> None:
    """README "How we keep it true": "a date the register gives in place of words is never in
    quotation marks". Found in the fourth audit: Slack and Teams 'Promised “2026-03-29” → 29 Mar
    2026', and a letter "Its deadline: 29 Mar 2026 (“2026-03-29”)"."""
    write_register(WIDGETS)
    told = _told(cli, slack, teams, tmp_path, "2026-03-16T09:00")
    for name, text in told.items():
        flat = _flat(text)
        assert "Lay the widget regulations" in flat and "“2026-03-29”" not in flat, (name, flat)
    assert "2026-03-29 → 29 Mar 2026 (deadline 29 Mar 2026)" in told["slack"]
    letter = cli("draft", "p3-dst", "--as", "letter", "--now", "2026-04-10T09:00").output
    assert "Its deadline: 29 Mar 2026." in letter and "“2026-03-29”" not in letter


def test_the_html_part_of_an_alert_mail_says_what_its_text_part_says() -> None:
    """Found in the fourth audit: a closing's HTML card had no link to the evidence the text part
    gives, and the promise's "Source:" came after the update, reading as its source."""
    from bot.decide.alerts import UpdateView
    from bot.shell.settings import Settings
    from notifiers.email.messages import alert_message, mail_setup
    from tests.standins import make_alert

    setup = mail_setup(Settings(email_from="bot@example.org"))
    met = make_alert(kind="closed", type="expectation", status="delivered", made_by=None, days_overdue=0,
                     last_update=UpdateView("2026-08-20", "The grant was decided", "Alice", "delivered",
                                            "https://example.org/grant", "Jane Minister MP"))
    mail = alert_message(setup, "c@example.org", [met])
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "(said by Jane Minister MP, https://example.org/grant)" in text
    assert '<a href="https://example.org/grant"' in html
    flat = _flat(html)
    assert "The grant was decided (said by Jane Minister MP, example.org/grant)" in flat
    assert flat.index("Source: Letter") < flat.index("Last update")  # the promise's source is the promise's


def test_small_words_that_said_more_than_the_record(cli, write_register, slack, tmp_path: Path) -> None:
    """Found in the fourth audit: "Days overdue 0" on a heads-up; "Last update … (Alice): …" read
    as Alice's words; "News recorded on" gave the news's date; an ask's date was "The answer is
    due by"; the digest said "unanswered"; `chase --help` "chased a promise"; `/commitments
    lapsed` listed asks and expectations "Past their deadline" (now "Past their date")."""
    from bot.decide.alerts import UpdateView
    from notifiers.slack.blocks import alert_message, update_text
    from notifiers.teams.cards import alert_card
    from tests.standins import make_alert

    heads = make_alert(kind="heads-up", days_overdue=0)
    assert "Days overdue" not in json.dumps(alert_message(heads).blocks) and "Days overdue" not in json.dumps(alert_card(heads))
    recorded = make_alert(last_update=UpdateView("2026-04-22", "Officials say July", "Alice", recorded_by="Alice"))
    assert "(Alice):" not in update_text(recorded) and "recorded by Alice" in update_text(recorded)
    card = json.dumps(alert_card(recorded))
    assert "(Alice)" not in card and "recorded by Alice" in card

    write_register(WIDGETS)
    heads_up = cli("check", "--dry-run", "--now", "2026-06-20T09:00").output
    assert "[DATE ASKED FOR SOON] Fund the widget helpline (a1-ask)" in heads_up and "Asked for by 30 Jun 2026." in heads_up
    assert "answer is due" not in heads_up.lower() and "answer due" not in heads_up.lower()
    assert cli("update", "p3-dst", "--on", "2026-03-01", "--note", "Still on course", "--source",
               "https://example.org/n", "--now", "2026-03-02T09:00").exit_code == 0
    assert "News of 1 Mar 2026: the deadline stays 29 Mar 2026." in cli("check", "--dry-run", "--now",
                                                                         "2026-03-02T10:00").output
    now = ("--now", "2026-09-01T09:00")
    assert cli("export", "ics", "d.ics", *now).exit_code == 0
    assert cli("export", "atom", "f.xml", *now).exit_code == 0
    published = (tmp_path / "d.ics").read_text(encoding="utf-8") + (tmp_path / "f.xml").read_text(encoding="utf-8")
    assert "Answer asked for" not in published and "the answer was asked for" not in published
    assert "SUMMARY:Asked for by: Fund the widget helpline" in published
    assert "The date asked for, 30 Jun 2026, passed" in published
    preview = tmp_path / "preview"
    assert cli("digest", "--dry-run", "--to", "coord@example.org", "--out", str(preview), *now).exit_code == 0
    digest = next(preview.glob("*.eml")).read_text(encoding="utf-8")
    assert "unanswered" not in digest and "with no answer" in digest
    assert "chased a promise" not in cli("chase", "--help").output
    from bot.shell.slackapp.listeners.commands import HELP
    from notifiers.slack.views import home_view
    assert "Past their deadline" not in json.dumps(home_view([], [], [])) + HELP


def test_a_series_next_period_is_never_called_a_date_given(cli, tmp_path: Path) -> None:
    """Found in the final review: the site said "Date now given 2025-26" of the shipped yearly
    expectation, a year nobody gave: the series had only moved into it. Only an update gives a
    date ("Date now given", with who gave it); a series' next period is "Expected now"."""
    register = tmp_path / "commitments.yaml"
    register.write_text((Path(__file__).parent.parent / "commitments.yaml").read_text(encoding="utf-8"),
                        encoding="utf-8")
    base = ("--file", str(register), "--database", f"sqlite:///{tmp_path / 'bot.db'}")

    def page() -> str:
        assert cli("export", "site", str(tmp_path / "site"), *base, "--now", "2026-11-24T12:00").exit_code == 0
        text = (tmp_path / "site" / "c" / "smv-scheme-funding-each-year.html").read_text(encoding="utf-8")
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())

    before = page()
    assert "Expected now 2025-26 , a period it recurs in" in before and "Date now given" not in before
    recorded = cli("update", "smv-scheme-funding-each-year", "--period", "2025-26", "--note", "Funding date",
                   "--due", "early 2027", "--said-by", "Jess Phillips MP", "--source", "https://example.org/d",
                   *base, "--now", "2026-11-24T10:00")
    assert recorded.exit_code == 0, recorded.output
    after = page()  # the page's row moves on to the next open year, still the team's
    assert "Expected now 2026-27 , a period it recurs in" in after and "Date now given 2026-27" not in after
    assert "Jess Phillips MP" in after and "early 2027" in after


def test_the_feed_and_the_digest_tell_an_owners_first_date_as_its_alert_does(cli, tmp_path: Path) -> None:
    """Found in the final review: the owner's first date for an expectation was told by its alert
    ("Home Office gives a date … It was expected by 31 Mar 2026") but the feed and the digest said
    only the note. README: it "is told as news" on every surface."""
    from email import message_from_bytes, policy

    register = tmp_path / "commitments.yaml"
    text = (Path(__file__).parent.parent / "commitments.yaml").read_text(encoding="utf-8")
    register.write_text(text.replace("routes:\n", "routes:\n  - email: [all@example.org]\n", 1), encoding="utf-8")
    base = ("--file", str(register), "--database", f"sqlite:///{tmp_path / 'bot.db'}")
    assert cli("update", "smv-scheme-funding-each-year", "--period", "2025-26", "--note", "Funding date", "--due",
               "early 2027", "--said-by", "Jess Phillips MP", "--source", "https://example.org/d", *base,
               "--now", "2026-11-24T10:00").exit_code == 0
    said = "Home Office gives a date, 30 Apr 2027; it was expected by 31 Mar 2026"
    assert cli("export", "atom", str(tmp_path / "f.xml"), *base, "--now", "2026-11-24T12:00").exit_code == 0
    assert said in (tmp_path / "f.xml").read_text(encoding="utf-8")
    assert cli("digest", "--dry-run", "--to", "all@example.org", "--out", str(tmp_path / "dg"), *base,
               "--now", "2026-11-30T08:00").exit_code == 0
    (eml,) = (tmp_path / "dg").glob("*.eml")
    mail = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert said in "\n".join(part.get_content() for part in mail.iter_parts() if part.get_content_type() == "text/plain")
