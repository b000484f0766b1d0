"""One registry of notification kinds (bot.decide.kinds), read by every channel (issue 12 item 4).

Every kind the engine decides is in the registry, and every channel renders every kind with the
registry's headline: a kind some channel forgot fails here instead of going out as KIND.upper().
"""

from __future__ import annotations

import ast
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.decide.alerts import Alert, UpdateView
from bot.decide.engine import decide
from bot.decide.kinds import KINDS, kind
from bot.decide.kinds.base import Due
from bot.decide.sent import Sent, ident
from bot.register.model import Retraction, Update
from bot.shell.registerfile import load_texts
from bot.shell.sandbox.slack import TOKEN, SlackState
from bot.shell.sandbox.teams import text_of
from bot.shell.settings import Settings
from notifiers.console import render
from notifiers.email.messages import alert_message as mail
from notifiers.email.messages import mail_setup
from notifiers.slack.blocks import alert_message as slack_message
from notifiers.teams.cards import alert_card as teams_card
from tests.standins import EXPECTED, REGISTER, make_alert, message_for, running_slack  # noqa: F401

# The Slack tests' register has one commitment per kind they deliver; news and reopening
# (SPEC §6.1) add two more, and a chase whose reply is overdue (SPEC §7.3) one more.
EVERY_KIND = REGISTER + """\
  - id: news
    title: Consult on the code
    owner: Home Office
    made_on: 2022-02-01
    due: 2023
    updates:
      - {date: 2022-09-06, note: Consultation drafting is under way}
  - id: reopen
    title: Open the helpline
    owner: DfE
    made_on: 2022-01-01
    due: 2023
    updates:
      - {date: 2022-03-01, note: opened, status: delivered, source: {title: Press release, url: "https://example.org/h"}}
      - {date: 2022-09-07, note: Closed again after a week, status: open}
  - id: chased
    title: Publish the guidance
    owner: Home Office
    made_on: 2022-01-01
    due: 2023
    actions:
      - {date: 2022-08-01, kind: chase, how: letter, reply_due: 2022-08-29}
"""

CHANNELS = {
    "console": lambda a: render(a),
    "slack": lambda a: slack_message(a).text + str(slack_message(a).blocks),
    "email": lambda a: str(mail(mail_setup(Settings(email_from="bot@example.org")), "a@example.org", [a])["Subject"])
    + mail(mail_setup(Settings(email_from="bot@example.org")), "a@example.org", [a]).get_body(("plain",))
    .get_content(),  # type: ignore[union-attr]
    "teams": lambda a: text_of(teams_card(a)),
}


def test_every_kind_the_engine_decides_is_in_the_registry() -> None:
    loaded = load_texts([("c.yaml", EVERY_KIND)])
    assert loaded.register is not None
    now = datetime(2022, 9, 9, 9, tzinfo=ZoneInfo("Europe/London"))
    # an update recorded by mistake, told, then withdrawn by the team: its correction is due
    mistaken = Update("2022-09-07#1", date(2022, 9, 7), "Recorded by mistake", recorded=9)
    told = ident("news", "news", None, mistaken.key)
    sent = [Sent(told, "news", "news", None, None, None, now - timedelta(days=1))]
    retracted = {"news": [Retraction(mistaken, now - timedelta(hours=1))]}
    decided = {(d.commitment_id, d.kind) for d in decide(loaded.register, {}, sent, now, retracted=retracted,
                                                         given={told: ("slack:#mvp-watch",)})}
    assert decided == {*EXPECTED, ("news", "news"), ("reopen", "reopened"), ("chased", "reply-overdue"),
                       ("news", "withdrawn")}
    assert {k for _cid, k in decided} == set(KINDS) - {"lead"}  # leads are decided by `watch` (SPEC §6.3)


@pytest.mark.parametrize("channel", sorted(CHANNELS))
@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_channel_renders_every_kind_with_its_headline(channel: str, name: str) -> None:
    alert = make_alert(kind=name, status="delivered" if name == "closed" else "open")
    shown = CHANNELS[channel](alert)
    headline = kind(name).headline(alert.type, alert.status)
    assert headline.lower() in shown.lower(), (channel, name, shown[:300])


@pytest.mark.parametrize("channel", sorted(CHANNELS))
def test_every_channel_says_a_correction_in_full(channel: str) -> None:
    """A correction (bot.decide.kinds.withdrawn) says what the withdrawn update said and who it
    named, that the team withdrew it, and what stands now, in every channel: Slack, Teams and
    mail said news of an update the team withdrew, and must say its correction the same way."""
    from bot.decide.correction import WithdrawnView

    alert = make_alert(kind="withdrawn", withdrawn=WithdrawnView(
        "2026-11-23", "Now spring 2027", "2026-11-24", "spring 2027", "A. Minister", restored=True, number=1))
    shown = " ".join(CHANNELS[channel](alert).replace("*", "").split())
    assert "The update of 23 Nov 2026 (“spring 2027”, A. Minister) was withdrawn by the team on 24 Nov 2026: " \
           "it was recorded in error. The deadline in force is again 31 Aug 2022." in shown, (channel, shown[:600])


def test_a_kind_no_channel_was_taught_fails_loudly() -> None:
    with pytest.raises(KeyError, match="not in bot.decide.kinds.KINDS"):
        render(make_alert(kind="not-a-kind"))


@pytest.mark.parametrize(("said_by", "where", "says"), [
    ("Lord Murray of Blidworth", "Written answer HL9622", "Said by Lord Murray of Blidworth, 22 Nov 2026."),
    (None, "Written answer HL9620", "Given in Written answer HL9620, 22 Nov 2026."),
    (None, None, "Recorded on 22 Nov 2026; who said it is not recorded."),
], ids=["speaker", "source-only", "neither"])
def test_a_slip_names_who_gave_the_new_words_and_never_says_said_by_a_date(said_by: str | None, where: str | None,
                                                                          says: str) -> None:
    """SPEC §7.2: "Said by 22 Nov 2026." put a date where a person belongs when a slip named no one."""
    from bot.decide.alerts import PromiseView

    first = PromiseView("2022-02-21", "end August", "1 Aug – 31 Aug 2022", "2022-08-31", "Lord Sharpe of Epsom")
    moved = PromiseView("2026-11-22", "spring 2027", "1 Mar – 31 May 2027", "2027-05-31", said_by, where)
    alert = make_alert(kind="slipped", promises=(first, moved), deadline="2027-05-31", slips=1)
    headline, rest = kind("slipped").says(alert, lambda iso: datetime.fromisoformat(iso).strftime("%-d %b %Y"))
    assert headline == "The deadline moved from 31 Aug 2022 to 31 May 2027."
    assert rest == " " + says
    assert "Said by 2" not in render(alert)


def test_an_alert_is_stored_as_asdict_would_store_it_and_read_back_the_same() -> None:
    """Alert.to_dict skips asdict's deep copy for speed; it must still give asdict's dict, nested
    views included, and from_dict must read it back to an equal alert."""
    import json
    from dataclasses import asdict

    from bot.decide.alerts import Alert, ChaseView, LeadView
    from bot.decide.correction import WithdrawnView

    lead = LeadView(7, "Found", "https://example.org/f", "2026-11-20", "govuk", "A snippet",
                    (("mvp", "Implement the protocol"), ("other", "Another")))
    for alert in (make_alert(), make_alert(kind="lead", lead=lead),
                  make_alert(kind="reply-overdue", chase=ChaseView("2026-11-02", "letter", "L-12", "Home Secretary",
                                                                   "2026-11-25", "Asked when")),
                  make_alert(kind="withdrawn", withdrawn=WithdrawnView("2026-11-23", "Now spring 2027", "2026-11-24",
                                                                      "spring 2027", "A. Minister", why="typo"))):
        assert alert.to_dict() == asdict(alert)
        assert Alert.from_dict(json.loads(json.dumps(alert.to_dict()))) == alert


def test_each_kind_names_a_digest_section_the_digest_has_or_none() -> None:
    """A kind's `section` is the digest section that lists the same news, whose cards take the
    kind's colour; the digest is built from states and events, not from alerts, so a kind the
    digest has no section for says None. `reply-overdue` said "chased", which no digest has."""
    from bot.decide.digest import ALL_SECTIONS

    sections = {key for key, _ in ALL_SECTIONS}
    assert {n: k.section for n, k in KINDS.items() if k.section is not None and k.section not in sections} == {}


def test_a_new_kind_is_one_module_and_one_registry_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's "How to add a kind of alert", done by a test: a kind known only to the registry
    is decided by the engine, asked by the quiet windows and held alerts, and said in its own words
    (and, in mail, its own colour) by the console, Slack, email and Teams. (The digest lists states
    and events, not alerts: a kind reaches it only through a section, as the recipe says.)"""
    from bot.decide import engine, held, horizon, kinds
    from bot.decide.kinds.base import Due, Kind, Moment, same
    from bot.decide.sent import Sent, SentIndex

    class Nudge:  # due once, when a deadline has lapsed
        def due(self, m: Moment) -> list[Due]:
            key = m.ident("nudge", m.track.deadline)
            return [Due(key, deadline=m.track.deadline)] if m.state == "lapsed" and key not in m.index.idents else []

        def next_change(self, m: Moment) -> datetime | None:
            return m.now if m.state == "lapsed" and m.ident("nudge", m.track.deadline) not in m.index.idents else None

        def still_true(self, kind_deadline: object, state: str, deadline: object) -> bool:
            return state == "lapsed"

    nudge = Kind("nudge", "👋", "#123456", None, same("Nudged"), lambda a, day: ("Nudged", f" about {a.title}."), Nudge())
    decided = (*kinds.DECIDED, nudge)
    monkeypatch.setitem(kinds.KINDS, "nudge", nudge)
    for module in (kinds, engine, horizon):
        monkeypatch.setattr(module, "DECIDED", decided)

    loaded = load_texts([("c.yaml", EVERY_KIND)])
    assert loaded.register is not None
    now = datetime(2022, 9, 9, 9, tzinfo=ZoneInfo("Europe/London"))
    decisions = decide(loaded.register, {}, [], now)
    nudged = [d for d in decisions if d.kind == "nudge"]
    assert [d.commitment_id for d in nudged] == ["lapse"]
    lapse = next(c for c in loaded.register.commitments if c.id == "lapse")
    sent = [Sent(d.ident, d.commitment_id, d.kind, d.period, d.deadline, d.n, now) for d in decisions]
    assert horizon.quiet_until(lapse, (), now, SentIndex([s for s in sent if s.kind != "nudge"], now), None) == now
    assert horizon.quiet_until(lapse, (), now, SentIndex(sent, now), None) != now  # told: the window may close
    holding = [held.HeldAlert(1, "lapse", "nudge", None, date(2022, 8, 31), "slack:#mvp-watch", nudged[0].ident)]
    assert held.settle(loaded.register, {}, now, {}, holding) == ({1}, set())
    alert = nudged[0].alert
    for channel, show in CHANNELS.items():
        assert "nudged" in show(alert).lower(), channel
    html = mail(mail_setup(Settings(email_from="bot@example.org")), "a@example.org", [alert]).get_body(("html",))
    assert "#123456" in html.get_content()  # type: ignore[union-attr]


def test_a_new_kind_that_repeats_per_deadline_is_counted_per_deadline_by_its_rule_alone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A kind that repeats for each deadline, as a lapse does, asks what was sent about its deadline;
    what was sent answers it with no edit elsewhere (bot.decide.sent named "lapsed" as the one kind
    counted per deadline, so such a kind was told once and never again)."""
    from datetime import timedelta

    from bot.decide import engine, kinds
    from bot.decide.kinds.base import Kind, Moment, same
    from bot.decide.sent import Sent

    class Nag:  # while a deadline has lapsed: once, then every 7 days, counted for that deadline
        def due(self, m: Moment) -> list[Due]:
            deadline = m.track.deadline
            if m.state != "lapsed" or deadline is None:
                return []
            last = m.index.latest("nag", m.track, deadline)
            if last is not None and m.now < last.at + timedelta(days=7):
                return []
            n = (last.n or 0) + 1 if last else 1
            key = m.ident("nag", deadline, n)
            return [] if key in m.index.idents else [Due(key, n, deadline)]

        def next_change(self, m: Moment) -> datetime | None:
            return None

        def still_true(self, kind_deadline: object, state: str, deadline: object) -> bool:
            return state == "lapsed" and deadline == kind_deadline

    nag = Kind("nag", "🔁", "#123456", None, same("Nagged"), lambda a, day: ("Nagged", f" about {a.title}."), Nag(),
               reminder=True)
    monkeypatch.setitem(kinds.KINDS, "nag", nag)
    monkeypatch.setattr(engine, "DECIDED", (*kinds.DECIDED, nag))
    loaded = load_texts([("c.yaml", EVERY_KIND)])
    assert loaded.register is not None
    sent: list[Sent] = []
    told = []
    for day in (9, 12, 16, 23):  # 7 days after the first, and 7 after that
        now = datetime(2022, 9, day, 9, tzinfo=ZoneInfo("Europe/London"))
        decisions = [d for d in decide(loaded.register, {}, sent, now) if d.kind == "nag" and d.commitment_id == "lapse"]
        sent += [Sent(d.ident, d.commitment_id, d.kind, d.period, d.deadline, d.n, now) for d in decisions]
        told += [(day, d.n) for d in decisions]
    assert told == [(9, 1), (16, 2), (23, 3)]


def test_a_held_alert_of_a_kind_a_person_decides_is_true_while_nobody_has(monkeypatch: pytest.MonkeyPatch) -> None:
    """`until_decided` in a kind's entry, not its name, says that a held one stays true only while
    nobody has confirmed or dismissed what it is about, as a lead's does (SPEC §6.5)."""
    from bot.decide import held, kinds
    from bot.decide.kinds.base import Kind, same
    from bot.decide.sent import ident

    tip = Kind("tip", "💡", "#123456", None, same("Tip"), until_decided=True)
    monkeypatch.setitem(kinds.KINDS, "tip", tip)
    loaded = load_texts([("c.yaml", EVERY_KIND)])
    assert loaded.register is not None
    now = datetime(2022, 9, 9, 9, tzinfo=ZoneInfo("Europe/London"))
    url = "https://example.org/tip"
    holding = [held.HeldAlert(1, "lapse", "tip", None, None, "slack:#mvp-watch", ident("tip", "lapse", None, url))]
    assert held.awaiting_decision(holding) == [url]
    assert held.settle(loaded.register, {}, now, {}, holding, open_leads=[url]) == ({1}, set())
    assert held.settle(loaded.register, {}, now, {}, holding, open_leads=[]) == (set(), {1})
    assert kind("lead").until_decided


def test_a_new_kind_whose_rule_reports_an_update_is_told_as_of_that_update(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 23, second review: only kinds named "slipped", "news" and "reopened" were told as of the
    update they report, so a new kind reporting a slip, decided in the run that also saw a later
    slip, said the later date. What an alert is told as of comes from its kind's rule (the update
    its `Due` reports), not from its name."""
    from bot.decide import engine, kinds
    from bot.decide.kinds.base import Kind, Moment, same
    from bot.decide.kinds.told import News

    class Moved(News):  # each slip, told once
        def due(self, m: Moment) -> list[Due]:
            return [Due(m.ident("moved", s.update.key), deadline=s.after.deadline, about=s.update) for s in m.slips]

    moved = Kind("moved", "➡️", "#123456", None, same("Moved"), lambda a, day: ("Moved", f" to {a.deadline}."),
                 Moved())
    monkeypatch.setitem(kinds.KINDS, "moved", moved)
    monkeypatch.setattr(engine, "DECIDED", (*kinds.DECIDED, moved))
    loaded = load_texts([("c.yaml", REGISTER + """\
  - id: twice
    title: Lay the regulations
    owner: Home Office
    made_on: 2022-01-01
    due: end of 2022
    updates:
      - {date: 2022-09-05, note: Not this year, due: spring 2023}
      - {date: 2022-09-06, note: Nor in spring, due: summer 2023}
""")])
    assert loaded.register is not None
    now = datetime(2022, 9, 9, 9, tzinfo=ZoneInfo("Europe/London"))
    told = [d.alert for d in decide(loaded.register, {}, [], now) if (d.kind, d.commitment_id) == ("moved", "twice")]
    assert [(a.last_update.on if a.last_update else None, a.deadline, len(a.promises), a.slips) for a in told] == [
        ("2022-09-05", "2023-05-31", 2, 1), ("2022-09-06", "2023-08-31", 3, 2)]


WITHDRAWN = "Dropped from the King's Speech"


def _withdrawn(monkeypatch: pytest.MonkeyPatch) -> Alert:
    """An alert of a kind only these tests know, made as the README's recipe makes one: one rule
    and one entry of words. Like `closed`, it reports one recorded update (its rule is news) and
    says the commitment is closed; Slack also shows its thread reply in the channel."""
    from bot.decide import kinds
    from bot.decide.kinds.base import Kind, Moment, same
    from bot.decide.kinds.told import News

    class Withdrawn(News):
        def due(self, m: Moment) -> list[Due]:
            return []  # what is due is the nudge test's business; here, only what channels show

    withdrawn = Kind("withdrawn", "🚫", "#654321", None, same("Withdrawn"),
                     lambda a, day: ("Withdrawn", f" on {day(a.last_update.on)}."), Withdrawn(),
                     closes=True, broadcast=True)
    monkeypatch.setitem(kinds.KINDS, "withdrawn", withdrawn)
    return make_alert(kind="withdrawn", status="dropped", days_overdue=0,
                      last_update=UpdateView("2022-09-05", WITHDRAWN, "Jo", "dropped", "https://example.org/speech"))


def test_a_new_kind_is_shown_by_its_entry_alone_in_every_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 23 item 2: everything a channel decides by kind is read from the kind's entry. A
    closing kind no file but its own was told of: no channel asks to record what happened, Slack
    offers only "Record update", a summary quotes the update it reports, its facts give no days
    past, and the Slack app counts its thread as told of the update."""
    from dataclasses import replace

    from bot.decide import facts, words
    from bot.shell.slackapp.recorder import tells
    from notifiers.slack.summary import summary_note

    alert = _withdrawn(monkeypatch)
    for channel, show in CHANNELS.items():
        shown = show(alert).lower()
        assert "withdrawn" in shown, channel
        assert "record what happened" not in shown, channel
    html = mail(mail_setup(Settings(email_from="bot@example.org")), "a@example.org", [alert]).get_body(("html",))
    assert "#654321" in html.get_content()  # type: ignore[union-attr]
    assert "Record what happened" not in html.get_content()  # type: ignore[union-attr]
    buttons = [b for b in slack_message(alert, interactive=True).blocks if b["type"] == "actions"]
    assert [e["text"]["text"] for b in buttons for e in b["elements"]] == ["Record update"]
    assert summary_note(alert) == f" · “{WITHDRAWN}”"
    past = words.of(alert.type).past_label
    assert past not in dict(facts.fields(alert, str))  # none past: "Days overdue 0" is never said, by any kind
    assert past not in dict(facts.fields(replace(alert, kind="lapsed"), str))
    assert dict(facts.fields(replace(alert, days_overdue=3), str))[past] == "3"
    assert tells("withdrawn|mvp||2022-09-05#1", "2022-09-05#1")
    assert not tells("heads-up|mvp||2022-09-05#1", "2022-09-05#1")


def test_a_new_kind_says_in_its_entry_whether_slack_shows_its_reply_in_the_channel(
        monkeypatch: pytest.MonkeyPatch, slack: SlackState, tmp_path: Path) -> None:
    """`broadcast`: a reply in the commitment's thread is also shown in the channel, as a closing is."""
    from notifiers.base import Delivery
    from notifiers.slack.notifier import Patience, SlackNotifier
    from notifiers.slack.transport import client as bounded
    from storage.db import connect
    from storage.slack_threads import SlackThreads

    threads = SlackThreads(connect(f"sqlite:///{tmp_path / 'bot.db'}"))
    alert = _withdrawn(monkeypatch)
    for row in (Delivery(1, "slack:#mvp-watch", make_alert(), "lapsed|mvp||2022-08-31|1"),
                Delivery(2, "slack:#mvp-watch", alert, "withdrawn|mvp||2022-09-05#1")):
        notifier = SlackNotifier(bounded(TOKEN, slack.url, 5.0), threads, Patience(min_interval=0, timeout=5.0, budget=5))
        for outcome in notifier.deliver("slack:#mvp-watch", [row]):
            assert outcome.ok, outcome.error
            if outcome.anchor is not None:
                threads.put(outcome.anchor, datetime(2022, 9, 9, 9, tzinfo=ZoneInfo("UTC")))
    parent, reply = message_for(slack, "mvp", "lapsed"), message_for(slack, "mvp", "withdrawn")
    assert (reply.thread_ts, reply.reply_broadcast, parent.reply_broadcast) == (parent.ts, True, False)


REPO = Path(__file__).resolve().parent.parent
RENDERERS = ("notifiers", "bot/decide/facts.py", "bot/shell/slackapp",  # every channel, and the facts beside an alert
             # and what asks the table of kinds besides: what was sent, held alerts, the check
             "bot/decide/engine.py", "bot/decide/horizon.py", "bot/decide/sent.py", "bot/decide/held.py",
             "bot/shell/service.py", "bot/decide/alerts.py")  # and what makes an alert of a kind
NOT_ALERTS = {"notifiers/email/report.py": "the trustees' report lists the register's events, not alerts"}


def _kind_names(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)} & set(KINDS)


def test_no_renderer_decides_by_the_name_of_a_kind() -> None:
    """Issue 23 item 2: a new kind is one rule, one entry of words and its tests. A renderer that
    compared an alert's kind with a name, or kept its own set of names (as Slack once kept the kinds
    that announce an update, twice), would need an edit for every new kind: what it decides is a
    property of the kind's entry (bot.decide.kinds.base.Kind) instead."""
    found = []
    for root in RENDERERS:
        paths = [REPO / root] if root.endswith(".py") else sorted((REPO / root).rglob("*.py"))
        for path in paths:
            where = path.relative_to(REPO).as_posix()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Compare) and any(isinstance(side, ast.Attribute) and side.attr == "kind"
                                                         for side in (node.left, *node.comparators)):
                    found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
                elif isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(_kind_names(node)) > 1 \
                        and where not in NOT_ALERTS:
                    found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
    for path in sorted((REPO / "notifiers").rglob("templates/*")):
        for m in re.finditer(r"(\w+)\.kind\s*(?:==|!=|\bnot in\b|\bin\b)([^%}]*)", path.read_text(encoding="utf-8")):
            if m.group(1) == "alert" or set(re.findall(r"[\"']([\w-]+)[\"']", m.group(2))) & set(KINDS):
                found.append(f"{path.relative_to(REPO)}: {m.group(0)}")
    assert found == []
