"""Every command is documented: the README shows `commitment-bot <name>` for each one, and every
command and sub-command's help ends with an `Example:` a user can copy."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def _commands() -> list[str]:
    from bot.shell.cli import main

    return sorted(main.commands)


def _every_command() -> list[tuple[str, click.Command]]:
    from bot.shell.cli import main

    found: list[tuple[str, click.Command]] = []

    def walk(prefix: str, command: click.Command) -> None:
        found.append((prefix, command))
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(f"{prefix} {name}".strip(), sub)

    walk("", main)
    return found


@pytest.mark.parametrize("name", _commands())
def test_command_is_in_the_readme(name: str) -> None:
    assert f"commitment-bot {name}" in README.read_text(encoding="utf-8")


@pytest.mark.parametrize(("path", "command"), _every_command(), ids=[p or "main" for p, _ in _every_command()])
def test_every_command_has_an_example_in_its_help(path: str, command: click.Command) -> None:
    assert re.search(r"^\s*Example: .*commitment-bot", command.help or "", re.M), \
        f"`commitment-bot {path} --help` has no Example:"


def test_the_cli_has_the_spec_commands() -> None:
    assert {"validate", "when", "status", "check", "update", "history", "db"} <= set(_commands())


def test_every_test_the_readme_names_exists() -> None:
    """The README's tables of rules and guarantees name the tests that hold them: each file, and each
    `file::test` named, must exist, or the table promises a check nobody runs."""
    root = README.parent
    readme = README.read_text(encoding="utf-8")
    named = set(re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", readme))
    assert len(named) > 20
    for path, test in named:
        assert (root / path).is_file(), path
        if test:
            assert re.search(rf"^def {test}\(", (root / path).read_text(encoding="utf-8"), re.M), f"{path}::{test}"


# The settings a deployment may set: every name of one the code holds, in these families (the
# WSGI names of Slack's headers, HTTP_X_SLACK_*, are not settings).
SETTING = re.compile(r"[\"']((?:COMMITMENTS?_|COMMITMENT_BOT_|SLACK_|TEAMS_|SMTP_|EMAIL_|DATABASE_|GOVUK_|PARLIAMENT_|"
                     r"HTTP_ALLOW_|MAINTAINER_)[A-Z0-9_]*)[\"']")


def test_every_environment_variable_the_code_reads_is_in_the_readme() -> None:
    root = README.parent
    named = {m.group(1) for top in ("bot", "notifiers", "storage") for path in (root / top).rglob("*.py")
             for m in SETTING.finditer(path.read_text(encoding="utf-8"))}
    assert {"DATABASE_URL", "SLACK_BOT_TOKEN", "COMMITMENT_BOT_SLACK_PORT"} <= named  # the search finds them
    readme = README.read_text(encoding="utf-8")
    assert sorted(name for name in named if name not in readme) == []
