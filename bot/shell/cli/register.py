"""`commitment-bot validate` and `commitment-bot when`: the register and the promised times, as the
library reads them (bot.shell.registerfile, bot.when.dates)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bot.dates import in_range, spec_kind
from bot.register.problems import Problem, visible
from bot.shell.cli.app import UNUSED, App, Failure, iso_date, pass_app, register_options_with

FORMATS = ("text", "github", "json")


@click.command()
@register_options_with(database=UNUSED, now=UNUSED)
@click.option("--format", "form", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: FILE:LINE:COL: message lines; github: GitHub Actions annotations; json: a list of problems.")
@pass_app
def validate(app: App, form: str) -> None:
    """Check the register; print FILE:LINE:COL: message for every problem (exit 1 if any).

    --format github prints each problem as a GitHub Actions `::error` annotation on its line;
    --format json prints a list of {"file", "line", "column", "message"} ([] when valid).

    \b
    Example: commitment-bot validate --file commitments.yaml --format github
    """
    from bot.shell.registerfile import read

    loaded = read(app.path)
    if form == "json":
        click.echo(json.dumps([{"file": p.file, "line": p.line, "column": p.column, "message": p.message}
                               for p in loaded.problems]))
    else:
        for p in loaded.problems:
            click.echo(annotation(p) if form == "github" else str(p))
    if loaded.problems:
        raise Failure(f"{len(loaded.problems)} problem(s) in {app.path}")
    assert loaded.register is not None
    if form != "json":
        click.echo(f"ok: {len(loaded.register.commitments)} commitments in {app.path}")


def annotation(p: Problem) -> str:
    """A GitHub Actions error annotation (`::error file=F,line=L,col=C::message`), escaped as the
    runner unescapes it: `%`, CR and LF in the message, and `,` and `:` too in a property. Any
    other control character is written as an escape, so register text never drives the log."""
    return (f"::error file={_escape(_relative(p.file), in_property=True)},line={p.line},col={p.column}"
            f"::{_escape(p.message)}")


def _escape(text: str, in_property: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if in_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return visible(text)


def _relative(file: str) -> str:
    """An absolute path under the working directory as a relative one, which GitHub resolves
    against the checkout (the runner's working directory); any other path as given."""
    path = Path(file)
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return path.relative_to(Path.cwd()).as_posix()
    return file


def _asked(e: Exception) -> str:
    """Why the phrase does not read, about the phrase asked: the reader words it for a register's
    `due "…"`, and no `due` was typed here."""
    said = str(e)
    return said[len("due "):] if said.startswith('due "') else said


@click.command()
@click.argument("phrase")
@click.option("--made-on", help="The day the promise was made (YYYY-MM-DD), for phrases without a year "
                                "(without it, such a phrase is read as if said today, and says so).")
@click.option("--quarters", type=click.Choice(("calendar", "financial")), default="calendar", show_default=True,
              help='How a quarter or half without a year ("Q4", "H1") is read, as the register\'s defaults.quarters '
                   "says: calendar (Q4 = Oct–Dec, H1 = Jan–Jun) or financial (Q4 = Jan–Mar, H1 = Apr–Sep).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--explain", is_flag=True,
              help="Also say which rule (or family beyond the table) read the phrase, the words it set aside, "
                   "and the calendar row used (Parliament's or the fiscal events') with its source.")
@register_options_with(file=UNUSED, database=UNUSED,
                       now="Today, for a phrase read without --made-on (default: the clock, in London).")
@pass_app
def when(app: App, phrase: str, made_on: str | None, quarters: str, as_json: bool, explain: bool) -> None:
    """Show how a promised time is read.

    A quarter with a financial year ("Q3 2024/25") is a financial quarter, with a calendar year
    ("Q3 2024") a calendar one; one without a year ("Q4"), and a half without one ("H1"), is read
    as --quarters says.
    --explain says how the phrase was read: the rule or family, the words set aside around a
    date, and for a calendar (Parliament's, or the fiscal events') the row used and its source.

    \b
    Example: commitment-bot when "end August" --made-on 2022-02-21

    \b
    Example: commitment-bot when "by the end of this Parliament" --made-on 2024-09-10 --explain
    """
    from bot.when.dates import UnreadableDate, describe
    from bot.when.dates import explain as read
    from bot.when.parliament import calendar_name

    made, today, why = iso_date(made_on, "--made-on"), None, "names no year"
    try:
        reading = read(phrase, made, quarters)
    except UnreadableDate as e:
        if made is not None:
            raise Failure(_asked(e)) from None
        made = today = app.now("Europe/London").date()  # "when is end August?" means the next one from today (or --now)
        why = "gives its year in two digits" if "two-digit year" in str(e) else why
        try:
            reading = read(phrase, made, quarters)
        except UnreadableDate:
            raise Failure(_asked(e)) from None
    try:
        w = in_range(phrase, reading.window)
    except UnreadableDate as e:
        raise Failure(_asked(e)) from None
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    if as_json:
        out = {"phrase": phrase, "made_on": iso(made), "kind": spec_kind(w), "earliest": iso(w.earliest),
               "latest": iso(w.latest), "deadline": iso(w.deadline)}
        if explain:
            out |= {"family": w.kind, "rule": reading.rule, "entry": reading.entry.describe() if reading.entry else None}
        click.echo(json.dumps(out))
        if today is not None:
            click.echo(f"note: made_on is {'the --now day' if app.now_text else 'today'} ({today.isoformat()}), since "
                       f"the phrase {why} and no --made-on was given", err=True)
    else:
        deadline = f"deadline {w.deadline.isoformat()}" if w.deadline else "no deadline (check-in applies)"
        click.echo(f'"{phrase}" → {w.kind}: {describe(w)}; {deadline}')
        if today is not None:
            click.echo(f"read as if said {'on the --now day' if app.now_text else 'today'} ({today:%-d %b %Y}), "
                       f"since it {why}: give --made-on to read it as on the day it was said")
        other = "financial" if quarters == "calendar" else "calendar"
        if read(phrase, made, other).window != w:  # a quarter or half without a year: the setting decides
            unit = "half" if w.kind == "half" else "quarter"
            click.echo(f"read as a {quarters} {unit}; set defaults.quarters: {other} in the register, "
                       f"or --quarters {other}, to read it as a {other} {unit}")
        if explain:
            click.echo(f"read by: {reading.rule}")
            if reading.entry:
                click.echo(f"{calendar_name(reading.entry)} row: {reading.entry.describe()}")
