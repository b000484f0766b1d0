"""`commitment-bot history ID`: one commitment's promised dates, slips and updates (bot.shell.text.history)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click

from bot.shell.cli.app import App, Failure, pass_app, register_options

if TYPE_CHECKING:
    from bot.register.model import Action, Commitment, Retraction, Update
    from storage.register import Versions


@click.command()
@click.argument("commitment_id", metavar="ID")
@register_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON: every track's promises and slips, and the updates.")
@pass_app
def history(app: App, commitment_id: str, as_json: bool) -> None:
    """Every promised date, slip and update of one commitment.

    \b
    Example: commitment-bot history mvp-implement-by-end-august-2022
    """
    from zoneinfo import ZoneInfo

    from bot.shell.text.history import from_text, render_history

    register, now = app.synced()
    commitment = register.by_id().get(commitment_id)
    stored = app.store.register.versions(commitment_id, from_text)
    if commitment is None and stored is None:
        from bot.register.problems import did_you_mean

        raise Failure(f'no commitment "{commitment_id}"{did_you_mean(commitment_id, register.by_id())}')
    counted, withdrawn = app.store.updates.recorded_and_retracted([commitment_id], register.quarters)
    recorded, retracted = counted.get(commitment_id, []), withdrawn.get(commitment_id, [])  # one read for both
    if as_json:
        _print_json(app, commitment or (stored.last if stored else None), stored, recorded, retracted,
                    now.astimezone(ZoneInfo(register.timezone)))
        return
    click.echo(render_history(commitment, stored, recorded, now.astimezone(ZoneInfo(register.timezone)),
                              retracted, app.store.actions.recorded([commitment_id]).get(commitment_id, [])))


def _print_json(app: App, commitment: Commitment | None, stored: Versions | None, recorded: list[Update],
                retracted: list[Retraction], now: datetime) -> None:
    """The same facts as the text, as JSON (bot.shell.publish.history_json): the site reads them too."""
    import json

    from bot.shell.publish.chronicle import chronicle
    from bot.shell.publish.history_json import history_json
    from bot.shell.publish.inputs import Entry

    if commitment is None:
        raise Failure("its stored text no longer reads: no history to show")
    from bot.decide.timeline import every_action

    entry = Entry(commitment, tuple(recorded), stored.archived_at if stored else None,
                  app.store.register.first_seen([commitment.id]).get(commitment.id))
    shown = history_json(chronicle(entry, now))
    taken = every_action(commitment, app.store.actions.recorded([commitment.id]).get(commitment.id, []))
    shown["actions"] = [_action_json(a) for a in taken]  # the team's own, as the text lists them (SPEC §7.3)
    shown["retracted"] = [{"update": r.update.recorded, "date": r.update.on.isoformat(), "note": r.update.note,
                           "due": r.update.due, "said_by": r.update.said_by, "status": r.update.status,
                           "recorded_by": r.update.recorder, "why": r.why, "retracted_at": r.at.isoformat()}
                          for r in retracted]
    click.echo(json.dumps(shown, indent=2))


def _action_json(a: Action) -> dict[str, object]:
    """A snooze, a chase or a reply recorded: the team's action, never an update (`kind` says which)."""

    held = ("chased", a.until) if a.kind == "reply" else ("until", a.until)  # a reply: the day of its chase
    fields = {"kind": a.kind, "date": a.on.isoformat(), "period": a.period,
              held[0]: held[1].isoformat() if held[1] else None, "how": a.how, "ref": a.ref, "to": a.to,
              "reply_due": a.reply_due.isoformat() if a.reply_due else None, "note": a.note,
              "recorded_by": a.recorder, "database_id": a.recorded}  # a name, never a bare Slack id (SPEC §7.2)
    return {k: v for k, v in fields.items() if v is not None or k == "recorded_by"}  # who: always said, null if unknown
