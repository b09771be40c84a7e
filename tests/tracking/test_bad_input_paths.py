"""Edge values through the other doors: shop webhooks (Shopify, WooCommerce) and the CSV /
JSON Lines import. A bad order never stops the others; nothing is silently dropped."""

import base64
import copy
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from typer.testing import CliRunner

from conftest import NOW, ApiShop
from parcelcare import clock
from parcelcare.accounts.services import connect_source
from parcelcare.cli import app
from parcelcare.ledger.models import RemedyEntry
from parcelcare.tracking.models import InboxItem, Order, TrackingEvent

FIXTURES = Path(__file__).parent.parent / "fixtures" / "webhooks"
SECRET = "whsec_edge_values"
HUGE = 2**70
runner = CliRunner()


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def shop(api_shop: ApiShop) -> ApiShop:
    for source in ("shopify", "woocommerce"):
        connect_source(shop=api_shop.shop, source=source, secret=SECRET)
    return api_shop


def sign(body: bytes) -> str:
    return base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()


def shopify_order(**changes: Any) -> dict[str, Any]:
    """The Shopify sample order (USD, created 2008), with top-level fields changed."""
    order = json.loads((FIXTURES / "shopify" / "order.json").read_text())["order"]
    return {**copy.deepcopy(order), **changes}


def woo_order(**changes: Any) -> dict[str, Any]:
    """The WooCommerce v3 sample order (USD), with top-level fields changed."""
    order = json.loads((FIXTURES / "woocommerce" / "order_example.json").read_text())
    return {**copy.deepcopy(order), **changes}


def deliver(api: ApiShop, source: str, body: bytes, event: str = "e-1") -> InboxItem:
    """Post a signed delivery; the worker runs at once in tests. Returns its inbox row."""
    if source == "shopify":
        headers = {
            "X-Shopify-Hmac-Sha256": sign(body),
            "X-Shopify-Topic": "orders/updated",
            "X-Shopify-Event-Id": event,
        }
    else:
        headers = {"X-WC-Webhook-Signature": sign(body), "X-WC-Webhook-Topic": "order.updated"}
    answer = Client().post(
        f"/webhooks/{source}/{api.shop.id}",
        data=body,
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 202, answer.content
    return InboxItem.objects.get(id=answer.json()["received"])


def _line(order: dict[str, Any], **changes: Any) -> dict[str, Any]:
    order["line_items"][0].update(changes)
    return order


SHOPIFY_EDGES = [
    (shopify_order(created_at="0001-01-01T00:00:00+01:00"), "outside the calendar in UTC"),
    (shopify_order(created_at="9999-12-31T23:59:59-01:00"), "outside the calendar in UTC"),
    (shopify_order(created_at="1990-01-01T00:00:00Z"), "placed_at"),
    (_line(shopify_order(), price="1e999999999"), "too large an amount"),
    (_line(shopify_order(), price="99999999999999"), "unit_price"),
    (_line(shopify_order(), quantity=HUGE), "quantity"),
]
WOO_EDGES = [
    (woo_order(date_created_gmt="0001-01-01T00:00:00"), "placed_at"),
    (woo_order(date_created_gmt="9999-12-31T23:59:59"), "placed_at"),
    (_line(woo_order(), price="1E+999999999"), "too large an amount"),
    (_line(woo_order(), quantity=HUGE, total="1.00"), "quantity"),
]


@pytest.mark.parametrize(
    ("source", "order", "words"),
    [("shopify", o, w) for o, w in SHOPIFY_EDGES] + [("woocommerce", o, w) for o, w in WOO_EDGES],
)
def test_an_edge_value_in_a_shop_order_is_kept_dead_with_its_reason(
    shop: ApiShop, source: str, order: dict[str, Any], words: str
) -> None:
    body = json.dumps(order).encode()
    item = deliver(shop, source, body)
    assert item.status == "dead", (item.status, item.last_error)
    assert words in item.last_error
    assert bytes(item.body) == body  # kept for an agent's replay
    assert not Order.objects.exists()


@pytest.mark.parametrize("source", ["shopify", "woocommerce"])
def test_a_deeply_nested_shop_body_is_kept_dead(shop: ApiShop, source: str) -> None:
    body = b'{"id": 1, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    item = deliver(shop, source, body)
    assert item.status == "dead" and "nested deeper than 32 levels" in item.last_error


def test_a_shop_order_changing_currency_is_refused_and_kept(shop: ApiShop) -> None:
    assert deliver(shop, "shopify", json.dumps(shopify_order()).encode()).status == "done"
    euro = shopify_order(currency="EUR", updated_at="2008-01-11T11:00:00-05:00")
    item = deliver(shop, "shopify", json.dumps(euro).encode(), event="e-2")
    assert item.status == "dead"
    assert "stored in USD; its currency cannot change to EUR" in item.last_error
    assert Order.objects.get().currency == "USD"


def test_a_shop_order_lowered_below_its_refunds_is_refused_and_kept(shop: ApiShop) -> None:
    assert deliver(shop, "woocommerce", json.dumps(woo_order()).encode()).status == "done"
    order = Order.objects.get()
    RemedyEntry.objects.create(
        shop=shop.shop,
        order=order,
        kind="partial_refund",
        amount=order.total,
        currency="USD",
        idempotency_key="r-1",
        actor_type="agent",
        created_at=NOW,
    )
    cheaper = _line(woo_order(date_modified_gmt="2017-03-23T10:00:00"), price=1, total="2.00")
    item = deliver(shop, "woocommerce", json.dumps(cheaper).encode())
    assert item.status == "dead" and "already refunded in the ledger" in item.last_error
    assert Order.objects.get().total == order.total


ORDER_HEADER = (
    "order_number,placed_at,currency,email,name,country,sku,product_name,quantity,unit_price,"
    "carrier,tracking_number,promised_delivery_date"
)


def _csv_row(number: str, **changes: str) -> str:
    row = {
        "order_number": number,
        "placed_at": "2026-11-12T10:00:00+01:00",
        "currency": "EUR",
        "email": f"c{number}@example.com",
        "name": "Sanne",
        "country": "NL",
        "sku": "POT-30",
        "product_name": "Pot",
        "quantity": "2",
        "unit_price": "1495",
        "carrier": "postnl",
        "tracking_number": f"3SIMP{number}",
        "promised_delivery_date": "2026-11-16",
        **changes,
    }
    return ",".join(row.values())


def _import(kind: str, path: Path, shop: ApiShop) -> Any:
    return runner.invoke(app, ["import", kind, str(path), "--shop", str(shop.shop.id)])


def test_csv_orders_with_edge_values_name_their_lines(shop: ApiShop, tmp_path: Path) -> None:
    rows = [
        _csv_row("1"),
        _csv_row("2", placed_at="0001-01-01T00:00:00+01:00"),
        _csv_row("3", promised_delivery_date="9999-12-31"),
        _csv_row("4", unit_price=str(HUGE)),
        _csv_row("5", quantity=str(HUGE)),
        _csv_row("6", placed_at="9999-12-31T23:59:59-01:00"),
        _csv_row("7"),
    ]
    path = tmp_path / "orders.csv"
    path.write_text("\n".join([ORDER_HEADER, *rows]) + "\n")
    result = _import("orders", path, shop)
    assert result.exit_code == 1, result.output
    out = " ".join(result.output.split())
    for line, words in [
        (3, "placed_at"),
        (4, "promised_delivery_date"),
        (5, "unit_price"),
        (6, "quantity"),
        (7, "placed_at"),
    ]:
        assert f"orders.csv:{line}: " in out and words in out, (line, out)
    assert sorted(Order.objects.values_list("order_number", flat=True)) == ["1", "7"]


def test_a_csv_reimport_cannot_change_an_order_currency(shop: ApiShop, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(f"{ORDER_HEADER}\n{_csv_row('1')}\n")
    assert _import("orders", path, shop).exit_code == 0
    path.write_text(f"{ORDER_HEADER}\n{_csv_row('1', currency='USD')}\n{_csv_row('2')}\n")
    result = _import("orders", path, shop)
    out = " ".join(result.output.split())
    assert "orders.csv:2: order 1 is stored in EUR; its currency cannot change to USD" in out
    assert Order.objects.get(order_number="1").currency == "EUR"
    assert Order.objects.filter(order_number="2").exists()


def _event(code: str, **changes: Any) -> dict[str, Any]:
    item = {
        "carrier": "postnl",
        "tracking_number": "3SIMP1",
        "occurred_at": "2026-11-13T08:00:00+01:00",
        "code": code,
        "status": "in_transit",
    }
    return {**item, **changes}


def test_jsonl_events_with_edge_values_name_their_lines(shop: ApiShop, tmp_path: Path) -> None:
    lines = [
        json.dumps(_event("A1")),
        json.dumps(_event("B1", status=["in_transit"])),
        json.dumps(_event("B2", reason={"code": "lost"})),
        json.dumps(_event("B3", occurred_at="0001-01-01T00:00:00+01:00")),
        json.dumps(_event("B4", occurred_at="9999-12-31T23:59:59-01:00")),
        "[" * 100_000 + "]" * 100_000,
        '{"code": ' + "9" * 5000 + "}",
        json.dumps(_event("A2")),
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = _import("events", path, shop)
    assert result.exit_code == 1, result.output
    out = " ".join(result.output.split())
    for line, words in [
        (2, "status must be a string, not an array"),
        (3, "reason must be a string, not an object"),
        (4, "occurred_at 0001-01-01T00:00:00+01:00 is not between 2000-01-01 and 2099-12-31"),
        (5, "occurred_at 9999-12-31T23:59:59-01:00 is not between 2000-01-01 and 2099-12-31"),
        (6, "JSON nested deeper than 32 levels"),
        (7, "not valid JSON text"),
    ]:
        assert f"events.jsonl:{line}: {words}" in out, (line, out)
    assert sorted(TrackingEvent.objects.values_list("code", flat=True)) == ["A1", "A2"]


def test_csv_events_with_edge_dates_name_their_lines(shop: ApiShop, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "carrier,tracking_number,occurred_at,code,status\n"
        "postnl,3SIMP1,2026-11-13T08:00:00+01:00,A1,in_transit\n"
        "postnl,3SIMP1,0001-01-01T00:00:00+01:00,B1,in_transit\n"
        "postnl,3SIMP1,2026-11-13T09:00:00+01:00,B2,not_a_status\n"
        "postnl,3SIMP1,2026-11-13T10:00:00+01:00,A2,in_transit\n"
    )
    result = _import("events", path, shop)
    out = " ".join(result.output.split())
    assert "events.csv:3: occurred_at" in out and "2000-01-01 and 2099-12-31" in out, out
    assert "events.csv:4: status 'not_a_status' is not a known shipment status" in out, out
    assert sorted(TrackingEvent.objects.values_list("code", flat=True)) == ["A1", "A2"]
