"""SPEC §4: "Every command accepts, after its name, `--file PATH` …, `--database URL` … and `--now ISO`".

The click tree is walked, so a command added without `register_options` (or `register_options_with`,
for one that says which it does not use) fails here. A group that only hands over to its
subcommands (`db`, `email`, …) is not a command; one that runs on its own (`sandbox`, `leads`) is.
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from tests.conftest import Cli

SHARED = ("--file PATH", "--database URL", "--now ISO")


def _commands() -> list[tuple[str, ...]]:
    from bot.shell.cli import main

    def walk(group: click.Group, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
        out: list[tuple[str, ...]] = []
        for name, command in sorted(group.commands.items()):
            path = (*prefix, name)
            if not isinstance(command, click.Group) or command.invoke_without_command:
                out.append(path)
            if isinstance(command, click.Group):
                out += walk(command, path)
        return out

    return walk(main, ())


def test_the_walk_finds_the_commands_that_once_refused_them() -> None:
    found = set(_commands())
    assert {("schema",), ("email", "test"), ("slack", "test"), ("teams", "test"), ("db", "backup"),
            ("sandbox",), ("sandbox", "click"), ("sandbox", "slash"), ("leads",), ("leads", "confirm")} <= found
    assert ("db",) not in found and ("email",) not in found  # groups that only hand over


@pytest.mark.parametrize("path", [pytest.param(p, id=" ".join(p)) for p in _commands()])
def test_every_command_accepts_file_database_and_now_after_its_name(cli: Cli, path: tuple[str, ...]) -> None:
    """Given before --help, each is parsed (an unknown option is exit 2, 'No such option'), and the
    help lists all three, each with words of its own (what it is, or that this command does not use it)."""
    result = cli(*path, "--file", "elsewhere.yaml", "--database", "sqlite:///elsewhere.db",
                 "--now", "2022-09-09T09:00", "--help")
    assert result.exit_code == 0, result.output
    options = result.stdout.split("Options:", 1)[1]
    for usage in SHARED:
        assert f"  {usage} " in options, (usage, options)
    assert not Path("elsewhere.db").exists()


def test_a_command_that_uses_none_of_them_runs_the_same_with_them(cli: Cli) -> None:
    plain = cli("schema")
    given = cli("schema", "--file", "nowhere.yaml", "--database", "sqlite:///nowhere.db", "--now", "2022-09-09")
    assert plain.exit_code == given.exit_code == 0 and given.stdout == plain.stdout
    mail = cli("email", "test", "not-an-address", "--database", "", "--now", "2022-09-09")
    assert mail.exit_code == 1 and '"not-an-address" is not an email address' in mail.output  # an empty --database it does not use is no error
    assert not Path("nowhere.db").exists() and not Path("commitment-bot.db").exists()


def test_the_sandbox_says_it_ignores_them_and_keeps_its_own_database(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("mine", encoding="utf-8")  # refused before anything starts
    result = cli("sandbox", "--dir", "site", "--database", "sqlite:///real.db", "--now", "2022-09-09")
    assert result.exit_code == 1
    assert ("note: the sandbox ignores --database and --now: it keeps its own fresh database in site/ (the "
            "DATABASE_URL it prints) and reads no register; give them to the commands run with its settings") \
        in result.stderr
    assert "site holds files the sandbox did not write" in result.output
    quiet = cli("sandbox", "--dir", "site")
    assert "ignores" not in quiet.output


def test_a_now_with_an_offset_is_the_registers_day_for_every_command(cli: Cli, write_register, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    """SPEC §3: days are whole days in the register's timezone. 23:30 UTC on 30 Jun is 00:30 on
    1 Jul in London: a delivery recorded then is a day late, and a chase is dated 1 Jul, as `check`
    at that moment would count them."""
    path = write_register("version: 1\ntimezone: Europe/London\ndefaults: {grace: 0 days}\ncommitments:\n"
                          "  - id: tz\n    title: Publish it\n    owner: Home Office\n    made_on: 2026-01-05\n"
                          "    due: 2026-06-30\n")
    given = ("--file", str(path), "--database", sqlite_url, "--now", "2026-06-30T23:30Z")
    recorded = cli("update", "tz", "--note", "Published", *given)
    assert recorded.exit_code == 0, recorded.output
    assert "1 Jul 2026" in recorded.output and "30 Jun 2026" not in recorded.output, recorded.output
    chased = cli("chase", "tz", "--how", "letter", *given)
    assert chased.exit_code == 0, chased.output
    assert "on 1 Jul 2026" in chased.output, chased.output
