"""Sendcloud: the documented signature vector, status-change pushes and the status id table."""

import ast
import hashlib
import hmac
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
from parcelcare.integrations.carriers.sendcloud import codes
from parcelcare.integrations.carriers.sendcloud.parse import parse
from parcelcare.integrations.carriers.sendcloud.webhook import SOURCE
from parcelcare.integrations.webhooks import InvalidWebhook

PUSHES = Path(__file__).resolve().parent.parent / "fixtures" / "webhooks" / "sendcloud"
DELIVERED = PUSHES / "parcel_status_changed_delivered.json"

# Sendcloud's documented example: this exact body (one space after the colon, no newline)
# signed with "secretkey" gives this digest.
VECTOR_BODY = b'{"key": "value"}'
VECTOR_DIGEST = "1eed4b3d41f4653ac64fd56f1bf1cbfd349e4482cbc11dff7134bd93e5da4b0a"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def signed(body: bytes, secret: str) -> dict[str, str]:
    return {"sendcloud-signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


def change(status_id: Any, *, number: str = "3SABCD123456789", **extra: Any) -> dict[str, Any]:
    parcel = {"id": 7, "tracking_number": number, "status": {"id": status_id, "message": "m"}}
    return {
        "action": "parcel_status_changed",
        "timestamp": 1794312600000,
        "parcel": parcel,
        **extra,
    }


def test_the_documented_test_vector() -> None:
    assert VECTOR_DIGEST.startswith("1eed4b3d") and VECTOR_DIGEST.endswith("e5da4b0a")
    assert SOURCE.verify({"sendcloud-signature": VECTOR_DIGEST}, VECTOR_BODY, ["secretkey"])
    # Any other spelling of the same JSON is other bytes, and fails.
    assert not SOURCE.verify(
        {"sendcloud-signature": VECTOR_DIGEST}, b'{"key":"value"}', ["secretkey"]
    )
    assert not SOURCE.verify(
        {"sendcloud-signature": VECTOR_DIGEST}, VECTOR_BODY + b"\n", ["secretkey"]
    )


def test_signature_good_bad_rotated_truncated_and_empty() -> None:
    body = DELIVERED.read_bytes()
    headers = signed(body, "new")
    assert SOURCE.verify(headers, body, ["new"])
    assert SOURCE.verify(headers, body, ["old", "new"])
    assert SOURCE.verify(
        {"sendcloud-signature": headers["sendcloud-signature"].upper()}, body, ["new"]
    )
    assert not SOURCE.verify(headers, body, ["old"])
    assert not SOURCE.verify(headers, body[:-1], ["new"])
    assert not SOURCE.verify({"sendcloud-signature": ""}, body, ["new"])
    assert not SOURCE.verify({}, body, ["new"])
    assert not SOURCE.verify(headers, body, [""])


def test_delivered_push() -> None:
    body = DELIVERED.read_bytes()
    delivery = SOURCE.delivery({}, body)
    assert (delivery.event_id, delivery.topic) == (
        "248411921:11:1794056561000",
        "parcel_status_changed",
    )
    [event] = SOURCE.handle(delivery.topic, body).events
    assert (event.carrier, event.tracking_number, event.code) == (
        "sendcloud",
        "3SABCD123456789",
        "11",
    )
    assert (event.status, event.description) == (S.DELIVERED, "Delivered")
    # The carrier's own change time (13:02:00), not the time Sendcloud sent the push.
    assert event.occurred_at == utc("2026-11-07T13:02:00")


def test_event_id_dedupe_key_is_stable() -> None:
    document = json.loads(DELIVERED.read_text())
    first = SOURCE.delivery({}, json.dumps(document).encode())
    assert SOURCE.delivery({}, json.dumps(document, indent=1).encode()) == first
    document["parcel"]["status"]["id"] = 8
    assert (
        SOURCE.delivery({}, json.dumps(document).encode()).event_id == "248411921:8:1794056561000"
    )
    other = b'{"action": "integration_updated", "integration": {"id": 1}}'
    assert SOURCE.delivery({}, other).event_id.startswith("sha256:")
    with pytest.raises(InvalidWebhook):
        SOURCE.delivery({}, b'{"parcel": {}}')


def test_time_falls_back_to_the_push_time_and_reads_seconds() -> None:
    [event] = parse(change(11))
    assert event.occurred_at == utc("2026-11-10T12:10:00")
    [event] = parse(change(11, timestamp=1794312600))
    assert event.occurred_at == utc("2026-11-10T12:10:00")
    with pytest.raises(InvalidEvent, match="no timestamp"):
        parse(change(11, timestamp=None))


def test_two_failed_attempts_then_a_return() -> None:
    events = [
        parse(change(status, timestamp=1794312600000 + hours * 3_600_000))[0]
        for hours, status in ((0, 92), (3, 8), (24, 92), (27, 8), (30, 62992))
    ]
    state = derive_state(events)
    assert (state.failed_attempts, state.status) == (2, S.RETURNING)


def test_parcels_without_number_and_other_actions_are_ignored() -> None:
    body = (PUSHES / "parcel_status_changed_no_label.json").read_bytes()
    outcome = SOURCE.handle("parcel_status_changed", body)
    assert outcome.events == [] and "no tracking number" in outcome.ignored
    assert parse(body) == []
    outcome = SOURCE.handle("integration_updated", b'{"action": "integration_updated"}')
    assert outcome.events == [] and "integration_updated" in outcome.ignored


def test_bad_bodies_are_rejected() -> None:
    for body in (b"{", b"[]"):
        with pytest.raises(InvalidWebhook):
            SOURCE.handle("parcel_status_changed", body)
    no_status = json.dumps(change(None)).encode()
    with pytest.raises(InvalidWebhook, match="no status id"):
        SOURCE.handle("parcel_status_changed", no_status)
    with pytest.raises(InvalidEvent, match="is not parcel_status_changed"):
        parse({"action": "integration_connected"})
    assert (SOURCE.slug, SOURCE.name) == ("sendcloud", "Sendcloud")


def test_an_unknown_status_id_is_kept_with_status_none() -> None:
    [event] = parse(change(1337))
    assert (event.code, event.status) == ("1337", None)
    [event] = parse(change("62996"))
    assert (event.code, event.status) == ("62996", S.EXCEPTION)


def test_every_code_maps_to_the_vocabulary_once() -> None:
    info = CARRIERS["sendcloud"]
    assert dict(info.codes) == codes.CODES and set(info.descriptions) == set(codes.CODES)
    for code, (status, reason) in codes.CODES.items():
        assert code.isdigit()
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


def test_the_table_names_the_documented_statuses() -> None:
    expected = {
        "1000": S.INFO_RECEIVED, "1": S.INFO_RECEIVED, "3": S.IN_TRANSIT, "11": S.DELIVERED,
        "12": S.AVAILABLE_FOR_PICKUP, "80": S.EXCEPTION, "91": S.IN_TRANSIT,
        "92": S.OUT_FOR_DELIVERY, "93": S.DELIVERED, "8": S.FAILED_ATTEMPT, "6": S.IN_TRANSIT,
        "2000": S.CANCELLED, "1998": S.CANCELLED, "62992": S.RETURNING,
    }  # fmt: skip
    for code, status in expected.items():
        assert lookup("sendcloud", code)[0] == status, code
    assert lookup("sendcloud", "62997") == (S.EXCEPTION, R.ADDRESS_ISSUE)
    # A cancellation being requested is not a cancellation.
    assert lookup("sendcloud", "1999") == lookup("sendcloud", "2001") == (None, None)
