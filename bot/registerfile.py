"""Reading the register from disk (a file, or a directory of *.yaml files)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from bot.gcpause import paused_gc
from bot.model import Register
from bot.problems import Problem


@dataclass(frozen=True)
class RegisterFile:
    register: Register | None
    problems: tuple[Problem, ...]
    source_hash: str


def read_sources(path: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    if path.is_dir():
        files = sorted(path.glob("*.yaml"))
        if not files:
            return [], [Problem(str(path), 1, 1, "this directory has no *.yaml files")]
    elif path.is_file():
        files = [path]
    else:
        return [], [Problem(str(path), 1, 1, "no such file (give --file PATH or set COMMITMENTS_FILE)")]
    out, problems = [], []
    for f in files:
        try:
            out.append((str(f), f.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as e:
            problems.append(Problem(str(f), 1, 1, f"cannot read the file: {e}"))
    return out, problems


def fingerprint(sources: list[tuple[str, str]]) -> str:
    h = hashlib.sha256()
    for name, text in sources:
        h.update(name.encode() + b"\0" + text.encode() + b"\0")
    return h.hexdigest()


def read(path: Path, cached: object | None = None,
         sources: tuple[list[tuple[str, str]], list[Problem]] | None = None) -> RegisterFile:
    """Parse and validate; `cached(hash)` may return the register already validated for that hash.

    `sources` is what `read_sources(path)` returned, when the caller has read them already.
    """
    texts, problems = sources if sources is not None else read_sources(path)
    digest = fingerprint(texts)
    if problems:
        return RegisterFile(None, tuple(problems), digest)
    if callable(cached):
        with paused_gc():
            register = cached(digest)
        if isinstance(register, Register):
            return RegisterFile(register, (), digest)
    from bot.loader import load  # only on a cache miss: an unchanged file never imports the YAML parser

    with paused_gc():
        loaded = load(texts)
    return RegisterFile(loaded.register, loaded.problems, digest)
