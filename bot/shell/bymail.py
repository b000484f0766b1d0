"""What only the email channel (notifiers/email) does: the weekly digest, the trustees' report
(printed or mailed: the mail's words are the channel's) and `email test`. Without that channel
installed they say so in one line, and every other command runs as before: the modules that
import the channel (bot/shell/digest.py, bot/shell/report.py) are imported after `require_mail`.
"""

from __future__ import annotations

import notifiers


class NoMail(Exception):
    """The email channel is not installed."""


def require_mail(what: str) -> None:
    """Raise NoMail unless the email channel is in the registry (notifiers.CHANNELS); `what` is the
    work that needs it ("the weekly digest")."""
    if "email" not in notifiers.CHANNELS:
        raise NoMail(f"the email channel is not installed (notifiers/email), and {what} is its work")
