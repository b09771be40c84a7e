"""A parcel handed from a Chinese origin carrier to a European last-mile carrier is one journey."""

import pytest

from conftest import NOW, ApiShop, event, order_payload
from parcelcare import clock
from parcelcare.tracking.models import Shipment, TrackingEvent

ORIGIN, LAST_MILE = "LP00612345678901", "3SLAST0000001"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def dropship_order(number: str = "CN-1") -> dict:
    body = order_payload(number=number, tracking=ORIGIN, carrier="cainiao", promised="2026-11-25")
    body["shipments"][0]["legs"] = [{"carrier": "postnl", "tracking_number": LAST_MILE}]
    return body


def test_events_of_both_legs_build_one_timeline(api_shop: ApiShop) -> None:
    assert api_shop.post("orders", dropship_order()).status_code == 201
    api_shop.post(
        "tracking-events",
        {
            "events": [
                event(
                    tracking=ORIGIN, carrier="cainiao", at="2026-11-05T09:00:00+08:00", code="C1"
                ),
                event(
                    tracking=LAST_MILE,
                    at="2026-11-16T09:00:00+01:00",
                    code="J05",
                    status="out_for_delivery",
                ),
            ]
        },
    )
    shipment = Shipment.objects.get()
    assert shipment.status == "out_for_delivery"
    detail = api_shop.get(f"shipments/{shipment.id}").json()
    assert [e["carrier"] for e in detail["timeline"]] == ["cainiao", "postnl"]
    assert detail["legs"] == [{"carrier": "postnl", "tracking_number": LAST_MILE}]


def test_last_mile_events_before_the_order_are_attached(api_shop: ApiShop) -> None:
    early = api_shop.post(
        "tracking-events",
        {
            "events": [
                event(
                    tracking=LAST_MILE,
                    at="2026-11-16T09:00:00+01:00",
                    code="I01",
                    status="delivered",
                )
            ]
        },
    ).json()
    assert early["unattached"] == 1
    api_shop.post("orders", dropship_order())
    assert TrackingEvent.objects.get().shipment_id == Shipment.objects.get().id
    assert Shipment.objects.get().status == "delivered"


def test_a_leg_number_cannot_belong_to_two_orders(api_shop: ApiShop) -> None:
    api_shop.post("orders", dropship_order())
    other = order_payload(number="CN-2", tracking=LAST_MILE)
    answer = api_shop.post("orders", other)
    assert answer.status_code == 422
    assert f"tracking number {LAST_MILE} belongs to order CN-1" in answer.json()["detail"]
