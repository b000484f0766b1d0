"""`commitment-bot draft ID --as …` and `commitment-bot chase ID --how …`: from a lapsed promise
to a drafted question, letter or FOI request (the bot never sends it), and the team's record that
it chased, with the reply due worked out from the service standard (SPEC §7.3, §7.5)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import click

from bot.shell.cli.app import App, Failure, iso_date, pass_app, register_options

if TYPE_CHECKING:
    from bot.register.model import Register
    from bot.register.recording import ActionRequest

FORMS = ("written-question", "letter", "foi")
HOWS = ("written-question", "letter", "foi", "meeting", "other")


@click.command()
@click.argument("commitment_id", metavar="ID")
@register_options
@click.option("--as", "form", required=True, type=click.Choice(FORMS), help="The form of the chase.")
@click.option("--house", type=click.Choice(["commons", "lords"]),
              help="For a written question only: the House it goes to (default: commons, through an MP).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: to, subject, body, reply_due, sources.")
@pass_app
def draft(app: App, commitment_id: str, form: str, house: str | None, as_json: bool) -> None:
    """Draft a chase of a promise for a person to check and send: the bot never sends it.

    \b
    Example: commitment-bot draft mvp-implement-by-end-august-2022 --as written-question --house lords

    The draft quotes the promise word for word with who said it, when and where, names every
    slip, says how late it is, and follows its form: a written question in the House's own form, a
    letter to the responsible minister, or a request for recorded information under FOIA.
    """
    from bot.chase.answering import UnknownOwner
    from bot.chase.draft import DraftRefused
    from bot.register.problems import did_you_mean
    from bot.shell import usecases
    from bot.shell.drafts.render import as_json as draft_json
    from bot.shell.drafts.render import render

    _house_only_for_a_question("--as", form, house)
    register, now = app.synced()
    c = register.by_id().get(commitment_id)
    if c is None:
        raise Failure(f'no commitment "{commitment_id}"{did_you_mean(commitment_id, register.by_id())}')
    assumed = None
    if form == "written-question" and house is None:  # SPEC §7.5: --house is optional; most are tabled by an MP
        assumed = house = "commons"
    try:
        d = usecases.draft_chase(app.store, register, c, form, house, now)
    except (DraftRefused, UnknownOwner) as e:  # an owner the table does not hold: what to do, exit 1
        raise Failure(str(e)) from None
    if assumed:  # said on stderr, apart from the draft (and its JSON): `chase` needs the House too
        click.echo("no --house given: drafted for the House of Commons, for an MP to table (for a peer: --house lords). "
                   f"Once it is tabled, record it with `commitment-bot chase {c.id} --how written-question --house "
                   "commons --ref NUMBER`: without its House or number, `chase` counts no reply due.", err=True)
    click.echo(json.dumps(draft_json(d), indent=2, ensure_ascii=False) if as_json else render(d), nl=not as_json)
    if as_json:
        click.echo()


@click.command()
@click.argument("commitment_id", metavar="ID")
@register_options
@click.option("--how", type=click.Choice(HOWS), help="How the team chased (needed unless --replied).")
@click.option("--house", type=click.Choice(["commons", "lords"]),
              help="For a written question: the House it was tabled in (read from --ref when not given).")
@click.option("--ref", help="Its reference, e.g. HL1234 (a written question is then watched for its answer).")
@click.option("--to", "to", metavar="WHOM", help="Whom it went to.")
@click.option("--reply-due", "reply_due_text", metavar="YYYY-MM-DD",
              help="When an answer is due (default: from the service standard for how it was sent).")
@click.option("--note", help="A note for the team.")
@click.option("--period", help="For recurring commitments: the period chased, e.g. 2025-26.")
@click.option("--by", "by", help="Who chased it.")
@click.option("--replied", "replied", metavar="CHASE",
              help="Record instead that a chase was replied to: its reference (FOI-123, HL1234; of several chases "
                   "under one reference, the oldest still awaiting its reply) or its number as `history` shows it (#3).")
@click.option("--on", "on_text", metavar="YYYY-MM-DD", help="With --replied: the day the reply came (default: today).")
@pass_app
def chase(app: App, commitment_id: str, how: str | None, house: str | None, ref: str | None, to: str | None,
          reply_due_text: str | None, note: str | None, period: str | None, by: str | None, replied: str | None,
          on_text: str | None) -> None:
    """Record that the team chased a commitment (a promise, an ask or an expectation): a written
    question, a letter, an FOI request…
    or, with --replied, that one of its chases was replied to.

    \b
    Example: commitment-bot chase mvp-implement-by-end-august-2022 --how written-question --house lords --ref HL1234
    Example: commitment-bot chase mvp-implement-by-end-august-2022 --replied FOI-123 --on 2026-01-03

    A chase is the team's own action, never news of the commitment. While its reply is due, lapse
    reminders wait for it; past that day with no reply recorded (or, for a written question, its
    answer), the bot says the reply is overdue. News that comes after a chase is not its reply.
    """
    from bot.chase.references import reference, wrong_house
    from bot.decide import words
    from bot.register.recording import ActionRequest
    from bot.shell import usecases

    if replied is not None:
        _replied(app, commitment_id, replied, on_text, note, by, how, house, ref, to, reply_due_text, period)
        return
    if on_text is not None:
        raise click.UsageError("--on is the day a reply came, with --replied; a chase is recorded the day it is sent")
    if how is None:
        raise click.UsageError("Missing option '--how' (or --replied CHASE, to record that a chase was replied to)")
    _house_only_for_a_question("--how", how, house)
    register, source_hash = app.register()
    now = app.now(register.timezone)
    if how == "written-question" and (wrong := wrong_house(ref, house)):
        raise Failure(wrong + ": nothing was recorded")
    if how == "written-question" and house is None and ref and (named := reference(ref)):
        house = named[1].lower()  # "HL1234" is a Lords question, "12345" a Commons one
    due, why = iso_date(reply_due_text, "--reply-due"), None
    if due is None:
        due, why = _standard(how, house, now)
    request = ActionRequest(commitment_id, "chase", now.date(), period, how=how, ref=(ref or "").strip() or None,
                            to=to, reply_due=due, note=(note or "").strip() or None, by=by, recorded_by=by)
    row = usecases.record_action(app.store, register, source_hash, request, now)
    if isinstance(row, str):
        raise Failure(row)
    what = words.chased_by(how, request.ref)
    click.echo(f"recorded that the team chased {commitment_id}{' ' + what if what else ''} on {now.date():%-d %b %Y} "
               f"(the team's action #{row}, not news)")
    if due is not None:
        click.echo(f"reply due {due:%-d %b %Y}" + (f": {why}" if why else " (as given).") +
                   _held(app, register, request, due, now))
    elif how == "written-question" and house is None:
        click.echo("no reply due date: each House has its own standard, so give --house commons or --house lords "
                   "(or a reference such as HL1234), or --reply-due DATE, to have one: without one, no reminder waits "
                   "for the reply and none says it is overdue")


def _replied(app: App, commitment_id: str, named: str, on_text: str | None, note: str | None, by: str | None,
             *chase_only: str | None) -> None:
    """`chase ID --replied CHASE [--on DATE]`: the team's record that the chase was replied to (SPEC
    §7.3), the one thing besides a written question's answer that answers it (bot.decide.holds)."""
    from bot.decide import words
    from bot.decide.holds import also_named, chase_named
    from bot.decide.timeline import every_action, every_update
    from bot.register.problems import did_you_mean
    from bot.register.recording import reply_request
    from bot.shell import usecases

    if any(v is not None for v in chase_only):
        raise click.UsageError("--replied records a reply to a chase already recorded: --how, --house, --ref, --to, "
                               "--reply-due and --period are the chase's, so leave them out")
    register, source_hash = app.register()
    now = app.now(register.timezone)
    on = iso_date(on_text, "--on") or now.date()
    if on > now.date():
        raise Failure(f"--on {on} is after today ({now.date()}): record a reply once it has come")
    c = register.by_id().get(commitment_id)
    if c is None:
        raise Failure(f'no commitment "{commitment_id}"{did_you_mean(commitment_id, register.by_id())}')
    actions = every_action(c, app.store.actions.recorded([c.id]).get(c.id, []))
    updates = every_update(c, app.store.updates.recorded([c.id], quarters=register.quarters).get(c.id, []))
    found = chase_named(actions, updates, named, on)
    if isinstance(found, str):
        raise Failure(found + ": nothing was recorded")
    request = reply_request(c.id, found, on, note, by, by)  # as Slack's Record reply asks it
    row = usecases.record_action(app.store, register, source_hash, request, now)
    if isinstance(row, str):
        raise Failure(row)
    what = words.chased_by(found.how, found.ref)
    click.echo(f"recorded that the team's chase of {c.id}{' ' + what if what else ''} of {found.on:%-d %b %Y} was "
               f"replied to on {on:%-d %b %Y} (the team's action #{row}, not news): no reply is overdue for it now. "
               f"What the reply says of the {words.of(c.type).noun} is news: record that with "
               f"`commitment-bot update {c.id} --note ... --source ...`.")
    for other in also_named(actions, updates, found, on):  # one reply answers one chase: the others are named
        click.echo(f"{found.ref} also names chase #{other.recorded} of {other.on:%-d %b %Y}, still awaiting its reply: "
                   f"if this reply answers it too, record that with `commitment-bot chase {c.id} --replied "
                   f"'#{other.recorded}'`." if other.recorded else
                   f"{found.ref} also names a chase of {other.on:%-d %b %Y} in the register file, still awaiting its "
                   f"reply: `--replied {found.ref}` again records a reply to it.")


def _held(app: App, register: Register, request: ActionRequest, due: date, now: datetime) -> str:
    """" Lapse reminders wait until then." where the chase holds one back (an open date passed, or
    passing before the reply is due: bot.decide.kinds.lapsed.held_by); else nothing."""
    from bot.decide.kinds.lapsed import held_by, held_words
    from bot.decide.timeline import tracks

    c = register.by_id()[request.commitment_id]
    recorded = app.store.updates.recorded([c.id], quarters=register.quarters).get(c.id, [])
    if not held_by(tracks(c, recorded, now.date()), request.period, due, now.tzinfo or UTC):
        return ""
    return f" {held_words(c.type)} wait until then."


def _house_only_for_a_question(option: str, how: str, house: str | None) -> None:
    """--house names the House a written question is tabled in: with any other form it would say
    nothing, so it is refused rather than silently ignored (exit 2, as for any bad usage)."""
    if house is not None and how != "written-question":
        raise click.UsageError("--house applies only to a written question (the House it is tabled in); "
                               f"{option} {how} goes to no House: leave --house out")


def _standard(how: str, house: str | None, now: datetime) -> tuple[date | None, str | None]:
    """The reply due by the standard for `how` (SPEC §7.5) for a chase sent at `now`, and why;
    (None, None) when there is none."""
    from bot.chase.standards import NoReplyDue, chase_reply_due

    if how == "written-question" and house is None:  # recorded; no standard to count a reply by
        return None, None
    try:
        due = chase_reply_due(how, house, now)
    except NoReplyDue as e:
        raise Failure(f"the reply due date could not be worked out ({e}): give --reply-due DATE") from None
    return (due.on, due.explained) if due else (None, None)
