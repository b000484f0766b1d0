"""`commitment-bot check`, the job cron or the scheduler runs: bot.shell.usecases.check_file does
the work (ending in `usecases.check`, which the scheduler runs too); this prints what was decided and why anything was left undone, and sets the exit code."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

import click

from bot.shell.cli.app import App, Failure, Undelivered, held_until_configured, pass_app, register_options

if TYPE_CHECKING:
    from bot.shell.service import CheckResult


@click.command()
@register_options
@click.option("--dry-run", is_flag=True, help="Decide and print, but record and send nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print only a JSON document on stdout.")
@pass_app
def check(app: App, dry_run: bool, as_json: bool) -> None:
    """Sync the register, decide what is due, deliver it. The job cron or the scheduler runs.

    \b
    Example: commitment-bot check --now 2022-09-09T09:00 --dry-run --json
    """
    result, now = _check(app, dry_run, sys.stderr if as_json else sys.stdout)
    if as_json:
        click.echo(json.dumps({"now": now.isoformat(), "dry_run": dry_run, "notifications": _notifications(result)}))
    elif dry_run:
        from notifiers.console import render

        for d, t in result.decisions:
            held = result.held.get(d.ident, ())
            waits = f"; held until configured: {', '.join(held)}" if held else ""
            click.echo(f"{render(d.alert)}\n  (would go to: {', '.join(t)}{waits})\n")
    r = result.delivery
    decided = len(result.decisions)
    summary = f"checked {result.checked} commitments: {decided} alert{'' if decided == 1 else 's'} decided"
    if r is not None:
        from bot.shell.delivery import in_words

        summary += f"; {in_words(r)}"
    click.echo(summary + (" (dry run)" if dry_run else ""), err=True)
    _tell_what_failed(result, dry_run)
    if result.sync.archived_ids:
        click.echo(f"archived: {', '.join(result.sync.archived_ids)} — removed from the register, kept with their "
                   "history (commitment-bot history ID); put one back in the register to restore it", err=True)
    if app.problems or result.undecidable:
        raise Failure(f"{len(app.problems)} problem(s) in the register and {len(result.undecidable)} commitment(s) "
                      "that could not be decided; everything else was checked and delivered")
    if result.undelivered:
        raise Undelivered(f"{result.undelivered} notification(s) could not be delivered; they stay queued "
                          "and are retried (commitment-bot status says why)")


def _check(app: App, dry_run: bool, stream: TextIO) -> tuple[CheckResult, datetime]:
    """The file's text is read first: when the last check left it all quiet, it is never parsed."""
    import notifiers
    from bot.shell.registerfile import fingerprint, read_sources
    from bot.shell.usecases import check_file

    sources = read_sources(app.path)
    texts, unreadable = sources
    asleep_key = fingerprint(texts) if not unreadable and app.database_exists() else None
    return check_file(asleep_key, open_store=lambda: app.store,
                      build_channels=lambda: notifiers.build(app.settings, stream, app.store.threads),
                      read_register=lambda: app.register(sources=sources), now_in=app.now,
                      guard=app.refuse_time_travel, dry_run=dry_run, lease_seconds=app.settings.claim_lease_seconds)


def _notifications(result: CheckResult) -> list[dict[str, Any]]:
    """SPEC §4's `check --json` list: what this run sent, or with --dry-run would send."""
    return [{"id": d.commitment_id, "kind": d.kind, "deadline": d.deadline.isoformat() if d.deadline else None,
             "n": d.n, "period": d.period, "targets": list(t), "routed": list(d.routed),
             "held": list(result.held.get(d.ident, ()))}
            for d, t in result.decisions]


def _tell_what_failed(result: CheckResult, dry_run: bool) -> None:
    """Each target that failed and why, in the check's own output (not only in `status`)."""
    for u in result.undecidable:
        click.echo(f"error: could not decide {u.commitment_id}: {u.reason}", err=True)
    reasons: dict[tuple[str, str], int] = {}
    for w in result.waiting:
        key = (w.target, w.last_error or "waiting for its retry time")
        reasons[key] = reasons.get(key, 0) + 1
    for (target, why), count in reasons.items():
        click.echo(f"not delivered: {target}: {why} ({count} alert{'s' if count != 1 else ''})", err=True)
    others: dict[str, int] = {}
    for w in result.elsewhere:
        others[w.target] = others.get(w.target, 0) + 1
    if others:
        count = sum(others.values())
        click.echo(f"{count} alert{'s' if count != 1 else ''} being delivered by another run "
                   f"({', '.join(f'{t}: {n}' for t, n in others.items())}): that run sends them or keeps them "
                   "queued; not a failure of this one", err=True)
    if held := held_until_configured(result.held, dry_run):
        click.echo(held, err=True)
