"""Where mail comes from and goes through: SMTP_URL, EMAIL_FROM, MAINTAINER_EMAIL (SMTP_CA_FILE and
SMTP_TIMEOUT too), read once into a `MailSetup` that every mail is composed and sent with.

There is no default sender. A mail "from commitment-bot@localhost" is refused or binned by most
providers and a reply to it goes nowhere, so without EMAIL_FROM nothing is sent and the reason
says what to set (README, Email: "The sender").
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any

from notifiers.email.smtp import MailError, SmtpConfig, clean_header, parse_smtp_url


@dataclass(frozen=True)
class MailSetup:
    """Where mail goes from and through; `config` is None when SMTP_URL is unset or unreadable."""

    config: SmtpConfig | None
    sender: str
    unsubscribe_address: str
    problem: str | None = None

    def require(self, hint: str = "") -> SmtpConfig:
        """The SMTP settings, or a MailError saying how to give them (`hint`: what else the caller
        offers). A sender is required too: a mail "from commitment-bot@localhost" is refused or
        marked as spam by most providers, and replies would go nowhere."""
        if self.config is None:
            raise MailError(self.problem or f"SMTP_URL is not set: see the README's email section{hint}", True)
        if not self.sender:
            raise MailError(NO_SENDER, True)
        return self.config


def mail_setup(settings: Any) -> MailSetup:
    """SMTP_URL, EMAIL_FROM, MAINTAINER_EMAIL, plus SMTP_CA_FILE and SMTP_TIMEOUT (env)."""
    url = getattr(settings, "smtp_url", None)
    timeout = float(getattr(settings, "smtp_timeout", None) or os.environ.get("SMTP_TIMEOUT") or 30)
    ca_file = getattr(settings, "smtp_ca_file", None) or os.environ.get("SMTP_CA_FILE") or None
    config, problem = None, None
    if url:
        try:
            config = parse_smtp_url(url, timeout, ca_file)
        except MailError as e:
            problem = str(e)
    sender = clean_header(getattr(settings, "email_from", None) or "")
    unsubscribe = clean_header(getattr(settings, "maintainer_email", None) or sender)
    return MailSetup(config, sender, unsubscribe, problem)


# A preview (`digest --dry-run`, `report --dry-run`) is a file, not a mail: without EMAIL_FROM its
# From says so, in a domain that can never receive mail (RFC 2606).
PREVIEW_SENDER = "EMAIL_FROM-is-not-set@example.invalid"
NO_SENDER = ("EMAIL_FROM is not set: set it to the address these mails come from, e.g. "
             "EMAIL_FROM=commitments@example.org (see the README's email section)")


def for_preview(setup: MailSetup) -> MailSetup:
    """The setup a preview file is written with: EMAIL_FROM if set, else PREVIEW_SENDER."""
    if setup.sender:
        return setup
    return replace(setup, sender=PREVIEW_SENDER, unsubscribe_address=setup.unsubscribe_address or PREVIEW_SENDER)
