"""Every webhook source end to end: signed payload -> endpoint -> inbox -> worker -> findings."""

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from django.test import Client

from conftest import NOW, ApiShop, order_payload
from parcelcare import clock
from parcelcare.accounts.services import connect_source
from parcelcare.integrations.carriers.seventeentrack.webhook import sign as sign_17track
from parcelcare.tracking.models import Finding, InboxItem, Order, Shipment

FIXTURES = Path(__file__).parent.parent / "fixtures" / "webhooks"
SECRET = "source-secret-123"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def b64(body: bytes) -> str:
    return base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()


def hexsig(body: bytes) -> str:
    return hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def deliver(shop: ApiShop, source: str, body: bytes, headers: dict[str, str]) -> int:
    connect_source(shop=shop.shop, source=source, secret=SECRET)
    answer = Client().post(
        f"/webhooks/{source}/{shop.shop.id}",
        data=body,
        content_type="application/json",
        headers=headers,
    )
    return answer.status_code


@pytest.mark.parametrize(
    ("source", "fixture", "tracking", "carrier", "status", "finding"),
    [
        pytest.param(
            "sendcloud",
            "sendcloud/parcel_status_changed_delivered.json",
            "3SABCD123456789",
            "postnl",
            "delivered",
            "delivered",
            id="sendcloud",
        ),
        pytest.param(
            "17track",
            "seventeentrack/tracking_updated_return.json",
            "CC405172839NL",
            "postnl",
            "returned",
            "returned_to_sender",
            id="17track",
        ),
    ],
)
def test_tracking_sources_move_the_shipment(
    api_shop: ApiShop,
    source: str,
    fixture: str,
    tracking: str,
    carrier: str,
    status: str,
    finding: str,
) -> None:
    api_shop.post("orders", order_payload(tracking=tracking, carrier=carrier))
    body = (FIXTURES / fixture).read_bytes()
    headers = (
        {"Sendcloud-Signature": hexsig(body)}
        if source == "sendcloud"
        else {"sign": sign_17track(SECRET, body)}
    )
    assert deliver(api_shop, source, body, headers) == 202
    assert InboxItem.objects.get().status == "done"
    shipment = Shipment.objects.get()
    assert shipment.status == status
    assert Finding.objects.filter(shipment=shipment, kind=finding, closed_at=None).exists()


def test_woocommerce_order_arrives_with_its_lines(api_shop: ApiShop) -> None:
    order = json.loads((FIXTURES / "woocommerce" / "order_example.json").read_text())
    body = json.dumps(order).encode()
    headers = {
        "X-WC-Webhook-Signature": b64(body),
        "X-WC-Webhook-Topic": "order.updated",
        "X-WC-Webhook-Delivery-ID": "1",
    }
    assert deliver(api_shop, "woocommerce", body, headers) == 202
    assert InboxItem.objects.get().status == "done"
    stored = Order.objects.get(order_number=str(order["number"]))
    assert stored.lines.count() == len(order["line_items"])
