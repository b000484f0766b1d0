"""`commitment-bot sandbox`: start every stand-in, say how to use them, show what arrives, stop cleanly.

It runs in the foreground until SIGINT (Ctrl-C) or SIGTERM; then the stand-ins close, and the
environment file it wrote is removed if nobody changed it (its ports are gone). The page of
channels stays, as a record of the session.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TextIO

from bot.shell.sandbox.control import ControlServer
from bot.shell.sandbox.feed import Feed
from bot.shell.sandbox.stage import (
    PAGE,
    Stage,
    check_env_file,
    env_lines,
    prepare,
    remove_env_file,
    start,
    write_env_file,
)

STANDING_IN = ("Slack (Web API, Socket Mode, /commitments)", "SMTP", "GOV.UK", "Parliament")


def banner(stage: Stage) -> str:
    """What runs, the installed channels' stand-ins (bot.shell.sandbox.channels) named last."""
    *most, last = [*STANDING_IN, *(standin.title for standin in stage.channels.values())]
    return f"sandbox: {', '.join(most)} and {last} stand-ins on 127.0.0.1"


def serve(folder: Path, env_file: Path | None, port_base: int | None, out: TextIO,
          until: Callable[[], threading.Event]) -> None:
    """Run the sandbox until the event `until()` gives (once everything has started) is set.
    OSError: a port is taken; stage.NotASandbox: a file or folder is someone else's (nothing started)."""
    if env_file is not None:
        check_env_file(env_file)
    prepare(folder)
    removed: list[Path] = []
    with ExitStack() as stack:
        stage = start(stack, folder, port_base)
        control = stack.enter_context(ControlServer(stage, port_base + 5 if port_base else 0))
        stage.control_url = control.url
        lines = env_lines(stage.env())
        if env_file is not None:
            written = write_env_file(env_file, lines)
            stack.callback(lambda: removed.extend([env_file] if remove_env_file(env_file, written) else []))
        feed = Feed(stage, out, folder / PAGE)
        feed.start()  # the page exists before anyone is told where it is
        stack.callback(feed.stop)
        stop = until()
        _say(out, [banner(stage), *lines, *_how(env_file, folder / PAGE), "Ctrl-C stops the sandbox."])
        stop.wait()
    _say(out, ["sandbox stopped" + "".join(f"; removed {p}" for p in removed)])


def _how(env_file: Path | None, page: Path) -> list[str]:
    load = f"  . ./{env_file}" if env_file is not None and not env_file.is_absolute() else \
        f"  . {env_file}" if env_file is not None else "  paste the export lines above"
    return [f"in another terminal, in this folder, with the virtualenv active (. .venv/bin/activate):{load}",
            f"what arrives is shown here, and on {page} (open it in a browser)"]


def _say(out: TextIO, lines: list[str]) -> None:
    for line in lines:
        print(line, file=out, flush=True)
