"""GLS track-and-trace parser: recorded answer, offsets without colon, per-parcel errors."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import derive_state
from parcelcare.domain.vocabulary import ShipmentStatus as S
from parcelcare.integrations.carriers.gls.parse import parse

TRACKING = Path(__file__).resolve().parent.parent / "fixtures" / "tracking"
SAMPLE = TRACKING / "karrio" / "gls__TrackingResponse.json"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def answer(*events: dict[str, Any], **parcel: Any) -> str:
    body = {"requested": "36300000001", "unitno": "36300000001", "events": list(events)}
    return json.dumps({"parcels": [body | parcel]})


def event(code: str, stamp: str, city: str = "Berlin", country: str = "DE") -> dict[str, Any]:
    return {
        "code": code,
        "city": city,
        "postalCode": "",
        "country": country,
        "description": f"text of {code}",
        "eventDateTime": stamp,
    }


def test_recorded_answer() -> None:
    events = parse(SAMPLE.read_bytes())
    assert len(events) == 2
    first, last = events
    assert (first.code, first.status, first.occurred_at) == (
        "INTIAL.PREADVICE",
        S.INFO_RECEIVED,
        utc("2024-10-07T07:30:00"),
    )
    assert (last.code, last.status, last.occurred_at) == (
        "INTIAL.NORMAL",
        S.IN_TRANSIT,
        utc("2024-10-07T08:46:14"),
    )
    assert {e.tracking_number for e in events} == {"36301917596"}
    assert (first.location, last.location) == ("DE", "Berlin, DE")


def test_karrio_keeps_only_the_wall_clock() -> None:
    # karrio defect "time-zone offsets dropped": it keeps "10:46" and loses the +0200.
    details = json.loads(
        (TRACKING / "karrio_parsed" / "gls__ParsedTrackingResponse.karrio_parsed.json").read_text()
    )
    theirs = details[0][0]["events"][0]
    assert (theirs["time"], "timestamp" in theirs) == ("10:46", False)
    assert parse(SAMPLE.read_bytes())[-1].occurred_at == utc("2024-10-07T08:46:14")


def test_not_found_parcel_is_an_empty_answer() -> None:
    assert parse((TRACKING / "karrio" / "gls__ErrorResponse.json").read_text()) == []


def test_other_parcel_errors_raise() -> None:
    payload = json.dumps(
        {"parcels": [{"requested": "1", "errorCode": "E_500_01", "errorMessage": "Boom"}]}
    )
    with pytest.raises(InvalidEvent, match="E_500_01 Boom"):
        parse(payload)


def test_status_stands_in_when_there_are_no_events() -> None:
    [only] = parse(answer(status="DELIVERED", statusDateTime="2024-10-11T15:24:57+0200"))
    assert (only.code, only.status, only.occurred_at) == (
        "DELIVERED",
        S.DELIVERED,
        utc("2024-10-11T13:24:57"),
    )


def test_parcel_from_china_delivered_in_germany() -> None:
    events = parse(
        answer(
            event("INWAREHOUSE", "2026-11-02T18:05:00+0800", "Shenzhen", "CN"),
            event("INTRANSIT", "2026-11-09T06:10:00+0100", "Neuenstein", "DE"),
            event("INDELIVERY", "2026-11-10T07:30:00+0100"),
            event("DELIVERED", "2026-11-10T12:00:00+0100"),
        )
    )
    assert (events[0].occurred_at, events[0].location) == (
        utc("2026-11-02T10:05:00"),
        "Shenzhen, CN",
    )
    assert derive_state(events).status == S.DELIVERED


def test_two_failed_attempts_then_parcelshop() -> None:
    events = parse(
        answer(
            event("NOTDELIVERED", "2026-11-10T12:00:00+0100"),
            event("NOTDELIVERED", "2026-11-11T12:30:00+0100"),
            event("DELIVEREDPS", "2026-11-11T16:00:00+0100"),
        )
    )
    state = derive_state(events)
    assert (state.failed_attempts, state.status) == (2, S.AVAILABLE_FOR_PICKUP)


def test_duplicates_and_order() -> None:
    a = event("INWAREHOUSE", "2026-11-09T06:10:00+0100")
    b = event("INDELIVERY", "2026-11-10T07:30:00+0100")
    assert parse(answer(b, a, b)) == parse(answer(a, b))
    assert len(parse(answer(b, a, b))) == 2


def test_time_without_offset_is_german_wall_clock() -> None:
    [only] = parse(answer(event("INWAREHOUSE", "2026-07-09T06:10:00")))
    assert only.occurred_at == utc("2026-07-09T04:10:00")


def test_unknown_code_is_kept_without_status() -> None:
    [only] = parse(answer(event("SOMETHING.NEW", "2026-11-09T06:10:00+0100")))
    assert (only.code, only.status) == ("SOMETHING.NEW", None)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("]", "not JSON"),
        ('{"tracking": []}', "no `parcels` list"),
        ('{"parcels": ["x"]}', "is not an object"),
        (answer(event("", "2026-11-09T06:10:00+0100")), "has no code"),
        (answer(event("INTRANSIT", "09.11.2026 06:10")), "unreadable time"),
        (json.dumps({"parcels": [{"events": []}]}), "neither unitno nor requested"),
    ],
)
def test_malformed_payloads_raise_invalid_event(payload: str, message: str) -> None:
    with pytest.raises(InvalidEvent, match=message):
        parse(payload)
