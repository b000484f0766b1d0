"""A real SMTP server on loopback (aiosmtpd) that records what it accepted and can refuse on cue:
the tests' mail server, and the sandbox's mailbox.

The fake sits at the edge of the world: our code speaks real SMTP (STARTTLS, AUTH, implicit
TLS) to it, and tests parse the received bytes back with the email package. Each `Received`
keeps the raw bytes and the MAIL FROM parameters too. Like a strict server, it refuses 8-bit
data not declared with BODY=8BITMIME (RFC 6152), and with `eight_bit=False` does not offer
8BITMIME at all and refuses BODY=8BITMIME.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "bot", "s3cret-pa55word"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes = b""  # exactly the DATA the server got (dot-unstuffed, CRLF line ends)
    mail_options: list[str] = field(default_factory=list)  # MAIL FROM parameters, e.g. BODY=8BITMIME


@dataclass
class Handler:
    """Accepts mail; `later[addr]` lists replies given (once each) before accepting that address,
    `refuse[addr]` is a reply given every time."""

    later: dict[str, list[str]] = field(default_factory=dict)
    refuse: dict[str, str] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    eight_bit: bool = True  # offer 8BITMIME in the EHLO reply

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        session.host_name = hostname
        return [r for r in responses if self.eight_bit or r != "250-8BITMIME"]

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if "BODY=8BITMIME" in options and not self.eight_bit:
            return "555 5.5.4 BODY=8BITMIME was not offered"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return self.refuse[address]
        if self.later.get(address):
            return self.later[address].pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = bytes(envelope.original_content)
        if not raw.isascii() and "BODY=8BITMIME" not in envelope.mail_options:
            return "554 5.6.1 8-bit data without BODY=8BITMIME"
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message, raw,
                                      list(envelope.mail_options)))
        return "250 Message accepted for delivery"

    def to(self, addr: str) -> list[EmailMessage]:
        return [r.message for r in self.received if addr in r.rcpt_tos]


@dataclass
class Server:
    host: str
    port: int
    handler: Handler
    ca_file: Path | None

    def url(self, scheme: str = "smtp", user: str | None = None, password: str | None = None) -> str:
        auth = f"{user}:{password}@" if user else ""
        return f"{scheme}://{auth}{self.host}:{self.port}"

    def env(self, url: str | None = None, sender: str = "bot@example.org") -> dict[str, str]:
        out = {"SMTP_URL": url or self.url(), "EMAIL_FROM": sender, "SMTP_TIMEOUT": "5"}
        if self.ca_file:
            out["SMTP_CA_FILE"] = str(self.ca_file)
        return out


def free_port() -> int:
    """aiosmtpd's Controller needs a concrete port: ask the kernel for one that is free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


def _tls(folder: Path) -> tuple[ssl.SSLContext, Path]:
    import trustme  # a test-only dependency: the sandbox's mailbox is plain SMTP on loopback

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    ca_file = folder / "smtp-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return context, ca_file


@contextmanager
def smtp_server(folder: Path, handler: Handler | None = None, mode: str = "plain", auth: bool = False,
                port: int = 0) -> Iterator[Server]:
    """mode: "plain" (a local relay), "starttls" (required), or "smtps" (implicit TLS); on `port`, or a free one."""
    handler = handler or Handler()
    kwargs: dict[str, Any] = {}
    ca_file = None
    if mode in ("starttls", "smtps"):
        context, ca_file = _tls(folder)
        if mode == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        else:
            kwargs.update(ssl_context=context)
    if auth:
        # aiosmtpd counts only STARTTLS as TLS; an implicit-TLS socket is encrypted from the start
        kwargs.update(authenticator=_authenticator, auth_require_tls=mode != "smtps")
    port = port or free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, server_hostname="localhost", **kwargs)
    controller.start()
    try:
        yield Server("127.0.0.1", port, handler, ca_file)
    finally:
        controller.stop()
