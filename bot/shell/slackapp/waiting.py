"""How long a person in Slack waits for the database, and what they are told when it does not
answer in time (issue 22 item 11).

Slack gives a listener three seconds: a form must be answered within them, and a click's form
opened while its trigger lasts (as long). So what a button's listener reads, and what a form's
listener reads before it answers, waits at most WAIT seconds for the database in all (storage's
`patience`), instead of the 30 s a lock is waited for elsewhere. A database busy then (a
migration holding a table) or out of reach is told to the person in the words
`desk.database_trouble` has for it, with one line in the log, never a traceback, and nothing is
changed: under the form, which stays open with what they typed; or, for a click, only to them.
What a form does after it answered (recording) waits as long as any other write, and says so
itself when it fails (views.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.shell.slackapp.desk import Desk, database_trouble
from bot.shell.slackapp.payload import tell, where

WAIT = 1.5  # seconds: the answer (or the form a click opens) still reaches Slack within its three


def click(desk: Desk, listener: Callable[..., None]) -> Callable[..., None]:
    """A button's (or a field's) listener, which acks first: its reads bounded, a database that does
    not answer in time told only to the clicker."""

    def run(ack: Any, body: dict[str, Any], client: Any, action: dict[str, Any]) -> None:
        try:
            with desk.store.patience(WAIT):
                listener(ack=ack, body=body, client=client, action=action)
        except Exception as e:
            trouble = database_trouble(e)
            if trouble is None:
                raise  # a bug: logged with its traceback
            user, channel, _ = where(body)
            tell(client, channel, user, trouble)

    run.__name__ = _name(listener)
    return run


def form(desk: Desk, block: str, listener: Callable[..., None]) -> Callable[..., None]:
    """A form's listener: what it reads before it answers is bounded, and a database that does not
    answer in time is the answer, under `block`; once it has answered, the bound is lifted."""

    def run(ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        answered = False
        with desk.store.patience(WAIT) as bound:
            def answer(**said: Any) -> None:
                nonlocal answered
                answered = True
                bound.end()
                ack(**said)

            try:
                listener(ack=answer, body=body, view=view, client=client)
            except Exception as e:
                trouble = None if answered else database_trouble(e)
                if trouble is None:
                    raise
                ack(response_action="errors", errors={block: trouble})

    run.__name__ = _name(listener)
    return run


def _name(listener: Callable[..., None]) -> str:
    """The listener's own name, for slack-bolt's log lines (a partial has none)."""
    return str(getattr(getattr(listener, "func", listener), "__name__", "listener"))
