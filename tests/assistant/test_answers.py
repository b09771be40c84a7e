"""Inbound messages answered from live tracking facts, or left as drafts for an agent."""

from datetime import timedelta

import pytest
from tests.assistant.conversation import answered
from tests.cases.parcels import DELIVERED, MOVING, Parcel, make_parcel

from conftest import NOW, ApiShop
from parcelcare.accounts.models import AuditEntry
from parcelcare.assistant.inbox import process_due, receive
from parcelcare.assistant.models import InboundMessage
from parcelcare.assistant.respond import handle, settings_of
from parcelcare.cases.models import Case
from parcelcare.messaging.models import OutboxMessage
from parcelcare.messaging.sender import preview

OUT = InboundMessage.Outcome


def ask(api_shop: ApiShop, text: str, sender: str, ident: str = "m1", **extra) -> InboundMessage:
    """Store a message and let the worker answer it at NOW."""
    return answered(api_shop.shop.pk, text, sender, ident, **extra)


@pytest.fixture
def moving(api_shop: ApiShop) -> Parcel:
    return make_parcel(api_shop, "2002", MOVING)


@pytest.fixture
def delivered(api_shop: ApiShop) -> Parcel:
    return make_parcel(api_shop, "2001", DELIVERED)


def test_where_is_my_order_from_the_customer_is_answered(api_shop: ApiShop, moving: Parcel) -> None:
    message = ask(api_shop, "waar blijft mijn pakket? bestelling 2002", "c2002@example.com")
    assert (message.intent, message.language, message.verified) == ("order_status", "nl", True)
    assert message.outcome == OUT.AUTO_SENT, message.reasons
    row = OutboxMessage.objects.get(pk=message.outbox_id)
    assert row.kind == "assistant_reply" and row.channel == "email" and row.language == "nl"
    body = row.payload["body"]
    assert "2002" in body and "Beantwoord dit bericht" in body  # always a way to a person
    sent = preview(row)
    assert f"/t/{moving.shipment.public_token}" in sent.text and body in sent.text
    entry = AuditEntry.objects.get(subject_type="inbound_message", subject_id=message.pk)
    assert entry.action == "assistant.auto_sent" and entry.after["proof"] == "sender"


def test_stranger_gets_no_order_facts(api_shop: ApiShop, moving: Parcel) -> None:
    message = ask(api_shop, "where is my order 2002?", "someone@else.example")
    assert message.outcome == OUT.DRAFT and "sender_not_verified" in message.reasons
    assert message.order_id == moving.order.pk
    # The agent sees the answer the facts give; nothing goes out, least of all to the sender.
    assert "2002" in message.reply and message.reasons == ["sender_not_verified"]
    assert not OutboxMessage.objects.filter(kind="assistant_reply").exists()


def test_order_number_and_postcode_verify(api_shop: ApiShop, moving: Parcel) -> None:
    message = ask(api_shop, "where is my order 2002? postcode 3511AB", "other@example.org")
    assert message.verified and message.outcome == OUT.AUTO_SENT
    # The answer goes to the order's own address, never to the stranger's.
    assert OutboxMessage.objects.get(pk=message.outbox_id).shipment.order.customer.email == (
        "c2002@example.com"
    )


def test_not_received_on_delivered_parcel_opens_playbook_b(
    api_shop: ApiShop, delivered: Parcel
) -> None:
    message = ask(
        api_shop,
        "Mijn pakket staat op bezorgd maar ik heb niks ontvangen, bestelling 2001",
        "c2001@example.com",
    )
    assert message.intent == "not_received" and message.outcome == OUT.CASE_OPENED
    case = Case.objects.get(pk=message.case_id)
    assert case.playbook == "B" and case.kind == "not_received"
    assert OutboxMessage.objects.filter(kind="case_received", shipment=delivered.shipment).exists()


def test_cancel_after_shipping_says_so(api_shop: ApiShop, moving: Parcel) -> None:
    message = ask(api_shop, "I want to cancel my order 2002", "c2002@example.com")
    assert message.intent == "cancel_order" and message.outcome == OUT.AUTO_SENT
    assert "can no longer be cancelled" in message.reply


def test_disabled_intent_and_unclear_message_become_drafts(
    api_shop: ApiShop, moving: Parcel
) -> None:
    config = settings_of(api_shop.shop.pk)
    config.auto_intents = []
    config.save()
    message = ask(api_shop, "waar blijft mijn pakket? bestelling 2002", "c2002@example.com")
    assert message.outcome == OUT.DRAFT and message.reasons == ["intent_disabled"]
    assert "bestelling 2002" in message.reply  # the suggested answer is ready for the agent
    other = ask(api_shop, "hebben jullie deze tafel ook in het zwart", "c2002@example.com", "m2")
    assert other.outcome == OUT.DRAFT and "intent_other" in other.reasons


def test_repeat_is_stored_once_and_failures_retry(api_shop: ApiShop, moving: Parcel) -> None:
    first = receive(
        shop_id=api_shop.shop.pk,
        channel="email",
        external_id="<x@y>",
        sender="c2002@example.com",
        body="where is my order 2002?",
        now=NOW,
        wake=False,
    )
    again = receive(
        shop_id=api_shop.shop.pk,
        channel="email",
        external_id="<x@y>",
        sender="c2002@example.com",
        body="where is my order 2002?",
        now=NOW,
        wake=False,
    )
    assert again.duplicate and again.message_id == first.message_id

    def broken(message: InboundMessage, now) -> None:
        raise RuntimeError("database went away")

    assert process_due(broken, NOW) == {"failed": 1}
    row = InboundMessage.objects.get(pk=first.message_id)
    assert row.status == "failed" and row.next_attempt_at == NOW + timedelta(seconds=30)
    assert process_due(handle, NOW) == {}
    assert process_due(handle, NOW + timedelta(seconds=31)) == {"done": 1}
    assert InboundMessage.objects.get(pk=first.message_id).outcome == OUT.AUTO_SENT


def test_message_about_a_parcel_with_an_open_case_joins_it(
    api_shop: ApiShop, delivered: Parcel
) -> None:
    first = ask(
        api_shop,
        "Mijn pakket staat op bezorgd maar ik heb niks ontvangen, bestelling 2001",
        "c2001@example.com",
    )
    case = Case.objects.get(pk=first.case_id)
    later = ask(api_shop, "waar blijft mijn pakket? bestelling 2001", "c2001@example.com", "m2")
    assert later.case_id == case.pk
    assert case.notes.filter(direction="in", body__contains="waar blijft").exists()


def test_return_request_links_the_returns_portal(api_shop: ApiShop, delivered: Parcel) -> None:
    message = ask(
        api_shop, "Ik wil mijn bestelling 2001 retourneren, hoe doe ik dat?", "c2001@example.com"
    )
    assert message.intent == "return_request" and message.outcome == OUT.AUTO_SENT
    assert f"/t/{delivered.shipment.public_token}/return" in message.reply


def test_refund_status_tells_the_refund_in_the_ledger(api_shop: ApiShop, delivered: Parcel) -> None:
    from parcelcare.ledger.models import RemedyEntry

    config = settings_of(api_shop.shop.pk)
    config.auto_intents = [*config.auto_intents, "refund_status"]
    config.save()
    text = "Wanneer krijg ik mijn geld terug? Bestelling 2001"
    none_yet = ask(api_shop, text, "c2001@example.com")
    assert none_yet.intent == "refund_status" and none_yet.outcome == OUT.DRAFT
    assert none_yet.reasons == ["not_determined"]
    RemedyEntry.objects.create(
        shop=api_shop.shop,
        order=delivered.order,
        kind="refund",
        amount=2990,
        currency="EUR",
        idempotency_key="r-1",
        actor_type="agent",
        created_at=NOW,
    )
    booked = ask(api_shop, text, "c2001@example.com", "m2")
    assert booked.outcome == OUT.AUTO_SENT
    assert "29,90" in booked.reply and "18 november" in booked.reply
