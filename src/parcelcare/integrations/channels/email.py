"""E-mail over SMTP with the standard library: text and HTML, one-click unsubscribe, stable ids.

The Message-ID is derived from the outbox idempotency key, so a resend after a crash between the
server's 250 and the outbox update carries the same Message-ID and receivers can fold the two.
"""

import hashlib
import re
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from functools import cache
from typing import Literal

from parcelcare import clock as real_clock
from parcelcare.integrations.channels.base import ChannelError, OutgoingMessage, SendResult

Security = Literal["starttls", "ssl", "plain"]

MAX_PER_CONNECTION = 100
"""Messages per SMTP connection before a fresh one; servers often cap a session near this."""
MAX_IDLE_SECONDS = 30.0
"""An idle connection older than this is replaced rather than trusted (servers time out)."""
POLICY = policy.SMTP.clone(refold_source="none")
"""CRLF line ends and RFC 2047 folding for ordinary headers; headers set raw (List-Unsubscribe)
are written as given, because folding a long URL would turn it into an encoded word."""

ENHANCED_STATUS = re.compile(rb"\b([245]\.\d{1,3}\.\d{1,3})\b")
UNSAFE_URI = re.compile(r"[\x00-\x20<>,\x7f-\U0010ffff]")


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to hand mail over: host, port, TLS mode, login, default sender, and the
    envelope sender (`return_path`) that receives bounces, when it is not the From address."""

    host: str
    port: int = 587
    security: Security = "starttls"
    username: str = ""
    password: str = ""
    sender: str = ""
    return_path: str = ""
    message_id_domain: str = ""
    timeout: float = 10.0
    local_hostname: str | None = None
    ssl_context: ssl.SSLContext | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.security == "plain" and self.username:
            raise ValueError("SMTP login needs starttls or ssl: a password never goes in clear")


@cache
def _default_context() -> ssl.SSLContext:
    """The system's trust store as a TLS client context, built once per process."""
    return ssl.create_default_context()


MESSAGE_ID = re.compile(r"<[^<>\s@]+@[^<>\s@]+>")
"""A Message-ID as another mail server wrote it: what a reply may name in In-Reply-To."""


def message_id(idempotency_key: str, domain: str) -> str:
    """A Message-ID that is the same for every send of one outbox row and reveals nothing."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]
    return f"<{digest}@{domain}>"


def list_unsubscribe(message: OutgoingMessage) -> str:
    """The List-Unsubscribe value: the mailto and the https targets, each in angle brackets."""
    targets = []
    if message.unsubscribe_mailto:
        mailto = message.unsubscribe_mailto
        targets.append(mailto if mailto.startswith("mailto:") else f"mailto:{mailto}")
    if message.unsubscribe_url:
        targets.append(message.unsubscribe_url)
    for target in targets:
        if UNSAFE_URI.search(target):
            raise ChannelError("email: an unsubscribe target is not a plain ASCII URI", False)
    return ", ".join(f"<{target}>" for target in targets)


def build(message: OutgoingMessage, settings: SmtpSettings, now: datetime) -> EmailMessage:
    """The MIME message: text, and HTML as its alternative when there is one."""
    sender = message.sender or settings.sender
    domain = settings.message_id_domain or parseaddr(sender)[1].rpartition("@")[2]
    if not sender or not domain:
        raise ChannelError("email: no sender address to send from", False)
    email = EmailMessage(policy=POLICY)
    try:
        email["From"] = sender
        email["To"] = message.to
        email["Subject"] = message.subject
        email["Date"] = format_datetime(now)
        email["Message-ID"] = message_id(message.idempotency_key, domain)
        email["Auto-Submitted"] = "auto-generated"
        if message.reply_to:
            email["Reply-To"] = message.reply_to
        if MESSAGE_ID.fullmatch(message.in_reply_to):
            email["In-Reply-To"] = message.in_reply_to
            email["References"] = message.in_reply_to
    except ValueError:
        raise ChannelError(
            "email: a header holds a line break or an invalid address", False
        ) from None
    if unsubscribe := list_unsubscribe(message):
        email.set_raw("List-Unsubscribe", unsubscribe)
    if message.unsubscribe_url.startswith("https://"):
        # RFC 8058: one-click only with an https target the mailbox provider can POST to.
        email.set_raw("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
    email.set_content(message.text, cte="quoted-printable")
    if message.html:
        email.add_alternative(message.html, subtype="html", cte="quoted-printable")
    return email


def refused(code: int, reply: bytes | str) -> ChannelError:
    """An SMTP reply as a ChannelError: 4xx is transient, 5xx permanent (RFC 5321 §4.2.1)."""
    raw = reply.encode(errors="replace") if isinstance(reply, str) else reply
    found = ENHANCED_STATUS.search(raw)
    enhanced = found.group(1).decode() if found else None
    retryable = not 500 <= code < 600
    return ChannelError(
        f"email: SMTP {code}" + (f" ({enhanced})" if enhanced else ""),
        retryable,
        code,
        code=enhanced,
    )


class SmtpEmail:
    """Sends messages over one reused SMTP connection (opened again when the server drops it,
    after MAX_PER_CONNECTION messages, or MAX_IDLE_SECONDS idle); the Message-ID is the
    provider id. One instance serves one sending pass in one thread; `close()` ends it."""

    def __init__(
        self, settings: SmtpSettings, *, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.settings = settings
        self.clock = clock or real_clock.now
        self._smtp: smtplib.SMTP | None = None
        self._sent = 0
        self._last_used = 0.0

    def connect(self) -> smtplib.SMTP:
        """An open connection, inside TLS unless the settings say plain."""
        settings = self.settings
        # Loading the system's CA certificates takes milliseconds: do it once, and only for TLS.
        context = settings.ssl_context or (
            _default_context() if settings.security != "plain" else None
        )
        address = (settings.host, settings.port)
        if settings.security == "ssl":
            return smtplib.SMTP_SSL(
                *address,
                local_hostname=settings.local_hostname,
                timeout=settings.timeout,
                context=context,
            )
        smtp = smtplib.SMTP(
            *address, local_hostname=settings.local_hostname, timeout=settings.timeout
        )
        if settings.security == "starttls":
            try:
                smtp.starttls(context=context)
            except BaseException:
                smtp.close()
                raise
        return smtp

    def _session(self) -> smtplib.SMTP:
        """The open connection, or a new logged-in one when it is missing, full or stale."""
        stale = time.monotonic() - self._last_used > MAX_IDLE_SECONDS
        if self._smtp is None or self._sent >= MAX_PER_CONNECTION or stale:
            self.close()
            smtp = self.connect()
            try:
                if self.settings.username:
                    smtp.login(self.settings.username, self.settings.password)
            except BaseException:
                smtp.close()
                raise
            self._smtp, self._sent = smtp, 0
        return self._smtp

    def deliver(self, email: EmailMessage) -> None:
        """Hand the message to the server; a connection the server dropped is opened again once."""
        for retry in (False, True):
            smtp = self._session()
            try:
                smtp.send_message(email, from_addr=self.settings.return_path or None)
            except smtplib.SMTPServerDisconnected:
                self._smtp = None
                if retry:
                    raise
                continue
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException):
                raise  # the server answered and reset the transaction: the connection is fine
            except BaseException:
                self.close()
                raise
            self._sent, self._last_used = self._sent + 1, time.monotonic()
            return

    def close(self) -> None:
        """End the connection politely; errors on the way out do not matter."""
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def send(self, message: OutgoingMessage) -> SendResult:
        """Send one message; ChannelError with the SMTP code when the server refuses it."""
        email = build(message, self.settings, self.clock())
        try:
            self.deliver(email)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise refused(code, reply) from None
        except smtplib.SMTPResponseException as error:
            raise refused(error.smtp_code, error.smtp_error) from None
        except smtplib.SMTPNotSupportedError:
            raise ChannelError("email: the server does not offer STARTTLS", False) from None
        except ssl.SSLCertVerificationError:
            raise ChannelError(
                "email: the server's TLS certificate is not trusted", False
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            raise ChannelError(f"email: connection failed: {type(error).__name__}", True) from None
        return SendResult(str(email["Message-ID"]), "sent")
