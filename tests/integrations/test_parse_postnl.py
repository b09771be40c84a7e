"""PostNL ShippingStatus parser: recorded answers, Amsterdam wall-clock times, edge cases."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import derive_state
from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S
from parcelcare.integrations.carriers.postnl.parse import parse

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "tracking" / "postnl"


def body(name: str) -> str:
    """The JSON body of a recorded answer (HTTP head, blank line, body)."""
    return (SAMPLES / name).read_text(encoding="utf-8").split("\n\n", 1)[1]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def complete(*events: dict[str, Any], barcode: str = "3STEST0000001") -> str:
    """A CompleteStatus answer for one shipment with the given events."""
    return json.dumps({"CompleteStatus": {"Shipment": {"Barcode": barcode, "Event": list(events)}}})


def event(code: str, stamp: str, description: str = "", location: Any = "123456") -> dict[str, Any]:
    return {"Code": code, "Description": description, "LocationCode": location, "TimeStamp": stamp}


# --- recorded answers -------------------------------------------------------------------------


def test_complete_status_newest_first_becomes_oldest_first_in_utc() -> None:
    events = parse(body("completestatus.http"))
    assert len(events) == 3
    first, last = events[0], events[-1]
    # 07-03-2018 09:50:47 in Amsterdam is winter time, UTC+1.
    assert (first.code, first.status, first.occurred_at) == (
        "01A",
        S.INFO_RECEIVED,
        utc("2018-03-07T08:50:47"),
    )
    assert (last.code, last.status, last.occurred_at) == (
        "01B",
        S.IN_TRANSIT,
        utc("2018-03-07T22:20:05"),
    )
    assert {e.tracking_number for e in events} == {"3SDEVC123456789"}
    assert last.description == "Zending is bij PostNL" and last.location == "166886"


def test_a_single_event_sent_as_an_object_is_read() -> None:
    events = parse(body("completestatus2.http"))
    assert [(e.code, e.occurred_at) for e in events] == [("01B", utc("2018-03-07T22:20:05"))]


def test_complete_status_keeps_the_carriers_own_order_of_facts() -> None:
    # Upstream scrambled this answer: J01 is stamped before the pre-alert and the last event
    # carries code 01B with a delivery text. The parser keeps what PostNL said.
    events = parse(body("completestatus3.http"))
    assert len(events) == 5
    assert (events[0].code, events[0].occurred_at) == ("J01", utc("2021-03-25T08:30:58"))
    assert (events[-1].code, events[-1].status, events[-1].occurred_at) == (
        "01B",
        S.IN_TRANSIT,
        utc("2021-03-26T14:06:53"),
    )
    assert events[-1].tracking_number == "3SABCD987516327"


@pytest.mark.parametrize(
    ("name", "code", "status", "at", "number"),
    [
        ("currentstatus.http", "2", S.IN_TRANSIT, "2018-03-07T22:20:05", "3SDEVC302392342"),
        ("currentstatus2.http", "2", S.IN_TRANSIT, "2018-03-07T22:20:05", "3SDEVC302392342"),
        ("currentstatus3.http", "11", S.DELIVERED, "2021-02-26T11:54:08", "3SABCD987040009"),
    ],
)
def test_current_status_is_one_event_with_the_status_code(
    name: str, code: str, status: S, at: str, number: str
) -> None:
    [only] = parse(body(name))
    assert (only.code, only.status, only.occurred_at, only.tracking_number) == (
        code,
        status,
        utc(at),
        number,
    )


def test_no_shipment_found_is_an_empty_answer() -> None:
    assert parse(body("nocurrentshipments.http")) == []


def test_updated_shipments_give_one_status_event_per_barcode() -> None:
    events = parse(body("updatedshipments.http"))
    assert len(events) == 4
    assert len({e.tracking_number for e in events}) == 4
    assert (events[0].code, events[0].occurred_at) == ("11", utc("2021-02-26T11:57:15"))
    assert (events[-1].code, events[-1].status) == ("11", S.DELIVERED)
    picked_up = [e for e in events if e.code == "22"]
    assert [e.status for e in picked_up] == [S.DELIVERED]


# --- edge cases -------------------------------------------------------------------------------


def test_duplicate_events_collapse_to_one() -> None:
    twice = event("J05", "26-03-2021 09:44:45", "Bezorger is onderweg")
    assert len(parse(complete(twice, twice))) == 1


def test_arrival_order_does_not_matter() -> None:
    items = [
        event("I01", "27-03-2021 14:02:00"),
        event("A01", "25-03-2021 12:11:10"),
        event("J05", "27-03-2021 09:00:00"),
    ]
    assert parse(complete(*items)) == parse(complete(*reversed(items)))
    assert [e.code for e in parse(complete(*items))] == ["A01", "J05", "I01"]


def test_return_to_sender_ends_returned() -> None:
    events = parse(
        complete(
            event("B01", "02-11-2026 18:00:00"),
            event("J05", "03-11-2026 08:30:00"),
            event("H01", "03-11-2026 13:15:00", "Geweigerd bij bezorging, zending gaat retour"),
            event("J63", "05-11-2026 10:00:00", "Retourzending afgeleverd"),
        )
    )
    assert [(e.status, e.reason) for e in events[-2:]] == [
        (S.RETURNING, R.REFUSED),
        (S.RETURNED, None),
    ]
    assert derive_state(events).status == S.RETURNED


def test_two_failed_attempts_are_counted() -> None:
    events = parse(
        complete(
            event("J05", "03-11-2026 08:00:00"),
            event("K14", "03-11-2026 14:00:00", "Wij hebben je gemist"),
            event("J05", "04-11-2026 08:00:00"),
            event("Y10", "04-11-2026 15:30:00", "We hebben je gemist"),
        )
    )
    state = derive_state(events)
    assert (state.status, state.failed_attempts) == (S.FAILED_ATTEMPT, 2)
    assert state.reason == R.RECIPIENT_UNAVAILABLE


def test_parcel_from_china_held_at_customs_then_delivered() -> None:
    # PostNL reports only its own leg of a parcel a Chinese carrier handed over: border,
    # customs hold, clearance, delivery.
    events = parse(
        complete(
            event("X01", "09-11-2026 06:10:00", "Goed nieuws! Je zending is de grens over"),
            event("X02", "09-11-2026 11:40:00", "Aangekomen in het land van bestemming"),
            event("X30", "10-11-2026 09:00:00", "Vertraagd door aanvullend onderzoek"),
            event("X04", "12-11-2026 16:20:00", "De douane heeft je zending goedgekeurd"),
            event("J05", "13-11-2026 08:05:00"),
            event("I01", "13-11-2026 12:45:00"),
        )
    )
    held = events[2]
    assert (held.status, held.reason, held.occurred_at) == (
        S.EXCEPTION,
        R.CUSTOMS_HOLD,
        utc("2026-11-10T08:00:00"),
    )
    assert derive_state(events).status == S.DELIVERED


def test_summer_time_is_utc_plus_two() -> None:
    [only] = parse(complete(event("J01", "15-07-2026 10:00:00")))
    assert only.occurred_at == utc("2026-07-15T08:00:00")


def test_a_time_in_the_spring_gap_is_read_with_the_winter_offset() -> None:
    # 29-03-2026 02:30 does not exist in Amsterdam (02:00 jumps to 03:00). With fold=0 the
    # offset before the change applies: 02:30+01:00, the same instant as 03:30 CEST.
    [gap] = parse(complete(event("J01", "29-03-2026 02:30:00")))
    [after] = parse(complete(event("J01", "29-03-2026 03:30:00")))
    assert gap.occurred_at == after.occurred_at == utc("2026-03-29T01:30:00")


def test_an_ambiguous_autumn_time_is_read_as_the_first_one() -> None:
    # 25-10-2026 02:30 happens twice; fold=0 picks the first, still summer time (UTC+2).
    [only] = parse(complete(event("J01", "25-10-2026 02:30:00")))
    assert only.occurred_at == utc("2026-10-25T00:30:00")
    [later] = parse(complete(event("J01", "25-10-2026 03:30:00")))
    assert later.occurred_at == utc("2026-10-25T02:30:00")


def test_empty_fields_encoded_as_objects_become_empty_text() -> None:
    [only] = parse(complete(event("J01", "25-03-2021 09:30:58", location={}) | {"Description": {}}))
    assert (only.description, only.location) == ("", "")


def test_milliseconds_and_explicit_offsets_are_read() -> None:
    [ms] = parse(complete(event("J01", "07-03-2018 23:22:56.326")))
    assert ms.occurred_at == datetime(2018, 3, 7, 22, 22, 56, 326000, tzinfo=UTC)
    [iso] = parse(complete(event("J01", "2021-02-26T12:57:15+01:00")))
    assert iso.occurred_at == utc("2021-02-26T11:57:15")


def test_an_unknown_code_is_kept_without_status() -> None:
    [only] = parse(complete(event("Q99", "25-03-2021 09:30:58", "Nieuw soort melding")))
    assert (only.code, only.status, only.description) == ("Q99", None, "Nieuw soort melding")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("<html>502 Bad Gateway</html>", "not JSON"),
        ("42", "expected a JSON object or list"),
        ('{"Shipments": []}', "not a ShippingStatus answer"),
        ('{"Errors": [{"Description": "Invalid apikey"}]}', "error answer"),
        (complete(event("", "25-03-2021 09:30:58")), "has no Code"),
        (complete(event("J01", "31-02-2021 09:30:58")), "unreadable time"),
        (complete(event("J01", "yesterday")), "unreadable time"),
        (json.dumps({"CompleteStatus": {"Shipment": {"Event": []}}}), "no Barcode"),
    ],
)
def test_malformed_payloads_raise_invalid_event(payload: str, message: str) -> None:
    with pytest.raises(InvalidEvent, match=message):
        parse(payload)
