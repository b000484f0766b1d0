"""`commitment-bot export`: the register published as a static site, a calendar, a feed and a
table (SPEC §6.4; bot.shell.publish does the work)."""

from __future__ import annotations

from pathlib import Path

import click

from bot.shell.cli.app import App, Failure, pass_app, register_options

TITLE_HELP = 'The site\'s, calendar\'s or feed\'s title (default "Government commitments").'
BASE_HELP = "Where the site will be served from (https://…): makes permalinks and feed links absolute."


@click.group()
def export() -> None:
    """Export the register: site, calendar, feed, table, updates.

    \b
    Example: commitment-bot export site public/
    """


def _inputs(app: App, base_url: str | None):  # type: ignore[no-untyped-def]
    from bot.shell.publish.inputs import gather
    from bot.shell.publish.site import safe_href

    if base_url is not None and safe_href(base_url) is None:
        raise Failure(f'--base-url "{base_url}" must be an http(s) URL, e.g. https://example.org/commitments')
    register, now = app.synced()
    return gather(app.store, register, now)


@export.command()
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@register_options
@click.option("--title", default="Government commitments", help=TITLE_HELP)
@click.option("--base-url", metavar="URL", help=BASE_HELP)
@pass_app
def site(app: App, directory: Path, title: str, base_url: str | None) -> None:
    """Write a static site into DIR: index.html, a page per commitment (c/ID.html), no server needed.

    DIR is replaced whole: the site is written beside it and renamed into place. A DIR holding
    files the bot did not write (your register, say) is refused, never replaced.

    \b
    Example: commitment-bot export site public/   (then open public/index.html in any browser)
    """
    from bot.shell.publish.site import write_site
    from bot.shell.publish.swap import NotASite, check_target, swap_in

    try:
        check_target(directory.absolute())  # before reading anything: a refusal changes nothing
    except NotASite as e:
        raise Failure(str(e)) from None
    inputs = _inputs(app, base_url)
    written = swap_in(directory, lambda out: write_site(inputs, out, title, base_url), link=False)
    click.echo(f"wrote {written.pages} pages ({written.bytes / 1e6:.1f} MB; largest {written.largest[0]}, "
               f"{written.largest[1] / 1e3:.0f} KB) to {directory}/: open {directory / 'index.html'}")


@export.command()
@click.argument("target", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@register_options
@click.option("--title", default="Government commitments", help=TITLE_HELP)
@click.option("--base-url", metavar="URL", help=BASE_HELP)
@pass_app
def ics(app: App, target: Path, title: str, base_url: str | None) -> None:
    """Write an iCalendar file: one all-day event per current deadline, updated when it slips.

    \b
    Example: commitment-bot export ics deadlines.ics
    """
    from bot.shell.publish.ics import calendar

    _write(target, calendar(_inputs(app, base_url), title, base_url), "calendar")


@export.command()
@click.argument("target", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@register_options
@click.option("--title", default="Government commitments", help=TITLE_HELP)
@click.option("--base-url", metavar="URL", help=BASE_HELP)
@click.option("--limit", type=click.IntRange(min=1), help="Only the newest N entries.")
@pass_app
def atom(app: App, target: Path, title: str, base_url: str | None, limit: int | None) -> None:
    """Write an Atom feed: one entry per update, slip, lapse and closure, newest first.

    \b
    Example: commitment-bot export atom feed.xml --base-url https://example.org/commitments
    """
    from bot.shell.publish.atom import feed

    _write(target, feed(_inputs(app, base_url), title, base_url, limit, name=target.name), "feed")


@export.command(name="csv")
@click.argument("target", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@register_options
@pass_app
def csv_command(app: App, target: Path) -> None:
    """Write the status table as CSV: the `status --json` fields plus tags ("-" writes to stdout).

    \b
    Example: commitment-bot export csv commitments.csv
    """
    from bot.shell.publish.table import csv_text

    text = csv_text(_inputs(app, None))
    if str(target) == "-":
        click.echo(text, nl=False)
        return
    _write(target, text.encode("utf-8"), "table")


def _write(file: Path, data: bytes, what: str) -> None:
    """Write beside the file, then rename: a reader (a calendar app polling) never gets half of it."""
    import os
    import tempfile

    file.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, file)
    click.echo(f"wrote the {what} to {file} ({len(data) / 1e3:.0f} KB)")
