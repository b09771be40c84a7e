"""The demo shop's inbox: customer messages in their own language, each decided the way the
worker decides, so a first look at *Customer messages* shows every outcome."""

import pytest

from conftest import NOW
from parcelcare.assistant.models import InboundMessage, SenderAsk
from parcelcare.demo.seed import seed_demo
from parcelcare.messaging.models import OutboxMessage

DAYTIME = NOW.replace(hour=9, minute=30)


@pytest.mark.django_db
def test_the_demo_inbox_shows_every_outcome() -> None:
    summary = seed_demo(orders=400, seed=3, now=DAYTIME)
    outcomes = summary["customer_messages"]
    assert {"auto_sent", "draft", "case_opened"} <= set(outcomes)
    messages = InboundMessage.objects.all()
    assert messages.count() == sum(outcomes.values()) >= 12
    assert {m.language for m in messages} >= {"nl", "de"}
    for message in messages.filter(outcome="auto_sent"):
        # Sent alone only to the order's own customer, about the parcel asked after.
        assert message.verified and message.order.customer.email == message.sender
        reply = OutboxMessage.objects.get(pk=message.outbox_id)
        assert reply.shipment.order_id == message.order_id
        assert message.order.order_number in message.reply
    strangers = messages.exclude(sender__in=[m.order.customer.email for m in messages if m.order])
    assert strangers.exists() and not strangers.filter(outcome="auto_sent").exists()
    asked = SenderAsk.objects.filter(inbound__in=strangers)
    assert asked.count() == strangers.count()
    assert all(m.received_at <= DAYTIME for m in messages)
