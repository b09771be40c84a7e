"""Bad input through the JSON API: each case a precise 4xx problem, valid items still kept."""

import json
from typing import Any

import pytest

from conftest import NOW, ApiShop, event, order_payload
from parcelcare.accounts.models import Shop
from parcelcare.ledger.models import RemedyEntry
from parcelcare.tracking.models import Order, TrackingEvent

HUGE = 2**70
DEEP = 100_000


def post_raw(api: ApiShop, path: str, body: bytes) -> Any:
    """POST bytes as they are, with the shop's key."""
    return api.client.post(
        f"/api/v1/{path}",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.key}"},
    )


def assert_problem(answer: Any, status: int, *words: str) -> dict[str, Any]:
    """The answer is a problem document with this status whose detail holds every word."""
    assert answer.status_code == status, answer.content[:300]
    assert answer["Content-Type"] == "application/problem+json"
    body = answer.json()
    assert body["status"] == status
    for word in words:
        assert word in body["detail"], body["detail"]
    return body


@pytest.fixture
def loud(api_shop: ApiShop) -> ApiShop:
    """The client answers a server error with its 500 page instead of raising it."""
    api_shop.client.raise_request_exception = False
    return api_shop


BAD_EVENTS = [
    ({"status": ["in_transit"]}, "status must be a string, not an array"),
    ({"status": {"value": "in_transit"}}, "status must be a string, not an object"),
    ({"reason": ["lost"]}, "reason must be a string, not an array"),
    ({"reason": {"code": "lost"}}, "reason must be a string, not an object"),
    ({"status": 7}, "status must be a string, not a number"),
    ({"carrier": ["postnl"]}, "carrier must be a string, not an array"),
    ({"at": "0001-01-01T00:00:00+01:00"}, "is not between 2000-01-01 and 2099-12-31"),
    ({"at": "9999-12-31T23:59:59-01:00"}, "is not between 2000-01-01 and 2099-12-31"),
    ({"at": "1999-12-31T23:59:59Z"}, "is not between 2000-01-01 and 2099-12-31"),
    ({"at": "2099-12-31T23:00:00-05:00"}, "is not between 2000-01-01 and 2099-12-31"),
    ({"description": {"text": "x"}}, "description must be a string"),
    ({"code": ["A1"]}, "code must be a string, not an array"),
    ({"tracking_number": {"n": 1}}, "tracking_number must be a string, not an object"),
    ({"code": "  "}, "code is missing or empty"),
]


@pytest.mark.parametrize(("change", "error"), BAD_EVENTS)
def test_a_bad_event_is_rejected_by_index_and_the_rest_kept(
    loud: ApiShop, change: dict[str, Any], error: str
) -> None:
    loud.post("orders", order_payload())
    bad = event(**{"code": "BAD", **change})
    answer = loud.post("tracking-events", {"events": [event(code="A1"), bad, event(code="A2")]})
    assert answer.status_code == 200, answer.content[:300]
    body = answer.json()
    assert body["accepted"] == 2
    ((rejected),) = body["rejected"]
    assert rejected["index"] == 1 and error in rejected["error"], rejected
    assert TrackingEvent.objects.count() == 2


BAD_ORDERS = [
    ({"placed_at": "0001-01-01T00:00:00+01:00"}, "placed_at", "2000-01-01 and 2099-12-31"),
    ({"placed_at": "9999-12-31T23:59:59-01:00"}, "placed_at", "2000-01-01 and 2099-12-31"),
    ({"shipments.0.shipped_at": "0001-01-01T00:30:00+01:00"}, "shipments.0.shipped_at", "2099"),
    (
        {"shipments.0.promised_delivery_date": "9999-12-31"},
        "shipments.0.promised_delivery_date",
        "2099",
    ),
    (
        {"shipments.0.promised_delivery_date": "0001-01-01"},
        "shipments.0.promised_delivery_date",
        "2000",
    ),
    ({"lines.0.unit_price": HUGE}, "lines.0.unit_price", "less than or equal to 100000000000"),
    ({"lines.0.quantity": HUGE}, "lines.0.quantity", "less than or equal to 100000"),
    ({"lines.0.quantity": -1}, "lines.0.quantity", "greater than or equal to 1"),
]


def _changed(payload: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """The payload with one dotted path (list indexes as numbers) set to `value`."""
    *parents, last = path.split(".")
    node: Any = payload
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[last] = value
    return payload


@pytest.mark.parametrize(("change", "field", "words"), BAD_ORDERS)
def test_a_bad_order_is_a_422_naming_the_field(
    loud: ApiShop, change: dict[str, Any], field: str, words: str
) -> None:
    ((path, value),) = change.items()
    answer = loud.post("orders", _changed(order_payload(), path, value))
    body = assert_problem(answer, 422, field, words)
    assert field in [e["field"] for e in body["errors"]]
    assert not Order.objects.exists()


def test_the_largest_order_allowed_stores_its_total(loud: ApiShop) -> None:
    lines = [
        {"sku": f"S{i}", "name": "x", "quantity": 100_000, "unit_price": 10**11, "currency": "EUR"}
        for i in range(500)
    ]
    answer = loud.post("orders", order_payload(lines=lines))
    assert answer.status_code == 201, answer.content[:300]
    assert Order.objects.get().total == 500 * 100_000 * 10**11 < 2**63


@pytest.mark.parametrize("path", ["orders", "tracking-events", "cases"])
def test_deeply_nested_json_is_a_400(loud: ApiShop, path: str) -> None:
    body = b"[" * DEEP + b"]" * DEEP
    assert_problem(post_raw(loud, path, body), 400, "nested deeper than 32 levels")


@pytest.mark.parametrize("path", ["orders", "tracking-events"])
def test_nesting_past_the_limit_but_under_recursion_is_a_400(loud: ApiShop, path: str) -> None:
    body = {"events": [event(description="x")], "deep": json.loads("[" * 40 + "]" * 40)}
    answer = post_raw(loud, path, json.dumps(body).encode())
    assert_problem(answer, 400, "nested deeper than 32 levels")


BAD_BODIES = [
    (b"\xff\xfe{}", "not UTF-8 text"),
    (b'{"events": [', "not valid JSON"),
    (b'{"events": [' + b"9" * 5000 + b"]}", "not valid JSON text"),
]


@pytest.mark.parametrize(("body", "words"), BAD_BODIES)
@pytest.mark.parametrize("path", ["orders", "tracking-events"])
def test_unreadable_bodies_are_a_400(loud: ApiShop, path: str, body: bytes, words: str) -> None:
    assert_problem(post_raw(loud, path, body), 400, words)


def test_a_body_over_the_server_limit_is_a_413(loud: ApiShop) -> None:
    body = b'{"events": [], "pad": "' + b"x" * (21 * 1024 * 1024) + b'"}'
    assert_problem(post_raw(loud, "orders", body), 413, "limit")


@pytest.mark.parametrize(
    "path",
    [
        f"shipments/{HUGE}",
        f"cases/{HUGE}",
        f"cases/{HUGE}/dossier.json",
        "shipments?level=99999999999999999999999",
        "shipments?limit=99999999999999999999999",
        "cases?limit=0",
    ],
)
def test_out_of_range_ids_and_filters_are_a_422(loud: ApiShop, path: str) -> None:
    answer = loud.client.get(f"/api/v1/{path}", headers={"Authorization": f"Bearer {loud.key}"})
    assert_problem(answer, 422)


def test_a_cursor_past_64_bits_is_a_400(loud: ApiShop) -> None:
    import base64

    cursor = base64.urlsafe_b64encode(f"s:{HUGE}".encode()).decode().rstrip("=")
    answer = loud.get("shipments", cursor=cursor)
    assert_problem(answer, 400, "cursor is not one this API gave out")


def _refund(shop: Shop, order: Order, amount: int, key: str = "r-1") -> None:
    RemedyEntry.objects.create(
        shop=shop,
        order=order,
        kind="partial_refund",
        amount=amount,
        currency=order.currency,
        idempotency_key=key,
        actor_type="agent",
        created_at=NOW,
    )


def test_reposting_an_order_cannot_change_its_currency(loud: ApiShop) -> None:
    assert loud.post("orders", order_payload()).status_code == 201
    payload = order_payload(currency="USD")
    payload["lines"][0]["currency"] = "USD"
    body = assert_problem(loud.post("orders", payload), 409, "stored in EUR", "to USD")
    assert body["title"] == "Order conflict"
    assert Order.objects.get().currency == "EUR"


def test_reposting_cannot_lower_the_total_below_the_refunds(loud: ApiShop) -> None:
    assert loud.post("orders", order_payload()).status_code == 201  # 2 x 1495
    order = Order.objects.get()
    _refund(loud.shop, order, 2000)
    cheaper = order_payload()
    cheaper["lines"][0]["quantity"] = 1
    assert_problem(loud.post("orders", cheaper), 409, "1495 is below the 2000", "refunded")
    assert Order.objects.get().total == 2990
    # Equal to what was refunded, or above it, is accepted; so is a re-post without lines.
    cheaper["lines"][0]["unit_price"] = 2000
    assert loud.post("orders", cheaper).status_code == 200
    no_lines = order_payload(lines=[])
    assert loud.post("orders", no_lines).status_code == 200
    assert Order.objects.get().total == 2000


def test_chargeback_reversals_count_back_in(loud: ApiShop) -> None:
    loud.post("orders", order_payload())
    order = Order.objects.get()
    _refund(loud.shop, order, 2990)
    RemedyEntry.objects.create(
        shop=loud.shop,
        order=order,
        kind="chargeback_reversal",
        amount=2000,
        currency="EUR",
        idempotency_key="rev",
        actor_type="agent",
        created_at=NOW,
    )
    cheaper = order_payload()
    cheaper["lines"][0]["quantity"] = 1
    assert loud.post("orders", cheaper).status_code == 200
