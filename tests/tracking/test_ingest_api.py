"""The ingest and read API end to end: orders and events in, findings out, bad input refused."""

import json

import pytest

from conftest import NOW, ApiShop, event, order_payload
from parcelcare import clock
from parcelcare.tracking.models import Customer, Order, Shipment, TrackingEvent


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The API reads the clock through parcelcare.clock; freeze it on a Wednesday."""
    monkeypatch.setattr(clock, "now", lambda: NOW)


def findings_of(api: ApiShop, number: str = "3SABCD1234567") -> list[tuple]:
    body = api.get("shipments", tracking_number=number).json()
    (item,) = body["items"]
    return sorted((f["kind"], f["level"]) for f in item["findings"])


def test_order_is_created_then_updated_idempotently(api_shop: ApiShop) -> None:
    first = api_shop.post("orders", order_payload())
    assert first.status_code == 201, first.content
    again = api_shop.post("orders", order_payload())
    assert again.status_code == 200
    assert Order.objects.count() == 1 and Shipment.objects.count() == 1
    assert Customer.objects.count() == 1
    body = again.json()
    assert body["total"] == 2990
    assert body["lines"][0]["unit_price"] == 1495
    assert body["shipments"][0]["tracking_number"] == "3SABCD1234567"


def test_late_shipment_gets_delayed_level_from_events(api_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload(promised="2026-11-16"))
    answer = api_shop.post("tracking-events", {"events": [event(at="2026-11-17T08:00:00+01:00")]})
    assert answer.json() == {"accepted": 1, "duplicates": 0, "unattached": 0, "rejected": []}
    # Promised Monday 16th, now Wednesday 18th: Tuesday and Wednesday have begun, level 2.
    assert findings_of(api_shop) == [("delayed", 2)]


def test_delivery_closes_the_delay(api_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload())
    api_shop.post("tracking-events", {"events": [event()]})
    api_shop.post(
        "tracking-events",
        {"events": [event(at="2026-11-18T11:00:00+01:00", code="D1", status="delivered")]},
    )
    assert findings_of(api_shop) == [("delivered", None)]
    shipment = Shipment.objects.get()
    assert shipment.status == "delivered" and shipment.next_review_at is None


def test_events_before_the_order_are_kept_and_attached(api_shop: ApiShop) -> None:
    answer = api_shop.post("tracking-events", {"events": [event()]}).json()
    assert answer["accepted"] == 1 and answer["unattached"] == 1
    api_shop.post("orders", order_payload())
    shipment = Shipment.objects.get()
    assert shipment.status == "in_transit"
    assert TrackingEvent.objects.get().shipment_id == shipment.id


def test_duplicates_are_counted_within_and_across_batches(api_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload())
    first = api_shop.post("tracking-events", {"events": [event(), event()]}).json()
    assert (first["accepted"], first["duplicates"]) == (1, 1)
    second = api_shop.post("tracking-events", {"events": [event()]}).json()
    assert (second["accepted"], second["duplicates"]) == (0, 1)
    assert TrackingEvent.objects.count() == 1


def test_unknown_raw_code_is_kept_and_counted(api_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload())
    item = event(code="ZZ-NEVER-SEEN", status=None)
    assert api_shop.post("tracking-events", {"events": [item]}).json()["accepted"] == 1
    stored = TrackingEvent.objects.get()
    assert stored.status is None and stored.code == "ZZ-NEVER-SEEN"
    assert Shipment.objects.get().unknown_codes == 1


@pytest.mark.parametrize(
    ("item", "message"),
    [
        pytest.param(event(at="2026-11-13T08:00:00"), "no UTC offset", id="naive-time"),
        pytest.param(event(at="yesterday"), "not an ISO 8601", id="unparseable-time"),
        pytest.param(event(carrier="pigeonpost"), "unknown carrier", id="unknown-carrier"),
        pytest.param(
            {"carrier": "postnl", "occurred_at": "2026-11-13T08:00:00Z"},
            "missing required field(s): tracking_number, code",
            id="missing-fields",
        ),
        pytest.param(event(status="teleported"), "not a known shipment status", id="bad-status"),
        pytest.param(event(reason="aliens"), "not a known incident reason", id="bad-reason"),
        pytest.param(event(at="2027-01-01T00:00:00Z"), "in the future", id="future"),
        pytest.param("not an object", "must be a JSON object", id="not-object"),
    ],
)
def test_bad_items_are_rejected_and_the_rest_kept(api_shop: ApiShop, item, message) -> None:
    api_shop.post("orders", order_payload())
    good = event(at="2026-11-14T09:00:00+01:00", code="X2")
    answer = api_shop.post("tracking-events", {"events": [good, item]})
    assert answer.status_code == 200
    body = answer.json()
    assert body["accepted"] == 1
    assert body["rejected"][0]["index"] == 1
    assert message in body["rejected"][0]["error"]


def test_oversized_batch_is_413(api_shop: ApiShop) -> None:
    answer = api_shop.post("tracking-events", {"events": [event()] * 10_001})
    assert answer.status_code == 413
    assert answer["Content-Type"] == "application/problem+json"
    assert "10001 events" in answer.json()["detail"]
    assert TrackingEvent.objects.count() == 0


def test_malformed_json_is_400(api_shop: ApiShop) -> None:
    answer = api_shop.client.post(
        "/api/v1/tracking-events",
        data=b"{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api_shop.key}"},
    )
    assert answer.status_code == 400
    assert "not valid JSON" in answer.json()["detail"]


def test_wrong_shape_is_400(api_shop: ApiShop) -> None:
    answer = api_shop.post("tracking-events", [event()])
    assert answer.status_code == 400
    assert '"events" array' in answer.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer pck_nope_nope", "Bearer ", "Basic abc", None])
def test_wrong_api_key_is_401(api_shop: ApiShop, header) -> None:
    headers = {"Authorization": header} if header else {}
    answer = api_shop.client.get("/api/v1/shipments", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["status"] == 401


def test_invalid_order_gets_precise_422(api_shop: ApiShop) -> None:
    body = order_payload()
    body["placed_at"] = "2026-11-12T10:00:00"
    body["lines"][0]["unit_price"] = -5
    answer = api_shop.post("orders", body)
    assert answer.status_code == 422
    fields = {e["field"] for e in answer.json()["errors"]}
    assert {"placed_at", "lines.0.unit_price"} <= fields


def test_order_with_unknown_carrier_is_422(api_shop: ApiShop) -> None:
    answer = api_shop.post("orders", order_payload(carrier="pigeonpost"))
    assert answer.status_code == 422
    assert "shipments[0].carrier 'pigeonpost' is unknown" in answer.json()["detail"]
    assert Order.objects.count() == 0


def test_another_shops_objects_answer_404(api_shop: ApiShop, other_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload())
    shipment = Shipment.objects.get()
    assert other_shop.get(f"shipments/{shipment.id}").status_code == 404
    assert other_shop.get("orders/1001").status_code == 404
    assert other_shop.get("shipments").json()["items"] == []
    # The other shop's events for the same number do not touch the first shop's shipment.
    other_shop.post("tracking-events", {"events": [event(status="delivered", code="D1")]})
    assert Shipment.objects.get().status == "pending"


def test_shipment_detail_has_timeline_findings_and_next_review(api_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload(promised="2026-11-20"))
    api_shop.post(
        "tracking-events",
        {
            "events": [
                event(at="2026-11-13T08:00:00+01:00", code="A1", status="info_received"),
                event(at="2026-11-13T18:00:00+01:00", code="B1", status="in_transit"),
            ]
        },
    )
    shipment = Shipment.objects.get()
    body = api_shop.get(f"shipments/{shipment.id}").json()
    assert [e["code"] for e in body["timeline"]] == ["A1", "B1"]
    # Last scan Friday 13th; 3 quiet business days begin Wednesday 18th: stalled already.
    assert [f["kind"] for f in body["findings"]] == ["stalled"]
    assert body["findings"][0]["evidence"]["quiet_business_days"] == 3
    assert body["findings"][0]["informational"] is False
    assert body["next_review_at"] is not None


def test_delivered_stays_a_finding_marked_informational(api_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload(promised="2026-11-20"))
    delivered = event(at="2026-11-17T14:00:00+01:00", code="I01", status="delivered")
    api_shop.post("tracking-events", {"events": [delivered]})
    shipment = Shipment.objects.get()
    body = api_shop.get(f"shipments/{shipment.id}").json()
    assert body["status"] == "delivered"
    assert [(f["kind"], f["informational"]) for f in body["findings"]] == [("delivered", True)]
    listed = api_shop.get("shipments", finding="delivered").json()["items"]
    assert [item["id"] for item in listed] == [shipment.id]


def test_list_filters_and_cursor_pagination(api_shop: ApiShop) -> None:
    for n in range(5):
        api_shop.post(
            "orders",
            order_payload(
                number=f"20{n}",
                tracking=f"3STEST{n}",
                promised="2026-11-17" if n % 2 else "2026-11-25",
            ),
        )
    late = api_shop.get("shipments", finding="delayed", level=1).json()["items"]
    assert sorted(i["tracking_number"] for i in late) == ["3STEST1", "3STEST3"]
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api_shop.get("shipments", **params).json()
        seen += [i["tracking_number"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == [f"3STEST{n}" for n in range(5)]
    assert api_shop.get("shipments", status="flying").status_code == 400
    assert api_shop.get("shipments", cursor="garbage!").status_code == 400


def test_openapi_schema_is_served(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/tracking-events" in schema["paths"]
    assert "/api/v1/shipments/{shipment_id}" in schema["paths"]
    body = schema["paths"]["/api/v1/tracking-events"]["post"]["requestBody"]
    assert json.dumps(body).count("occurred_at") >= 1


def test_missing_promised_date_comes_from_the_lane_default(api_shop: ApiShop) -> None:
    api_shop.shop.lane_days = {"NL": 2, "*": 5}
    api_shop.shop.save()
    body = order_payload(promised=None)
    api_shop.post("orders", body)
    # Shipped Thursday 12 November: two business days later is Monday 16 November.
    assert str(Shipment.objects.get().promised_date) == "2026-11-16"
    body = order_payload(number="1002", tracking="3SOTHER", promised=None)
    body["shipping_address"]["country"] = "ES"
    api_shop.post("orders", body)
    assert str(Shipment.objects.get(tracking_number="3SOTHER").promised_date) == "2026-11-19"
