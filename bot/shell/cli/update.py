"""`commitment-bot update ID --note ...`: record news, a slip or a delivery; bot.register.recording checks it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click

from bot.decide import words
from bot.shell.cli.app import App, Failure, iso_date, pass_app, register_options

if TYPE_CHECKING:
    from bot.register.model import Register


@click.command()
@click.argument("commitment_id", metavar="ID")
@register_options
@click.option("--note", help="What happened, in a sentence.")
@click.option("--retract", type=int, metavar="N",
              help="Withdraw recorded update N (its number in `history`): kept there as retracted, no longer counted.")
@click.option("--on", "on_text", help="The day it happened (default: today, or --now).")
@click.option("--status", "new_status", help="open, delivered, partly-delivered, dropped or superseded.")
@click.option("--due", help="A revised promised time, in the government's words (a slip if later).")
@click.option("--deadline", "deadline_text", metavar="YYYY-MM-DD",
              help="The revised deadline, when --due does not read (its words are kept) or to override its reading.")
@click.option("--period", help="For recurring commitments: the period this answers, e.g. 2025-26.")
@click.option("--source", help="A link to the evidence.")
@click.option("--said-by", "said_by", metavar="NAME",
              help="Who gave these words (the minister or official), when the source names them.")
@click.option("--context", is_flag=True,
              help="It is someone else's statement about the commitment (a commissioner, a charity, Parliament, "
                   "the press): listed as context, never counted as the owner's news. No --status, --due or --deadline.")
@click.option("--by", "by", help="Who recorded it (your name).")
@click.option("--future", is_flag=True, help="Allow an --on date after today (a promise of news, not news).")
@pass_app
def update(app: App, commitment_id: str, note: str | None, retract: int | None, on_text: str | None, new_status: str | None, due: str | None,
           deadline_text: str | None, period: str | None, source: str | None, said_by: str | None,
           by: str | None, context: bool, future: bool) -> None:
    """Record an update (news, a slip, a delivery) for a commitment.

    \b
    Example: commitment-bot update mvp-implement-by-end-august-2022 --note "Still not published" --source https://...

    Someone else's statement about it (a commissioner, a charity, Parliament) is --context: listed,
    labelled as context, and never the owner's news (a lapsed promise stays lapsed).

    A revised promise whose words do not read is kept as written with the deadline you give:
    --due "once parliamentary time allows" --deadline 2025-03-31. A mistake is withdrawn with --retract N
    (with --note saying why).
    """
    from bot.register.recording import UpdateRequest

    register, source_hash = app.register()
    now = app.now(register.timezone)
    if retract is not None:
        given = [name for name, value in (("--on", on_text), ("--status", new_status), ("--due", due),
                                          ("--deadline", deadline_text), ("--period", period), ("--source", source),
                                          ("--said-by", said_by), ("--by", by),
                                          ("--context", context or None)) if value is not None]
        if given:
            raise click.UsageError(f"--retract withdraws an update as it was; {', '.join(given)} cannot go with it "
                                   "(record a new update for that)")
        return _retract(app, register, commitment_id, retract, note, now)
    if note is None:
        raise click.UsageError("Missing option '--note': say what happened (or give --retract N to withdraw a "
                               "recorded update)")
    deadline = iso_date(deadline_text, "--deadline")
    request = UpdateRequest(commitment_id, iso_date(on_text, "--on") or now.date(), note, due, new_status,
                            period, source, by, deadline, said_by, context)
    from bot.shell import usecases

    row = usecases.record_update(app.store, register, source_hash, request, now, future=future)
    if isinstance(row, str):
        raise Failure(row)
    click.echo(f"recorded update #{row} for {commitment_id} on {words.written(request.on)} (in the database; "
               "`commitment-bot export updates --write` copies it into the register file)")
    click.echo(f"`commitment-bot history {commitment_id}` lists it; to withdraw a mistake: "
               f"commitment-bot update {commitment_id} --retract {row}")


def _retract(app: App, register: Register, commitment_id: str, row: int, why: str | None, now: datetime) -> None:
    from bot.shell import usecases

    problem = usecases.retract_update(app.store, register, commitment_id, row, why, now)
    if problem:
        raise Failure(problem)
    click.echo(f"retracted update #{row} of {commitment_id}: `commitment-bot history {commitment_id}` still shows it, "
               "marked retracted; it no longer counts, and the next check corrects its news wherever it was told")
