"""The demo shop has returns at every stage, a filled ledger and survey answers, seeded in
seconds; every return message it sends is still true when it goes out."""

import time
from datetime import timedelta

import pytest

from conftest import NOW
from parcelcare.demo.seed import seed_demo
from parcelcare.integrations.channels.memory import MemoryChannel
from parcelcare.ledger.models import RemedyEntry
from parcelcare.messaging.gate import screen
from parcelcare.messaging.models import OutboxMessage
from parcelcare.messaging.sender import send_due
from parcelcare.returns.models import Feedback, ReturnRequest

DAYTIME = NOW.replace(hour=9, minute=30)


@pytest.mark.django_db
def test_the_demo_has_returns_at_every_stage_and_tells_only_the_truth() -> None:
    started = time.perf_counter()
    summary = seed_demo(orders=400, seed=3, now=DAYTIME)
    seconds = time.perf_counter() - started
    shop_id = summary["shop_id"]
    returns = ReturnRequest.objects.filter(shop_id=shop_id)
    assert set(summary["returns"]) == {
        "requested", "approved", "in_transit", "received", "inspected", "resolved", "rejected"
    }  # fmt: skip
    assert returns.filter(keep_item=True, status="resolved").exists()
    assert returns.exclude(return_tracking_number="").count() >= 5
    assert all(r.created_at < DAYTIME for r in returns)
    refunds = RemedyEntry.objects.filter(shop_id=shop_id, return_request__isnull=False)
    assert refunds.filter(kind__in=("refund", "partial_refund"), status="recorded").count() >= 3
    assert Feedback.objects.filter(shop_id=shop_id, score__isnull=False).count() >= 4
    assert Feedback.objects.filter(shop_id=shop_id, request__isnull=False, score__isnull=False)
    assert not RemedyEntry.objects.filter(shop_id=shop_id, kind="reship", amount=0).exists()
    out = {name: MemoryChannel(name) for name in ("email", "sms", "whatsapp")}
    for minutes in (1, 20, 40):
        send_due(out, DAYTIME + timedelta(minutes=minutes))
    told = OutboxMessage.objects.filter(shop_id=shop_id, kind__startswith="return_")
    assert told.filter(status="sent").count() >= 10
    # Parcels taken in days ago were told then; a kept item never arrives.
    arrived = told.filter(kind="return_arrived")
    assert arrived.count() == returns.exclude(received_at=None).count() >= 3
    assert not arrived.exclude(status="sent").exists()
    assert not arrived.filter(payload__remedy="keep_item").exists()
    assert not told.filter(status="queued", send_at__lte=DAYTIME).exists()
    sent_ids = list(told.filter(status="sent").values_list("id", flat=True))
    # Every return message shown as sent still holds now, by the gate's own check.
    assert screen(sent_ids, DAYTIME + timedelta(hours=1)).withdrawn == []
    print(f"demo with returns seeded in {seconds:.1f} s")
