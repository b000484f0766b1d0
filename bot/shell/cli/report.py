"""`commitment-bot report`: the report for trustees (SPEC §7.6), a thin wrapper over bot.shell.report."""

from __future__ import annotations

from pathlib import Path

import click

from bot.shell.cli.app import App, Failure, Undelivered, iso_date, pass_app, register_options
from bot.shell.cli.email import needs_mail, tell_sending


@click.command()
@register_options
@click.option("--since", "since_text", metavar="YYYY-MM-DD",
              help="The first day it covers (default: where the last report sent stopped, else 30 days ago).")
@click.option("--to", "to", metavar="ADDRESS", multiple=True, help="Mail it to this address (repeat for more).")
@click.option("--dry-run", is_flag=True, help="Write the mail (.eml and .html) to --out instead of sending it.")
@click.option("--out", "out", type=click.Path(path_type=Path), help="Folder for --dry-run (default ./report-preview).")
@click.option("--force", is_flag=True, help="Send again to an address that had today's report.")
@pass_app
def report(app: App, since_text: str | None, to: tuple[str, ...], dry_run: bool, out: Path | None,
           force: bool) -> None:
    """A one-page report of the whole register for trustees: counts by state and type; what
    lapsed, slipped, was delivered or answered in the period; what the team chased and still
    awaits; the longest-overdue promises. Printed, or mailed with --to.

    \b
    Example: commitment-bot report --since 2026-11-01

    \b
    Example: commitment-bot report --to trustees@example.org
    """
    needs_mail("the trustees' report")
    from bot.shell.report import NoAddress, run_report
    from notifiers.email.smtp import MailError

    since = iso_date(since_text, "--since")
    register, now = app.synced(refuse_time_travel=bool(to) and not dry_run)
    if since is not None and since > now.date():
        raise Failure(f"--since {since} is after today ({now.date()}): a report covers days that have passed")
    try:
        done = run_report(app.store, register, now, app.settings, to=to, since=since, dry_run=dry_run, out_dir=out,
                          force=force, lease_seconds=app.settings.claim_lease_seconds)
    except (NoAddress, MailError) as e:
        raise Failure(str(e)) from None
    if done.text is not None:
        click.echo(done.text, nl=False)
        return
    tell_sending(done.written, done.notes, done.refused)
    if not dry_run:
        app.store.notifications.note_run(now)
        click.echo(f"report: sent {len(done.sent)}, already sent today {len(done.already_sent)}, "
                   f"not sent {len(done.refused)}", err=True)
    if done.refused:
        raise Undelivered(f"{len(done.refused)} report(s) could not be delivered; run `commitment-bot report` "
                          "again to retry")
