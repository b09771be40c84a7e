"""The demo shop sends no false message: seeded, reviewed, sent, every sent message still holds."""

from datetime import timedelta

import pytest

from conftest import NOW
from parcelcare.demo.seed import seed_demo
from parcelcare.integrations.channels.memory import MemoryChannel
from parcelcare.messaging.models import OutboxMessage
from parcelcare.messaging.sender import send_due
from parcelcare.tracking.review import review_due
from truth_oracle import contradiction, seen_row

DAYTIME = NOW.replace(hour=9, minute=30)
"""Mid-morning in the shop's zone: nothing waits for quiet hours, so everything due is sent."""


@pytest.mark.django_db
def test_the_demo_sends_no_false_message() -> None:
    seed_demo(orders=150, seed=3, now=DAYTIME)
    out = {name: MemoryChannel(name) for name in ("email", "sms", "whatsapp")}
    for minutes in (1, 20, 40, 24 * 60 + 60):
        at = DAYTIME + timedelta(minutes=minutes)
        review_due(at)
        send_due(out, at)
    sent = OutboxMessage.objects.filter(status="sent", audience="customer")
    assert sent.exists()
    wrong = [(row.kind, why) for row in sent if (why := contradiction(seen_row(row)))]
    assert wrong == []
    about_delivered = sent.filter(kind__startswith="delayed", shipment__status="delivered")
    assert not about_delivered.exists()
