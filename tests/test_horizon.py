"""Quiet windows never hide an alert: inside one, `decide` decides nothing for that commitment.

Random registers (every kind of due phrase, open-ended and recurring promises, slips, closures,
future-dated updates, varied policies) are checked at random instants, recording what is
decided as a cron job would; at every step the windows stored by the step before are held
to the full `decide`. Windows are kept the way `bot.shell.service.check` keeps them: a quiet
commitment's window is carried forward, not computed again.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from bot.decide.engine import Sent, decide
from bot.decide.horizon import horizons, is_quiet
from bot.register.model import Update
from tests.engine_helpers import LONDON, not_after, register

PHRASES = ["end August", "autumn 2022", "in the summer", "early 2023", "2022-23", "later this year",
           "by Christmas 2022", "within six months", "medium-term", "in due course", "31 March 2024",
           "before autumn 2023", "spring 2025", "2024-06-30", "next financial year"]
LATER = ["spring 2024", "autumn 2024", "winter 2024", "in due course", "2025-03-31", "summer 2023"]


def _day(rnd: random.Random, start: date, span: int) -> date:
    return start + timedelta(days=rnd.randint(0, span))


def _commitment(rnd: random.Random, i: int) -> str:
    made = _day(rnd, date(2021, 6, 1), 700)
    lines = [f"  - id: c-{i}", f"    title: Promise {i}", "    owner: Home Office", f"    made_on: {made}"]
    updates = []
    if rnd.random() < 0.2:
        lines += [f"    due: {made.year}-{(made.year + 1) % 100:02d}", "    recurs: financial-year"]
        for year in range(made.year, 2027):  # most turns paid, some late or never
            if rnd.random() < 0.7:
                updates.append(f"{{date: {_day(rnd, date(year + 1, 1, 1), 150)}, note: Paid, "
                               f"period: {year}-{(year + 1) % 100:02d}, status: delivered, "
                               'source: {url: "https://example.org/p"}}')
    elif rnd.random() < 0.9:
        phrase = rnd.choice(PHRASES)
        made = not_after(phrase, made)  # words over before they were said are refused as a typo
        lines[3] = f"    made_on: {made}"
        lines.append(f"    due: {phrase}")
    lines += [f"    grace: {rnd.randint(0, 10)} days", f"    remind_every: {rnd.choice([7, 30, 45])} days",
              f"    heads_up: {rnd.choice([0, 7, 14, 30])} days", f"    check_in: {rnd.choice([1, 3, 6])} months"]
    for _ in range(rnd.choice([0, 0, 1, 2, 3])):
        on = _day(rnd, made, 1500)  # many of them lie ahead of the instants checked
        item = f"{{date: {on}, note: News {i}"
        if rnd.random() < 0.5 and not_after(later := rnd.choice(LATER), on) == on:
            item += f", due: {later}"
        if rnd.random() < 0.15:
            item += ', status: delivered, source: {url: "https://example.org/e"}'
        updates.append(item + "}")
    if updates:
        lines.append("    updates:")
        lines += [f"      - {u}" for u in updates]
    return "\n".join(lines) + "\n"


def _instants(rnd: random.Random) -> list[datetime]:
    t, out = datetime(2022, 1, 3, 9, 0, tzinfo=LONDON), []
    while t.year < 2027:
        t += timedelta(hours=rnd.choice([1, 6, 24, 24, 24 * 3, 24 * 10, 24 * 40]))
        out.append(t)
    return out


@pytest.mark.parametrize("seed", range(8))
def test_a_quiet_window_never_hides_an_alert(seed: int) -> None:
    rnd = random.Random(seed)
    reg = register("".join(_commitment(rnd, i) for i in range(40)))
    first_seen = {c.id: datetime(2022, 1, 1, tzinfo=LONDON) for c in reg.commitments}
    recorded: dict[str, list[Update]] = {}
    sent: list[Sent] = []
    windows: dict[str, tuple[float, float | None]] = {}
    quiet_steps = woken = 0
    for now in _instants(rnd):
        if rnd.random() < 0.02:  # someone records an update: the shell drops every window
            c = rnd.choice(reg.commitments)
            recorded.setdefault(c.id, []).append(
                Update(f"db:{len(sent)}", now.date(), "Recorded", None, None, None, None, None, None))
            windows = {}
        decisions = decide(reg, recorded, sent, now, first_seen)  # everything, to hold the windows to
        quiet = {c.id for c in reg.commitments if is_quiet(windows.get(c.id), now)}
        for c in reg.commitments:
            if c.id in quiet:
                quiet_steps += 1
                hidden = [(d.kind, d.ident) for d in decisions if d.commitment_id == c.id]
                assert not hidden, f"seed {seed}, {now}: {c.id} was quiet but decide said {hidden}"
            elif windows.get(c.id) and any(d.commitment_id == c.id for d in decisions):
                woken += 1  # a window ended and the alert it was waiting for came
        sent += [Sent(d.ident, d.commitment_id, d.kind, d.period, d.deadline, d.n, now) for d in decisions]
        active = replace(reg, commitments=tuple(c for c in reg.commitments if c.id not in quiet))
        windows = {**windows, **horizons(active, recorded, sent, now, first_seen)}  # as bot.shell.service keeps them
    assert quiet_steps > 1000 and woken > 10  # the windows were used and did end: not a vacuous pass


def test_every_instant_of_a_lapsed_promise_is_foreseen() -> None:
    """The windows end exactly when the next alert is due, not merely at some earlier time."""
    reg = register("""\
  - id: lapse
    title: Implement the protocol
    owner: Home Office
    made_on: 2022-02-21
    due: end August
""")
    seen = {"lapse": datetime(2022, 1, 1, tzinfo=LONDON)}
    now = datetime(2022, 8, 1, 9, 0, tzinfo=LONDON)
    until = horizons(reg, {}, [], now, seen)["lapse"][1]
    assert until == datetime(2022, 8, 18, tzinfo=LONDON).timestamp()  # heads-up: 14 days before 1 Sep
    heads_up = datetime(2022, 8, 18, 9, 0, tzinfo=LONDON)
    sent = [Sent(d.ident, d.commitment_id, d.kind, d.period, d.deadline, d.n, heads_up)
            for d in decide(reg, {}, [], heads_up, seen)]
    assert [s.kind for s in sent] == ["heads-up"]
    assert horizons(reg, {}, sent, heads_up, seen)["lapse"][1] == datetime(2022, 9, 8, tzinfo=LONDON).timestamp()



def test_the_rules_version_follows_the_kinds_and_their_code(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Stored windows hold only for the rules they were worked out by (storage.windows). That version
    was a number bumped by hand, and a kind added without a bump went unnoticed (issue 23 item 2):
    it is a digest of the decided kinds' names and of the code of their rules and of the engine, so
    a kind added, or a rule edited, voids the stored windows by itself."""
    import importlib

    from bot.decide import horizon
    from bot.decide.kinds import DECIDED
    from bot.decide.kinds.base import Kind, same

    assert horizon.rules(DECIDED) == horizon.RULES
    assert {type(k.rule).__module__ for k in DECIDED} | {"bot.decide.kinds.told", "bot.decide.engine"} \
        <= set(horizon.ruled_by(DECIDED))

    (tmp_path / "nudges").mkdir()
    (tmp_path / "nudges" / "__init__.py").write_text("")
    module = tmp_path / "nudges" / "nudging.py"  # a kind's rule lives in a package, as the bot's do
    module.write_text("class Nudge:\n    def due(self, m):\n        return []\n")
    monkeypatch.syspath_prepend(str(tmp_path))  # where the digest finds its code, as it finds the bot's
    nudging = importlib.import_module("nudges.nudging")
    nudge = Kind("nudge", "👋", "#123456", None, same("Nudged"), rule=nudging.Nudge())
    added = horizon.rules((*DECIDED, nudge))
    assert added != horizon.RULES  # a kind added
    module.write_text("class Nudge:\n    def due(self, m):\n        return [1]\n")
    assert horizon.rules((*DECIDED, nudge)) not in (added, horizon.RULES)  # its rule edited


# What the decisions follow beyond the engine's own modules and the kinds' rules (second review, issue 23).
FOLLOWED = ["bot.decide.kinds.base",  # Moment.fresh: whether news was told
            "bot.register.questions",  # LOOK_BACK: how far back a written question is looked for
            "bot.when.durations",  # grace, remind_every: when a lapse is due and repeats
            "bot.when.recurrence",  # when the next occurrence of a series begins
            "bot.when.calendars.bank_holidays.csv"]  # a table the core ships


def test_the_rules_version_covers_every_module_deciding_loads() -> None:
    """The stored windows' rules version digests every file of the pure core, not only the modules
    named as the engine's: every module that deciding, the quiet windows and held alerts load is in it."""
    import subprocess
    import sys

    from bot.decide import horizon
    from bot.decide.kinds import DECIDED

    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, bot.decide.engine, bot.decide.horizon, bot.decide.held\n"
         "print(' '.join(m for m in sys.modules if m == 'bot' or m.startswith('bot.')))"],
        capture_output=True, text=True, check=True).stdout.split()
    digested = set(horizon.ruled_by(DECIDED))
    assert "bot.when.durations" in loaded
    assert set(loaded) <= digested, set(loaded) - digested
    assert set(FOLLOWED) <= digested
    assert not any(name.startswith("bot.shell") for name in digested)  # the shell decides nothing


@pytest.mark.parametrize("name", FOLLOWED)
def test_a_change_to_what_the_decisions_follow_voids_the_stored_windows(tmp_path, name: str) -> None:  # type: ignore[no-untyped-def]
    """Editing any file the decisions follow changes the rules version, so no stored window worked
    out by the old code outlives it (README: "a change to any of them can never leave a stale quiet
    window behind"); editing the shell does not."""
    import shutil
    from importlib.resources import files

    from bot.decide import horizon
    from bot.decide.kinds import DECIDED

    copy = tmp_path / "bot"
    shutil.copytree(str(files("bot")), copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert horizon.rules(DECIDED, copy) == horizon.RULES  # the same files: the same version
    (copy / "shell" / "service.py").write_text("# the shell edited\n", encoding="utf-8", newline="\n")
    assert horizon.rules(DECIDED, copy) == horizon.RULES
    edited = dict(horizon.core_files(copy))[name]
    edited.write_bytes(edited.read_bytes() + b"\n")
    assert horizon.rules(DECIDED, copy) != horizon.RULES
