"""The opt-out link: confirm page, one-click POST, no more e-mail, audited, four languages."""

import pytest
from django.test import Client

from conftest import NOW, ApiShop, event, order_payload
from parcelcare import clock
from parcelcare.accounts.models import AuditEntry
from parcelcare.integrations.channels.memory import MemoryChannel
from parcelcare.messaging.models import OutboxMessage
from parcelcare.messaging.sender import send_due
from parcelcare.tracking.models import Customer


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def test_every_customer_email_carries_a_working_opt_out_link(api_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload(promised="2026-11-17"))
    api_shop.post("tracking-events", {"events": [event(at="2026-11-16T08:00:00+01:00")]})
    channel = MemoryChannel("email")
    send_due({"email": channel}, NOW)
    link = channel.sent[0].unsubscribe_url
    assert "/u/" in link and "channel=email" in link
    path = link.split("8000", 1)[1]
    confirm = Client().get(path).content.decode()
    assert "Afmelden" in confirm  # the customer's language, Dutch
    assert Client().post(path).status_code == 200
    assert Customer.objects.get().opted_out == ["email"]
    assert AuditEntry.objects.filter(action="opted_out").count() == 1
    # A later finding queues nothing by e-mail for this customer.
    api_shop.post(
        "tracking-events",
        {"events": [event(at="2026-11-18T08:00:00+01:00", code="F1", status="failed_attempt")]},
    )
    assert not OutboxMessage.objects.filter(kind="failed_attempt").exists()


def test_unknown_token_is_a_plain_404(db: None) -> None:
    assert Client().get("/u/not-a-token?channel=email").status_code == 404
