"""AfterShip: recorded /trackings answers, webhook pushes, signatures and the subtag table."""

import ast
import base64
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
from parcelcare.integrations.carriers.aftership import codes
from parcelcare.integrations.carriers.aftership.parse import parse, parse_tracking
from parcelcare.integrations.carriers.aftership.webhook import SOURCE
from parcelcare.integrations.carriers.registry import CARRIERS, lookup
from parcelcare.integrations.webhooks import InvalidWebhook

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RECORDED = FIXTURES / "tracking" / "aftership"
PUSHES = FIXTURES / "webhooks" / "aftership"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def signed(body: bytes, secret: str) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return {"aftership-hmac-sha256": base64.b64encode(digest).decode()}


def tracking(*checkpoints: dict[str, Any], number: str = "00340434161094042557") -> dict:
    return {"id": "t1", "tracking_number": number, "checkpoints": list(checkpoints)}


def checkpoint(time: str, subtag: str | None = "InTransit_001", **extra: Any) -> dict:
    return {"checkpoint_time": time, "subtag": subtag, "tag": "InTransit", **extra}


def test_recorded_get_trackings_answer() -> None:
    events = parse((RECORDED / "pyaftership_get_trackings.json").read_bytes())
    # Only the FedEx tracking has checkpoints; the two expired ones have none.
    assert {e.tracking_number for e in events} == {"1111111111111"}
    assert all(e.carrier == "aftership" for e in events)
    assert [e.code for e in events] == [
        "InfoReceived_001", "InTransit_002", "InTransit_003", "InTransit_007", "Exception_001",
        "InTransit_003", "InTransit_007", "InTransit_007", "InTransit_003", "OutForDelivery_001",
        "Delivered_001",
    ]  # fmt: skip
    # 10:33 on 31 July 2018 at UTC-4 (the offset is in the answer).
    assert events[0].occurred_at == utc("2018-07-31T14:33:00")
    assert events[-1].occurred_at == utc("2018-08-01T17:19:47")
    assert events[-1].location == "Deal, NJ"
    assert all(e.status is not None for e in events)
    state = derive_state(events)
    assert (state.status, state.delivered_at) == (S.DELIVERED, utc("2018-08-01T17:19:47"))


def test_recorded_post_trackings_answer_has_no_checkpoints() -> None:
    assert parse((RECORDED / "pyaftership_post_trackings.json").read_text()) == []


def test_an_answer_is_read_as_bytes_text_or_object() -> None:
    document = json.loads((RECORDED / "pyaftership_get_trackings.json").read_text())
    assert parse(document) == parse(json.dumps(document)) == parse(json.dumps(document).encode())
    single = {"meta": {"code": 200}, "data": {"tracking": document["data"]["trackings"][0]}}
    assert parse(single) == parse(document)


def test_not_found_is_empty_and_errors_raise() -> None:
    not_found = {"meta": {"code": 4004, "message": "Tracking does not exist."}, "data": {}}
    assert parse(not_found) == []
    with pytest.raises(InvalidEvent, match="4001"):
        parse({"meta": {"code": 4001, "message": "Invalid JSON data."}, "data": {}})
    for bad in (b"not json", b"[]", b'{"data": {}}', b'{"data": {"trackings": 3}}'):
        with pytest.raises(InvalidEvent):
            parse(bad)


def test_china_to_netherlands_hand_over_through_the_aggregator() -> None:
    body = (PUSHES / "tracking_update_cn_to_nl.json").read_bytes()
    events = SOURCE.handle("tracking_update", body).events
    assert {(e.carrier, e.tracking_number) for e in events} == {("aftership", "LP00698765432101")}
    times = [e.occurred_at for e in events]
    assert times == sorted(times)
    # Naive checkpoint times are read in the checkpoint country's zone: Shenzhen (UTC+8),
    # Hong Kong (UTC+8), then the PostNL scan in Nieuwegein (UTC+1 in November).
    by_code = {e.code: e for e in events}
    assert by_code["InTransit_002"].occurred_at == utc("2026-11-02T13:40:00")
    assert by_code["InTransit_007"].occurred_at == utc("2026-11-03T19:05:00")
    assert by_code["InTransit_003"].occurred_at == utc("2026-11-07T05:12:00")
    # The customs checkpoint arrived last but happened before the PostNL leg began.
    assert [e.code for e in events][3:6] == ["InTransit_004", "InTransit_005", "InTransit_003"]
    assert by_code["InTransit_002"].location == "Shenzhen, CHN"
    assert by_code["InfoReceived_001"].location == "Shenzhen, Guangdong, CHN"
    state = derive_state(events)
    assert (state.status, state.delivered_at) == (S.DELIVERED, utc("2026-11-07T13:02:00"))
    assert state.first_scan_at == utc("2026-11-02T13:40:00")


def test_return_to_sender_after_two_failed_attempts() -> None:
    body = (PUSHES / "tracking_update_return_to_sender.json").read_bytes()
    events = SOURCE.handle("tracking_update", body).events
    failed = [e for e in events if e.status == S.FAILED_ATTEMPT]
    assert [e.reason for e in failed] == [R.RECIPIENT_UNAVAILABLE] * 2
    assert [e.status for e in events[-3:]] == [S.EXCEPTION, S.RETURNING, S.RETURNED]
    state = derive_state(events)
    assert (state.status, state.failed_attempts) == (S.RETURNED, 2)


def test_out_of_order_checkpoints_give_one_timeline() -> None:
    items = [
        checkpoint("2026-11-10T09:00:00+01:00", "OutForDelivery_001"),
        checkpoint("2026-11-09T18:00:00+01:00", "InfoReceived_001"),
        checkpoint("2026-11-10T14:00:00+01:00", "Delivered_001"),
    ]
    forward = parse_tracking(tracking(*items))
    assert parse_tracking(tracking(*reversed(items))) == forward
    assert [e.code for e in forward] == ["InfoReceived_001", "OutForDelivery_001", "Delivered_001"]


def test_an_unknown_subtag_is_kept_with_status_none() -> None:
    [event] = parse_tracking(tracking(checkpoint("2026-11-10T09:00:00Z", "Exception_099")))
    assert (event.code, event.status, event.reason) == ("Exception_099", None, None)
    # The known tag is not borrowed: the gap stays visible until the table learns the code.
    assert derive_state([event]).unknown_codes == 1


def test_a_checkpoint_without_subtag_falls_back_to_its_tag() -> None:
    [event] = parse_tracking(tracking(checkpoint("2026-11-10T09:00:00Z", None, tag="AttemptFail")))
    assert (event.code, event.status) == ("AttemptFail", S.FAILED_ATTEMPT)
    assert (event.status, event.reason) == lookup("aftership", "AttemptFail")


@pytest.mark.parametrize(
    ("stamp", "country", "expected"),
    [
        ("2026-07-01T10:00:00+02:00", "USA", "2026-07-01T08:00:00"),
        ("2026-07-01T10:00:00Z", "", "2026-07-01T10:00:00"),
        ("2026-07-01T10:00:00", "DEU", "2026-07-01T08:00:00"),
        ("2026-12-01T10:00:00", "DEU", "2026-12-01T09:00:00"),
        # No single zone (the US) or no country: read as UTC.
        ("2026-07-01T10:00:00", "USA", "2026-07-01T10:00:00"),
        ("2026-07-01T10:00:00", "", "2026-07-01T10:00:00"),
        # A date alone is midnight, local.
        ("2026-07-01", "NLD", "2026-06-30T22:00:00"),
    ],
)
def test_checkpoint_times(stamp: str, country: str, expected: str) -> None:
    item = checkpoint(stamp, country_region=country)
    [event] = parse_tracking(tracking(item))
    assert event.occurred_at == utc(expected)
    assert event.occurred_at.tzinfo is UTC


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (checkpoint("yesterday"), "unreadable checkpoint_time"),
        ({"subtag": "InTransit_001"}, "unreadable checkpoint_time"),
        ({"checkpoint_time": "2026-11-10T09:00:00Z"}, "neither subtag nor tag"),
        ("not an object", "not an object"),
    ],
)
def test_bad_checkpoints_are_named(item: Any, message: str) -> None:
    with pytest.raises(InvalidEvent, match=message):
        parse_tracking(tracking(item))
    with pytest.raises(InvalidEvent, match="no tracking_number"):
        parse_tracking({"checkpoints": []})


def test_signature_good_bad_rotated_truncated_and_empty() -> None:
    body = (PUSHES / "tracking_update_cn_to_nl.json").read_bytes()
    headers = signed(body, "new-secret")
    assert SOURCE.verify(headers, body, ["new-secret"])
    # During a rotation both secrets are live; the second one signed this push.
    assert SOURCE.verify(headers, body, ["old-secret", "new-secret"])
    assert not SOURCE.verify(headers, body, ["old-secret"])
    assert not SOURCE.verify(headers, body[:-1], ["new-secret"])
    assert not SOURCE.verify({"aftership-hmac-sha256": ""}, body, ["new-secret"])
    assert not SOURCE.verify({}, body, ["new-secret"])
    assert not SOURCE.verify(headers, body, [])
    tampered = body.replace(b"Delivered_001", b"Exception_013")
    assert not SOURCE.verify(headers, tampered, ["new-secret"])


def test_delivery_uses_the_event_id_and_topic() -> None:
    body = (PUSHES / "tracking_update_cn_to_nl.json").read_bytes()
    delivery = SOURCE.delivery({}, body)
    assert (delivery.event_id, delivery.topic) == (
        "5b0f3c4e-8a2d-4f61-9c1e-7d3a2b9e6f10",
        "tracking_update",
    )


def test_delivery_without_event_id_falls_back_to_tracking_and_last_checkpoint() -> None:
    document = json.loads((PUSHES / "tracking_update_return_to_sender.json").read_text())
    del document["event_id"]
    body = json.dumps(document).encode()
    first = SOURCE.delivery({}, body)
    assert first.event_id == "0a1b2c3d4e5f60718293a4b5:2026-11-28T11:00:00+01:00"
    # A resend of the same update, even re-serialised, has the same key.
    assert SOURCE.delivery({}, json.dumps(document, indent=2).encode()) == first
    document["msg"]["checkpoints"].pop()
    assert SOURCE.delivery({}, json.dumps(document).encode()).event_id != first.event_id
    assert SOURCE.delivery({}, b'{"event": "tracking_update"}').event_id.startswith("sha256:")


def test_handle_rejects_what_is_not_a_tracking_push() -> None:
    for body in (b"<xml/>", b"[1]", b'{"event": "tracking_update"}'):
        with pytest.raises(InvalidWebhook):
            SOURCE.handle("tracking_update", body)
    bad = {"msg": tracking(checkpoint("soon"))}
    with pytest.raises(InvalidWebhook, match="checkpoint_time"):
        SOURCE.handle("tracking_update", json.dumps(bad).encode())
    assert (SOURCE.slug, SOURCE.name) == ("aftership", "AfterShip")


def test_every_code_maps_to_the_vocabulary_once() -> None:
    info = CARRIERS["aftership"]
    assert dict(info.codes) == codes.CODES and set(info.descriptions) == set(codes.CODES)
    for status, reason in codes.CODES.values():
        assert isinstance(status, S) and (reason is None or isinstance(reason, R))
    # A key written twice in the literal would silently keep only its last meaning.
    tree = ast.parse(Path(codes.__file__).read_text())
    literal = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "CODES"
    )
    assert isinstance(literal, ast.Dict)
    keys = [key.value for key in literal.keys if isinstance(key, ast.Constant)]
    assert len(keys) == len(set(keys)) == len(codes.CODES)


def test_the_table_covers_the_subtags_the_brief_names() -> None:
    expected = {
        "InTransit_001": S.IN_TRANSIT,
        "Delivered_001": S.DELIVERED,
        "AttemptFail_001": S.FAILED_ATTEMPT,
        "AvailableForPickup_001": S.AVAILABLE_FOR_PICKUP,
        "InfoReceived_001": S.INFO_RECEIVED,
        "Expired_001": S.EXPIRED,
        "Exception_010": S.RETURNING,
        "Exception_011": S.RETURNED,
    }
    for code, status in expected.items():
        assert lookup("aftership", code)[0] == status
    assert lookup("aftership", "Exception_007") == (S.EXCEPTION, R.ADDRESS_ISSUE)
    assert lookup("aftership", "Exception_012") == (S.EXCEPTION, R.DAMAGED)
    assert lookup("aftership", "Exception_013") == (S.EXCEPTION, R.LOST)
    assert lookup("aftership", "Exception_004") == (S.EXCEPTION, R.CUSTOMS_HOLD)
    # Every tag has a fallback entry.
    tags = {"Pending", "InfoReceived", "InTransit", "OutForDelivery", "AttemptFail"}
    tags |= {"AvailableForPickup", "Delivered", "Exception", "Expired"}
    assert tags <= set(codes.CODES)
