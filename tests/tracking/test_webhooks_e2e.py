"""Webhooks end to end: signed payload -> endpoint -> inbox -> worker -> orders and findings."""

import base64
import copy
import hashlib
import hmac
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from conftest import NOW, ApiShop
from parcelcare import clock
from parcelcare.accounts.models import Membership
from parcelcare.accounts.services import connect_source
from parcelcare.integrations.sources import SOURCES
from parcelcare.tracking import inbox
from parcelcare.tracking.models import Customer, InboxItem, Order, Shipment

FIXTURES = Path(__file__).parent.parent / "fixtures" / "webhooks"
SECRET = "shpss_test_secret_1"
TRACKING = "LP00698765432101"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def shop(api_shop: ApiShop) -> ApiShop:
    for source in ("shopify", "aftership", "woocommerce"):
        connect_source(shop=api_shop.shop, source=source, secret=SECRET)
    return api_shop


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def shopify_order() -> dict[str, Any]:
    """The real Shopify sample, moved to a Dutch customer with a PostNL-tracked parcel."""
    order = json.loads((FIXTURES / "shopify" / "order.json").read_text())["order"]
    order = copy.deepcopy(order)
    order["currency"] = "EUR"
    order["shipping_address"].update(country_code="NL", zip="3511 AB", city="Utrecht")
    order["customer_locale"] = "nl-NL"
    fulfillment = order["fulfillments"][0]
    fulfillment.update(
        status="success",
        tracking_company="Cainiao",
        tracking_number=TRACKING,
        tracking_numbers=[TRACKING],
    )
    return order


def post(client: Client, source: str, shop_id: int, body: bytes, headers: dict[str, str]) -> Any:
    return client.post(
        f"/webhooks/{source}/{shop_id}", data=body, content_type="application/json", headers=headers
    )


def shopify_headers(body: bytes, topic: str = "orders/updated", event: str = "e-1") -> dict:
    return {
        "X-Shopify-Hmac-Sha256": sign(body),
        "X-Shopify-Topic": topic,
        "X-Shopify-Event-Id": event,
        "X-Shopify-Shop-Domain": "groenhuis.myshopify.com",
    }


def aftership_body() -> bytes:
    return (FIXTURES / "aftership" / "tracking_update_cn_to_nl.json").read_bytes()


def test_shopify_order_then_aftership_tracking_reach_the_shipment(shop: ApiShop) -> None:
    client = Client()
    body = json.dumps(shopify_order()).encode()
    answer = post(client, "shopify", shop.shop.id, body, shopify_headers(body))
    assert answer.status_code == 202, answer.content
    order = Order.objects.get(shop=shop.shop)
    assert order.customer.language == "nl"
    shipment = Shipment.objects.get(order=order)
    assert shipment.tracking_number == TRACKING and shipment.carrier == "cainiao"

    tracking = aftership_body()
    answer = post(
        client, "aftership", shop.shop.id, tracking, {"aftership-hmac-sha256": sign(tracking)}
    )
    assert answer.status_code == 202
    shipment.refresh_from_db()
    assert shipment.status == "delivered"
    assert set(InboxItem.objects.values_list("status", flat=True)) == {"done"}


def test_a_replayed_delivery_is_acknowledged_once(shop: ApiShop) -> None:
    client = Client()
    tracking = aftership_body()
    headers = {"aftership-hmac-sha256": sign(tracking)}
    assert post(client, "aftership", shop.shop.id, tracking, headers).status_code == 202
    again = post(client, "aftership", shop.shop.id, tracking, headers)
    assert again.status_code == 200 and again.json() == {"duplicate": True}
    assert InboxItem.objects.count() == 1


@pytest.mark.parametrize("case", ["forged", "truncated", "missing", "other-secret"])
def test_bad_signatures_are_401_and_store_nothing(shop: ApiShop, case: str) -> None:
    tracking = aftership_body()
    signature = {
        "forged": sign(b"{}"),
        "truncated": sign(tracking),
        "missing": "",
        "other-secret": sign(tracking, "not-the-secret"),
    }[case]
    body = tracking[:-20] if case == "truncated" else tracking
    headers = {"aftership-hmac-sha256": signature} if signature else {}
    answer = post(Client(), "aftership", shop.shop.id, body, headers)
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/problem+json"
    assert InboxItem.objects.count() == 0


def test_unknown_shop_answers_like_a_bad_signature(shop: ApiShop) -> None:
    tracking = aftership_body()
    answer = post(Client(), "aftership", 99999, tracking, {"aftership-hmac-sha256": sign(tracking)})
    assert answer.status_code == 401


def test_unknown_source_is_404(shop: ApiShop) -> None:
    assert post(Client(), "pigeonpost", shop.shop.id, b"{}", {}).status_code == 404


def test_oversized_body_is_413(shop: ApiShop) -> None:
    body = b'{"pad": "' + b"x" * (1024 * 1024) + b'"}'
    answer = post(Client(), "aftership", shop.shop.id, body, {"aftership-hmac-sha256": sign(body)})
    assert answer.status_code == 413
    assert InboxItem.objects.count() == 0


def test_previous_secret_works_during_rotation_only(shop: ApiShop, monkeypatch) -> None:
    connect_source(shop=shop.shop, source="aftership", secret="the-new-secret")
    tracking = aftership_body()
    old = {"aftership-hmac-sha256": sign(tracking)}
    assert post(Client(), "aftership", shop.shop.id, tracking, old).status_code == 202
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=2))
    InboxItem.objects.all().delete()
    assert post(Client(), "aftership", shop.shop.id, tracking, old).status_code == 401
    new = {"aftership-hmac-sha256": sign(tracking, "the-new-secret")}
    assert post(Client(), "aftership", shop.shop.id, tracking, new).status_code == 202


def test_a_bad_body_goes_dead_and_can_be_replayed_by_an_agent(
    shop: ApiShop, django_user_model
) -> None:
    body = b'{"event": "tracking_update", "event_id": "x1", "msg": "not a tracking"}'
    answer = post(Client(), "aftership", shop.shop.id, body, {"aftership-hmac-sha256": sign(body)})
    assert answer.status_code == 202
    item = InboxItem.objects.get()
    assert item.status == "dead" and "msg" in item.last_error
    agent = django_user_model.objects.create_user("agent", password="pw")
    Membership.objects.create(user=agent, shop=shop.shop, role="agent")
    browser = Client()
    browser.force_login(agent)
    page = browser.get("/inbox/").content.decode()
    assert "tracking_update" in page and "Replay" in page
    assert browser.post(f"/inbox/{item.id}/replay/").status_code == 302
    item.refresh_from_db()
    # Replayed at once by the worker; the body is still wrong, so it is dead again, not lost.
    assert item.status == "dead" and item.attempts == 2


def test_a_transient_failure_is_retried_without_losing_the_payload(
    shop: ApiShop, monkeypatch
) -> None:
    real = inbox.apply_outcome
    calls = {"n": 0}

    def flaky(*args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("database is locked")
        real(*args, **kwargs)

    monkeypatch.setattr(inbox, "apply_outcome", flaky)
    tracking = aftership_body()
    post(Client(), "aftership", shop.shop.id, tracking, {"aftership-hmac-sha256": sign(tracking)})
    item = InboxItem.objects.get()
    assert item.status == "failed" and item.next_attempt_at is not None
    assert item.last_error == "OperationalError"
    assert inbox.process_due(SOURCES, item.next_attempt_at) == {"done": 1}
    item.refresh_from_db()
    assert item.status == "done" and item.attempts == 2


def test_an_expired_lease_is_claimed_again(shop: ApiShop) -> None:
    tracking = aftership_body()
    received = inbox.receive(
        shop_id=shop.shop.id, source=SOURCES["aftership"], headers={}, body=tracking, now=NOW
    )
    assert inbox.claim(NOW) == [received.item_id]
    assert inbox.claim(NOW + timedelta(seconds=30)) == []
    assert inbox.claim(NOW + inbox.LEASE + timedelta(seconds=1)) == [received.item_id]


def test_shopify_customer_redact_removes_personal_data(shop: ApiShop) -> None:
    client = Client()
    order = shopify_order()
    body = json.dumps(order).encode()
    post(client, "shopify", shop.shop.id, body, shopify_headers(body))
    email = Customer.objects.get().email
    assert email
    redact = json.dumps(
        {
            "shop_id": 1,
            "shop_domain": "groenhuis.myshopify.com",
            "customer": {"id": 1, "email": email, "phone": ""},
            "orders_to_redact": [order["id"]],
        }
    ).encode()
    answer = post(
        client,
        "shopify",
        shop.shop.id,
        redact,
        shopify_headers(redact, topic="customers/redact", event="e-2"),
    )
    assert answer.status_code == 202
    customer = Customer.objects.get()
    assert (customer.email, customer.name, customer.phone) == ("", "", "")
    assert Order.objects.get().ship_line1 == ""


def test_woocommerce_ping_is_answered_and_not_stored(shop: ApiShop) -> None:
    answer = Client().post(
        f"/webhooks/woocommerce/{shop.shop.id}",
        data=b"webhook_id=12",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200 and answer.json() == {"ping": True}
    assert InboxItem.objects.count() == 0
