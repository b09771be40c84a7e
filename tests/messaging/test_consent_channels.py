"""Consent reaches the outbox: SMS kinds are queued for a customer who agreed and has a phone,
never for one who did not, and an opt-out wins over consent."""

from typing import Any

import pytest

from conftest import NOW, ApiShop, event, order_payload
from parcelcare import clock
from parcelcare.domain.notify_policy import SMS_TOO, Channel
from parcelcare.messaging.models import OutboxMessage
from parcelcare.messaging.recipients import audiences
from parcelcare.tracking.models import Customer, Shipment

FAILED = event(at="2026-11-18T08:00:00+01:00", code="F1", status="failed_attempt")


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def ordered(api_shop: ApiShop, **customer: Any) -> None:
    body = order_payload(promised="2026-11-19")
    body["customer"] |= customer
    assert api_shop.post("orders", body).status_code == 201


def channels(kind: str) -> set[str]:
    rows = OutboxMessage.objects.filter(kind=kind).exclude(status="withdrawn")
    return set(rows.values_list("channel", flat=True))


def test_a_customer_with_sms_consent_and_a_phone_gets_the_sms(api_shop: ApiShop) -> None:
    assert "failed_attempt" in SMS_TOO
    ordered(api_shop, consent=["sms"])
    api_shop.post("tracking-events", {"events": [FAILED]})
    assert channels("failed_attempt") == {"email", "sms"}
    sms = OutboxMessage.objects.get(kind="failed_attempt", channel="sms")
    assert sms.language == "nl" and sms.audience == "customer"


def test_no_consent_no_sms(api_shop: ApiShop) -> None:
    ordered(api_shop)
    api_shop.post("tracking-events", {"events": [FAILED]})
    assert channels("failed_attempt") == {"email"}


def test_consent_without_a_phone_sends_no_sms(api_shop: ApiShop) -> None:
    ordered(api_shop, consent=["sms"], phone="")
    api_shop.post("tracking-events", {"events": [FAILED]})
    assert channels("failed_attempt") == {"email"}


def test_an_opt_out_wins_over_consent(api_shop: ApiShop) -> None:
    ordered(api_shop, consent=["sms"])
    # Written behind the services' back: the recipient must still read the opt-out first.
    Customer.objects.update(opted_out=["sms"], consent=["sms"])
    api_shop.post("tracking-events", {"events": [FAILED]})
    assert channels("failed_attempt") == {"email"}


def test_recipients_read_consent_and_opt_outs_in_one_query(
    api_shop: ApiShop, django_assert_num_queries: Any
) -> None:
    ordered(api_shop, consent=["sms", "whatsapp"])
    Customer.objects.update(opted_out=["whatsapp"])
    sid = Shipment.objects.get().pk
    with django_assert_num_queries(1):
        recipient = audiences([sid])[sid].recipient
    assert recipient.consent_sms and recipient.consent_whatsapp
    assert recipient.reachable(Channel.SMS)
    assert not recipient.reachable(Channel.WHATSAPP)
