"""The README's tour is run, and its output compared, so it never drifts from what users see
(issue 12 item 7; sqlite-utils' `cog --check` is the model).

Every `$ commitment-bot …` line of the README's console blocks with `--now` (or a command that
reads no clock: `validate`, `when`) runs in order, as a new user would, in a fresh folder holding
the shipped register and no database. Its output must match the lines under it; a line "…" in
the README stands for any number of lines left out.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.conftest import Cli

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"^( *)```console\n(.*?)^\1```", re.S | re.M)
TIMELESS = ("validate", "when")


def steps(readme: str) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for every `$ commitment-bot` line, in reading order."""
    out: list[tuple[str, list[str]]] = []
    for indent, block in BLOCK.findall(readme):
        steps_here: list[tuple[str, list[str]]] = []
        for line in block.splitlines():
            line = line[len(indent):]
            if line.startswith("$ "):
                steps_here.append((line[2:].split("  #")[0].strip(), []))
            elif steps_here:
                steps_here[-1][1].append(line.rstrip())
        out += steps_here
    return [(cmd, _trim(lines)) for cmd, lines in out if cmd.startswith("commitment-bot ")]


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1]:
        lines.pop()
    return lines


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; "…" skips any number of actual lines (the README leaves them out)."""
    if not expected:
        return not actual
    if expected[0] == "…":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and actual[0] == expected[0] and matches(expected[1:], actual[1:])


TOUR = steps((ROOT / "README.md").read_text(encoding="utf-8"))


def test_the_tour_has_steps() -> None:
    assert len(TOUR) >= 8 and any("check" in cmd for cmd, _ in TOUR)


def test_the_readme_tour_matches_a_fresh_clone(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(ROOT / "commitments.yaml", tmp_path / "commitments.yaml")
    monkeypatch.chdir(tmp_path)  # the defaults: ./commitments.yaml and sqlite:///commitment-bot.db
    ran = 0
    for command, expected in TOUR:
        args = shlex.split(command)[1:]
        if "--now" not in args and args[0] not in TIMELESS:
            continue
        result = cli(*args)
        actual = [line.rstrip() for line in result.output.rstrip("\n").splitlines()]
        assert matches(expected, actual), f"$ {command}\n--- README:\n" + "\n".join(expected) + \
            "\n--- actual:\n" + "\n".join(actual)
        ran += 1
    assert ran >= 8
