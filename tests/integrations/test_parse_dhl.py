"""DHL parser: Parcel DE piece-detail XML and Unified JSON, return legs, XML safety."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import derive_state
from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S
from parcelcare.integrations.carriers.dhl.parse import parse

TRACKING = Path(__file__).resolve().parent.parent / "fixtures" / "tracking"
PARCEL_DE = TRACKING / "karrio" / "dhl_parcel_de__TrackingResponseXML.xml"
UNIFIED = TRACKING / "karrio" / "dhl_universal__TrackingResponseJSON.json"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def karrio(name: str) -> list[dict[str, Any]]:
    """karrio's own reading of a fixture: its list of tracking details."""
    details: list[dict[str, Any]] = json.loads((TRACKING / "karrio_parsed" / name).read_text())[0]
    return details


def piece_list(*events: str, code: str = "0") -> str:
    """A Parcel DE piece-shipment list holding one piece with the given piece-event elements."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><data name="piece-shipment-list" code="{code}">'
        '<data name="piece-shipment" piece-code="00340434161094000001" error-status="0">'
        f'<data name="piece-event-list">{"".join(events)}</data></data></data>'
    )


def piece_event(stamp: str, standard: str, ice: str = "", returning: bool = False) -> str:
    flag = "true" if returning else "false"
    return (
        f'<data name="piece-event" event-timestamp="{stamp}" event-text="text {standard}" '
        f'ice="{ice}" standard-event-code="{standard}" event-location="Bonn" '
        f'event-country="Germany" ruecksendung="{flag}"/>'
    )


def unified(*events: dict[str, Any], service: str = "parcel-de", **extra: Any) -> str:
    shipment = {"id": "00340434161094000002", "service": service, "events": list(events)}
    return json.dumps({"shipments": [shipment | extra]})


def u_event(stamp: str, code: str, status: str = "", country: str = "DE", **extra: Any) -> dict:
    location = {"address": {"addressLocality": "Somewhere", "countryCode": country}}
    return {"timestamp": stamp, "statusCode": code, "status": status, "location": location} | extra


# --- recorded answers -------------------------------------------------------------------------


def test_parcel_de_piece_detail() -> None:
    events = parse(PARCEL_DE.read_bytes())
    assert len(events) == 7
    first, last = events[0], events[-1]
    # 17.03.2016 11:44 in Germany is CET, UTC+1.
    assert (first.code, first.status, first.occurred_at) == (
        "ES",
        S.IN_TRANSIT,
        utc("2016-03-17T10:44"),
    )
    assert (last.code, last.status, last.occurred_at) == (
        "ZU",
        S.DELIVERED,
        utc("2016-03-18T09:02"),
    )
    assert {e.tracking_number for e in events} == {"00340434161094015902"}
    assert last.location == "Bonn, Germany"
    # The standard code PO marks the delivery van, where the ICE code beside it only says sorted.
    assert [e.status for e in events if e.code == "PO"] == [S.OUT_FOR_DELIVERY]


def test_unified_documentation_example() -> None:
    [only] = parse(UNIFIED.read_text())
    assert (only.code, only.status, only.tracking_number) == (
        "pre-transit",
        S.INFO_RECEIVED,
        "7777777770",
    )
    # The event's timestamp has no offset: read as wall-clock time, CET in March.
    assert only.occurred_at == utc("2018-03-02T06:53:47")
    assert "customs inspection" in only.description
    assert only.location == "Oderweg 2, AMSTERDAM, NL"


def test_no_data_answers_are_empty() -> None:
    assert (
        parse((TRACKING / "karrio" / "dhl_parcel_de__TrackingErrorResponseXML.xml").read_text())
        == []
    )
    assert (
        parse((TRACKING / "karrio" / "dhl_universal__TrackingErrorResponseJSON.json").read_text())
        == []
    )


# --- where parcelcare deliberately differs from karrio ----------------------------------------


def test_parcel_de_keeps_the_german_offset_karrio_drops() -> None:
    # karrio defect "time-zone offsets dropped": it stamps 18.03.2016 10:02 German time as
    # 10:02 UTC. parcelcare reads it as CET and stores 09:02 UTC.
    [theirs] = karrio("dhl_parcel_de__ParsedTrackingResponse.karrio_parsed.json")
    delivered = next(e for e in theirs["events"] if e["code"] == "ZU")
    assert delivered["timestamp"] == "2016-03-18T10:02:00.000Z"
    ours = next(e for e in parse(PARCEL_DE.read_bytes()) if e.code == "ZU")
    assert ours.occurred_at == utc("2016-03-18T09:02")
    # karrio files the delivery-van scan as in transit; the code says out for delivery.
    assert next(e["status"] for e in theirs["events"] if e["code"] == "PO") == "in_transit"


def test_unified_status_comes_from_the_code_not_the_free_text() -> None:
    # karrio reads the event's free-text `status` ("DELIVERED") and calls it delivered; the
    # code is pre-transit, so parcelcare says the label exists and nothing more.
    [theirs] = karrio("dhl_universal__ParsedTrackingResponse.karrio_parsed.json")
    assert theirs["events"][0]["status"] == "delivered"
    assert parse(UNIFIED.read_text())[0].status == S.INFO_RECEIVED


# --- edge cases: Parcel DE --------------------------------------------------------------------


def test_return_leg_is_marked_and_ends_returned() -> None:
    # karrio defect "DHL return flags lost": ruecksendung="true" would read as a delivery.
    events = parse(
        piece_list(
            piece_event("02.11.2026 10:00", "ES", "SHRCU"),
            piece_event("03.11.2026 09:00", "PO", "SRTED"),
            piece_event("03.11.2026 13:00", "ZN", "NTDEL"),
            piece_event("10.11.2026 08:00", "ZN", "RETRN"),
            piece_event("11.11.2026 07:30", "AA", "LDTMV", returning=True),
            piece_event("12.11.2026 11:15", "ZU", "DLVRD", returning=True),
        )
    )
    assert [e.code for e in events[-3:]] == ["RETRN", "AA/return", "ZU/return"]
    assert [e.status for e in events[-3:]] == [S.RETURNING, S.RETURNING, S.RETURNED]
    assert derive_state(events).status == S.RETURNED


def test_two_failed_attempts_are_counted() -> None:
    events = parse(
        piece_list(
            piece_event("03.11.2026 13:00", "ZN", "NTDEL"),
            piece_event("04.11.2026 12:10", "ZN", "NTDEL"),
        )
    )
    assert derive_state(events).failed_attempts == 2


def test_a_disposed_parcel_is_not_delivered() -> None:
    # DHL files a disposal under ZU; the ICE code DSPSD says what really happened.
    [only] = parse(piece_list(piece_event("20.11.2026 09:00", "ZU", "DSPSD")))
    assert (only.code, only.status, only.reason) == ("DSPSD", S.EXCEPTION, R.OTHER)


def test_piece_events_in_any_order_and_twice_give_one_timeline() -> None:
    a = piece_event("02.11.2026 10:00", "ES", "SHRCU")
    b = piece_event("03.11.2026 09:00", "PO", "SRTED")
    assert parse(piece_list(b, a, b)) == parse(piece_list(a, b))
    assert len(parse(piece_list(b, a, b))) == 2


def test_parcel_de_dst_change_is_respected() -> None:
    [winter] = parse(piece_list(piece_event("28.03.2026 12:00", "EE")))
    [summer] = parse(piece_list(piece_event("30.03.2026 12:00", "EE")))
    assert (winter.occurred_at.hour, summer.occurred_at.hour) == (11, 10)


# --- edge cases: Unified ----------------------------------------------------------------------


def test_parcel_from_china_handed_to_dhl_parcel_de() -> None:
    events = parse(
        unified(
            u_event("2026-11-02T18:05:00+08:00", "transit", "Handed to carrier", country="CN"),
            u_event("2026-11-04T02:40:00+08:00", "transit", "Departed origin", country="CN"),
            u_event("2026-11-06T07:12:00", "transit", "EE"),
            u_event("2026-11-06T10:30:00", "transit", "PO"),
            u_event("2026-11-06T14:02:00", "delivered", "ZU"),
        )
    )
    assert (events[0].occurred_at, events[0].location) == (
        utc("2026-11-02T10:05:00"),
        "Somewhere, CN",
    )
    # parcel-de events come as German wall-clock time without offset.
    assert events[2].occurred_at == utc("2026-11-06T06:12:00")
    assert [e.code for e in events[2:]] == ["EE", "PO", "ZU"]
    assert derive_state(events).status == S.DELIVERED


def test_parcel_de_code_in_status_tells_a_pickup_point() -> None:
    [only] = parse(unified(u_event("2026-11-06T09:00:00", "transit", "ZF")))
    assert (only.code, only.status) == ("ZF", S.AVAILABLE_FOR_PICKUP)


def test_express_uses_the_coarse_status_code() -> None:
    [only] = parse(
        unified(u_event("2026-11-06T09:00:00+01:00", "transit", "PL"), service="express")
    )
    assert (only.code, only.status) == ("transit", S.IN_TRANSIT)


def test_customs_hold_is_an_exception_with_the_remark_kept() -> None:
    held = u_event(
        "2026-11-05T11:00:00+01:00",
        "failure",
        "OH",
        description="Shipment is on hold",
        remark="Awaiting payment of import duties",
    )
    [only] = parse(unified(held, service="express"))
    assert (only.status, only.reason) == (S.EXCEPTION, None)
    assert only.description == "Shipment is on hold - Awaiting payment of import duties"


def test_return_flag_marks_the_newest_event_only() -> None:
    events = parse(
        unified(
            u_event("2026-11-12T11:15:00", "delivered", "ZU"),
            u_event("2026-11-03T13:00:00", "transit", "ZN"),
            returnFlag=True,
        )
    )
    assert [(e.code, e.status) for e in events] == [
        ("ZN", S.FAILED_ATTEMPT),
        ("ZU/return", S.RETURNED),
    ]


def test_unified_duplicates_and_order() -> None:
    a = u_event("2026-11-06T07:12:00", "transit", "EE")
    b = u_event("2026-11-06T10:30:00", "transit", "PO")
    assert parse(unified(b, a, a)) == parse(unified(a, b))


def test_status_block_stands_in_for_a_missing_event_list() -> None:
    shipment = {
        "id": "1234567890",
        "service": "express",
        "status": {"timestamp": "2026-11-06T10:30:00Z", "statusCode": "transit"},
        "events": [],
    }
    [only] = parse(json.dumps({"shipments": [shipment]}))
    assert (only.code, only.occurred_at) == ("transit", utc("2026-11-06T10:30:00"))


def test_unknown_unified_status_is_kept_without_status() -> None:
    [only] = parse(unified(u_event("2026-11-06T10:30:00Z", "unknown", service="express")))
    assert (only.code, only.status) == ("unknown", None)


# --- refusals ---------------------------------------------------------------------------------


def test_a_dtd_is_refused_before_parsing() -> None:
    payload = (
        '<?xml version="1.0"?><!DOCTYPE data [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<data name="piece-shipment-list" code="0">&x;</data>'
    )
    with pytest.raises(InvalidEvent, match="DTD"):
        parse(payload)


def test_billion_laughs_is_refused() -> None:
    payload = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        "<data>&lol2;</data>"
    )
    with pytest.raises(InvalidEvent, match="DTD or entity"):
        parse(payload.encode())


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("", "neither Parcel DE XML nor Unified JSON"),
        ("<data name='piece-shipment-list'", "not well-formed XML"),
        ("<html><body>Service unavailable</body></html>", "not a Parcel DE piece-shipment-list"),
        (piece_list(code="500"), "answered code 500"),
        (piece_list(piece_event("2016-03-17 11:44", "ES")), "unreadable time"),
        ('{"status": 401, "title": "Unauthorized", "detail": "Invalid API key"}', "401"),
        ('{"shipments": {}}', "is not a list"),
        ('{"hello": "world"}', "not a Unified shipments answer"),
        (unified({"timestamp": "2026-11-06T10:30:00Z"}), "has no statusCode"),
        (unified(u_event("06.11.2026", "transit")), "unreadable time"),
        ("{not json", "not JSON"),
    ],
)
def test_malformed_payloads_raise_invalid_event(payload: str, message: str) -> None:
    with pytest.raises(InvalidEvent, match=message):
        parse(payload)


def test_non_utf8_bytes_are_refused() -> None:
    with pytest.raises(InvalidEvent, match="not UTF-8"):
        parse("<data/>".encode("utf-16"))
