"""Reading the register from disk (a file, or a directory of *.yaml files)."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.register.model import Register
from bot.register.problems import Problem
from bot.shell.gcpause import paused_gc

if TYPE_CHECKING:
    from bot.register.loader import Loaded


@dataclass(frozen=True)
class RegisterFile:
    register: Register | None
    problems: tuple[Problem, ...]
    source_hash: str


def read_sources(path: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    """Each register file's text, or why it cannot be read. Only regular files are opened: a
    FIFO named `x.yaml` would block the read forever, and a device could feed it endlessly."""
    if path.is_dir():
        files = sorted(path.glob("*.yaml"))
        if not files:
            return [], [Problem(str(path), 1, 1, "this directory has no *.yaml files")]
    elif path.exists() and not path.is_file():
        return [], [Problem(str(path), 1, 1, f"{_kind(path)}, not a regular file: give --file a YAML file "
                            "or a directory of them")]
    elif path.is_file():
        files = [path]
    else:
        return [], [Problem(str(path), 1, 1, "no such file (give --file PATH or set COMMITMENTS_FILE)")]
    out: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for f in files:
        text = _read_text(f, problems)
        if text is not None:
            out.append((str(f), text))
    return out, sorted(problems)


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    try:
        data = _read_regular(path)
    except OSError as e:
        problems.append(Problem(str(path), 1, 1, f"cannot read the file: {e.strerror or e}"))
        return None
    if data is None:
        problems.append(Problem(str(path), 1, 1, f"{_kind(path)}, not a regular file: the register reads "
                                "only regular files (remove it or rename it away from *.yaml)"))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(_not_utf8(str(path), data, e.start))
        return None


def _read_regular(path: Path) -> bytes | None:
    """The file's bytes, or None when it is not a regular file. Opened without blocking and
    checked on the open descriptor, so a file swapped for a FIFO after a look cannot hang us."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


def _kind(path: Path) -> str:
    """What a non-regular file is, in words."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return "this is not a file"
    for test, name in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory")):
        if test(mode):
            return f"this is {name}"
    return "this is not a regular file"


def _not_utf8(name: str, data: bytes, at: int) -> Problem:
    """Where the first byte that is not UTF-8 is, as line:column of the characters before it."""
    start = data.rfind(b"\n", 0, at) + 1
    line = data.count(b"\n", 0, at) + 1
    col = len(data[start:at].decode("utf-8")) + 1
    return Problem(name, line, col, f"cannot read the file: it must be UTF-8, and byte 0x{data[at]:02X} here is not "
                   "(save the file as UTF-8)")


FORMAT = b"register-cache-2"  # bumped when the cached Register's shape changes: old caches then miss


def fingerprint(sources: list[tuple[str, str]]) -> str:
    """The register cache's key: each file's text, under the file it really is. The name is
    resolved (absolute, symlinks followed), so `--file r10k.yaml`, `./r10k.yaml`, the absolute path
    or a symlink to it, as cron and people spell it, find the same cache instead of parsing again."""
    h = hashlib.sha256(FORMAT)
    for name, text in sources:
        h.update(os.fsencode(os.path.realpath(name)) + b"\0" + text.encode() + b"\0")
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
    with paused_gc():
        loaded = load_texts(texts)
    return RegisterFile(loaded.register, loaded.problems, digest)


def load_texts(texts: Sequence[tuple[str, str]]) -> Loaded:
    """The loader, given the channels the register may route to (each checks its own addresses).
    Imported here, on a cache miss only: an unchanged file never imports the YAML parser."""
    from bot.register.loader import load
    from notifiers import target_rules

    return load(texts, target_rules())
