"""What every entry point shares: the settings, the store and the register (the last valid one when
an edit broke the file). The CLI, the scheduler (`run`) and the Slack app each hold one Context,
so the register is loaded one way everywhere (SPEC §6.5: one bad edit never stops alerts, status
or recording for everyone) and no entry point imports another. Each keeps its own clock, as each
keeps time its own way: a command's is `--now` or the wall clock (`App.now`), `run`'s and the
Slack app's run on from a `--now` start (`process.make_clock`), so claim leases still expire.

A long-running process keeps the last good register in memory: an unchanged file is not even
looked up in the database's cache. A short one (a command) reads it from the cache by the file's
fingerprint, so a large register is parsed once, whatever runs next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.register.model import Register
    from bot.register.problems import Problem
    from bot.shell.settings import Settings
    from storage.repository import Store

class NoRegister(Exception):
    """The file does not validate and no valid register was ever synced: nothing can run."""

    def __init__(self, problems: tuple[Problem, ...], file_hash: str) -> None:
        super().__init__(f"{len(problems)} problem(s) in the register; nothing was changed")
        self.problems, self.file_hash = problems, file_hash


@dataclass(frozen=True)
class Loaded:
    register: Register
    source_hash: str
    problems: tuple[Problem, ...] = ()  # when not empty: the file is broken and this is the last valid register
    file_hash: str = ""  # the file's own fingerprint (the broken file's, when it is broken)


class Context:
    """Built once per process (per command for the CLI); everything is opened on first use, so a
    register that fails validation never creates a SQLite file."""

    def __init__(self, settings: Settings, path: Path, database: str,
                 connect: Callable[[str], Store] | None = None) -> None:
        self.settings, self.path, self.database = settings, path, database
        self._connect = connect
        self.good: tuple[Register, str] | None = None  # the last valid register this process read

    @cached_property
    def store(self) -> Store:
        if self._connect is not None:
            return self._connect(self.database)
        from storage.db import connect
        from storage.repository import Store

        return Store(connect(self.database))

    def database_exists(self) -> bool:
        """A SQLite file that does not exist yet is not created for a register that fails validation."""
        from sqlalchemy.engine import make_url

        url = make_url(self.database)
        return url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:" \
            or Path(url.database).exists()

    def load(self, sources: Any = None) -> Loaded:
        """The register from the file; when the file is broken, the last valid one with the file's
        problems (NoRegister when there never was one). `sources` are the file's texts when the
        caller has read them already (`export updates --write` writes into what it read)."""
        from bot.shell.registerfile import read

        loaded = read(self.path, self._cached if self.good or self.database_exists() else None, sources)
        if loaded.register is not None:
            self.good = (loaded.register, loaded.source_hash)
            return Loaded(loaded.register, loaded.source_hash, (), loaded.source_hash)
        good = self.good or (self.store.register.last_good() if self.database_exists() else None)
        if good is None:
            raise NoRegister(loaded.problems, loaded.source_hash)
        self.good = good
        return Loaded(good[0], good[1], loaded.problems, loaded.source_hash)

    def _cached(self, source_hash: str) -> Register | None:
        if self.good is not None and self.good[1] == source_hash:
            return self.good[0]
        return self.store.register.cached(source_hash)
