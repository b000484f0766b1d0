"""`commitment-bot schema`: the register's JSON Schema, for editors and CI (bot.register.schema builds it
from the loader's own rules; the channels are the ones the loader is given)."""

from __future__ import annotations

import json

import click

from bot.shell.cli.app import UNUSED, register_options_with


@click.command()
@register_options_with(file=UNUSED, database=UNUSED, now=UNUSED)
def schema() -> None:
    """Print the register's JSON Schema (draft 2020-12), for editors and check-jsonschema.

    It is built from the same rules `validate` applies. Point an editor at it with a first line
    `# yaml-language-server: $schema=commitments.schema.json`.

    \b
    Example: commitment-bot schema > commitments.schema.json
    """
    from bot.register.schema import build
    from notifiers import target_rules

    click.echo(json.dumps(build(target_rules()), indent=2, ensure_ascii=False))
