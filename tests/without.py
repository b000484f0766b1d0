"""The bot with one channel taken away, as the README's "How to add a channel" adds one, in reverse:
its package deleted and its entry taken out of the registry line (notifiers/__init__.py).

It runs in a copy of the code, by a Python that sees only that copy and the libraries: the editable
install's finder would otherwise find the deleted package in the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = (re.compile(r"^from notifiers import "), re.compile(r"^CHANNELS\b"))

@dataclass(frozen=True)
class Without:
    """A copy of the bot without one channel; calling it runs `commitment-bot ARGS…` in `where`."""

    where: Path
    env: dict[str, str]

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-S", "-m", "bot", *args]  # -S: no site hooks, so no editable install's finder

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.command(*args), cwd=self.where, capture_output=True, text=True, env=self.env,
                              timeout=120)


def without(channel: str, where: Path) -> Without:
    """A copy of the bot without `channel` in `where/code`, run in `where`."""
    code = where / "code"
    for top in ("bot", "notifiers", "storage"):
        shutil.copytree(ROOT / top, code / top, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.rmtree(code / "notifiers" / channel)
    registry = code / "notifiers" / "__init__.py"
    lines = registry.read_text(encoding="utf-8").splitlines(keepends=True)
    entry = re.compile(rf"\b{channel}(\.CHANNEL)?, |, {channel}(\.CHANNEL)?\b")
    taken = [entry.sub("", line) if any(r.search(line) for r in REGISTRY) else line for line in lines]
    assert sum(a != b for a, b in zip(lines, taken, strict=True)) == len(REGISTRY), "the registry line changed shape"
    registry.write_text("".join(taken), encoding="utf-8")
    libraries = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    return Without(where, {**os.environ, "PYTHONPATH": os.pathsep.join([str(code), *sorted(libraries)])})
