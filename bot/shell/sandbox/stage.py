"""Starting and stopping the sandbox's stand-ins together, and the environment that points the bot at them.

Each stand-in listens on 127.0.0.1 only: on a free port, or on `port_base`, `port_base + 1`, …
when a person wants the same environment every time. The sandbox keeps its own database in its
folder (a fresh one at each start, since the threads it remembers lived in the last sandbox's
Slack), so trying it never touches the database of the tour or of a real deployment.
"""

from __future__ import annotations

import os
import shlex
import threading
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.shell.sandbox import world
from bot.shell.sandbox.channels import Running, installed
from bot.shell.sandbox.slack import SlackServer
from bot.shell.sandbox.smtp import Handler, Server, smtp_server
from bot.shell.sandbox.socketmode import SocketMode
from bot.shell.sandbox.ukapis import UkApis

MARKER = ".commitment-bot-sandbox"  # in a folder the sandbox made: its database may be replaced
DATABASE = "commitment-bot.db"
PAGE = "index.html"  # the page of what arrived, in the folder (page.py)
ENV_HEADER = "# commitment-bot sandbox: load with  . ./{name}  (the stand-ins stop with the sandbox)"


class NotASandbox(Exception):
    """The folder (or the environment file) holds someone else's files: nothing is replaced."""


class Mailbox(Handler):
    """The SMTP handler that also wakes whoever waits for mail (the sandbox's view)."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = await super().handle_DATA(server, session, envelope)
        with self.arrived:
            self.arrived.notify_all()
        return answer


@dataclass
class Stage:
    """The running stand-ins; `env` is what the bot needs to use them."""

    folder: Path
    slack: SlackServer
    socket: SocketMode
    mail: Server
    mailbox: Mailbox
    apis: UkApis
    channels: dict[str, Running] = field(default_factory=dict)  # the other channels' stand-ins, by channel name
    control_url: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        database = f"sqlite:///{(self.folder / DATABASE).resolve()}"
        return {
            "SLACK_BOT_TOKEN": world.BOT_TOKEN, "SLACK_APP_TOKEN": world.APP_TOKEN, "SLACK_API_URL": self.slack.url,
            "SLACK_MIN_INTERVAL_SECONDS": "0",  # the stand-in has no rate limit: alerts land at once
            "SMTP_URL": self.mail.url(), "EMAIL_FROM": world.MAIL_FROM,
            "GOVUK_API_URL": self.apis.url, "PARLIAMENT_QUESTIONS_API_URL": self.apis.url,
            "HTTP_ALLOW_PRIVATE": "127.0.0.1", "COMMITMENT_BOT_HTTP_INTERVAL": "0",
            "COMMITMENT_BOT_CONTACT": "sandbox@example.org",
            **{name: value for standin in self.channels.values() for name, value in standin.env().items()},
            "DATABASE_URL": database, "COMMITMENT_BOT_SANDBOX_URL": self.control_url, **self.extra}


def env_lines(env: dict[str, str]) -> list[str]:
    """`export NAME=value` lines a POSIX shell can source and python-dotenv reads alike."""
    return [f"export {name}={shlex.quote(value)}" for name, value in env.items()]


def prepare(folder: Path) -> None:
    """Make the sandbox's folder, or reuse one it made before (its old database goes: its Slack is gone).
    The marker names the process using it, so a second sandbox never takes a running one's database."""
    marker = folder / MARKER
    if folder.exists() and not marker.exists() and any(folder.iterdir()):
        raise NotASandbox(f"{folder} holds files the sandbox did not write: choose another --dir")
    running = _pid(marker)
    if running is not None and running != os.getpid() and _alive(running):
        raise NotASandbox(f"a sandbox is already running in {folder} (pid {running}): stop it, or choose another --dir")
    folder.mkdir(parents=True, exist_ok=True)
    marker.write_text(f"made by commitment-bot sandbox; its files are replaced at each start\npid {os.getpid()}\n",
                      encoding="utf-8")
    for suffix in ("", "-wal", "-shm", "-journal"):
        (folder / (DATABASE + suffix)).unlink(missing_ok=True)


def _pid(marker: Path) -> int | None:
    try:
        last = marker.read_text(encoding="utf-8").split()[-1]
    except (OSError, IndexError):
        return None
    return int(last) if last.isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def start(stack: ExitStack, folder: Path, port_base: int | None = None) -> Stage:
    """Every stand-in, running until `stack` closes."""
    def port(n: int) -> int:
        return port_base + n if port_base else 0

    slack = stack.enter_context(SlackServer(port(0)))
    world.furnish_slack(slack.state)
    slack.state.page = folder / PAGE  # a permalink leads to the message on the sandbox's page, on loopback
    slack.state.archive = slack.url.replace("/api/", "/archives/")
    socket = stack.enter_context(SocketMode(slack.state, port(1)))
    mailbox = Mailbox()
    mail = stack.enter_context(smtp_server(folder, mailbox, port=port(2)))
    apis = stack.enter_context(UkApis(port(3)))
    world.furnish_apis(apis)
    channels = {name: begin(stack, port(offset)) for name, (offset, begin) in installed().items()}
    return Stage(folder, slack, socket, mail, mailbox, apis, channels)


def check_env_file(path: Path) -> None:
    """Refuse, before anything starts, to replace a file the sandbox did not write."""
    if path.exists() and not path.read_text(encoding="utf-8", errors="replace").startswith(ENV_HEADER[:26]):
        raise NotASandbox(f"{path} exists and was not written by the sandbox: give another --env-file")


def write_env_file(path: Path, lines: list[str]) -> str:
    """Write the lines (refusing to replace a file the sandbox did not write); the text written."""
    check_env_file(path)
    text = "\n".join([ENV_HEADER.format(name=path.name), *lines]) + "\n"
    path.write_text(text, encoding="utf-8")
    return text


def remove_env_file(path: Path, written: str) -> bool:
    """Remove the file at exit, if it is still what the sandbox wrote (its ports are closing)."""
    try:
        if path.read_text(encoding="utf-8") == written:
            path.unlink()
            return True
    except OSError:
        pass
    return False
