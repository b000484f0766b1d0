"""`commitment-bot watch`, `leads` and `sources` (SPEC §6.3): thin wrappers around bot.shell.watch."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from bot.shell.cli.app import App, Failure, Undelivered, pass_app, register_options

if TYPE_CHECKING:
    from storage.leads import Lead


class Unreached(click.ClickException):
    """No source answered at all (SPEC §7.4): offline, or every one refused; exit 2."""

    exit_code = 2


@click.command()
@register_options
@click.option("--json", "as_json", is_flag=True, help="Print only a JSON document on stdout.")
@pass_app
def watch(app: App, as_json: bool) -> None:
    """Ask GOV.UK, Parliament and watched pages what is new for each watched commitment; store leads.

    Example: commitment-bot watch --now 2026-12-01T07:00

    Each new hit is a lead: posted in the commitment's thread and listed by `commitment-bot leads`,
    never an update until someone confirms it.
    """
    import notifiers
    from bot.shell.delivery import deliver
    from bot.shell.service import worker_name
    from bot.shell.watch import run_watch

    register, now = app.synced()
    report = run_watch(app.store, register, app.settings, now)
    stream = sys.stderr if as_json else sys.stdout
    delivery = deliver(app.store, notifiers.build(app.settings, stream, app.store.threads), worker_name(), now,
                       app.settings.claim_lease_seconds)
    if as_json:
        click.echo(json.dumps({"now": now.isoformat(), "watched": report.watched, "requests": report.requests,
                               "hits": report.hits, "leads": [lead_dict(x) for x in report.leads],
                               "problems": list(report.problems)}))
    else:
        for lead in report.leads:
            click.echo(f"lead {lead.id}: {lead.commitment_id}: {lead.title} ({_day(lead)}, {lead.source}) {lead.url}")
    for problem in report.problems:
        click.echo(f"warning: {problem}", err=True)
    unreached = f", {report.unreached} of {report.sources} sources unreachable" if report.unreached else ""
    click.echo(f"watched {report.watched} commitments: {report.requests} requests, {report.hits} hits, "
               f"{len(report.leads)} new lead{'' if len(report.leads) == 1 else 's'}{unreached}; deliveries: "
               f"{delivery.sent} sent, {delivery.queued} queued, {delivery.failed} failed", err=True)
    if report.sources and report.unreached == report.sources:
        raise Unreached(f"none of the {report.sources} sources could be reached (is this machine offline?); "
                        "nothing was found, and the next pass asks again")
    if delivery.queued or delivery.failed:
        raise Undelivered(f"{delivery.queued + delivery.failed} notification(s) could not be delivered; they stay "
                          "queued and are retried (commitment-bot status says why)")


@click.group(invoke_without_command=True)
@register_options
@click.option("--json", "as_json", is_flag=True, help="Print the leads as a JSON list.")
@click.option("--state", type=click.Choice(["new", "confirmed", "dismissed"]), help="Only leads in this state.")
@click.pass_context
def leads(ctx: click.Context, as_json: bool, state: str | None) -> None:
    """List what the watch found; `leads confirm ID` records it as an update, `leads dismiss ID` drops it.

    Example: commitment-bot leads --json
    """
    if ctx.invoked_subcommand is not None:
        return
    from storage.leads import Leads

    found = Leads(ctx.ensure_object(App).store.engine).list(state)
    if as_json:
        click.echo(json.dumps([lead_dict(x) for x in found]))
        return
    for x in found:
        click.echo(f"{x.id:>4}  {x.state:<9}  {x.commitment_id}  {_day(x)}  {x.title}\n      {x.url}")
    if not found:
        click.echo("no leads: `commitment-bot watch` looks for them", err=True)


@leads.command()
@click.argument("lead_id", type=int)
@register_options
@click.option("--note", help="What happened (default: the lead's title).")
@click.option("--by", "by", help="Who confirmed it.")
@pass_app
def confirm(app: App, lead_id: int, note: str | None, by: str | None) -> None:
    """Record a lead as an update of its commitment (dated as published, citing its link).

    Example: commitment-bot leads confirm 3 --by "A. Advocate"
    """
    from bot.register.recording import UpdateRequest, check_update
    from storage.leads import Leads

    store = Leads(app.store.engine)
    lead = _new_lead(store, lead_id)
    register, now = app.synced()
    on = min(lead.published or now.date(), now.date())
    request = UpdateRequest(lead.commitment_id, on, (note or lead.title).strip(), source=lead.url, by=by)
    problem = check_update(register, request)
    if problem:
        raise Failure(f"lead {lead_id} cannot be recorded as it is: {problem}")
    row = app.store.add_update(request.commitment_id, on, request.note, None, None, None, lead.url, by, now)
    store.decide(lead_id, "confirmed", now, by, row)
    click.echo(f"lead {lead_id} confirmed: recorded an update for {lead.commitment_id} on {on.isoformat()} "
               f"(database id {row}); `commitment-bot history {lead.commitment_id}` shows it")


@leads.command()
@click.argument("lead_id", type=int)
@register_options
@click.option("--by", "by", help="Who dismissed it.")
@pass_app
def dismiss(app: App, lead_id: int, by: str | None) -> None:
    """Drop a lead that is not news; the watch will not raise the same link again.

    Example: commitment-bot leads dismiss 4
    """
    from storage.leads import Leads

    store = Leads(app.store.engine)
    _new_lead(store, lead_id)
    register, now = app.synced()
    store.decide(lead_id, "dismissed", now, by)
    click.echo(f"lead {lead_id} dismissed")


@click.command()
@register_options
@click.option("--json", "as_json", is_flag=True, help="Print the checks as a JSON list.")
@pass_app
def sources(app: App, as_json: bool) -> None:
    """Check every source URL: reachable, moved, gone, withdrawn, and whether each quote is still there.

    Example: commitment-bot sources --json

    Exits 1 when a source is gone or a quote is not found, so a register's CI can run it; 2 when
    no source could be reached at all (a quote never fetched is "unchecked", not "not found").
    """
    from bot.shell.http import Client, HttpSettings
    from bot.shell.watch import Bases, check_sources
    from bot.shell.watch.sources import summary

    register, _now = app.synced()
    recorded = app.store.recorded_updates(quarters=register.quarters)
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
        raise Unreached(f"none of the {len(checks)} sources could be reached (is this machine offline?); "
                        "no quote was checked")
    bad = [c for c in checks if c.failed]
    if bad:
        raise Failure(f"{len(bad)} of {len(checks)} source(s) gone or no longer quoting the register")


def lead_dict(x: Lead) -> dict[str, Any]:
    """SPEC §6.3's `leads --json` item, plus the snippet and when it was found."""
    return {"id": x.id, "commitment": x.commitment_id, "title": x.title, "url": x.url,
            "published": x.published.isoformat() if x.published else None, "source": x.source, "state": x.state,
            "snippet": x.snippet, "found_at": x.found_at.isoformat()}


def _new_lead(store: Any, lead_id: int) -> Lead:
    lead = store.get(lead_id)
    if lead is None:
        raise Failure(f"no lead {lead_id} (`commitment-bot leads` lists them)")
    if lead.state != "new":
        raise Failure(f"lead {lead_id} is already {lead.state}")
    return lead


def _day(lead: Lead) -> str:
    return lead.published.isoformat() if lead.published else "undated"
