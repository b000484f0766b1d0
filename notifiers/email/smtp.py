"""SMTP plumbing: reading SMTP_URL, opening a (TLS) session, sending, and saying why it failed.

Every failure becomes a `MailError` that says, in plain words, what went wrong and whether
retrying can help: 4xx replies, timeouts and dropped connections are temporary; 5xx replies,
refused logins and TLS problems need someone to fix something. Passwords never appear in
any message or repr.

One mail is one exchange, bounded as a whole by SMTP_TIMEOUT: connecting, the greeting, TLS,
login, the message and the server's answer to it. A per-read timeout does not bound a server that
sends a byte just inside it (an endless "250-" reply dripped a byte a second held `email test`
40 s at SMTP_TIMEOUT=2), so every wait on the socket, TLS included, is clipped to what is left of
the exchange (notifiers.email.exchange), as the channels' HTTP exchanges are (notifiers.waits).

A mail whose whole message went to the server (the final "." sent) but whose answer never came
(the connection dropped or the time ran out) may have arrived: SMTP cannot be asked. Its
MailError is `unsure`, and the delivery layer keeps the row as it keeps any post that got no
answer: sent again later, marked as a possible repeat (notifiers.email.notifier).

Headers are written here, not by the email package's folder: `Header` keeps exactly the wire
text built by `header_words`, so register text (a title with an RFC 2047 encoded word that
decodes to CRLF, a bare CR, NUL, …) can never become a second header or change the MIME
structure, whatever the Python version. `flatten` checks the bytes before they are sent.
"""

from __future__ import annotations

import base64
import io
import re
import smtplib
import socket
import ssl
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import Policy
from types import TracebackType
from urllib.parse import unquote, urlsplit

from bot.register.inert import inert
from notifiers.email.exchange import ClippedTLS, Flooded, Session, SessionTLS, exchange, late

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
LINE = 78  # RFC 5322's "SHOULD" for a header line, CRLF not counted
# 42 bytes are 56 base64 characters: "=?utf-8?b?" + 56 + "?=" is 68, under RFC 2047's 75, and
# "Subject: " plus one such word fits in 78.
WORD_BYTES = 42


class MailError(Exception):
    """A mail that was not sent, why (plain words), and whether a later retry may work. `unsure`:
    the server took the whole message but never confirmed it, so it may have arrived."""

    def __init__(self, message: str, permanent: bool, unsure: bool = False) -> None:
        super().__init__(message)
        self.permanent, self.unsure = permanent, unsure


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
    """Text from the register for one line: whitespace runs (newlines included) become one space,
    and any other control character is shown as a visible escape (`\\x1b`), never passed on."""
    return inert(" ".join(value.split()))


ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")
LONGEST = 254  # RFC 5321 (notifiers.email.targets checks the register's addresses against it too)


def valid_address(addr: str) -> bool:
    """A plain `name@domain` this bot may write verbatim into To, From and a mailto: ASCII letters,
    digits and the dot-atom symbols only (no spaces, quotes, brackets or control characters),
    and no "=?" (an RFC 2047 encoded word that some readers would decode)."""
    if not ADDRESS.fullmatch(addr) or "=?" in addr or len(addr) > LONGEST:
        return False
    try:
        parsed = Address(addr_spec=addr)
    except (ValueError, IndexError):
        return False
    return bool(parsed.username) and ("." in parsed.domain or parsed.domain in LOCAL_HOSTS)


def address_problem(addr: str) -> str | None:
    """Why `addr` is not an address `valid_address` takes, in words for the person who gave it; else None."""
    if len(addr) > LONGEST:
        return (f'"{clean_header(addr[:59])}…" is {len(addr):,} characters: an email address has at most {LONGEST} '
                "(RFC 5321)")
    return None if valid_address(addr) else f'"{clean_header(addr)}" is not an email address like name@example.org'


# -- headers ----------------------------------------------------------------------------------
def header_words(text: str) -> list[str]:
    """The wire form of an unstructured header value (a Subject), as words to fold between.

    Printable ASCII without "=?" and with no word too long to fold goes as it is. Anything else
    (non-ASCII, a "=?" that a reader would take for an encoded word, a word longer than a line)
    is encoded whole as UTF-8 base64 encoded words, so what the reader shows is `text` exactly,
    an encoded word in it included, as literal characters. `text` must already be one line
    (`clean_header`).
    """
    words = text.split(" ")
    if text.isascii() and text.isprintable() and "=?" not in text and all(len(w) <= LINE - 12 for w in words):
        return [w for w in words if w] or [""]
    out: list[str] = []
    chunk = ""
    for ch in text:
        if len((chunk + ch).encode("utf-8", "replace")) > WORD_BYTES:
            out.append(_encoded_word(chunk))
            chunk = ""
        chunk += ch
    return [*out, _encoded_word(chunk)] if chunk or not out else out


def _encoded_word(chunk: str) -> str:
    return f"=?utf-8?b?{base64.b64encode(chunk.encode('utf-8', 'replace')).decode('ascii')}?="


class Header(str):
    """A header whose wire text we built: the email package stores it and writes it verbatim.

    It follows the protocol of the email package's header objects (a `name`, and a `fold` that
    returns the finished line); the str value is the text as a reader sees it.
    """

    name: str
    words: tuple[str, ...]

    def __new__(cls, name: str, shown: str, words: Iterable[str]) -> Header:
        self = super().__new__(cls, shown)
        self.name, self.words = name, tuple(words)
        for word in self.words:
            if not word.isascii() or not word.isprintable() or " " in word:
                raise ValueError(f"{name}: not a header word: {word!r}")
        return self

    def __getnewargs__(self) -> tuple[str, str, tuple[str, ...]]:  # type: ignore[override]
        return self.name, str(self), self.words  # copy.deepcopy and pickle

    def fold(self, *, policy: Policy) -> str:
        """`Name: word word` with a line break (plus one space) before a word that would pass
        column 78; unfolding removes only the break, so the words come back as written."""
        lines, line = [], f"{self.name}:"
        for word in self.words:
            if len(line) + 1 + len(word) > LINE and line.strip() != f"{self.name}:":
                lines.append(line)
                line = ""
            line += f" {word}"
        return policy.linesep.join([*lines, line]) + policy.linesep


def put(msg: EmailMessage, name: str, shown: str, words: Iterable[str] | None = None) -> None:
    """Set header `name` to `shown`, written as `words` (default: `shown` split at its spaces)."""
    msg[name] = Header(name, shown, shown.split(" ") if words is None else words)


def put_text(msg: EmailMessage, name: str, text: str) -> None:
    """An unstructured header (Subject) from any text: one line, encoded so it stays literal."""
    shown = clean_header(text)
    put(msg, name, shown, header_words(shown))


def flatten(msg: EmailMessage, eight_bit: bool) -> bytes:
    """The message as sent (CRLF). Without `eight_bit` every 8-bit part is re-encoded (base64), so
    the bytes are 7-bit. Refuses (MailError) a message whose header block does not read back as
    exactly the headers we set, one line each, ASCII, at most 998 characters a line."""
    policy = msg.policy.clone(linesep="\r\n", cte_type="8bit" if eight_bit else "7bit")
    buffer = io.BytesIO()
    BytesGenerator(buffer, policy=policy).flatten(msg)
    data = buffer.getvalue()
    _check_headers(data, [k.lower() for k in msg.keys()])
    return data


def _check_headers(data: bytes, names: list[str]) -> None:
    head = data.split(b"\r\n\r\n", 1)[0]
    found, problem = [], ""
    for line in head.split(b"\r\n"):
        if not line.isascii() or len(line) > 998 or b"\r" in line or b"\n" in line or b"\0" in line:
            problem = "a header line that is not plain ASCII text of at most 998 characters"
        elif line[:1] not in (b" ", b"\t"):
            found.append(line.split(b":", 1)[0].decode("ascii").lower())
    if not problem and found != names:
        problem = f"headers {found} where {names} were set"
    if problem:
        raise MailError(f"refusing to send a mail with {clean_header(problem)} (a bug: please report it)", True)


class Mailer:
    """One SMTP session, opened on first use and reopened after any failure. Each `send` (with
    the connecting it needs) and the closing are each one exchange, bounded by SMTP_TIMEOUT."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._conn: Session | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def send(self, msg: EmailMessage, sender: str, to: str) -> None:
        """Send `msg` to `to` alone. 8-bit bodies go as they are, declared with BODY=8BITMIME,
        when the server offers 8BITMIME (RFC 6152); otherwise they are re-encoded to 7 bits."""
        with exchange(self.config.timeout):
            try:
                if self._conn is None:
                    self._conn = connect(self.config)
                eight_bit = self._conn.has_extn("8bitmime")
                data = flatten(msg, eight_bit)
                options = ["BODY=8BITMIME"] if eight_bit and not data.isascii() else []
                self._conn.handed = False
                self._conn.sendmail(sender, [to], data, options)
            except Exception as e:
                handed = self._conn is not None and self._conn.handed
                out_of_time = late()
                self._drop()
                raise explain(e, self.config, late=out_of_time, handed=handed) from None

    def close(self) -> None:
        if self._conn is not None:
            with exchange(self.config.timeout):
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


def connect(config: SmtpConfig) -> Session:
    """A logged-in session; the password is only ever sent over TLS (or to this machine). Every
    wait is clipped to the exchange under way (`Mailer.send`)."""
    context = ssl.create_default_context(cafile=config.ca_file)
    context.sslsocket_class = ClippedTLS
    conn: Session
    if config.implicit_tls:
        conn = SessionTLS(config.host, config.port, timeout=config.timeout, context=context)
    else:
        conn = Session(config.host, config.port, timeout=config.timeout)
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


def explain(e: BaseException, config: SmtpConfig, *, late: bool = False, handed: bool = False) -> MailError:
    """Any failure while sending, as a plain sentence and a retry verdict. `late`: the exchange ran
    out of time; `handed`: the whole message had gone to the server (no answer then is `unsure`)."""
    where = f"{config.host}:{config.port}"
    if isinstance(e, MailError):
        return e
    if handed and not isinstance(e, smtplib.SMTPResponseException):  # an answer, even a refusal, is sure
        how = (f"its answer was {e}, cut off unread" if isinstance(e, Flooded)
               else f"no answer came within {config.timeout:g} s (SMTP_TIMEOUT)" if late or _timed_out(e)
               else "the connection closed before its answer")
        return MailError(f"{where} took the whole mail but did not confirm it ({how}): it may have arrived", False,
                         unsure=True)
    if isinstance(e, Flooded):
        return MailError(f"{where} sent {e}; the connection was closed without reading the rest; will retry", False)
    if late or _timed_out(e):
        return MailError(f"timed out: {where} gave no whole answer within {config.timeout:g} s (SMTP_TIMEOUT, the "
                         "whole exchange); will retry", False)
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
    if isinstance(e, socket.gaierror):
        return MailError(f"host unreachable: cannot find the host name {config.host} (check SMTP_URL)", False)
    if isinstance(e, ConnectionRefusedError):
        return MailError(f"host unreachable: nothing accepts connections at {where} "
                         "(is the mail server running? check host and port in SMTP_URL)", False)
    if isinstance(e, OSError):
        return MailError(f"host unreachable: {where}: {e.strerror or e}", False)
    return MailError(f"{type(e).__name__} while sending mail through {where}: {e}", False)


def _timed_out(e: BaseException) -> bool:
    """A timeout, or smtplib's "Connection unexpectedly closed" over one (it wraps a reply's timeout so)."""
    return isinstance(e, TimeoutError) or isinstance(e.__context__, TimeoutError)


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
