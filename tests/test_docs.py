"""Every command is documented: the README shows `commitment-bot <name>` for each one."""

from __future__ import annotations

from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def _commands() -> list[str]:
    from bot.shell.cli import main

    return sorted(main.commands)


@pytest.mark.skipif(not README.exists(), reason="README.md is not written yet")
@pytest.mark.parametrize("name", _commands())
def test_command_is_in_the_readme(name: str) -> None:
    assert f"commitment-bot {name}" in README.read_text(encoding="utf-8")


def test_the_cli_has_the_spec_commands() -> None:
    assert {"validate", "when", "status", "check", "update", "history", "db"} <= set(_commands())
