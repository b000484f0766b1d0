"""What every command shares: the `App` click builds once and passes in with `pass_app`, the
--file/--database/--now options that fill it (SPEC §4), and the two ways a command fails.

Only click and the standard library are imported here: `--help` must stay instant.
"""

from __future__ import annotations

import os
import select
import sys
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from bot.register.model import Register
    from bot.shell.context import Context
    from bot.shell.settings import Settings
    from storage.repository import Store

F = TypeVar("F", bound=Callable[..., Any])
DATABASE_HELP = "Database URL (default sqlite:///commitment-bot.db, env DATABASE_URL)."
FILE_HELP = "Register file or directory (default ./commitments.yaml, env COMMITMENTS_FILE)."
NOW_HELP = "Decide as at this date/datetime (naive = the register's timezone)."
UNUSED = "Accepted, as by every command (SPEC §4), and not used by this one."


class Failure(click.ClickException):
    """A precise message and exit 1: the register or an argument is wrong."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


class Undelivered(click.ClickException):
    """Exit 3: something could not be delivered; it stays queued and is retried (SPEC §4)."""

    exit_code = 3

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True)


def held_until_configured(held: Mapping[str, Collection[str]], dry_run: bool = False) -> str | None:
    """What `check` and `watch` say of the alerts they held (SPEC §6.5), `held` being each alert's
    targets that no configured channel serves: which targets, and what to set so that the alerts
    still current then are delivered. None when nothing was held."""
    targets = sorted({t for each in held.values() for t in each})
    if not targets:
        return None
    from notifiers import setting

    kinds = {t.split(":", 1)[0] for t in targets}
    whose = "its channel's" if len(targets) == 1 else "that channel's" if len(kinds) == 1 else "each channel's"
    own = [s for t in targets if (s := setting(t))]  # an address's own setting (a webhook's variable)
    what = f"{', '.join(own)} (see README)" if len(own) == len(targets) else \
        f"{whose} settings (see README{'; ' + ', '.join(own) if own else ''})"
    return (f"{'would be held' if dry_run else 'held'} until configured: {', '.join(targets)} — set {what} and the "
            "alerts still current then are delivered")


class Main(click.Group):
    """The group that turns any unexpected error into one line and exit 1: users never see a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt, SystemExit):
            raise
        except BrokenPipeError as e:
            if not _reader_gone():  # a connection, not our output: as unexpected as any other error
                raise Failure(f"unexpected BrokenPipeError: {e}") from e
            _quiet_stdout()  # the reader stopped reading (`status | head -1`): that ends the command
            raise click.exceptions.Exit(0) from None
        except Exception as e:  # the user never sees a traceback
            name = type(e).__name__
            if name == "DatabaseProblem":
                raise Failure(str(e)) from None
            if name in ("OperationalError", "ProgrammingError", "InterfaceError"):
                from storage.errors import busy_message, is_busy

                if is_busy(e):
                    raise Failure(busy_message(e)) from e
                raise Failure(f"database problem: {str(e).splitlines()[0]} (check DATABASE_URL / --database)") from e
            raise Failure(f"unexpected {name}: {e}") from e


def _reader_gone() -> bool:
    """Whether stdout is a pipe whose reader has closed it (poll reports an error on it), rather
    than a socket of ours that broke while stdout is fine."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError):  # not a real file (click's test runner): not a closed pipe
        return False
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    return any(events & (select.POLLERR | select.POLLHUP) for _fd, events in poller.poll(0))


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush of what the reader never took
    cannot fail again on its way out (the recipe in Python's `signal` documentation)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


class App:
    """What every command needs, built once per invocation and passed in by click.

    The option callbacks only note --file/--database/--now. Settings are read (and an empty
    --database refused) when a command first asks for them (for the database), so a usage error
    or a bad argument checked before is still the one reported; the store is connected on first use, so a register that
    fails validation never creates a SQLite file.
    """

    def __init__(self) -> None:
        self.file: Path | None = None
        self.database_option: str | None = None
        self.now_text: str | None = None
        self.problems: tuple[Any, ...] = ()  # a broken register's problems, when the last good one is used

    @cached_property
    def settings(self) -> Settings:
        """Read once, when a command first needs settings, path or database."""
        from bot.shell.settings import from_env

        return from_env()

    @property
    def path(self) -> Path:
        return self.file or Path(self.settings.commitments_file)

    @property
    def database(self) -> str:
        """--database, or DATABASE_URL; an empty --database is refused when a command first asks for it
        (a command that uses no database accepts it, as it accepts any other)."""
        if self.database_option is not None and not self.database_option.strip():
            from storage.db import EXAMPLES

            raise Failure(f"the database URL is empty: give --database or DATABASE_URL ({EXAMPLES})")
        return self.database_option or self.settings.database_url

    @cached_property
    def context(self) -> Context:
        """The settings, the store and the register, as every entry point shares them (bot.shell.context)."""
        from bot.shell.context import Context

        return Context(self.settings, self.path, self.database, self._connect)

    @staticmethod
    def _connect(database: str) -> Store:
        from storage.db import DatabaseProblem, connect
        from storage.repository import Store

        try:
            return Store(connect(database))
        except DatabaseProblem as e:
            raise Failure(str(e)) from None

    @property
    def store(self) -> Store:
        return self.context.store

    def database_exists(self) -> bool:
        return self.context.database_exists()

    def register(self, sources: Any = None) -> tuple[Register, str]:
        """The register; when the file is broken, the last valid one with a warning (SPEC §6.5),
        so one bad edit never stops alerts, status or recording for everyone."""
        from bot.shell.context import NoRegister

        try:
            loaded = self.context.load(sources)
        except NoRegister as e:
            for p in e.problems:
                click.echo(str(p), err=True)
            raise Failure(str(e)) from None
        if loaded.problems:
            for p in loaded.problems:
                click.echo(str(p), err=True)
            self.problems = loaded.problems
            click.echo(f"warning: {len(loaded.problems)} problem(s) in {self.path}: working from the last valid "
                       "register until they are fixed (commitment-bot validate)", err=True)
        return loaded.register, loaded.source_hash

    def synced(self, refuse_time_travel: bool = False) -> tuple[Register, datetime]:
        """The register and `now`, the register synced to the store: where status, history and
        digest start. A real digest refuses time travel before anything is written."""
        register, source_hash = self.register()
        now = self.now(register.timezone)
        if refuse_time_travel:
            self.refuse_time_travel(register.timezone, now)
        self.store.register.sync(register, source_hash, now)
        return register, now

    def wall(self, timezone: str) -> datetime:
        from zoneinfo import ZoneInfo

        return datetime.now(UTC).astimezone(ZoneInfo(timezone))

    def refuse_time_travel(self, timezone: str, now: datetime) -> None:
        """A real run with --now must not send stale news nor use up tomorrow's alerts (SPEC §6.5)."""
        if self.now_text is None:
            return
        from bot.shell.service import time_travel_problem

        problem = time_travel_problem(self.store, now, self.wall(timezone))
        if problem:
            raise Failure(problem)

    def now(self, timezone: str) -> datetime:
        """--now in `timezone` (naive = the register's; one with an offset is moved to it, so
        its day is the register's day, SPEC §3), or the wall clock there."""
        from zoneinfo import ZoneInfo

        if self.now_text is None:
            return self.wall(timezone)
        try:
            value = datetime.fromisoformat(self.now_text)
        except ValueError:
            raise Failure(f'--now "{self.now_text}" is not an ISO date or datetime (e.g. 2022-09-09T09:00)') from None
        zone = ZoneInfo(timezone)
        return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)


pass_app = click.make_pass_decorator(App, ensure=True)


def _note(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """Keep an option's value on the App instead of passing it to the command."""
    assert param.name is not None
    setattr(ctx.ensure_object(App), param.name, value)


def register_options(f: F) -> F:
    """--file, --database and --now after a command's name (SPEC §4), kept on the App."""
    return register_options_with()(f)


def register_options_with(file: str = FILE_HELP, database: str = DATABASE_HELP, now: str = NOW_HELP) -> Callable[[F], F]:
    """`register_options` with each option's help as this command needs it: every command accepts all
    three (SPEC §4), and one that does not use an option says so (`UNUSED`, or in its own words)."""

    def decorate(f: F) -> F:
        f = click.option("--now", "now_text", metavar="ISO", expose_value=False, callback=_note, help=now)(f)
        f = click.option("--database", "database_option", metavar="URL", expose_value=False, callback=_note,
                         help=database)(f)
        return click.option("--file", "file", metavar="PATH", type=click.Path(path_type=Path), expose_value=False,
                            callback=_note, help=file)(f)

    return decorate


def iso_date(value: str | None, what: str) -> date | None:
    """A YYYY-MM-DD argument, refused with the option's name when it is anything else."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Failure(f'{what} "{value}" must be a date written YYYY-MM-DD') from None
