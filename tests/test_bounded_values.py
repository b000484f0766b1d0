"""Every register value that lands in a column of bounded length is capped by `validate`, at its
line, with the limit named; the longest value it accepts fits on every database (PostgreSQL's
`character varying(N)` refuses what SQLite stores: a 201-character id once made `check` on
PostgreSQL fail with "unexpected DataError" and no alert went out).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.register.loader import LONGEST_ID, LONGEST_PAGE
from bot.shell.sandbox.ukapis import Reply, UkApis
from storage.db import connect
from storage.models import notifications as N
from tests.conftest import Cli

NOW = "2022-09-09T09:00"
PROBLEM = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$", re.M)


def register(cid: str = "mvp", email: str = "coord@example.org", slack: str = "#mvp-watch",
             teams: str = "advocacy", page: str = "https://example.org/page") -> str:
    return f"""\
version: 1
timezone: Europe/London
routes:
  - email: ["{email}"]
    slack: ["{slack}"]
    teams: ["{teams}"]
commitments:
  - id: {cid}
    title: Implement the protocol
    owner: Home Office
    made_on: 2022-02-21
    due: end August
    watch: {{pages: ["{page}"]}}
"""


def email_of(length: int) -> str:
    domain = "@example.org"
    return "a" * (length - len(domain)) + domain


LONGEST = dict(cid="a" * LONGEST_ID, email=email_of(254), slack="C" + "A" * 199, teams="t" * 64,
               page="https://example.org/" + "p" * (LONGEST_PAGE - len("https://example.org/")))


def test_the_longest_values_validate_and_fit_every_database(cli: Cli, write_register, database_url: str) -> None:  # type: ignore[no-untyped-def]
    file = write_register(register(**LONGEST))
    assert cli("validate", "--file", str(file)).exit_code == 0
    result = cli("check", "--file", str(file), "--database", database_url, "--now", NOW, "--json")
    assert result.exit_code == 0, result.output
    (alert,) = json.loads(result.stdout)["notifications"]
    assert alert["id"] == LONGEST["cid"] and len(alert["held"]) == 3  # no channel configured: held, stored
    with connect(database_url).connect() as conn:
        assert conn.execute(select(func.count()).select_from(N)).scalar() == 4  # the console's and three held


# (what, the register with a value one too long, the line it is on, words of the message)
TOO_LONG = [
    pytest.param(dict(cid="a" * (LONGEST_ID + 1)), 8, [f"id is {LONGEST_ID + 1} characters: at most {LONGEST_ID}"],
                 id="id"),
    pytest.param(dict(email=email_of(255)), 4, ["email address", "255 characters: at most 254 (RFC 5321)"],
                 id="email"),
    pytest.param(dict(slack="C" + "A" * 200), 5, ["slack target", "201 characters: at most 200"], id="slack-id"),
    pytest.param(dict(teams="t" * 65), 6, ["at most 64"], id="teams-name"),
    pytest.param(dict(page=LONGEST["page"] + "p"), 13, [f"watched page is {LONGEST_PAGE + 1} characters: at most "
                                                        f"{LONGEST_PAGE}"], id="watched-page"),
]


@pytest.mark.parametrize(("values", "line", "words"), TOO_LONG)
def test_a_value_too_long_for_the_database_is_refused_at_its_line(cli: Cli, write_register, database_url: str,  # type: ignore[no-untyped-def]
                                                                 values: dict[str, str], line: int,
                                                                 words: list[str]) -> None:
    file = write_register(register(**values))
    result = cli("validate", "--file", str(file))
    assert result.exit_code == 1 and "Traceback" not in result.output
    found = [m for m in PROBLEM.finditer(result.stdout) if int(m["line"]) == line]
    assert found, result.stdout
    message = " ".join(m["message"] for m in found)
    assert all(w in message for w in words), message
    assert len(message) < 400  # the value is clipped, not echoed whole
    checked = cli("check", "--file", str(file), "--database", database_url, "--now", NOW)
    assert checked.exit_code == 1 and "DataError" not in checked.output


def test_the_longest_watched_page_makes_a_lead_on_every_database(cli: Cli, write_register, database_url: str,  # type: ignore[no-untyped-def]
                                                                 tmp_path: Path) -> None:
    """A watched page's lead is stored under an identity holding the commitment id and the page's
    address: the longest of both still fits."""
    with UkApis() as apis:
        path = "/" + "p" * (LONGEST_PAGE - len(apis.url) - 1)
        apis.routes[path] = [Reply(200, "<html><main>Work continues</main></html>"),
                             Reply(200, "<html><main>The protocol is published</main></html>")]
        file = write_register(register(cid=LONGEST["cid"], page=apis.url + path))
        env = {"HTTP_ALLOW_PRIVATE": "127.0.0.1", "COMMITMENT_BOT_HTTP_INTERVAL": "0"}
        at = ("--file", str(file), "--database", database_url)
        assert cli("watch", *at, "--now", "2026-12-01T07:00", env=env).exit_code == 0  # first sight: recorded
        found = cli("watch", *at, "--now", "2026-12-02T07:00", "--json", env=env)
    assert found.exit_code == 0, found.output
    (lead,) = json.loads(found.stdout)["leads"]
    assert lead["url"] == f"{apis.url}{path}#changed-2026-12-02"
    with connect(database_url).connect() as conn:
        kinds = list(conn.execute(select(N.c.kind)).scalars())
    assert "lead" in kinds


@pytest.mark.parametrize("command", [("report", "--to"), ("digest", "--dry-run", "--to"), ("email", "test")])
def test_an_address_too_long_on_the_command_line_says_the_limit(cli: Cli, write_register, sqlite_url: str,  # type: ignore[no-untyped-def]
                                                                command: tuple[str, ...]) -> None:
    file = write_register(register())
    where = () if command[0] == "email" else ("--file", str(file), "--database", sqlite_url, "--now", NOW)
    result = cli(*command, email_of(255), *where, env={"SMTP_URL": "smtp://127.0.0.1:9", "EMAIL_FROM": "bot@example.org"})
    assert result.exit_code == 1, result.output
    assert "255 characters: an email address has at most 254 (RFC 5321)" in result.output


def test_a_worker_name_fits_its_column_on_the_longest_hostname(monkeypatch: pytest.MonkeyPatch) -> None:
    """A claim names its worker (host:pid:random) in a String(80) column: Linux allows a 64-character
    hostname and pids of 7 digits, which made 81."""
    from bot.shell.service import worker_name
    from storage.models import notifications

    monkeypatch.setattr("socket.gethostname", lambda: "h" * 64)
    monkeypatch.setattr("os.getpid", lambda: 4_194_304)
    name = worker_name()
    assert name.startswith("h" * 50) and ":4194304:" in name
    assert len(name) <= notifications.c.claimed_by.type.length  # type: ignore[attr-defined]
