"""`commitment-bot export updates [--write]`: the register file catches up with recorded updates
(SPEC §6.1; bot.shell.catchup does the work)."""

from __future__ import annotations

import click

from bot.shell.cli.app import App, Failure, pass_app, register_options


@click.command("updates")
@register_options
@click.option("--write", is_flag=True, help="Merge them into the register file(s), keeping comments and layout.")
@pass_app
def updates(app: App, write: bool) -> None:
    """Print every update recorded outside the register file (CLI or Slack), or --write them into it.

    Once in the file they are the same updates (same identity), so nothing is told twice.

    Example: commitment-bot export updates --write && git diff commitments.yaml
    """
    from bot.shell import catchup
    from bot.shell.registerfile import read_sources

    register, now = app.synced()
    if app.problems:
        raise Failure("the register file has problems (commitment-bot validate): fix them before writing into it")
    items = catchup.pending(register, app.store.recorded_updates(quarters=register.quarters))
    if not items:
        click.echo("the register file already holds every recorded update", err=True)
        return
    if not write:
        click.echo(catchup.show(items), nl=False)
        click.echo(f"{len(items)} recorded update(s) not in the register file; --write merges them", err=True)
        return
    texts, _ = read_sources(app.path)
    from pathlib import Path

    done, left = catchup.write([Path(name) for name, _ in texts], items)
    for path, n in done.items():
        click.echo(f"{path}: added {n} update(s)", err=True)
    if left:
        ids = sorted({p.commitment_id for p in left})
        raise Failure(f"{len(left)} update(s) not written, for {', '.join(ids)}: their `updates:` is a YAML alias "
                      "shared with another commitment or a flow list [...]; add them by hand "
                      "(commitment-bot export updates prints them)")
