"""`commitment-bot watch`, `leads` and `sources` (SPEC §6.3): thin wrappers around bot.shell.watch."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from bot.decide.words import number
from bot.shell.cli.app import App, Failure, Undelivered, held_until_configured, pass_app, register_options

if TYPE_CHECKING:
    from storage.leads import Lead


class Unreached(click.ClickException):
    """Exit 2: no source could be reached at all, so the pass learned nothing (SPEC §7.4)."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


@click.command()
@register_options
@click.option("--json", "as_json", is_flag=True, help="Print only a JSON document on stdout.")
@pass_app
def watch(app: App, as_json: bool) -> None:
    """Ask GOV.UK, Parliament and watched pages what is new for each watched commitment; store leads.

    \b
    Example: commitment-bot watch --now 2026-12-01T07:00

    Each find is scored against its commitment; one that scores well enough is a lead (one per
    link, naming every commitment it may answer): posted in the commitment's thread and listed by
    `commitment-bot leads`, never an update until someone confirms it. A written question the
    team chased (`commitment-bot chase ID --how written-question --ref HL1234`) is looked up by
    its reference until answered: its answer is a lead too. Exits 2 when no source could be
    reached at all.
    """
    import notifiers
    from bot.shell.delivery import deliver, in_words
    from bot.shell.service import worker_name
    from bot.shell.watch import run_watch

    register, now = app.synced()
    stream = sys.stderr if as_json else sys.stdout
    channels = notifiers.build(app.settings, stream, app.store.threads)
    report = run_watch(app.store, register, app.settings, now, channels=channels)
    delivery = deliver(app.store, channels, worker_name(), now, app.settings.claim_lease_seconds)
    if as_json:
        click.echo(json.dumps({"now": now.isoformat(), "watched": report.watched, "requests": report.requests,
                               "hits": report.hits, "below_threshold": report.below,
                               "leads": [lead_dict(x) for x in report.leads],
                               "named": [lead_dict(x) for x in report.named], "problems": list(report.problems),
                               "chased_questions": report.chased, "not_answered_yet": report.waiting}))
    else:
        for lead in report.leads:
            click.echo(f"lead {lead.id}: {lead.title} ({_day(lead)}, {lead.source}) {lead.url}\n"
                       f"        may answer: {', '.join(lead.commitments)}")
        for lead in report.named:
            click.echo(f"lead {lead.id} now may answer: {', '.join(lead.commitments)}")
    for problem in report.problems:
        click.echo(f"warning: {problem}", err=True)
    click.echo(f"{summary(report)}; {in_words(delivery)}", err=True)
    if held := held_until_configured(report.held):
        click.echo(held, err=True)
    if report.unreachable:
        raise Unreached(f"no source could be reached ({number(report.asked, 'request')}, none answered): nothing was "
                        "learned; the warnings above say why")
    if delivery.queued or delivery.failed:
        raise Undelivered(f"{delivery.queued + delivery.failed} notification(s) could not be delivered; they stay "
                          "queued and are retried (commitment-bot status says why)")


def summary(report: Any) -> str:
    """`watch`'s summary line: what was asked, what came back, what was kept and what was not."""
    n = len(report.leads)
    named = f", {len(report.named)} lead(s) now naming more commitments" if report.named else ""
    chased = f" and {report.chased} chased question{'' if report.chased == 1 else 's'}" if report.chased else ""
    waiting = report.waiting
    unanswered = f", {waiting} chased question{'' if waiting == 1 else 's'} not answered yet" if waiting else ""
    return (f"watched {report.watched} commitments{chased}: {report.requests} requests ({report.answered} of "
            f"{report.asked} answered), {report.hits} find{'' if report.hits == 1 else 's'}: {n} new lead{'' if n == 1 else 's'}{named}, "
            f"{report.below} below the relevance threshold (counted, not stored){unanswered}")


@click.group(invoke_without_command=True)
@register_options
@click.option("--json", "as_json", is_flag=True, help="Print the leads as a JSON list.")
@click.option("--state", type=click.Choice(["new", "confirmed", "dismissed"]), help="Only leads in this state.")
@click.option("--commitment", "commitment_id", metavar="ID", help="Only leads that may answer this commitment.")
@click.pass_context
def leads(ctx: click.Context, as_json: bool, state: str | None, commitment_id: str | None) -> None:
    """List what the watch found; `leads confirm ID` records it as an update, `leads dismiss ID` drops it.

    \b
    Example: commitment-bot leads --json

    A lead is one link, naming every commitment it may answer (best match first).
    """
    if ctx.invoked_subcommand is not None:
        return
    found = ctx.ensure_object(App).store.leads.list(state, commitment_id)
    if as_json:
        click.echo(json.dumps([lead_dict(x) for x in found]))
        return
    for x in found:
        click.echo(f"{x.id:>4}  {x.state:<9}  {_day(x)}  {x.title}\n      {x.url}\n"
                   f"      may answer: {', '.join(_answer(a) for a in x.answers) or x.commitment_id}")
    if not found:
        click.echo("no leads: `commitment-bot watch` looks for them", err=True)


@leads.command()
@click.argument("lead_id", type=int)
@register_options
@click.option("--commitment", "chosen", multiple=True, metavar="ID",
              help="The commitment it answers (needed when it may answer several; repeat for more than one).")
@click.option("--note", help="What happened (default: the lead's title).")
@click.option("--by", "by", help="Who confirmed it.")
@pass_app
def confirm(app: App, lead_id: int, chosen: tuple[str, ...], note: str | None, by: str | None) -> None:
    """Record a lead as an update of the commitment it answers (dated as published, citing its link).

    \b
    Example: commitment-bot leads confirm 3 --commitment mvp-implement-by-end-august-2022 --by "A. Advocate"

    A lead that may answer several commitments is confirmed for the ones a person names: one
    update each. The others are left as they are.
    """
    from bot.register.recording import UpdateRequest
    from bot.shell import usecases
    from bot.shell.watch.answers import as_update

    lead = _new_lead(app.store.leads, lead_id)
    targets = _chosen(lead, chosen)
    register, source_hash = app.register()
    now = app.now(register.timezone)
    on = min(lead.published or now.date(), now.date())
    said, said_by = as_update(lead.title, lead.snippet, lead.source)  # an answer keeps its words and its speaker
    requests = [UpdateRequest(cid, on, (note or said).strip(), source=lead.url, by=by, said_by=said_by)
                for cid in targets]
    rows = usecases.confirm_lead(app.store, register, source_hash, lead_id, requests, now, by)
    if isinstance(rows, str):
        raise Failure(f"lead {lead_id}: {rows}")
    for request, row in zip(requests, rows, strict=True):
        click.echo(f"lead {lead_id} confirmed: recorded an update for {request.commitment_id} on {on.isoformat()} "
                   f"(database id {row}); `commitment-bot history {request.commitment_id}` shows it")


@leads.command()
@click.argument("lead_id", type=int)
@register_options
@click.option("--by", "by", help="Who dismissed it.")
@pass_app
def dismiss(app: App, lead_id: int, by: str | None) -> None:
    """Drop a lead that is not news, for every commitment it named; the watch will not raise it again.

    \b
    Example: commitment-bot leads dismiss 4
    """
    from bot.shell import usecases

    _new_lead(app.store.leads, lead_id)
    register, now = app.synced()
    if not usecases.dismiss_lead(app.store, lead_id, by, now):
        raise Failure(f"lead {lead_id} was decided a moment ago by someone else: nothing was changed")
    click.echo(f"lead {lead_id} dismissed")


@click.command()
@register_options
@click.option("--json", "as_json", is_flag=True, help="Print the checks as a JSON list.")
@pass_app
def sources(app: App, as_json: bool) -> None:
    """Check every source URL: reachable, moved, gone, withdrawn, and whether each quote is still there.

    \b
    Example: commitment-bot sources --json

    Exits 1 when a source is gone or a quote is not found, so a register's CI can run it; 2 when
    no source could be reached at all (a quote never fetched is "unchecked", not "not found").
    """
    from bot.shell.http import Client, HttpSettings
    from bot.shell.watch import Bases, check_sources
    from bot.shell.watch.sources import none_reached, summary

    register, _now = app.synced()
    recorded = app.store.updates.recorded(None, quarters=register.quarters)
    with Client(HttpSettings.from_env(app.settings.env)) as client:
        checks = check_sources(register, recorded, client, Bases.from_env(app.settings.env).govuk)
    if as_json:
        click.echo(json.dumps([c.to_dict() for c in checks]))
    else:
        for c in checks:
            click.echo(f"{c.status:<11} {c.quote:<15} {c.commitment}{' ' + c.update if c.update else ''}\n"
                       f"            {c.url}\n            {c.detail}")
    click.echo(summary(checks), err=True)
    if checks and not any(c.reached for c in checks):
        raise Unreached(none_reached(checks))
    bad = [c for c in checks if c.failed]
    if bad:
        raise Failure(f"{len(bad)} of {len(checks)} source(s) gone or no longer quoting the register")


def lead_dict(x: Lead) -> dict[str, Any]:
    """SPEC §6.3's `leads --json` item ("commitment": the first, best-matching one), plus every
    commitment it may answer with its score (percent) and the update a confirmation recorded for
    it, the snippet and when it was found."""
    return {"id": x.id, "commitment": x.commitment_id, "title": x.title, "url": x.url,
            "published": x.published.isoformat() if x.published else None, "source": x.source, "state": x.state,
            "commitments": list(x.commitments),
            "answers": [{"commitment": a.commitment_id, "score": a.score, "update_id": a.update_id}
                        for a in x.answers],
            "snippet": x.snippet, "found_at": x.found_at.isoformat()}


def _answer(a: Any) -> str:
    return a.commitment_id + (f" ({a.score}%)" if a.score is not None else "")


def _chosen(lead: Lead, chosen: tuple[str, ...]) -> tuple[str, ...]:
    """The commitments a confirmation records on: the lead's only one, or those the person names."""
    named = lead.commitments
    if not chosen:
        if len(named) > 1:
            raise Failure(f"lead {lead.id} may answer {len(named)} commitments ({', '.join(named)}): say which it "
                          "answers with --commitment ID (repeat it for more than one)")
        return named
    wrong = [c for c in chosen if c not in named]
    if wrong:
        raise Failure(f"lead {lead.id} does not name {', '.join(wrong)} (it may answer {', '.join(named)}); to "
                      f"record it on another commitment: commitment-bot update ID --note ... --source {lead.url}")
    return tuple(dict.fromkeys(chosen))


def _new_lead(store: Any, lead_id: int) -> Lead:
    lead = store.get(lead_id)
    if lead is None:
        raise Failure(f"no lead {lead_id} (`commitment-bot leads` lists them)")
    if lead.state != "new":
        raise Failure(f"lead {lead_id} is already {lead.state}")
    return lead


def _day(lead: Lead) -> str:
    return lead.published.isoformat() if lead.published else "undated"
