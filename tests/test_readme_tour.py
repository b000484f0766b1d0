"""The README's tour is run, and its output compared, so it never drifts from what users see
(issue 12 item 7; sqlite-utils' `cog --check` is the model).

Every `$ commitment-bot …` line of the README's console blocks with `--now` (or a command that
reads no clock: `validate`, `when`) runs in order, as a new user would, in a fresh folder holding
the shipped register, after the README's set-up line has run there. Its output must match the lines
under it; a line "…" in the README stands for any number of lines left out. The part that tries
it with Slack runs against a real sandbox and Slack app (test_the_readme_slack_part_matches_a_sandbox).
"""

from __future__ import annotations

import re
import shlex
import shutil
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.standins import in_background, sandbox_env  # noqa: F401 - the `background` fixture

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


README = (ROOT / "README.md").read_text(encoding="utf-8")
SLACK_PART = "## Try it with Slack, on your machine"


def section(readme: str, heading: str) -> str:
    """The README's part under `heading`, up to the next part."""
    start = readme.index(heading)
    end = readme.find("\n## ", start + len(heading))
    return readme[start:] if end < 0 else readme[start:end]


def set_up_command(readme: str) -> list[str]:
    """What the README's set-up line runs after installing: `.venv/bin/commitment-bot ARGS`."""
    line = next(line for line in readme.splitlines() if line.startswith("python3 -m venv") and "commitment-bot " in line)
    return shlex.split(line.split(".venv/bin/commitment-bot ", 1)[1])


TOUR = steps(README.replace(section(README, SLACK_PART), ""))


def test_the_tour_has_steps() -> None:
    assert len(TOUR) >= 8 and any("check" in cmd for cmd, _ in TOUR)


def test_the_readme_tour_matches_a_fresh_clone(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(ROOT / "commitments.yaml", tmp_path / "commitments.yaml")
    monkeypatch.chdir(tmp_path)  # the defaults: ./commitments.yaml and sqlite:///commitment-bot.db
    assert cli(*set_up_command(README)).exit_code == 0  # a newcomer runs the set-up line, then the tour
    ran = 0
    for command, expected, actual in tour(cli):
        assert matches(expected, actual), f"$ {command}\n--- README:\n" + "\n".join(expected) + \
            "\n--- actual:\n" + "\n".join(actual)
        ran += 1
    assert ran >= 8


def tour(cli: Cli) -> list[tuple[str, list[str], list[str]]]:
    """(command, the README's lines, what it printed) for each step of the tour, run here."""
    out = []
    for command, expected in TOUR:
        args = shlex.split(command)[1:]
        if "--now" not in args and args[0] not in TIMELESS:
            continue
        result = cli(*args)
        out.append((command, expected, [line.rstrip() for line in result.output.rstrip("\n").splitlines()]))
    return out


def test_the_set_up_line_leaves_the_tour_as_on_a_fresh_clone(cli: Cli, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 26 item 2: the set-up line ran a real check, so the tour's first `check --now` was refused
    as earlier than the last real run, and `status` showed held alerts the README does not."""
    said = []
    for folder, set_up in (("fresh", False), ("set-up", True)):
        (tmp_path / folder).mkdir()
        shutil.copy(ROOT / "commitments.yaml", tmp_path / folder / "commitments.yaml")
        monkeypatch.chdir(tmp_path / folder)
        if set_up:
            assert cli(*set_up_command(README)).exit_code == 0
        said.append(tour(cli))
    assert said[1] == said[0]


def console(text: str) -> list[tuple[str, list[str]]]:
    """Every `$ ` line of the console blocks in `text` (loading settings too), with the lines under it."""
    out: list[tuple[str, list[str]]] = []
    for indent, block in BLOCK.findall(text):
        for line in block.splitlines():
            line = line[len(indent):]
            if line.startswith("$ "):
                out.append((line[2:].split("  #")[0].strip(), []))
            elif out:
                out[-1][1].append(line.rstrip())
    return [(cmd, _trim(lines)) for cmd, lines in out]


def arrivals(text: str) -> list[str]:
    """The lines of the part's ```text block: what the sandbox's terminal showed meanwhile."""
    block = re.search(r"^```text\n(.*?)^```", text, re.S | re.M)
    assert block, "the Slack part shows what the sandbox's terminal showed"
    return [line for line in block.group(1).splitlines() if line and line != "…"]


def test_the_readme_slack_part_matches_a_sandbox(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 background: Callable[..., Any]) -> None:
    """Issue 26 item 1: the README's "with Slack" part, run as a newcomer runs it: the sandbox in one
    terminal, its settings loaded in another, the bot's commands there, `slack serve &` a real app."""
    part = section(README, SLACK_PART)
    shutil.copy(ROOT / "commitments.yaml", tmp_path / "commitments.yaml")
    monkeypatch.chdir(tmp_path)
    env: dict[str, str] = {}
    running: dict[str, Any] = {}
    for command, expected in console(part):
        if command.startswith(". "):  # `. ./sandbox.env` in the second terminal
            env = sandbox_env(tmp_path / command[2:].strip())
            continue
        args = shlex.split(command.removesuffix("&"))[1:]
        still_running = command.endswith("&") or args[0] == "sandbox" and (len(args) == 1 or args[1].startswith("-"))
        if args[0] == "sandbox" and still_running:  # the first terminal
            running["sandbox"] = background(args, tmp_path)
            actual = running["sandbox"].until(lambda seen: bool(seen) and seen[-1] == "Ctrl-C stops the sandbox.")
        elif still_running:
            running["app"] = background(args, tmp_path, env)
            actual = running["app"].first(len(expected))
        else:
            actual = [line.rstrip() for line in cli(*args, env=env).output.rstrip("\n").splitlines()]
        assert matches(expected + ["…"] * still_running, actual), \
            f"$ {command}\n--- README:\n" + "\n".join(expected) + "\n--- actual:\n" + "\n".join(actual)
    shown = arrivals(part)
    running["sandbox"].until(lambda seen: all(line in seen for line in shown))
    running["app"].stop(signal.SIGTERM)
    assert running["sandbox"].stop() == 0
    assert running["sandbox"].seen[-1] == "sandbox stopped; removed sandbox.env"
