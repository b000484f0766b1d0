"""SMTP plumbing: reading SMTP_URL, opening a (TLS) session, sending, and saying why it failed.

Every failure becomes a `MailError` that says, in plain words, what went wrong and whether
retrying can help: 4xx replies, timeouts and dropped connections are temporary; 5xx replies,
refused logins and TLS problems need someone to fix something. Passwords never appear in
any message or repr.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from types import TracebackType
from urllib.parse import unquote, urlsplit

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class MailError(Exception):
    """A mail that was not sent, why (plain words), and whether a later retry may work."""

    def __init__(self, message: str, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    implicit_tls: bool
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    ca_file: str | None = None

    @property
    def display(self) -> str:
        """The URL as it may be shown: no password, ever."""
        user = f"{self.username}@" if self.username else ""
        return f"{'smtps' if self.implicit_tls else 'smtp'}://{user}{self.host}:{self.port}"


def parse_smtp_url(url: str, timeout: float = 30.0, ca_file: str | None = None) -> SmtpConfig:
    """`smtp://[user:pass@]host[:port]` (STARTTLS when offered) or `smtps://…` (implicit TLS)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise MailError("SMTP_URL is not a valid URL (expected smtp://user:pass@host:587)", True) from None
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise MailError("SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465", True)
    implicit = parts.scheme == "smtps"
    return SmtpConfig(
        host=parts.hostname, port=port or (465 if implicit else 25), implicit_tls=implicit,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None, timeout=timeout, ca_file=ca_file,
    )


def clean_header(value: str) -> str:
    """Header text from the register on one line: a newline could otherwise inject headers."""
    return " ".join(CONTROL.sub(" ", value).split())


def valid_address(addr: str) -> bool:
    if CONTROL.search(addr):
        return False
    try:
        parsed = Address(addr_spec=addr)
    except (ValueError, IndexError):
        return False
    return bool(parsed.username) and ("." in parsed.domain or parsed.domain in LOCAL_HOSTS)


class Mailer:
    """One SMTP session, opened on first use and reopened after any failure."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._conn: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def send(self, msg: EmailMessage, sender: str, to: str) -> None:
        try:
            if self._conn is None:
                self._conn = connect(self.config)
            self._conn.send_message(msg, from_addr=sender, to_addrs=[to])
        except Exception as e:
            self._drop()
            raise explain(e, self.config) from None

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._conn = None

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None


def connect(config: SmtpConfig) -> smtplib.SMTP:
    """A logged-in session; the password is only ever sent over TLS (or to this machine)."""
    context = ssl.create_default_context(cafile=config.ca_file)
    conn: smtplib.SMTP
    if config.implicit_tls:
        conn = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
    else:
        conn = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        conn.ehlo()
        if not config.implicit_tls:
            _start_tls(conn, config, context)
        if config.username:
            _login(conn, config)
    except BaseException:
        conn.close()
        raise
    return conn


def _start_tls(conn: smtplib.SMTP, config: SmtpConfig, context: ssl.SSLContext) -> None:
    if conn.has_extn("starttls"):
        conn.starttls(context=context)
        conn.ehlo()
    elif config.port == 587 or (config.username and config.host not in LOCAL_HOSTS):
        raise MailError(f"TLS required: {config.host}:{config.port} does not offer STARTTLS, so the password "
                        "would go unencrypted; use the provider's STARTTLS port (587) or smtps:// (465)", True)


def _login(conn: smtplib.SMTP, config: SmtpConfig) -> None:
    if not conn.has_extn("auth"):
        where = f"{config.host}:{config.port}"
        if isinstance(conn.sock, ssl.SSLSocket):
            raise MailError(f"{where} does not offer login (AUTH): take the user and password out of SMTP_URL", True)
        raise MailError(f"TLS required: {where} offers login only over an encrypted connection, and offers no "
                        "STARTTLS here; use the provider's STARTTLS port (587) or smtps:// (465)", True)
    conn.login(config.username or "", config.password or "")


def explain(e: BaseException, config: SmtpConfig) -> MailError:
    """Any failure while sending, as a plain sentence and a retry verdict."""
    where = f"{config.host}:{config.port}"
    if isinstance(e, MailError):
        return e
    if isinstance(e, smtplib.SMTPAuthenticationError):
        return MailError(f"authentication failed: {where} refused the user name or password in SMTP_URL "
                         f"({_reply(e.smtp_code, e.smtp_error)})", True)
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        addr, (code, text) = next(iter(e.recipients.items()))
        return MailError(f"{where} refused the recipient {addr}: {_reply(code, text)}", code >= 500)
    if isinstance(e, smtplib.SMTPSenderRefused):
        return MailError(f"{where} refused the sender {e.sender} (check EMAIL_FROM): "
                         f"{_reply(e.smtp_code, e.smtp_error)}", e.smtp_code >= 500)
    if isinstance(e, smtplib.SMTPResponseException):
        return _response(e.smtp_code, e.smtp_error, where)
    if isinstance(e, smtplib.SMTPNotSupportedError):
        return MailError(f"{where} does not offer login (AUTH) on this connection; it may require TLS first "
                         "(use port 587 with STARTTLS or smtps://), or take the user and password out of SMTP_URL",
                         True)
    if isinstance(e, ssl.SSLCertVerificationError):
        return MailError(f"TLS certificate of {where} could not be verified ({e.verify_message}); "
                         "if it is a private CA, set SMTP_CA_FILE to its certificate file", True)
    if isinstance(e, ssl.SSLError):
        return MailError(f"TLS handshake with {where} failed ({e.reason or e}); smtps:// is for implicit-TLS "
                         "ports such as 465, smtp:// for 25 and 587", True)
    if isinstance(e, smtplib.SMTPServerDisconnected):
        return MailError(f"{where} closed the connection unexpectedly; will retry", False)
    if isinstance(e, TimeoutError | socket.timeout):
        return MailError(f"timed out after {config.timeout:g} s talking to {where}; will retry", False)
    if isinstance(e, socket.gaierror):
        return MailError(f"host unreachable: cannot find the host name {config.host} (check SMTP_URL)", False)
    if isinstance(e, ConnectionRefusedError):
        return MailError(f"host unreachable: nothing accepts connections at {where} "
                         "(is the mail server running? check host and port in SMTP_URL)", False)
    if isinstance(e, OSError):
        return MailError(f"host unreachable: {where}: {e.strerror or e}", False)
    return MailError(f"{type(e).__name__} while sending mail through {where}: {e}", False)


def _response(code: int, text: bytes | str, where: str) -> MailError:
    reply = _reply(code, text)
    if code == 530 or "starttls" in reply.lower():
        return MailError(f"TLS required: {where} wants an encrypted connection first ({reply}); "
                         "use port 587 (STARTTLS) or smtps://", True)
    if code >= 500:
        return MailError(f"{where} refused the mail: {reply}", True)
    return MailError(f"{where} asked us to try later: {reply}", False)


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {clean_header(words)}".strip()
