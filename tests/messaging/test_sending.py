"""Outbox to inbox: a late parcel's message reaches a real SMTP server in the customer's tongue."""

import email
import email.policy
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from conftest import NOW, ApiShop, event, order_payload
from parcelcare import clock
from parcelcare.integrations.channels.base import ChannelError
from parcelcare.integrations.channels.email import SmtpEmail
from parcelcare.integrations.channels.memory import MemoryChannel
from parcelcare.messaging.channels import smtp_settings
from parcelcare.messaging.gate import PACE
from parcelcare.messaging.models import OutboxMessage
from parcelcare.messaging.sender import LEASE, claim, send_due


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server():
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def late_parcel(api: ApiShop) -> None:
    api.post("orders", order_payload(promised="2026-11-17"))
    api.post("tracking-events", {"events": [event(at="2026-11-17T08:00:00+01:00")]})


def delayed_message_id() -> str:
    return OutboxMessage.objects.get(kind="delayed_1").provider_message_id


def test_the_delay_email_arrives_in_dutch(api_shop: ApiShop, smtp_server, settings) -> None:
    inbox, port = smtp_server
    settings.MAIL_FROM = "winkel@example.com"
    late_parcel(api_shop)
    sender = SmtpEmail(smtp_settings(f"smtp+plain://127.0.0.1:{port}", "winkel@example.com"))
    # delayed_1 first (it ranks higher); shipped waits out the customer's minimum gap.
    assert send_due({"email": sender}, NOW) == {"sent": 1, "later": 1}
    received = next(
        m
        for m in inbox.messages
        if "/t/" in m.get_body(("plain",)).get_content()
        and "1001" in m["Subject"] + m.get_body(("plain",)).get_content()
        and m["Message-ID"] == delayed_message_id()
    )
    assert received["To"] == "c1001@example.com"
    assert "Test Shop" in received["From"]
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    assert "1001" in text and "/t/" in text
    assert "je" in text.split()  # Dutch, informal
    assert "<a" in html
    message = OutboxMessage.objects.get(kind="delayed_1")
    assert message.status == "sent" and message.provider_message_id
    assert send_due({"email": sender}, NOW + timedelta(minutes=1)) == {}
    assert send_due({"email": sender}, NOW + PACE.min_gap) == {"sent": 1}


def test_a_provider_outage_is_retried_then_sent(api_shop: ApiShop) -> None:
    late_parcel(api_shop)
    channel = MemoryChannel("email")
    channel.fail_next(ChannelError("smtp 451", True))
    assert send_due({"email": channel}, NOW) == {"failed": 1, "later": 1}
    failed = OutboxMessage.objects.get(status="failed")
    assert failed.next_attempt_at is not None and len(channel.sent) == 0
    assert send_due({"email": channel}, failed.next_attempt_at) == {"sent": 1}
    assert send_due({"email": channel}, failed.next_attempt_at + PACE.min_gap) == {"sent": 1}
    assert len(channel.sent) == 2


def test_a_permanent_failure_goes_dead_with_its_reason(api_shop: ApiShop) -> None:
    late_parcel(api_shop)
    channel = MemoryChannel("email")
    channel.fail_next(ChannelError("mailbox unavailable", False))
    assert send_due({"email": channel}, NOW) == {"dead": 1, "later": 1}
    assert OutboxMessage.objects.get(status="dead").last_error == "mailbox unavailable"


def test_a_crashed_send_is_claimed_again_after_its_lease(api_shop: ApiShop) -> None:
    late_parcel(api_shop)
    claimed = claim(NOW)
    assert len(claimed) == 2
    assert claim(NOW + timedelta(seconds=10)) == []
    assert sorted(claim(NOW + LEASE + timedelta(seconds=1))) == sorted(claimed)
