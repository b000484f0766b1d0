"""The sandbox's view of what arrives, as it arrives: one line in the terminal per Slack message,
note or answer, mail, and whatever another channel's stand-in receives (bot.shell.sandbox.channels),
and the page of channels (page.py) rewritten after each.

One thread follows each stand-in, waking on the stand-in's own condition variable (never polling),
and every line and page is written under one lock so lines never interleave.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from bot.shell.sandbox import page, world
from bot.shell.sandbox.slackstate import Message, SlackState
from bot.shell.sandbox.stage import Stage
from bot.shell.sandbox.words import line


def message_line(state: SlackState, m: Message) -> str:
    channel = state.channels[m.channel].name
    buttons = " ".join(f"[{b['label']}]" for kind, content in page.shown(m).parts if kind == "buttons"
                       for b in content)
    where = "  ↳ thread" if m.thread_ts else ""
    return f"slack #{channel}{where}: {line(m.text)}" + (f"  {buttons}" if buttons else "")


class Feed:
    """Follows the stage's stand-ins, printing to `out` and keeping `html` up to date."""

    def __init__(self, stage: Stage, out: TextIO, html: Path) -> None:
        self.stage, self.out, self.html = stage, out, html
        self.lock = threading.Lock()
        self.stopping = False
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        slack, mailbox = self.stage.slack.state, self.stage.mailbox
        self._follow("slack", slack.received, lambda: (len(slack.messages), len(slack.ephemeral),
                                                       len(slack.responses)), self._slack)
        self._follow("mail", mailbox.arrived, lambda: (len(mailbox.received),), self._mail)
        for name, standin in self.stage.channels.items():
            self._follow(name, standin.received, standin.counts, standin.lines)
        self.redraw()

    def stop(self) -> None:
        self.stopping = True
        for cond in (self.stage.slack.state.received, self.stage.mailbox.arrived,
                     *(standin.received for standin in self.stage.channels.values())):
            with cond:
                cond.notify_all()
        for t in self.threads:
            t.join(5)

    def _follow(self, name: str, cond: threading.Condition, counts: Callable[[], tuple[int, ...]],
                show: Callable[[tuple[int, ...], tuple[int, ...]], list[str]]) -> None:
        def run() -> None:
            seen = tuple(0 for _ in counts())
            while True:
                with cond:
                    cond.wait_for(lambda: self.stopping or counts() != seen)  # noqa: B023 - read under the lock, now
                    now, stopping = counts(), self.stopping
                if now != seen:  # what arrived before a stop is still shown: stop() may wake us first
                    lines = show(seen, now)
                    seen = now
                    with self.lock:  # the page first: whoever reads a line finds its message on the page
                        self._write_page()
                        for line in lines:
                            print(line, file=self.out, flush=True)
                if stopping:
                    return

        thread = threading.Thread(target=run, daemon=True, name=f"sandbox-feed-{name}")
        thread.start()
        self.threads.append(thread)

    def _slack(self, seen: tuple[int, ...], now: tuple[int, ...]) -> list[str]:
        state = self.stage.slack.state
        with state.lock:
            lines = [message_line(state, m) for m in state.messages[seen[0]:now[0]]]
            lines += [f"slack #{_name(state, e.get('channel'))} (only {world.USER_NAMES[0]} sees): "
                      f"{line(str(e.get('text', '')))}" for e in state.ephemeral[seen[1]:now[1]]]
            lines += [f"slack /commitments answered: {line(str(r.get('text', '')))}"
                      for r in state.responses[seen[2]:now[2]]]
        return lines

    def _mail(self, seen: tuple[int, ...], now: tuple[int, ...]) -> list[str]:
        return [f"mail to {', '.join(r.rcpt_tos)}: {line(str(r.message['Subject']))}"
                for r in self.stage.mailbox.received[seen[0]:now[0]]]

    def redraw(self) -> None:
        with self.lock:
            self._write_page()

    def _write_page(self) -> None:
        page.write(self.html, page.render({
            "channels": page.channels(self.stage.slack.state), "mails": [page.mail(r) for r in self.stage.mailbox.received],
            "others": [standin.section() for standin in self.stage.channels.values()]}))


def _name(state: SlackState, channel: Any) -> str:
    found = state.channel(str(channel or ""))
    return found.name if found else str(channel)

