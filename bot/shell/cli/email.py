"""`commitment-bot digest` and `commitment-bot email test`: thin wrappers over bot.shell.digest and
the email channel (notifiers.email)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.shell.cli.app import UNUSED, App, Failure, Undelivered, pass_app, register_options, register_options_with

if TYPE_CHECKING:
    from bot.shell.digest import DigestReport


@click.command()
@register_options
@click.option("--dry-run", is_flag=True, help="Write each mail (.eml and .html) to --out instead of sending it.")
@click.option("--to", "to", metavar="ADDR", help="Only this recipient (with --dry-run: even if empty).")
@click.option("--force", is_flag=True, help="Send even an empty digest, or one already sent this week.")
@click.option("--out", "out", type=click.Path(path_type=Path), help="Folder for --dry-run (default ./digest-preview).")
@pass_app
def digest(app: App, dry_run: bool, to: str | None, force: bool, out: Path | None) -> None:
    """Build and send the email digest: per recipient, lapsed, slipped, due soon, silent, delivered.

    Sent once per recipient per ISO week; a re-run sends only what is still owed.

    \b
    Example: commitment-bot digest --dry-run --to coordinator@example.org
    """
    needs_mail("the weekly digest")
    from bot.shell.digest import UnknownRecipient, run_digest
    from notifiers.email.smtp import MailError

    register, now = app.synced(refuse_time_travel=not dry_run)
    try:
        report = run_digest(app.store, register, now, app.settings, to=to, force=force, dry_run=dry_run,
                            out_dir=out, lease_seconds=app.settings.claim_lease_seconds)
    except (UnknownRecipient, MailError) as e:
        raise Failure(str(e)) from None
    if not dry_run:
        app.store.notifications.note_run(now)
    _tell(report, dry_run)
    if report.undelivered:
        raise Undelivered(f"{report.undelivered} digest(s) could not be delivered; they stay owed and the next "
                          "`commitment-bot digest` this week retries them")


def needs_mail(what: str) -> None:
    """A Failure in one line, not an unexpected import error, when the email channel is not installed."""
    from bot.shell.bymail import NoMail, require_mail

    try:
        require_mail(what)
    except NoMail as e:
        raise Failure(str(e)) from None


def tell_sending(written: Iterable[Path], notes: Iterable[str], refused: Iterable[tuple[str, str, bool]]) -> None:
    """What a mailing command did, the digest's and the report's alike: files written on stdout;
    notes and refusals on stderr, where cron mails them."""
    for path in written:
        click.echo(f"wrote {path}")
    for note in notes:
        click.echo(f"note: {note}", err=True)
    for addr, why, permanent in refused:
        click.echo(f"not sent to {addr} ({'failed' if permanent else 'will retry'}): {why}", err=True)


def _tell(report: DigestReport, dry_run: bool) -> None:
    """The digest's files, notes and refusals, then its tally."""
    tell_sending(report.written, report.notes, report.refused)
    previews = sum(1 for path in report.written if path.suffix == ".eml")  # each mail is also written as .html
    done = f"previewed {previews}" if dry_run else f"sent {len(report.sent)}"
    click.echo(f"digest {report.period}{' (dry run)' if dry_run else ''}: {done}, already sent "
               f"{len(report.already_sent)}, nothing to report {len(report.empty)}, not sent {len(report.refused)}",
               err=True)


@click.group()
def email() -> None:
    """Email setup checks.

    \b
    Example: commitment-bot email test coordinator@example.org
    """


@email.command(name="test")
@click.argument("address")
@register_options_with(file=UNUSED, database=UNUSED, now=UNUSED)
@pass_app
def send_test(app: App, address: str) -> None:
    """Send a test mail through SMTP_URL and explain any failure in plain words.

    \b
    Example: commitment-bot email test coordinator@example.org
    """
    needs_mail("`email test`")
    from notifiers.email.messages import mail_setup, test_message
    from notifiers.email.smtp import Mailer, MailError, address_problem

    setup = mail_setup(app.settings)
    if problem := address_problem(address):
        raise Failure(problem)
    try:
        config = setup.require(": `email test` sends a real mail through it, so set it first")
        with Mailer(config) as mailer:
            mailer.send(test_message(setup, address), setup.sender, address)
    except MailError as e:
        if e.permanent:
            raise Failure(str(e)) from None
        raise Undelivered(f"error: {e}") from None
    click.echo(f"sent a test mail to {address} from {setup.sender} via {config.display}")
    # A server that accepts a mail has not delivered it: a spam filter downstream can still bin it.
    click.echo(f"The server accepted it, which does not prove it arrived: check the mailbox of {address}, and its "
               "spam or junk folder. If it is in neither, the mail server's log says what became of it.")
