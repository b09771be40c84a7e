"""The SMTP channel against a real SMTP server (aiosmtpd) running in the test process."""

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword

from parcelcare.integrations.channels.base import ChannelError, OutgoingMessage
from parcelcare.integrations.channels.email import SmtpEmail, SmtpSettings, message_id

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
HOST = "127.0.0.1"
TEXT = (
    "Uw pakket is onderweg; één dag vertraging.\n"
    "Ihr Paket ist unterwegs: Verspätung, Straße, Grüße.\n"
    "Votre colis arrive bientôt : désolé, à très vite — merci !\n"
)
HTML = "<p>Uw pakket is onderweg; één dag vertraging.</p><p>Grüße — à très vite</p>"
UNSUBSCRIBE = "https://shop.example/u/" + "k" * 120
MAILTO = "unsubscribe@shop.example?subject=unsubscribe-7f3a"


def unix(text: str) -> str:
    """Decoded text with the CRLF line ends of the wire turned into newlines."""
    return text.replace("\r\n", "\n")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps what it accepted and can answer RCPT or DATA with an error."""

    received: list[Envelope] = field(default_factory=list)
    sessions: list[Any] = field(default_factory=list)
    rcpt_reply: str = ""
    data_reply: str = ""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Envelope, address: str, options: Any
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        if self.data_reply:
            return self.data_reply
        self.received.append(envelope)
        self.sessions.append(session)
        return "250 Message accepted for delivery"

    def message(self, index: int = -1) -> EmailMessage:
        content = self.received[index].content
        assert isinstance(content, bytes)
        parsed = message_from_bytes(content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Server:
    """A running SMTP server and the handler that records for it."""

    handler: Recorder
    port: int


@pytest.fixture
def plain() -> Iterator[Server]:
    """A plain SMTP server on loopback."""
    handler, port = Recorder(), free_port()
    controller = Controller(handler, hostname=HOST, port=port)
    controller.start()
    try:
        yield Server(handler, port)
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=localhost"),
            *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-keyout", str(key), "-out", str(cert)),
            *("-addext", f"subjectAltName=IP:{HOST},DNS:localhost"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def client_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    """Accepts only the login mailer / s3cret."""
    good = isinstance(data, LoginPassword) and (data.login, data.password) == (b"mailer", b"s3cret")
    return AuthResult(success=good, handled=False)


def settings(port: int, **changes: Any) -> SmtpSettings:
    values: dict[str, Any] = {
        "host": HOST,
        "port": port,
        "security": "plain",
        "sender": "Webshop Zonnig <zorg@shop.example>",
        "timeout": 5.0,
    }
    return SmtpSettings(**(values | changes))


def outgoing(key: str = "outbox:42:delayed:2:email", **changes: Any) -> OutgoingMessage:
    values: dict[str, Any] = {
        "channel": "email",
        "to": "Jan Jansen <jan@example.nl>",
        "idempotency_key": key,
        "subject": "Uw pakket / Ihr Paket / Votre colis : vertraagd, verspätet, retardé",
        "text": TEXT,
        "html": HTML,
        "reply_to": "cases+1234@shop.example",
        "unsubscribe_url": UNSUBSCRIBE,
        "unsubscribe_mailto": MAILTO,
    }
    return OutgoingMessage(**(values | changes))


def channel(port: int, **changes: Any) -> SmtpEmail:
    return SmtpEmail(settings(port, **changes), clock=lambda: NOW)


def test_multipart_message_arrives_with_every_header_and_intact_text(plain: Server) -> None:
    result = channel(plain.port).send(outgoing())

    received = plain.handler.message()
    assert received.get_content_type() == "multipart/alternative"
    text_part, html_part = received.iter_parts()
    assert text_part.get_content_type() == "text/plain"
    assert unix(text_part.get_content()) == TEXT
    assert html_part.get_content_type() == "text/html"
    assert unix(html_part.get_content()) == HTML + "\n"
    assert str(received["From"]) == "Webshop Zonnig <zorg@shop.example>"
    assert str(received["To"]) == "Jan Jansen <jan@example.nl>"
    assert str(received["Reply-To"]) == "cases+1234@shop.example"
    assert str(received["Subject"]) == outgoing().subject
    assert received["List-Unsubscribe"] == f"<mailto:{MAILTO}>, <{UNSUBSCRIBE}>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received["Auto-Submitted"] == "auto-generated"
    assert parsedate_to_datetime(str(received["Date"])) == NOW
    assert result.status == "sent"
    assert result.provider_message_id == str(received["Message-ID"])
    assert plain.handler.received[-1].mail_from == "zorg@shop.example"
    assert plain.handler.received[-1].rcpt_tos == ["jan@example.nl"]


def test_message_id_is_the_same_for_every_send_of_one_key(plain: Server) -> None:
    email = channel(plain.port)

    first = email.send(outgoing("outbox:42"))
    again = email.send(outgoing("outbox:42"))
    other = email.send(outgoing("outbox:43"))

    ids = [str(plain.handler.message(index)["Message-ID"]) for index in range(3)]
    assert ids[0] == ids[1] == first.provider_message_id == again.provider_message_id
    assert ids[2] == other.provider_message_id != ids[0]
    assert ids[0] == message_id("outbox:42", "shop.example")
    assert "outbox" not in ids[0]
    assert ids[0].endswith("@shop.example>")


def test_text_only_message_is_a_single_part_and_one_click_needs_https(plain: Server) -> None:
    message = outgoing(html="", unsubscribe_url="", unsubscribe_mailto="stop@shop.example")
    channel(plain.port, return_path="bounces+42@shop.example").send(message)

    received = plain.handler.message()
    assert received.get_content_type() == "text/plain"
    assert unix(received.get_content()) == TEXT
    assert received["List-Unsubscribe"] == "<mailto:stop@shop.example>"
    assert received["List-Unsubscribe-Post"] is None
    assert plain.handler.received[-1].mail_from == "bounces+42@shop.example"


def test_transient_refusal_is_retryable(plain: Server) -> None:
    plain.handler.data_reply = "451 4.3.0 Mailbox temporarily unavailable, try again later"

    with pytest.raises(ChannelError) as refused:
        channel(plain.port).send(outgoing())

    assert refused.value.retryable
    assert refused.value.status == 451
    assert refused.value.code == "4.3.0"


def test_permanent_refusal_is_not_retryable_and_names_no_address(plain: Server) -> None:
    plain.handler.rcpt_reply = "550 5.1.1 <jan@example.nl>: Recipient address rejected"

    with pytest.raises(ChannelError) as refused:
        channel(plain.port).send(outgoing())

    assert not refused.value.retryable
    assert refused.value.status == 550
    assert refused.value.code == "5.1.1"
    assert "jan" not in str(refused.value)
    assert plain.handler.received == []


def test_no_server_listening_is_retryable() -> None:
    with pytest.raises(ChannelError) as failed:
        channel(free_port()).send(outgoing())

    assert failed.value.retryable
    assert failed.value.status is None


def test_a_server_that_never_greets_times_out_as_retryable() -> None:
    with socket.socket() as silent:
        silent.bind((HOST, 0))
        silent.listen(1)
        email = channel(silent.getsockname()[1], timeout=0.3)
        with pytest.raises(ChannelError) as failed:
            email.send(outgoing())

    assert failed.value.retryable


@pytest.mark.parametrize(
    "change",
    [
        {"subject": "Vertraagd\nBcc: everyone@example.org"},
        {"unsubscribe_url": "https://shop.example/u/1>, <https://evil.example"},
        {"unsubscribe_url": "https://shop.example/u/1\r\nBcc: everyone@example.org"},
    ],
)
def test_header_injection_is_refused_before_connecting(change: dict[str, str]) -> None:
    with pytest.raises(ChannelError) as refused:
        channel(free_port()).send(outgoing(**change))

    assert not refused.value.retryable


def test_login_over_plain_smtp_is_refused_when_configured() -> None:
    with pytest.raises(ValueError):
        settings(25, username="mailer", password="s3cret")


def test_starttls_with_login(certificate: tuple[Path, Path]) -> None:
    handler, port = Recorder(), free_port()
    controller = Controller(
        handler,
        hostname=HOST,
        port=port,
        tls_context=server_context(certificate),
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
    )
    controller.start()
    try:
        secure = settings(
            port,
            security="starttls",
            username="mailer",
            password="s3cret",
            ssl_context=client_context(certificate),
        )
        SmtpEmail(secure, clock=lambda: NOW).send(outgoing())
        wrong = SmtpEmail(replace(secure, password="nope"))
        with pytest.raises(ChannelError) as refused:
            wrong.send(outgoing())
    finally:
        controller.stop()

    body = handler.message().get_body(("plain",))
    assert body is not None
    assert unix(body.get_content()) == TEXT
    assert refused.value.status == 535
    assert not refused.value.retryable


def test_implicit_tls(certificate: tuple[Path, Path]) -> None:
    handler, port = Recorder(), free_port()
    controller = Controller(
        handler, hostname=HOST, port=port, ssl_context=server_context(certificate)
    )
    controller.start()
    try:
        secure = settings(port, security="ssl", ssl_context=client_context(certificate))
        SmtpEmail(secure, clock=lambda: NOW).send(outgoing())
        untrusted = SmtpEmail(settings(port, security="ssl"))
        with pytest.raises(ChannelError) as refused:
            untrusted.send(outgoing())
    finally:
        controller.stop()

    assert len(handler.received) == 1
    assert not refused.value.retryable


def test_one_connection_carries_many_messages_and_survives_a_refusal(plain: Server) -> None:
    smtp = channel(plain.port)
    smtp.send(outgoing("k1"))
    plain.handler.rcpt_reply = "550 5.1.1 Recipient address rejected"
    with pytest.raises(ChannelError):
        smtp.send(outgoing("k2"))
    plain.handler.rcpt_reply = ""
    smtp.send(outgoing("k3"))
    smtp.close()
    assert len(plain.handler.received) == 2
    assert len({id(session) for session in plain.handler.sessions}) == 1


def test_a_connection_the_server_dropped_is_opened_again(plain: Server) -> None:
    smtp = channel(plain.port)
    smtp.send(outgoing("k1"))
    assert smtp._smtp is not None
    smtp._smtp.sock.shutdown(socket.SHUT_RDWR)  # type: ignore[union-attr]
    smtp.send(outgoing("k2"))
    smtp.close()
    assert len(plain.handler.received) == 2
    assert len({id(session) for session in plain.handler.sessions}) == 2
