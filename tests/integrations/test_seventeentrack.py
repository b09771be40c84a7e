"""17TRACK: v2 webhook pushes, gettrackinfo answers, the `sign` header and the code table."""

import ast
import hashlib
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
from parcelcare.integrations.carriers.seventeentrack import codes
from parcelcare.integrations.carriers.seventeentrack.parse import parse, parse_item
from parcelcare.integrations.carriers.seventeentrack.webhook import SOURCE
from parcelcare.integrations.webhooks import InvalidWebhook

PUSHES = Path(__file__).resolve().parent.parent / "fixtures" / "webhooks" / "seventeentrack"
HANDOVER = PUSHES / "tracking_updated_cn_to_nl.json"
RETURN = PUSHES / "tracking_updated_return.json"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def signed(body: bytes, key: str) -> dict[str, str]:
    # 17TRACK's documented scheme: SHA-256 of the raw body, a slash and the security key.
    return {"sign": hashlib.sha256(body + b"/" + key.encode()).hexdigest()}


def item(*events: dict[str, Any], latest: dict[str, Any] | None = None) -> dict[str, Any]:
    info = {"latest_status": latest, "tracking": {"providers": [{"events": list(events)}]}}
    return {"number": "CC405172839NL", "track_info": info}


def event(time_utc: str | None, sub_status: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"time_utc": time_utc, "sub_status": sub_status, "description": "scan", **extra}


def test_china_to_netherlands_hand_over_through_the_aggregator() -> None:
    body = HANDOVER.read_bytes()
    events = SOURCE.handle(SOURCE.delivery({}, body).topic, body).events
    assert {(e.carrier, e.tracking_number) for e in events} == {("17track", "LP00698765432101")}
    # Two providers (Cainiao, then PostNL) merge into one chronological timeline.
    assert [e.code for e in events] == [
        "InfoReceived", "InTransit_PickedUp", "", "InTransit_Departure", "InTransit_Arrival",
        "InTransit_CustomsReleased", "InTransit_Other", "OutForDelivery_Other", "Delivered_Other",
    ]  # fmt: skip
    by_code = {e.code: e for e in events}
    # Only time_iso is given here: its +08:00 offset is honoured.
    assert by_code["InTransit_Departure"].occurred_at == utc("2026-11-03T19:05:00")
    # An older event without stage or sub-status stays unknown, with an empty code.
    assert (by_code[""].status, by_code[""].description) == (
        None,
        "Export customs clearance started",
    )
    # No location text: the address is put together instead.
    assert by_code["InTransit_Other"].location == "Nieuwegein, NL"
    state = derive_state(events)
    assert (state.status, state.delivered_at, state.unknown_codes) == (
        S.DELIVERED,
        utc("2026-11-07T13:02:00"),
        1,
    )


def test_return_with_two_failed_attempts_and_latest_status_for_the_newest_event() -> None:
    body = RETURN.read_bytes()
    events = SOURCE.handle("TRACKING_UPDATED", body).events
    failed = [e for e in events if e.status == S.FAILED_ATTEMPT]
    assert [e.reason for e in failed] == [R.RECIPIENT_UNAVAILABLE] * 2
    newest = events[-1]
    # The newest event has no sub-status of its own: the tracking's latest status names it.
    assert (newest.code, newest.status, newest.description) == (
        "Exception_Returned",
        S.RETURNED,
        "Retourzending afgeleverd",
    )
    state = derive_state(events)
    assert (state.status, state.failed_attempts) == (S.RETURNED, 2)


def test_latest_status_never_reaches_older_events() -> None:
    latest = {"status": "Delivered", "sub_status": "Delivered_Other"}
    newer, older = event("2026-11-07T10:00:00Z", "InTransit_Other"), event("2026-11-06T10:00:00Z")
    events = parse_item(item(newer, older, latest=latest))
    assert [(e.code, e.status) for e in events] == [("", None), ("InTransit_Other", S.IN_TRANSIT)]
    # Without a sub-status the main status is the code.
    [only] = parse_item(item(event("2026-11-07T10:00:00Z"), latest={"status": "InTransit"}))
    assert (only.code, only.status) == ("InTransit", S.IN_TRANSIT)


def test_a_stage_stands_in_for_a_missing_sub_status() -> None:
    [only] = parse_item(item(event("2026-11-07T10:00:00Z", None, stage="OutForDelivery")))
    assert (only.code, only.status) == ("OutForDelivery", S.OUT_FOR_DELIVERY)


def test_an_unknown_sub_status_is_kept_with_status_none() -> None:
    [only] = parse_item(item(event("2026-11-07T10:00:00Z", "InTransit_Teleported")))
    assert (only.code, only.status, only.reason) == ("InTransit_Teleported", None, None)
    assert derive_state([only]).unknown_codes == 1


def test_out_of_order_events_give_one_timeline() -> None:
    first = event("2026-11-05T10:00:00Z", "InTransit_PickedUp")
    second = event("2026-11-06T10:00:00Z", "OutForDelivery_Other")
    third = event("2026-11-06T15:00:00Z", "Delivered_Other")
    forward = parse_item(item(first, second, third))
    assert parse_item(item(third, first, second)) == forward
    assert [e.code for e in forward] == [
        "InTransit_PickedUp",
        "OutForDelivery_Other",
        "Delivered_Other",
    ]


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        ({"time_utc": "2026-11-06T10:20:00Z", "time_iso": "2026-11-06T11:20:00+01:00"}, "10:20"),
        ({"time_utc": None, "time_iso": "2026-11-06T11:20:00+01:00"}, "10:20"),
        ({"time_utc": "", "time_iso": "2026-11-06T11:20:00"}, "11:20"),
        ({"time_utc": "2026-11-06T10:20:00", "time_iso": None}, "10:20"),
        ({"time_utc": "garbage", "time_iso": "2026-11-06T18:20:00+08:00"}, "10:20"),
    ],
)
def test_event_times(times: dict[str, Any], expected: str) -> None:
    [only] = parse_item(item({"sub_status": "InTransit_Other", **times}))
    assert only.occurred_at == utc(f"2026-11-06T{expected}:00")


def test_gettrackinfo_answers_and_bad_payloads() -> None:
    pushed = json.loads(HANDOVER.read_text())["data"]
    answer = {"code": 0, "data": {"accepted": [pushed], "rejected": []}}
    assert parse(answer) == parse(json.dumps(answer)) == parse_item(pushed)
    assert parse({"data": {"accepted": [], "rejected": [{"number": "X"}]}}) == []
    # Registered but not yet tracked: no track_info, no events.
    assert parse_item({"number": "CC405172839NL", "track_info": None}) == []
    with pytest.raises(InvalidEvent, match="-18010002"):
        parse({"code": 0, "data": {"errors": [{"code": -18010002, "message": "Invalid key"}]}})
    for bad in (b"nope", b"[]", b"{}", b'{"data": {"accepted": [3]}}'):
        with pytest.raises(InvalidEvent):
            parse(bad)
    with pytest.raises(InvalidEvent, match="no readable time"):
        parse_item(item(event(None, "InTransit_Other")))
    with pytest.raises(InvalidEvent, match="no number"):
        parse_item({"track_info": {}})


def test_signature_good_bad_rotated_truncated_and_empty() -> None:
    body = HANDOVER.read_bytes()
    headers = signed(body, "key-2")
    assert SOURCE.verify(headers, body, ["key-2"])
    assert SOURCE.verify(headers, body, ["key-1", "key-2"])
    assert SOURCE.verify({"sign": headers["sign"].upper()}, body, ["key-2"])
    assert not SOURCE.verify(headers, body, ["key-1"])
    assert not SOURCE.verify(headers, body[:-1], ["key-2"])
    assert not SOURCE.verify({"sign": ""}, body, ["key-2"])
    assert not SOURCE.verify({}, body, ["key-2"])
    # The scheme is a plain digest, not an HMAC: an HMAC of the same inputs must not pass.
    assert not SOURCE.verify({"sign": hashlib.sha256(body).hexdigest()}, body, ["key-2"])


def test_delivery_ids_are_stable_per_body() -> None:
    body = HANDOVER.read_bytes()
    first = SOURCE.delivery({}, body)
    assert first == SOURCE.delivery({"sign": "x"}, body)
    assert first.topic == "TRACKING_UPDATED" and first.event_id.startswith("sha256:")
    assert SOURCE.delivery({}, RETURN.read_bytes()).event_id != first.event_id
    with pytest.raises(InvalidWebhook):
        SOURCE.delivery({}, b'{"data": {}}')


def test_stopped_pushes_and_bad_bodies() -> None:
    body = (PUSHES / "tracking_stopped.json").read_bytes()
    outcome = SOURCE.handle(SOURCE.delivery({}, body).topic, body)
    assert outcome.events == [] and "TRACKING_STOPPED" in outcome.ignored
    for bad in (b"{", b'{"event": "TRACKING_UPDATED"}'):
        with pytest.raises(InvalidWebhook):
            SOURCE.handle("TRACKING_UPDATED", bad)
    broken = {"event": "TRACKING_UPDATED", "data": item(event("never"))}
    with pytest.raises(InvalidWebhook, match="time"):
        SOURCE.handle("TRACKING_UPDATED", json.dumps(broken).encode())
    assert (SOURCE.slug, SOURCE.name) == ("17track", "17TRACK")


def test_every_code_maps_to_the_vocabulary_once() -> None:
    info = CARRIERS["17track"]
    assert dict(info.codes) == codes.CODES and set(info.descriptions) == set(codes.CODES)
    for status, reason in codes.CODES.values():
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


def test_the_table_covers_all_documented_sub_statuses() -> None:
    documented = {
        "InfoReceived", "InTransit_PickedUp", "InTransit_Other", "InTransit_Departure",
        "InTransit_Arrival", "InTransit_CustomsProcessing", "InTransit_CustomsReleased",
        "InTransit_CustomsRequiringInformation", "Expired_Other", "AvailableForPickup_Other",
        "OutForDelivery_Other", "DeliveryFailure_Other", "DeliveryFailure_NoBody",
        "DeliveryFailure_Security", "DeliveryFailure_Rejected", "DeliveryFailure_InvalidAddress",
        "Delivered_Other", "Exception_Other", "Exception_Returning", "Exception_Returned",
        "Exception_NoBody", "Exception_Security", "Exception_Damage", "Exception_Rejected",
        "Exception_Delayed", "Exception_Lost", "Exception_Destroyed", "Exception_Cancel",
    }  # fmt: skip
    assert documented <= set(codes.CODES)
    assert not {"NotFound_Other", "NotFound_InvalidCode"} & set(codes.CODES)
    assert lookup("17track", "Exception_Returning") == (S.RETURNING, None)
    assert lookup("17track", "Exception_Returned") == (S.RETURNED, None)
    assert lookup("17track", "Exception_Lost") == (S.EXCEPTION, R.LOST)
    assert lookup("17track", "Exception_Damage") == (S.EXCEPTION, R.DAMAGED)
    assert lookup("17track", "Exception_Rejected") == (S.EXCEPTION, R.REFUSED)
