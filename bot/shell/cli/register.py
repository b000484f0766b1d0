"""`commitment-bot validate` and `commitment-bot when`: the register and the promised times, as the
library reads them (bot.shell.registerfile, bot.dates)."""

from __future__ import annotations

import json

import click

from bot.shell.cli.app import App, Failure, iso_date, pass_app, register_options


@click.command()
@register_options
@pass_app
def validate(app: App) -> None:
    """Check the register; print FILE:LINE:COL: message for every problem (exit 1 if any).

    Example: commitment-bot validate --file commitments.yaml
    """
    from bot.shell.registerfile import read

    loaded = read(app.path)
    for p in loaded.problems:
        click.echo(str(p))
    if loaded.problems:
        raise Failure(f"{len(loaded.problems)} problem(s) in {app.path}")
    assert loaded.register is not None
    click.echo(f"ok: {len(loaded.register.commitments)} commitments in {app.path}")


@click.command()
@click.argument("phrase")
@click.option("--made-on", help="The day the promise was made (YYYY-MM-DD), for phrases without a year.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def when(phrase: str, made_on: str | None, as_json: bool) -> None:
    """Show how a promised time is read.

    Example: commitment-bot when "end August" --made-on 2022-02-21
    """
    from bot.dates import UnreadableDate, describe, resolve

    made = iso_date(made_on, "--made-on")
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
