"""The stand-ins of the outside world (bot/shell/sandbox/, the same ones `commitment-bot sandbox`
runs) as pytest fixtures, and what the Slack and Teams tests share: a register with every kind of
alert, the environment a user would set, and reading back what a channel received.
"""

from __future__ import annotations

import os
import queue
import signal
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.decide.alerts import Alert, PromiseView, UpdateView
from bot.shell.sandbox.slack import TOKEN, Message, SlackServer, SlackState
from bot.shell.sandbox.teams import TeamsServer, TeamsState


@pytest.fixture(name="slack")
def running_slack() -> Iterator[SlackState]:
    """A running server with #mvp-watch and #commitments; `slack.url` is its API base."""
    with SlackServer() as server:
        server.state.add_channel("mvp-watch")
        server.state.add_channel("commitments")
        yield server.state


# -- what the Slack tests share: a register with every kind of alert, and reading back --------
REGISTER = """\
version: 1
timezone: Europe/London
defaults: {grace: 0 days}
routes:
  - match: {tags: [quiet]}
    slack: ["#commitments"]
  - slack: ["#mvp-watch"]
commitments:
  - id: heads
    title: Publish the review
    owner: Home Office
    made_on: 2022-02-21
    due: 20 September 2022
  - id: lapse
    title: "<!channel> & <http://evil|click>"
    owner: Home Office
    made_by: Lord Sharpe of Epsom
    made_on: 2022-02-21
    due: end August
    source:
      title: Letter to Baroness Meacher
      url: https://example.org/letter.pdf
      quote: "Work has commenced and we aim to implement them by end August."
  - id: slip
    title: Finalise the protocol
    owner: Home Office
    made_on: 2022-02-01
    due: end August
    updates:
      - {date: 2022-08-01, note: now autumn, due: autumn 2022}
      - {date: 2022-09-05, note: Ministers now say later this year, due: later this year}
  - id: quiet
    title: Review the scheme
    owner: DfE
    made_on: 2021-01-01
    due: in due course
    tags: [quiet]
  - id: done
    title: Fund the service
    owner: MoJ
    made_on: 2022-01-01
    due: end of 2022
    tags: [quiet]
    updates:
      - {date: 2022-09-01, note: funded, status: delivered, source: {title: Press release, url: "https://example.org/p"}}
"""
NOW = "2022-09-09T09:00"
EXPECTED = {("heads", "heads-up"), ("lapse", "lapsed"), ("slip", "slipped"), ("quiet", "silent"),
            ("done", "closed")}


def slack_env(state: SlackState, **extra: str) -> dict[str, str]:
    """The environment a user would set, plus fast pacing so tests do not wait a second a message."""
    return {"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": state.url,
            "SLACK_MIN_INTERVAL_SECONDS": "0", "SLACK_RETRY_BUDGET_SECONDS": "20", **extra}


def posted_kinds(state: SlackState) -> list[tuple[str, str]]:
    """(commitment, kind) of every message the server kept, from the metadata the bot attaches."""
    out = []
    for m in state.posted():
        payload = (m.metadata or {}).get("event_payload") or {}
        out.append((payload.get("commitment", ""), payload.get("kind", "")))
    return out


def message_for(state: SlackState, commitment: str, kind: str) -> Message:
    found = [m for m in state.posted() if ((m.metadata or {}).get("event_payload") or {}).get("commitment")
             == commitment and m.metadata and m.metadata["event_payload"]["kind"] == kind]
    assert len(found) == 1, f"{commitment}/{kind}: {len(found)} messages"
    return found[0]


def make_alert(**over: Any) -> Alert:
    """A lapsed alert with every register text filled in; `over` replaces any field."""
    base: dict[str, Any] = dict(
        kind="lapsed", id="mvp", title="Implement the protocol", owner="Home Office", made_by="Lord Sharpe",
        made_on="2022-02-21", period=None, source_title="Letter", source_url="https://example.org/letter.pdf",
        quote="We aim to implement them by end August.", words="end August", reading="1 Aug – 31 Aug 2022",
        deadline="2022-08-31", days_overdue=9, n=1, status="open",
        promises=(PromiseView("2022-02-21", "end August", "1 Aug – 31 Aug 2022", "2022-08-31"),), slips=0,
        last_update=UpdateView("2022-08-01", "Still working on it", "Jo", None, "https://example.org/news"),
        routed=("slack:#mvp-watch",))
    return Alert(**{**base, **over})


@pytest.fixture(name="teams")
def running_teams() -> Iterator[TeamsState]:
    """A running stand-in with one Workflow, posting to the channel "advocacy"."""
    with TeamsServer() as server:
        server.state.add_webhook("advocacy")
        yield server.state


def teams_env(state: TeamsState, **extra: str) -> dict[str, str]:
    """The environment a user would set, plus no pacing so tests do not wait a second a card."""
    return {"TEAMS_WEBHOOK_ADVOCACY": state.url_of("advocacy"), "TEAMS_MIN_INTERVAL_SECONDS": "0",
            "TEAMS_RETRY_BUDGET_SECONDS": "20", **extra}


# -- `commitment-bot sandbox` and the Slack app, run as a person runs them in another terminal -----
class Background:
    """`commitment-bot ARGS` in a process of its own, its output (stdout and stderr) read line by
    line as it comes, so a test waits for a line, never for a time."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", *args], cwd=cwd, text=True, bufsize=1,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, encoding="utf-8")
        self.seen: list[str] = []
        self.queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.queue.put(line.rstrip("\n"))
        self.queue.put(None)

    def until(self, done: Callable[[list[str]], bool], timeout: float = 60.0) -> list[str]:
        """Every line so far, once `done(lines)` holds; fails, showing them, at the end of output or `timeout`."""
        deadline = time.monotonic() + timeout
        while not done(self.seen):
            try:
                line = self.queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError("waited in vain; the output so far:\n" + "\n".join(self.seen)) from None
            if line is None:
                raise AssertionError(f"it ended (exit {self.proc.wait()}); its output:\n" + "\n".join(self.seen))
            self.seen.append(line)
        return self.seen

    def first(self, n: int, timeout: float = 60.0) -> list[str]:
        """Its first `n` lines, once it has printed them."""
        return self.until(lambda seen: len(seen) >= n, timeout)[:n]

    def stop(self, sig: int = signal.SIGINT, timeout: float = 30.0) -> int:
        """Signal it, wait for it to end, and read the rest of its output; its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout)
        while (line := self.queue.get(timeout=timeout)) is not None:
            self.seen.append(line)
        return code


@pytest.fixture(name="background")
def in_background() -> Iterator[Callable[..., Background]]:
    """Start commands in the background; whatever is still running at the end is stopped."""
    started: list[Background] = []

    def start(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Background:
        started.append(Background(args, cwd, env))
        return started[-1]

    yield start
    for b in started:
        if b.proc.poll() is None:
            b.proc.kill()
            b.proc.wait(30)


def sandbox_env(path: Path) -> dict[str, str]:
    """The settings a sandbox wrote, as `. ./sandbox.env` sets them."""
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


@contextmanager
def tls_server(handler: type[BaseHTTPRequestHandler],
               sni: Callable[[str | None], object] | None = None) -> Iterator[tuple[int, ssl.SSLContext]]:
    """A local HTTPS server answering as watch.test, with a certificate from a throwaway CA
    (trustme): its port on 127.0.0.1, and a client context that trusts that CA alone. `sni` is
    told each server name a client asks for. Shut down on leaving."""
    import trustme

    ca = trustme.CA()
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("watch.test").configure_cert(server_side)
    if sni is not None:
        server_side.sni_callback = lambda sock, name, ctx: sni(name)  # type: ignore[assignment, func-returns-value]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.socket = server_side.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    client_side = ssl.create_default_context()
    ca.configure_trust(client_side)
    try:
        yield httpd.server_address[1], client_side
    finally:
        httpd.shutdown()
        httpd.server_close()
