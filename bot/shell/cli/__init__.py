"""The `commitment-bot` command: thin wrappers around the library, one per SPEC §4 command.

Heavy libraries (SQLAlchemy, YAML, channel SDKs) are imported inside commands, so `--help`
stays instant.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
EXTENSIONS = ("bot.shell.cli.slack", "bot.shell.cli.email", "bot.shell.cli.run")


class Failure(click.ClickException):
    """A precise message and exit 1: the register or an argument is wrong."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


class Undelivered(click.ClickException):
    exit_code = 3

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True)


class Main(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt, SystemExit):
            raise
        except Exception as e:  # the user never sees a traceback
            name = type(e).__name__
            if name == "DatabaseProblem":
                raise Failure(str(e)) from None
            if name in ("OperationalError", "ProgrammingError", "InterfaceError"):
                raise Failure(f"database problem: {str(e).splitlines()[0]} (check DATABASE_URL / --database)") from e
            raise Failure(f"unexpected {name}: {e}") from e


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="commitment-bot", message="%(prog)s %(version)s")
def main() -> None:
    """Track government promises, read their deadlines in Whitehall's words, and say when they lapse.

    Example: commitment-bot status --now 2026-11-22
    """


def common(f: F) -> F:
    f = click.option("--now", "now_text", metavar="ISO", help="Decide as at this date/datetime (naive = the register's timezone).")(f)
    f = click.option("--database", "database", metavar="URL", help="Database URL (default sqlite:///commitment-bot.db, env DATABASE_URL).")(f)
    return click.option("--file", "file", metavar="PATH", type=click.Path(path_type=Path), help="Register file or directory (default ./commitments.yaml, env COMMITMENTS_FILE).")(f)


class Context:
    """What every command needs, opened lazily: settings, the register, the store."""

    def __init__(self, file: Path | None, database: str | None, now_text: str | None) -> None:
        from bot.shell.settings import from_env

        self.settings = from_env()
        self.path = file or Path(self.settings.commitments_file)
        if database is not None and not database.strip():
            from storage.db import EXAMPLES

            raise Failure(f"the database URL is empty: give --database or DATABASE_URL ({EXAMPLES})")
        self.database = database or self.settings.database_url
        self.now_text = now_text
        self._store: Any = None
        self.problems: tuple[Any, ...] = ()  # a broken register's problems, when the last good one is used

    @property
    def store(self) -> Any:
        if self._store is None:
            from storage.db import DatabaseProblem, connect
            from storage.repository import Store

            try:
                self._store = Store(connect(self.database))
            except DatabaseProblem as e:
                raise Failure(str(e)) from None
        return self._store

    def database_exists(self) -> bool:
        """A SQLite file that does not exist yet is not created for a register that fails validation."""
        from sqlalchemy.engine import make_url

        url = make_url(self.database)
        return url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:" \
            or Path(url.database).exists()

    def register(self, use_cache: bool = True, sources: Any = None) -> tuple[Any, str]:
        """The register; when the file is broken, the last valid one with a warning (SPEC §6.5),
        so one bad edit never stops alerts, status or recording for everyone."""
        from bot.shell.registerfile import read

        cached = self.store.cached_register if use_cache and self.database_exists() else None
        loaded = read(self.path, cached, sources)
        if loaded.register is not None:
            return loaded.register, loaded.source_hash
        for p in loaded.problems:
            click.echo(str(p), err=True)
        good = None
        if self.database_exists():
            from storage.heartbeat import last_good_register

            good = last_good_register(self.store)
        if good is None:
            raise Failure(f"{len(loaded.problems)} problem(s) in the register; nothing was changed")
        self.problems = loaded.problems
        click.echo(f"warning: {len(loaded.problems)} problem(s) in {self.path}: working from the last valid "
                   "register until they are fixed (commitment-bot validate)", err=True)
        return good

    def wall(self, timezone: str) -> datetime:
        from zoneinfo import ZoneInfo

        return datetime.now(UTC).astimezone(ZoneInfo(timezone))

    def refuse_time_travel(self, register: Any, now: datetime) -> None:
        """A real run with --now must not send stale news nor use up tomorrow's alerts (SPEC §6.5)."""
        if self.now_text is None:
            return
        from bot.shell.service import time_travel_problem

        problem = time_travel_problem(self.store, now, self.wall(register.timezone))
        if problem:
            raise Failure(problem)

    def now(self, timezone: str) -> datetime:
        from zoneinfo import ZoneInfo

        if self.now_text is None:
            return self.wall(timezone)
        try:
            value = datetime.fromisoformat(self.now_text)
        except ValueError:
            raise Failure(f'--now "{self.now_text}" is not an ISO date or datetime (e.g. 2022-09-09T09:00)') from None
        return value.replace(tzinfo=ZoneInfo(timezone)) if value.tzinfo is None else value


def _iso_date(value: str | None, what: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Failure(f'{what} "{value}" must be a date written YYYY-MM-DD') from None


@main.command()
@common
def validate(file: Path | None, database: str | None, now_text: str | None) -> None:
    """Check the register; print FILE:LINE:COL: message for every problem (exit 1 if any).

    Example: commitment-bot validate --file commitments.yaml
    """
    from bot.shell.registerfile import read

    ctx = Context(file, database, now_text)
    loaded = read(ctx.path)
    for p in loaded.problems:
        click.echo(str(p))
    if loaded.problems:
        raise Failure(f"{len(loaded.problems)} problem(s) in {ctx.path}")
    assert loaded.register is not None
    click.echo(f"ok: {len(loaded.register.commitments)} commitments in {ctx.path}")


@main.command()
@click.argument("phrase")
@click.option("--made-on", help="The day the promise was made (YYYY-MM-DD), for phrases without a year.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def when(phrase: str, made_on: str | None, as_json: bool) -> None:
    """Show how a promised time is read.

    Example: commitment-bot when "end August" --made-on 2022-02-21
    """
    from bot.dates import UnreadableDate, describe, resolve

    made = _iso_date(made_on, "--made-on")
    try:
        w = resolve(phrase, made)
    except UnreadableDate as e:
        raise Failure(str(e)) from None
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    if as_json:
        click.echo(json.dumps({"phrase": phrase, "made_on": iso(made), "kind": w.kind, "earliest": iso(w.earliest),
                               "latest": iso(w.latest), "deadline": iso(w.deadline)}))
    else:
        deadline = f"deadline {w.deadline.isoformat()}" if w.deadline else "no deadline (check-in applies)"
        click.echo(f'"{phrase}" → {w.kind}: {describe(w)}; {deadline}')


@main.command()
@common
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--state", "only", help="Only commitments in this state (e.g. lapsed).")
def status(file: Path | None, database: str | None, now_text: str | None, as_json: bool, only: str | None) -> None:
    """A table of all commitments: state, deadline, days overdue, slips, last update.

    Example: commitment-bot status --state lapsed
    """
    from bot.states import SEVERITY
    from bot.status import summarise

    if only is not None and only not in SEVERITY:
        from bot.problems import did_you_mean

        raise Failure(f'--state "{only}" is not a state{did_you_mean(only, SEVERITY) or " (one of: " + ", ".join(SEVERITY) + ")"}')
    ctx = Context(file, database, now_text)
    register, source_hash = ctx.register()
    now = ctx.now(register.timezone)
    ctx.store.sync(register, source_hash, now)
    rows = summarise(register, ctx.store.recorded_updates(), now, ctx.store.first_seen())
    rows = [r for r in rows if only is None or r.state == only]
    if as_json:
        click.echo(json.dumps([r.to_json() for r in rows], indent=2))
        return
    from bot.shell.text.status import render_status

    click.echo(render_status(rows, now, colour=sys.stdout.isatty()))
    from storage.heartbeat import heartbeat_status

    if line := heartbeat_status(ctx.store, now):
        click.echo(line)
    from bot.shell.text.status import render_abandoned, render_held, render_undelivered

    if problems := ctx.store.undelivered():
        click.echo(render_undelivered(problems))
    if held := ctx.store.held():
        click.echo(render_held(held))
    lease = timedelta(seconds=ctx.settings.claim_lease_seconds)
    if abandoned := ctx.store.abandoned(datetime.now(UTC) - lease):
        click.echo(render_abandoned(abandoned))


@main.command()
@common
@click.option("--dry-run", is_flag=True, help="Decide and print, but record and send nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print only a JSON document on stdout.")
def check(file: Path | None, database: str | None, now_text: str | None, dry_run: bool, as_json: bool) -> None:
    """Sync the register, decide what is due, deliver it. The job cron or the scheduler runs.

    Example: commitment-bot check --now 2022-09-09T09:00 --json
    """
    import notifiers
    from bot.shell.registerfile import fingerprint, read_sources
    from bot.shell.service import check as run_check
    from bot.shell.service import check_asleep

    ctx = Context(file, database, now_text)
    sources = read_sources(ctx.path)
    texts, unreadable = sources
    stream = sys.stderr if as_json else sys.stdout
    lease = ctx.settings.claim_lease_seconds
    channels, done = None, None
    if not unreadable and ctx.database_exists():  # the last check may have left every commitment quiet
        channels = notifiers.build(ctx.settings, stream, ctx.store)
        done = check_asleep(ctx.store, fingerprint(texts), ctx.now, channels, dry_run, lease)
    if done is None:
        register, source_hash = ctx.register(sources=sources)  # a broken file: the last valid register
        now = ctx.now(register.timezone)
        if not dry_run:
            ctx.refuse_time_travel(register, now)
        channels = channels if channels is not None else notifiers.build(ctx.settings, stream, ctx.store)
        result = run_check(ctx.store, register, source_hash, now, channels, dry_run, lease)
    else:
        result, now = done
    if as_json:
        click.echo(json.dumps({"now": now.isoformat(), "dry_run": dry_run, "notifications": [
            {"id": d.commitment_id, "kind": d.kind, "deadline": d.deadline.isoformat() if d.deadline else None,
             "n": d.n, "period": d.period, "targets": list(t), "routed": list(d.routed),
             "held": list(result.held.get(d.ident, ()))}
            for d, t in result.decisions]}))
    elif dry_run:
        from notifiers.console import render

        for d, t in result.decisions:
            click.echo(f"{render(d.alert)}\n  (would go to: {', '.join(t)})\n")
    r = result.delivery
    summary = f"checked {result.checked}, decided {len(result.decisions)}"
    if r is not None:
        summary += f", sent {r.sent}, queued {r.queued}, failed {r.failed}"
    click.echo(summary + (" (dry run)" if dry_run else ""), err=True)
    _tell_what_failed(result)
    if ctx.problems or result.undecidable:
        raise Failure(f"{len(ctx.problems)} problem(s) in the register and {len(result.undecidable)} commitment(s) "
                      "that could not be decided; everything else was checked and delivered")
    if result.undelivered:
        raise Undelivered(f"{result.undelivered} notification(s) could not be delivered; they stay queued "
                          "and are retried (commitment-bot status says why)")


def _tell_what_failed(result: Any) -> None:
    """Each target that failed and why, in the check's own output (not only in `status`)."""
    for u in result.undecidable:
        click.echo(f"error: could not decide {u.commitment_id}: {u.reason}", err=True)
    reasons: dict[tuple[str, str], int] = {}
    for w in result.waiting:
        key = (w.target, w.last_error or "waiting for its retry time")
        reasons[key] = reasons.get(key, 0) + 1
    for (target, why), count in reasons.items():
        click.echo(f"not delivered: {target}: {why} ({count} alert{'s' if count != 1 else ''})", err=True)
    held = {t for targets in result.held.values() for t in targets}
    if held:
        click.echo(f"held until configured: {', '.join(sorted(held))} — set its settings (see README) and the "
                   "alerts still current then are delivered", err=True)


@main.command(name="update")
@click.argument("commitment_id", metavar="ID")
@common
@click.option("--note", required=True, help="What happened, in a sentence.")
@click.option("--on", "on_text", help="The day it happened (default: today, or --now).")
@click.option("--status", "new_status", help="open, delivered, partly-delivered, dropped or superseded.")
@click.option("--due", help="A revised promised time, in the government's words (a slip if later).")
@click.option("--period", help="For recurring commitments: the period this answers, e.g. 2025-26.")
@click.option("--source", help="A link to the evidence.")
@click.option("--by", "by", help="Who recorded it.")
@click.option("--future", is_flag=True, help="Allow an --on date after today (a promise of news, not news).")
def record_update(commitment_id: str, file: Path | None, database: str | None, now_text: str | None, note: str,
                  on_text: str | None, new_status: str | None, due: str | None, period: str | None,
                  source: str | None, by: str | None, future: bool) -> None:
    """Record an update (news, a slip, a delivery) for a commitment.

    Example: commitment-bot update mvp-implement-by-end-august-2022 --note "Still not published" --source https://...
    """
    from bot.recording import UpdateRequest, check_update

    ctx = Context(file, database, now_text)
    register, source_hash = ctx.register()
    now = ctx.now(register.timezone)
    request = UpdateRequest(commitment_id, _iso_date(on_text, "--on") or now.date(), note, due, new_status,
                            period, source, by)
    problem = check_update(register, request)
    if problem:
        raise Failure(problem)
    if request.on > now.date() and not future:
        raise Failure(f"--on {request.on.isoformat()} is after today ({now.date().isoformat()}): an update records "
                      "what has happened; give --future if you mean it")
    ctx.store.sync(register, source_hash, now)
    row = ctx.store.add_update(request.commitment_id, request.on, note.strip(), due, new_status, period, source,
                               by, now)
    click.echo(f"recorded update {row} for {commitment_id} on {request.on.isoformat()}")


@main.command()
@click.argument("commitment_id", metavar="ID")
@common
def history(commitment_id: str, file: Path | None, database: str | None, now_text: str | None) -> None:
    """Every promised date, slip and update of one commitment.

    Example: commitment-bot history mvp-implement-by-end-august-2022
    """
    from zoneinfo import ZoneInfo

    from bot.shell.text.history import render_history

    ctx = Context(file, database, now_text)
    register, source_hash = ctx.register()
    now = ctx.now(register.timezone)
    ctx.store.sync(register, source_hash, now)
    commitment = register.by_id().get(commitment_id)
    archived = ctx.store.archived(commitment_id)
    if commitment is None and archived is None:
        from bot.problems import did_you_mean

        raise Failure(f'no commitment "{commitment_id}"{did_you_mean(commitment_id, register.by_id())}')
    recorded = ctx.store.recorded_updates([commitment_id]).get(commitment_id, [])
    click.echo(render_history(commitment, archived, recorded, now.astimezone(ZoneInfo(register.timezone))))


@main.group()
def db() -> None:
    """Database maintenance.

    Example: commitment-bot db upgrade
    """


@db.command()
@click.option("--database", metavar="URL", help="Database URL (default sqlite:///commitment-bot.db, env DATABASE_URL).")
def upgrade(database: str | None) -> None:
    """Apply database migrations (also done automatically on first use).

    Example: commitment-bot db upgrade --database postgresql+psycopg://bot@localhost/bot
    """
    from storage.db import HEAD, connect

    ctx = Context(None, database, None)
    connect(ctx.database)
    click.echo(f"database at revision {HEAD}")


def _load_extensions() -> None:
    import importlib

    for name in EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            continue
        module.register(main)


_load_extensions()
