"""bpost item tracking parser: recorded answer, status from the newest state, XML safety."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import derive_state
from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S
from parcelcare.integrations.carriers.bpost.parse import parse

TRACKING = Path(__file__).resolve().parent.parent / "fixtures" / "tracking"
SAMPLE = TRACKING / "karrio" / "bpost__TrackingResponse.xml"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def item(*states: tuple[str, str], code: str = "323299999999900000000001") -> str:
    body = "".join(
        f"<stateInfo><time>{time}</time><stateCode>{state}</stateCode>"
        f"<stateDescription>text of {state}</stateDescription></stateInfo>"
        for time, state in states
    )
    return (
        '<itemTracking xmlns="http://schema.post.be/tracking/v1/">'
        f"<itemCode>{code}</itemCode>{body}</itemTracking>"
    )


def test_recorded_answer() -> None:
    events = parse(SAMPLE.read_bytes())
    assert len(events) == 3
    first, last = events[0], events[-1]
    assert (first.code, first.status, first.occurred_at) == (
        "T00",
        S.IN_TRANSIT,
        utc("2012-11-22T22:19:29"),
    )
    assert (last.code, last.status, last.occurred_at) == (
        "U01",
        S.DELIVERED,
        datetime(2012, 11, 23, 8, 31, 7, 427000, tzinfo=UTC),
    )
    assert {e.tracking_number for e in events} == {"323212345659900040669030"}
    assert last.description == "DistributedNormally - regular"


def test_status_follows_the_newest_state_not_the_oldest() -> None:
    # karrio defect "bpost status taken from the oldest event": it reports in_transit for an
    # item whose newest state is U01 (delivered); it also drops the +01:00 offsets.
    details = json.loads(
        (
            TRACKING / "karrio_parsed" / "bpost__ParsedTrackingResponse.karrio_parsed.json"
        ).read_text()
    )
    theirs = details[0][0]
    assert theirs["status"] == "in_transit"
    assert theirs["events"][0]["timestamp"] == "2012-11-22T23:19:29.000Z"
    events = parse(SAMPLE.read_bytes())
    assert derive_state(events).status == S.DELIVERED
    assert events[0].occurred_at == utc("2012-11-22T22:19:29")


def test_error_answer_raises_with_bpost_message() -> None:
    with pytest.raises(InvalidEvent, match="systemException: An unexpected error occurred"):
        parse((TRACKING / "karrio" / "bpost__ErrorResponse.xml").read_text())


def test_states_out_of_order_and_twice() -> None:
    a = ("2026-11-02T10:00:00+01:00", "T00")
    b = ("2026-11-03T08:00:00+01:00", "L00")
    assert parse(item(b, a, b)) == parse(item(a, b))
    assert [e.code for e in parse(item(b, a))] == ["T00", "L00"]


def test_two_failed_attempts_then_pickup_point() -> None:
    events = parse(
        item(
            ("2026-11-03T11:00:00+01:00", "B04"),
            ("2026-11-04T11:30:00+01:00", "B04"),
            ("2026-11-04T16:00:00+01:00", "N74"),
        )
    )
    state = derive_state(events)
    assert (state.failed_attempts, state.status) == (2, S.AVAILABLE_FOR_PICKUP)


def test_customs_hold_and_refusal_are_exceptions_with_reasons() -> None:
    events = parse(item(("2026-11-03T11:00:00+01:00", "B01"), ("2026-11-06T11:00:00+01:00", "B03")))
    assert [(e.status, e.reason) for e in events] == [
        (S.EXCEPTION, R.CUSTOMS_HOLD),
        (S.EXCEPTION, R.REFUSED),
    ]


def test_time_without_offset_is_brussels_wall_clock() -> None:
    [only] = parse(item(("2026-07-03T11:00:00", "T00")))
    assert only.occurred_at == utc("2026-07-03T09:00:00")


def test_unknown_state_is_kept_without_status() -> None:
    [only] = parse(item(("2026-11-03T11:00:00+01:00", "Z99")))
    assert (only.code, only.status) == ("Z99", None)


def test_a_dtd_is_refused() -> None:
    payload = '<?xml version="1.0"?><!DOCTYPE itemTracking SYSTEM "http://evil.example/x.dtd"><itemTracking/>'
    with pytest.raises(InvalidEvent, match="DTD"):
        parse(payload)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{}", "not well-formed XML"),
        ("<orders/>", "not an itemTracking answer"),
        (item(("2026-11-03T11:00:00+01:00", "")), "has no stateCode"),
        (item(("03/11/2026 11:00", "T00")), "unreadable time"),
        (item(("2026-11-03T11:00:00+01:00", "T00"), code=""), "has no itemCode"),
    ],
)
def test_malformed_payloads_raise_invalid_event(payload: str, message: str) -> None:
    with pytest.raises(InvalidEvent, match=message):
        parse(payload)
