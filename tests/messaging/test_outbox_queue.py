"""Findings queue messages in the same transaction; no message twice; stale ones withdrawn."""

from datetime import timedelta

import pytest

from conftest import NOW, ApiShop, event, order_payload
from parcelcare import clock
from parcelcare.messaging.models import OutboxMessage
from parcelcare.tracking.review import review_due


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def kinds() -> list[tuple[str, str, str]]:
    return sorted(
        OutboxMessage.objects.exclude(status="withdrawn").values_list("kind", "channel", "language")
    )


def test_a_late_parcel_queues_the_delay_message_once(api_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload(promised="2026-11-17"))
    api_shop.post("tracking-events", {"events": [event(at="2026-11-17T08:00:00+01:00")]})
    assert ("delayed_1", "email", "nl") in kinds()
    message = OutboxMessage.objects.get(kind="delayed_1")
    assert message.send_at >= NOW and message.audience == "customer"
    api_shop.post("tracking-events", {"events": [event(at="2026-11-17T08:00:00+01:00")]})
    review_due(NOW + timedelta(minutes=5))
    assert OutboxMessage.objects.filter(kind="delayed_1").count() == 1


def test_a_delay_message_waiting_for_morning_is_withdrawn_on_delivery(
    api_shop: ApiShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    evening = NOW.replace(hour=21, minute=30)  # 22:30 in Amsterdam: quiet hours
    monkeypatch.setattr(clock, "now", lambda: evening)
    api_shop.post("orders", order_payload(promised="2026-11-17"))
    api_shop.post("tracking-events", {"events": [event(at="2026-11-17T08:00:00+01:00")]})
    waiting = OutboxMessage.objects.get(kind="delayed_1")
    assert waiting.send_at.hour == 7  # 08:00 Amsterdam, after the quiet hours
    api_shop.post(
        "tracking-events",
        {"events": [event(at="2026-11-18T22:20:00+01:00", code="D1", status="delivered")]},
    )
    waiting.refresh_from_db()
    assert waiting.status == "withdrawn"


def test_delivery_queues_the_delivered_message(api_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload(promised="2026-11-19"))
    api_shop.post(
        "tracking-events",
        {"events": [event(at="2026-11-18T11:00:00+01:00", code="D1", status="delivered")]},
    )
    assert ("delivered", "email", "nl") in kinds()


def test_old_news_is_not_sent(api_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload(promised="2026-11-19"))
    api_shop.post(
        "tracking-events",
        {"events": [event(at="2026-11-10T11:00:00+01:00", code="D1", status="delivered")]},
    )
    assert "delivered" not in {kind for kind, _, _ in kinds()}
