"""`commitment-bot CHANNEL test TARGET` for every channel whose registry line has a `test` hook
(notifiers.base.Channel): a new channel's setup check comes with its package, not a CLI module.

Slack and email keep their own `slack test` / `email test` (bot/shell/cli/slack.py, email.py),
which do more than post: this adds a group only for a channel the CLI has no command for yet.
"""

from __future__ import annotations

import click

from bot.shell.cli.app import UNUSED, App, Failure, Undelivered, pass_app, register_options_with
from notifiers import CHANNELS
from notifiers.base import Channel


def add_to(main: click.Group) -> None:
    for channel in CHANNELS.values():
        if channel.test is not None and channel.name not in main.commands:
            main.add_command(group(channel))


def group(channel: Channel) -> click.Group:
    name, example = channel.name, channel.example

    @click.group(name=name, help=f"{name.capitalize()}: check the channel's setup.\n\n"
                                 f"Example: commitment-bot {name} test {example}")
    def setup() -> None:
        pass

    @setup.command("test", help=f"Post a test message to TARGET (as a route names it under `{name}:`) and explain "
                                f"any failure in plain words.\n\nExample: commitment-bot {name} test {example}")
    @click.argument("target")
    @register_options_with(file=UNUSED, database=UNUSED, now=UNUSED)
    @pass_app
    def test(app: App, target: str) -> None:
        why = channel.check_target(target)
        if why is not None:
            raise Failure(why)
        assert channel.test is not None
        checked = channel.test(app.settings, target)
        if checked.ok:
            click.echo(checked.said)
        elif checked.permanent:
            raise Failure(checked.said)
        else:
            raise Undelivered(f"error: {checked.said}")

    return setup
