"""`commitment-bot export updates [--write]`: the register file catches up with recorded updates
(SPEC §6.1; bot.shell.catchup does the work)."""

from __future__ import annotations

import click

from bot.decide.words import number
from bot.shell.cli.app import App, Failure, pass_app, register_options


@click.command("updates")
@register_options
@click.option("--write", is_flag=True, help="Merge them into the register file(s), keeping comments and layout.")
@pass_app
def updates(app: App, write: bool) -> None:
    """Print every update recorded outside the register file (CLI or Slack), or --write them into it.

    Once in the file they are the same updates (same identity), so nothing is told twice.

    \b
    Example: commitment-bot export updates --write && git diff commitments.yaml
    """
    from bot.shell import catchup  # the YAML round trip is loaded only by the command that needs it
    from bot.shell.registerfile import read_sources

    sources = read_sources(app.path)  # read once: what is written into is what the register was read from
    register, source_hash = app.register(sources)
    if app.problems:
        raise Failure("the register file has problems (commitment-bot validate): fix them before writing into it")
    now = app.now(register.timezone)
    app.store.register.sync(register, source_hash, now)
    items = catchup.pending(register, app.store.updates.recorded(None, quarters=register.quarters),
                            app.store.actions.recorded())
    if not items:
        click.echo("the register file already holds every recorded update and action", err=True)
        return
    if not write:
        click.echo(catchup.show(items), nl=False)
        click.echo(f"{_count(sum(p.key == 'updates' for p in items), len(items))} not in the register file; "
                   "--write merges them", err=True)
        return
    done = catchup.write(sources[0], register, items)
    for name, n in done.files.items():  # in the preview's words
        click.echo(f"{name}: added {_count(done.kinds.get(name, {}).get('updates', 0), n)}", err=True)
    for cid, why in sorted(done.left.items()):
        click.echo(f"{cid}: not written: {why}", err=True)
    if done.refused or done.left:
        unwritten = len(items) - sum(done.files.values())
        raise Failure(f"{done.refused + '; ' if done.refused else ''}{unwritten} update(s) not written: they are "
                      "still recorded, and `commitment-bot export updates` prints them")


def _count(updates: int, entries: int) -> str:
    """"1 recorded update and 2 actions by the team": `entries` counts both."""
    parts = [number(updates, "recorded update") if updates else "",
             f"{number(entries - updates, 'action')} by the team" if entries > updates else ""]
    return " and ".join(p for p in parts if p)
