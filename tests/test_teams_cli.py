"""Microsoft Teams end to end (SPEC §7.8, issue 23 item 6): `commitment-bot check` with a register
routing to `teams: [advocacy]` and TEAMS_WEBHOOK_ADVOCACY pointing at the local Workflows webhook
(bot/shell/sandbox/teams.py); held alerts; `teams test`; the secret never printed; and the proof that
a channel is one package plus one registry line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.shell.sandbox.teams import Fault, TeamsState, text_of
from tests.conftest import Cli
from tests.standins import EXPECTED, NOW, running_teams, teams_env  # noqa: F401 - the fixture
from tests.standins import REGISTER as EVERY_KIND
from tests.test_teams_delivery import secrets_of
from tests.test_timetravel import REGISTER as TWO

ROOT = Path(__file__).resolve().parent.parent
REGISTER = EVERY_KIND.replace('slack: ["#commitments"]', "teams: [advocacy]").replace('slack: ["#mvp-watch"]',
                                                                                          "teams: [advocacy]")
MVP_ONLY = TWO.split("  - id: safeguards")[0].replace('slack: ["#mvp-watch"]', "teams: [advocacy]")


def check(cli: Cli, file: Path, db: str, now: str, env: dict[str, str] | None = None, *extra: str):  # type: ignore[no-untyped-def]
    return cli("check", "--file", str(file), "--database", db, "--now", now, *extra, env=env)


def headlines(teams: TeamsState) -> list[str]:
    return sorted(text_of(c).splitlines()[0] for c in teams.cards("advocacy"))


def test_check_delivers_each_alert_once_and_a_rerun_sends_nothing_twice(
        cli: Cli, write_register, database_url: str, teams: TeamsState) -> None:  # type: ignore[no-untyped-def]
    file = write_register(REGISTER)
    env = teams_env(teams)
    first = check(cli, file, database_url, NOW, env, "--json")
    assert first.exit_code == 0, first.output
    notes = json.loads(first.stdout)["notifications"]
    assert {(n["id"], n["kind"]) for n in notes} == EXPECTED
    assert all(n["targets"] == ["teams:advocacy"] for n in notes)
    assert headlines(teams) == sorted(["⏳ Due soon: Publish the review", "🔴 Lapsed: <!channel> & <http://evil|click>",
                                       "↪️ Slipped: Finalise the protocol", "📭 Gone silent: Review the scheme",
                                       "✅ Closed — delivered: Fund the service"])
    for again in (NOW, "2022-09-09T18:00", "2022-09-10T09:00"):
        rerun = check(cli, file, database_url, again, env, "--json")
        assert rerun.exit_code == 0 and json.loads(rerun.stdout)["notifications"] == []
    assert len(teams.cards("advocacy")) == 5 and len(teams.posts) == 5


def test_a_429_then_success_delivers_once(cli: Cli, write_register, sqlite_url: str, teams: TeamsState) -> None:  # type: ignore[no-untyped-def]
    file = write_register(MVP_ONLY)
    teams.fail(Fault(status=429, retry_after=1))
    result = check(cli, file, sqlite_url, "2022-09-08T09:00", teams_env(teams))
    assert result.exit_code == 0, result.output
    assert [p.status for p in teams.posts] == [429, 202]
    assert headlines(teams) == ["🔴 Lapsed: Implement the Migrant Victim Protocol"]
    assert check(cli, file, sqlite_url, "2022-09-08T10:00", teams_env(teams)).exit_code == 0
    assert len(teams.cards("advocacy")) == 1


def test_alerts_for_teams_before_it_is_configured_are_held_then_the_current_ones_delivered(
        cli: Cli, write_register, sqlite_url: str, teams: TeamsState) -> None:  # type: ignore[no-untyped-def]
    file = write_register(MVP_ONLY)
    first = check(cli, file, sqlite_url, "2022-08-18T09:00", None, "--json")  # heads-up: nothing configured
    assert first.exit_code == 0, first.output
    (note,) = json.loads(first.stdout)["notifications"]
    assert (note["kind"], note["targets"], note["held"]) == ("heads-up", ["console"], ["teams:advocacy"])
    assert "held until configured: teams:advocacy" in first.stderr
    assert check(cli, file, sqlite_url, "2022-09-08T09:00").exit_code == 0  # lapsed: held too
    status = cli("status", "--file", str(file), "--database", sqlite_url, "--now", "2022-09-08T10:00")
    assert "2 alert(s) held" in status.output and "teams:advocacy: 2" in status.output

    configured = check(cli, file, sqlite_url, "2022-09-09T09:00", teams_env(teams))
    assert configured.exit_code == 0, configured.output
    assert headlines(teams) == ["🔴 Lapsed: Implement the Migrant Victim Protocol"]  # not the stale heads-up
    assert check(cli, file, sqlite_url, "2022-09-09T10:00", teams_env(teams)).exit_code == 0
    assert len(teams.cards("advocacy")) == 1


def test_a_teams_name_without_its_variable_is_held_like_an_unconfigured_channel(
        cli: Cli, write_register, sqlite_url: str, teams: TeamsState) -> None:  # type: ignore[no-untyped-def]
    """Configured is per NAME (SPEC §7.8, §6.5): with only TEAMS_WEBHOOK_ADVOCACY set, alerts for
    "Policy team 2" are held, not failed, and the current ones go out once its variable is set."""
    file = write_register(MVP_ONLY.replace("teams: [advocacy]", 'teams: [advocacy, "Policy team 2"]'))
    teams.add_webhook("policy")
    first = check(cli, file, sqlite_url, "2022-08-18T09:00", teams_env(teams), "--json")  # heads-up
    assert first.exit_code == 0, first.output
    (note,) = json.loads(first.stdout)["notifications"]
    assert (note["targets"], note["held"]) == (["teams:advocacy", "console"], ["teams:Policy team 2"])
    assert "held until configured: teams:Policy team 2" in first.stderr and "not delivered" not in first.stderr
    assert check(cli, file, sqlite_url, "2022-09-08T09:00", teams_env(teams)).exit_code == 0  # lapsed: held too
    status = cli("status", "--file", str(file), "--database", sqlite_url, "--now", "2022-09-08T10:00",
                 env=teams_env(teams))
    assert "2 alert(s) held" in status.output and "teams:Policy team 2: 2" in status.output
    assert "TEAMS_WEBHOOK_POLICY_TEAM_2" in status.output and "set TEAMS_WEBHOOK_POLICY_TEAM_2 (see README)" in first.stderr
    assert "could not be delivered" not in status.output and "tries:" not in status.output

    env = teams_env(teams, TEAMS_WEBHOOK_POLICY_TEAM_2=teams.url_of("policy"))
    configured = check(cli, file, sqlite_url, "2022-09-09T09:00", env)
    assert configured.exit_code == 0, configured.output
    policy = [text_of(c).splitlines()[0] for c in teams.cards("policy")]
    assert policy == ["🔴 Lapsed: Implement the Migrant Victim Protocol"]  # not the stale heads-up
    assert check(cli, file, sqlite_url, "2022-09-09T10:00", env).exit_code == 0
    assert len(teams.cards("policy")) == 1 and len(teams.cards("advocacy")) == 2


def test_a_refused_webhook_is_named_in_check_and_status_without_its_url(
        cli: Cli, write_register, sqlite_url: str, teams: TeamsState) -> None:  # type: ignore[no-untyped-def]
    file = write_register(MVP_ONLY)
    env = teams_env(teams)
    teams.hook("advocacy").deleted = True
    failed = check(cli, file, sqlite_url, "2022-09-08T09:00", env)
    assert failed.exit_code == 3
    reason = ("the Teams webhook for advocacy was refused (404): the Workflow was deleted or its URL changed — set "
              "TEAMS_WEBHOOK_ADVOCACY again")
    assert f"not delivered: teams:advocacy: {reason}" in failed.stderr
    status = cli("status", "--file", str(file), "--database", sqlite_url, "--now", "2022-09-08T10:00", env=env)
    assert reason in status.output
    for secret in secrets_of(env["TEAMS_WEBHOOK_ADVOCACY"]):
        assert secret not in failed.output and secret not in status.output
    teams.hook("advocacy").deleted = False  # someone fixes the Workflow: the kept alert goes out
    assert check(cli, file, sqlite_url, "2022-09-08T11:00", env).exit_code == 0
    assert headlines(teams) == ["🔴 Lapsed: Implement the Migrant Victim Protocol"]


# -- teams test ---------------------------------------------------------------------------------
def test_teams_test_posts_a_card(cli: Cli, teams: TeamsState) -> None:
    result = cli("teams", "test", "advocacy", env=teams_env(teams))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("posted a test card to advocacy (TEAMS_WEBHOOK_ADVOCACY); Teams accepted it")
    assert "👋 commitment-bot is set up" in text_of(teams.cards("advocacy"))


TEST_PROBLEMS = [
    pytest.param({"TEAMS_WEBHOOK_ADVOCACY": ""}, None, 1, "error: TEAMS_WEBHOOK_ADVOCACY is not set: in Teams, add the "
                 "Workflow", id="unset"),
    pytest.param({"TEAMS_WEBHOOK_ADVOCACY": "http://example.org/workflows/x"}, None, 1,
                 "error: TEAMS_WEBHOOK_ADVOCACY starts with http://, not https:// — copy the URL again", id="http"),
    pytest.param({"TEAMS_WEBHOOK_ADVOCACY": "https://example.org/x?a=1&amp;sig=2"}, None, 1,
                 'error: TEAMS_WEBHOOK_ADVOCACY has "&amp;" where "&" belongs', id="html-escaped"),
    pytest.param({}, "deleted", 1, "error: the Teams webhook for advocacy was refused (404): the Workflow was deleted",
                 id="deleted"),
    pytest.param({"TEAMS_RETRY_BUDGET_SECONDS": "0"}, Fault(status=503, times=5), 3,  # the seconds spent vary with load
                 re.compile(r"error: Teams kept failing \(HTTP 503\) for \d+\.\ds \(1 try\); another try, 0\.5s on, "
                            r"would pass the retry budget \(TEAMS_RETRY_BUDGET_SECONDS\); nothing was posted; try again "
                            r"later"), id="down"),
    pytest.param({}, Fault(lands="never"), 3, "error: the connection to Teams failed ", id="no-answer"),
]


@pytest.mark.parametrize(("env", "trouble", "code", "says"), TEST_PROBLEMS)
def test_teams_test_explains_what_is_wrong(cli: Cli, teams: TeamsState, env: dict[str, str], trouble: object,
                                           code: int, says: str | re.Pattern[str]) -> None:
    if trouble == "deleted":
        teams.hook("advocacy").deleted = True
    elif isinstance(trouble, Fault):
        teams.fail(trouble)
    full = {**teams_env(teams), **env}
    result = cli("teams", "test", "advocacy", env=full)
    first = result.output.split("\n")[0]
    if isinstance(says, re.Pattern):
        assert result.exit_code == code and says.match(first), result.output
    else:
        assert (result.exit_code, first[:len(says)]) == (code, says), result.output
    for secret in secrets_of(teams_env(teams)["TEAMS_WEBHOOK_ADVOCACY"]):
        assert secret not in result.output


def test_teams_test_says_at_once_when_nothing_answers_at_the_webhooks_address(cli: Cli, teams: TeamsState) -> None:
    """Issue 26, second review: a webhook URL pointing where nothing listens (a closed port, a host
    that does not resolve) was retried for 23.5s and ended "try again later", though no retry could
    help: a setup check says at once that nothing answered at that host and port, naming neither the
    URL's path nor its signature. Delivery's retries for real sends are unchanged."""
    import socket
    import time

    with socket.socket() as probe:  # a port nothing listens on once this closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = re.sub(r"^http://127\.0\.0\.1:\d+", f"http://127.0.0.1:{port}", teams_env(teams)["TEAMS_WEBHOOK_ADVOCACY"])
    started = time.monotonic()
    result = cli("teams", "test", "advocacy", env={**teams_env(teams), "TEAMS_WEBHOOK_ADVOCACY": url})
    assert time.monotonic() - started < 10
    assert result.exit_code == 3, result.output
    assert result.output.startswith(f"error: nothing answered at 127.0.0.1:{port} (could not connect"), result.output
    assert result.output.rstrip().endswith("check the URL in TEAMS_WEBHOOK_ADVOCACY"), result.output
    for secret in secrets_of(url):
        assert secret not in result.output


def test_teams_test_refuses_a_url_for_a_name(cli: Cli) -> None:
    url = "https://prod-11.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=SECRET"
    result = cli("teams", "test", url)
    assert result.exit_code == 1 and "not a webhook URL" in result.output and "SECRET" not in result.output


def test_a_url_in_the_register_is_refused_without_repeating_it(cli: Cli, write_register) -> None:  # type: ignore[no-untyped-def]
    file = write_register(MVP_ONLY.replace("teams: [advocacy]", 'teams: ["https://x.example/workflows/1?sig=SECRET"]'))
    result = cli("validate", "--file", str(file))
    assert result.exit_code == 1 and "not a webhook URL" in result.output and "SECRET" not in result.output
    named = write_register(MVP_ONLY.replace("teams: [advocacy]", "teams: [Advocacy Team]"), "other.yaml")
    result = cli("validate", "--file", str(named))  # SPEC §7.8: any NAME, its variable TEAMS_WEBHOOK_ADVOCACY_TEAM
    assert result.exit_code == 0, result.output
    odd = write_register(MVP_ONLY.replace("teams: [advocacy]", 'teams: ["team\\u0007 "]'), "odd.yaml")
    result = cli("validate", "--file", str(odd))
    assert result.exit_code == 1 and 'must be letters, digits, spaces, ".", "-" or "_"' in result.output


def test_any_name_reads_its_webhook_from_the_variable_the_spec_names() -> None:
    from notifiers.teams.targets import check_target, variable

    assert [variable(n) for n in ("advocacy", "Advocacy team", "policy.team-1")] == [
        "TEAMS_WEBHOOK_ADVOCACY", "TEAMS_WEBHOOK_ADVOCACY_TEAM", "TEAMS_WEBHOOK_POLICY_TEAM_1"]
    assert all(check_target(n) is None for n in ("Advocacy", "Advocacy team", "policy.team-1", "a"))
    # SPEC §7.8: any letters, each one not A–Z written as "_" in the variable
    assert check_target("équipe") is None and check_target("Équipe plaidoyer") is None
    assert variable("équipe") == "TEAMS_WEBHOOK__QUIPE"
    assert all(check_target(n) is not None for n in ("https://x.example", "a:b", "a/b", "-a", "a" * 65, "é" * 65))


# -- a channel is one package and one registry line ---------------------------------------------
CODE = ("bot", "notifiers", "storage", "benchmarks", "deploy", ".ci")
STANDINS = ROOT / "bot" / "shell" / "sandbox"
# The sandbox's Teams (README "How to add a channel"): the stand-in, with what the sandbox does with it
# (its setting, banner, lines and page section), and its line in the table of channels' stand-ins.
SANDBOX_TEAMS = ("teams.py", "channels.py")
# Teams' entry in the registry, whatever other channels stand beside it: its name in the import,
# `teams.CHANNEL` in the tuple. Another channel added to either line changes nothing here.
REGISTRY = (re.compile(r"^from notifiers import [\w, ]*\bteams\b"), re.compile(r"^CHANNELS\b.*\bteams\.CHANNEL\b"))


def test_teams_is_one_package_plus_the_registry_line() -> None:
    """README "How to add a channel": outside notifiers/teams/, only the registry in
    notifiers/__init__.py and the sandbox's Teams (SANDBOX_TEAMS, the stand-in of the outside world
    the tests and `commitment-bot sandbox` share) name Teams; docs and tests aside."""
    mentions = []
    for top in CODE:
        for path in sorted((ROOT / top).rglob("*")) if (ROOT / top).is_dir() else []:
            if not path.is_file() or "__pycache__" in path.parts or (ROOT / "notifiers" / "teams") in path.parents:
                continue
            for text in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if re.search("teams", text, re.I):
                    mentions.append((str(path.relative_to(ROOT)), text.strip()))
    for name in ("pyproject.toml", "slack-app-manifest.yaml", "commitments.yaml"):
        assert "teams" not in (ROOT / name).read_text(encoding="utf-8").lower(), name
    sandbox = {str((STANDINS / f).relative_to(ROOT)) for f in SANDBOX_TEAMS}
    assert {m[0] for m in mentions if m[0].startswith(str(STANDINS.relative_to(ROOT)))} == sandbox
    assert [m for m in mentions if m[0] != "notifiers/__init__.py" and m[0] not in sandbox] == []
    registry = [text for path, text in mentions if path == "notifiers/__init__.py"]
    assert len(registry) == len(REGISTRY) and all(any(r.search(t) for t in registry) for r in REGISTRY), registry


def test_the_readme_recipe_names_every_file_a_channel_touches() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    recipe = readme.split("**How to add a channel**")[1].split("\n\n")[0]
    for part in ("notifiers/NAME/", "targets.py", "__init__.py", "CHANNEL = Channel(", "notifiers/__init__.py",
                 "test=", "commitment-bot NAME test"):
        assert part in recipe, part
    sandbox = recipe.split("The sandbox's Teams is")[1]
    assert all(f"`{f}`" in sandbox for f in SANDBOX_TEAMS), sandbox


def test_teams_names_each_type_as_what_it_is_and_the_words_in_the_mouth_of_who_said_them(
        cli: Cli, write_register, teams: TeamsState) -> None:  # type: ignore[no-untyped-def]
    """SPEC §7.1 and §7.2 on Teams, with the register every other surface is held to
    (tests/test_every_word_true.py)."""
    from tests.test_every_word_true import TYPED, TYPED_NOW

    write_register(TYPED.replace('slack: ["#mvp-watch"]\n    email: [coord@example.org]', "teams: [advocacy]"))
    result = cli("check", "--now", TYPED_NOW, env=teams_env(teams))
    assert result.exit_code == 0, result.output
    shown = "\n".join(text_of(c) for c in teams.cards("advocacy"))
    assert "Asked of Home Office by Nicole Jacobs (Domestic Abuse Commissioner)" in shown  # SPEC §7.1's words
    assert "Expected of Home Office, not promised" in shown
    assert "No news: Fund the Support for Migrant Victims Scheme each year (2025-26)" in shown
    assert "Lapsed: Fund" not in shown and "broken" not in shown.lower() and "Promised by Home Office — Nicole" not in shown
    assert "“later this year”: Lord Murray of Blidworth, 31 Jul 2023 (Written answer HL9622)" in shown
    assert "Lord Sharpe of Epsom, 31 Jul 2023" not in shown
