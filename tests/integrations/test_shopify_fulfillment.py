"""Shopify fulfillment events: the recorded resource, hand-written webhooks and the table."""

import ast
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import derive_state
from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S
from parcelcare.integrations.carriers.registry import CARRIERS, lookup
from parcelcare.integrations.carriers.shopify_fulfillment import codes
from parcelcare.integrations.carriers.shopify_fulfillment.parse import parse

BODIES = Path(__file__).resolve().parent.parent / "fixtures" / "webhooks" / "shopify_fulfillment"
NUMBER = "3SABCD123456789"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def fulfillment_event(status: str, happened_at: str, **extra: Any) -> dict[str, Any]:
    return {"id": 1, "fulfillment_id": 2, "status": status, "happened_at": happened_at, **extra}


def test_recorded_rest_resource() -> None:
    body = (BODIES / "shopify_python_api_fulfillment_event.json").read_text()
    [event] = parse(body, tracking_number="1z999aa10123456784")
    assert (event.carrier, event.code, event.status) == (
        "shopify",
        "label_printed",
        S.INFO_RECEIVED,
    )
    # 16:32:23 at UTC-5.
    assert event.occurred_at == utc("2021-01-25T21:32:23")
    assert event.tracking_number == "1Z999AA10123456784"
    assert (event.description, event.location) == ("", "")


def test_hand_written_webhook_body() -> None:
    [event] = parse((BODIES / "attempted_delivery.json").read_bytes(), tracking_number=NUMBER)
    assert (event.status, event.reason) == (S.FAILED_ATTEMPT, None)
    assert event.occurred_at == utc("2026-11-10T12:10:00")
    assert event.location == "Utrecht, Utrecht, Netherlands"
    assert event.description == "Recipient not at home, a card was left"


def test_two_failed_attempts_then_pickup_at_a_point() -> None:
    timeline = [
        fulfillment_event("confirmed", "2026-11-09T18:00:00+01:00"),
        fulfillment_event("out_for_delivery", "2026-11-10T09:00:00+01:00"),
        fulfillment_event("attempted_delivery", "2026-11-10T13:10:00+01:00"),
        fulfillment_event("attempted_delivery", "2026-11-11T12:48:00+01:00"),
        fulfillment_event("ready_for_pickup", "2026-11-12T10:00:00+01:00"),
        fulfillment_event("picked_up", "2026-11-13T17:30:00+01:00"),
    ]
    events = [e for item in reversed(timeline) for e in parse(item, tracking_number=NUMBER)]
    state = derive_state(events)
    assert (state.failed_attempts, state.status) == (2, S.DELIVERED)
    assert state.delivered_at == utc("2026-11-13T16:30:00")


def test_time_fallbacks_and_errors() -> None:
    [event] = parse(
        {"status": "in_transit", "created_at": "2026-11-10T09:00:00+01:00"}, tracking_number=NUMBER
    )
    assert event.occurred_at == utc("2026-11-10T08:00:00")
    [event] = parse(fulfillment_event("delivered", "2026-11-10T09:00:00"), tracking_number=NUMBER)
    assert event.occurred_at == utc("2026-11-10T09:00:00")
    with pytest.raises(InvalidEvent, match="needs a tracking number"):
        parse(fulfillment_event("delivered", "2026-11-10T09:00:00Z"), tracking_number=" ")
    with pytest.raises(InvalidEvent, match="no status"):
        parse(fulfillment_event("", "2026-11-10T09:00:00Z"), tracking_number=NUMBER)
    with pytest.raises(InvalidEvent, match="no time"):
        parse(fulfillment_event("delivered", "later"), tracking_number=NUMBER)
    for bad in (b"nope", b"[]", json.dumps({"fulfillment_event": 3}).encode()):
        with pytest.raises(InvalidEvent):
            parse(bad, tracking_number=NUMBER)


def test_an_unknown_status_is_kept_with_status_none() -> None:
    [event] = parse(fulfillment_event("teleported", "2026-11-10T09:00:00Z"), tracking_number=NUMBER)
    assert (event.code, event.status) == ("teleported", None)


def test_the_table_covers_every_stable_status() -> None:
    stable = {
        "label_printed", "label_purchased", "attempted_delivery", "ready_for_pickup",
        "confirmed", "in_transit", "out_for_delivery", "delivered", "failure",
        "carrier_picked_up", "picked_up", "delayed",
    }  # fmt: skip
    assert stable <= set(codes.CODES)
    assert lookup("shopify", "delayed") == (S.IN_TRANSIT, R.CARRIER_DELAY)
    assert lookup("shopify", "failure") == (S.EXCEPTION, None)
    assert lookup("shopify", "picked_up") == lookup("shopify", "delivered") == (S.DELIVERED, None)


def test_every_code_maps_to_the_vocabulary_once() -> None:
    info = CARRIERS["shopify"]
    assert dict(info.codes) == codes.CODES and set(info.descriptions) == set(codes.CODES)
    for code, (status, reason) in codes.CODES.items():
        assert code == code.lower()
        assert isinstance(status, S) and (reason is None or isinstance(reason, R))
    tree = ast.parse(Path(codes.__file__).read_text())
    literal = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "CODES"
    )
    assert isinstance(literal, ast.Dict)
    keys = [key.value for key in literal.keys if isinstance(key, ast.Constant)]
    assert len(keys) == len(set(keys)) == len(codes.CODES)
