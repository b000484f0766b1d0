"""`commitment-bot sandbox` (SPEC §7.7): try the bot's Slack, mail and watch without a workspace.

`sandbox` starts the local stand-ins and shows what arrives; `sandbox click` and `sandbox slash`,
run in another terminal with the sandbox's settings, are a person's hand in its Slack. The work is in
bot/shell/sandbox/; its libraries are imported inside the commands, so `--help` stays instant.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from bot.shell.cli.app import App, Failure, pass_app, register_options_with

URL = "COMMITMENT_BOT_SANDBOX_URL"
ITS_OWN = register_options_with(  # SPEC §4 has every command accept them; the sandbox uses none (see its help)
    file="Not used: the sandbox reads no register; give --file to the commands run with its settings.",
    database="Not used: the sandbox keeps its own fresh database in --dir (the DATABASE_URL it prints), so "
             "trying it never touches another.",
    now="Not used: give --now to the commands run with its settings (e.g. `slack serve --now`).")
BY_THE_APP = register_options_with(  # what the Slack app reads: the register, the database and its today
    file="Not used: the Slack app running with the sandbox's settings reads the register.",
    database="Not used: the Slack app running with the sandbox's settings records in its database.",
    now="Not used: the Slack app answers as at its own today, a form's date too (`slack serve --now` sets it).")



@click.group(invoke_without_command=True)
@click.option("--dir", "folder", default="sandbox", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where the page of channels (index.html) and the sandbox's own database go.")
@click.option("--env-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the environment lines here, to load in another terminal with `. ./FILE`.")
@click.option("--port-base", type=click.IntRange(1024, 65529),
              help="Listen on PORT_BASE to PORT_BASE+5 instead of free ports, so the lines stay the same.")
@ITS_OWN
@click.pass_context
def sandbox(ctx: click.Context, folder: Path, env_file: Path | None, port_base: int | None) -> None:
    """Start local stand-ins of every service the bot talks to (Slack, SMTP, GOV.UK, Parliament and
    each other channel's) on 127.0.0.1, print the settings that point the bot at them, and show
    what each channel and mailbox receives until Ctrl-C.

    The sandbox keeps its own database in --dir, fresh at each start, and reads no register: it
    accepts --file, --database and --now, as every command does, and ignores them; give them to
    the commands run in another terminal with its settings.

    \b
    Example: commitment-bot sandbox --env-file sandbox.env
    """
    if ctx.invoked_subcommand is not None:
        return
    app = ctx.ensure_object(App)
    given = [name for name, value in (("--file", app.file), ("--database", app.database_option),
                                      ("--now", app.now_text)) if value is not None]
    if given:
        click.echo(f"note: the sandbox ignores {' and '.join(given)}: it keeps its own fresh database in {folder}/ (the "
                   "DATABASE_URL it prints) and reads no register; give them to the commands run with its settings",
                   err=True)
    from bot.shell.process import stop_on_signals
    from bot.shell.sandbox.run import serve
    from bot.shell.sandbox.stage import NotASandbox

    try:
        serve(folder, env_file, port_base, sys.stdout, stop_on_signals)
    except NotASandbox as e:
        raise Failure(str(e)) from None
    except OSError as e:
        raise Failure(f"could not listen on 127.0.0.1 ({e.strerror or e}): choose another --port-base") from None


class Clicking(click.Command):
    """`sandbox click`, whose BUTTONs are every button the bot puts under a message, named once in the
    Slack channel's own notifiers/slack/ids.py: read when the command is used or its help shown, not
    when the CLI loads, so that every other command runs without the Slack channel."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            from notifiers.slack.ids import BUTTONS
        except ModuleNotFoundError:
            raise Failure("the Slack channel (notifiers/slack) is not installed: there is no button to click") from None
        self.params[0].type = click.Choice(BUTTONS)
        self.epilog = f"BUTTON is one of: {', '.join(BUTTONS)}."
        return super().make_context(info_name, args, parent, **extra)


@sandbox.command("click", cls=Clicking)
@click.argument("action", metavar="BUTTON")
@click.option("--commitment", "commitment", required=True, metavar="ID", help="The commitment the button is about.")
@click.option("--lead", type=int, help="For confirm_lead and dismiss_lead: which lead (its number in `leads`).")
@click.option("--note", help="The form's 'What happened' (for confirm_lead, the lead's title is filled in; for "
              "draft_follow_up, the chase's note; for record_reply, the reply's).")
@click.option("--on", metavar="YYYY-MM-DD", help="The form's date (default: as the form opens, today for the app).")
@click.option("--due", metavar="PHRASE", help="The new promised time, in the government's words.")
@click.option("--said-by", "said_by", metavar="NAME", help="Who gave the new words (the form's 'Who said it').")
@click.option("--deadline", metavar="YYYY-MM-DD", help="A deadline, when the words do not read.")
@click.option("--status", help="A new status (delivered, partly-delivered, dropped, superseded, open).")
@click.option("--source", metavar="URL", help="The evidence link.")
@click.option("--until", metavar="YYYY-MM-DD", help="Snooze: hold reminders up to and including this day.")
@click.option("--reason", help="Snooze: why.")
@click.option("--ref", help="Draft follow-up: the chase's reference, e.g. HL1234 (it is recorded as chased).")
@click.option("--to", help="Draft follow-up: whom the chase went to.")
@click.option("--link", metavar="URL", help="Record reply: a link to the reply (the chase is the alert's, the day today).")
@BY_THE_APP
@pass_app
def click_button(app: App, action: str, commitment: str, lead: int | None, **fields: str | None) -> None:
    """Click a BUTTON on the newest message about a commitment in the sandbox's Slack, fill the form
    it opens with the options given, submit it, and print what came back.

    The Slack app must be running with the sandbox's settings (`commitment-bot slack serve`, or `run`).

    \b
    Example: commitment-bot sandbox click record_update --commitment mvp-implement-by-end-august-2022 --note "Minister says spring 2027" --due "spring 2027" --said-by "An example minister"
    """
    values = {name: value for name, value in fields.items() if value is not None}
    _answer(app, "/click", {"action": action, "commitment": commitment, "lead": lead, "values": values})


@sandbox.command("slash")
@click.argument("text")
@click.option("--channel", default="#mvp-watch", show_default=True, help="The channel it is typed in.")
@BY_THE_APP
@pass_app
def slash(app: App, text: str, channel: str) -> None:
    """Type `/commitments TEXT` in the sandbox's Slack and print the app's answer.

    \b
    Example: commitment-bot sandbox slash "show mvp-implement-by-end-august-2022"
    """
    _answer(app, "/slash", {"text": text, "channel": channel})


def _answer(app: App, path: str, request: dict[str, object]) -> None:
    from bot.register.inert import inert
    from bot.shell.sandbox.control import ask

    url = app.settings.env.get(URL, "").strip()
    if not url:
        raise Failure(f"{URL} is not set: start `commitment-bot sandbox --env-file sandbox.env` and, in this "
                      "terminal, load its settings with `. ./sandbox.env`")
    answer = ask(url, path, request)
    for line in answer.lines:
        click.echo(inert(line))
    if not answer.ok:
        raise click.exceptions.Exit(1)
