"""UPS Track API parser: recorded answer, GMT fields, local zones, returns to shipper."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import derive_state
from parcelcare.domain.vocabulary import ShipmentStatus as S
from parcelcare.integrations.carriers.ups.parse import parse

TRACKING = Path(__file__).resolve().parent.parent / "fixtures" / "tracking"
SAMPLE = TRACKING / "karrio" / "ups__TrackingResponseJSON.json"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def answer(*activities: dict[str, Any], number: str = "1Z999AA10123456784") -> str:
    package = {"trackingNumber": number, "activity": list(activities)}
    return json.dumps(
        {"trackResponse": {"shipment": [{"inquiryNumber": number, "package": [package]}]}}
    )


def activity(
    code: str, date: str, time: str, kind: str = "I", country: str = "NL", **extra: Any
) -> dict:
    address = {"city": "Eindhoven", "countryCode": country} | extra.pop("address", {})
    status = {"type": kind, "code": code, "description": f"text of {code}"}
    return {"date": date, "time": time, "location": {"address": address}, "status": status} | extra


def test_recorded_openapi_example() -> None:
    [only] = parse(SAMPLE.read_bytes())
    # 07:13:56 on 10 Feb 2021 in Wayne, New Jersey (EST, UTC-5).
    assert (only.code, only.status, only.occurred_at) == (
        "SR",
        S.IN_TRANSIT,
        utc("2021-02-10T12:13:56"),
    )
    # The OpenAPI example's package number is the placeholder "string": the package's own
    # number wins over the inquiry number, placeholder or not.
    assert only.tracking_number == "STRING"
    assert only.location == "Wayne, NJ, US"


def test_karrio_drops_the_zone_and_calls_a_release_a_hold() -> None:
    # karrio defect "time-zone offsets dropped": 07:13 local is stored as 07:13 UTC; and the
    # customs *release* (type X, code SR) becomes "on_hold". parcelcare: 12:13:56 UTC, moving.
    details = json.loads(
        (TRACKING / "karrio_parsed" / "ups__ParsedTrackingResponse.karrio_parsed.json").read_text()
    )
    theirs = details[0][0]["events"][0]
    assert (theirs["timestamp"], theirs["status"]) == ("2021-02-10T07:13:00.000Z", "on_hold")
    ours = parse(SAMPLE.read_bytes())[0]
    assert (ours.occurred_at, ours.status) == (utc("2021-02-10T12:13:56"), S.IN_TRANSIT)


def test_not_found_is_empty_and_errors_raise() -> None:
    assert (
        parse((TRACKING / "karrio" / "ups__TrackingNumberNotFoundResponseJSON.json").read_text())
        == []
    )
    with pytest.raises(InvalidEvent, match="TV1002: Invalid inquiry number"):
        parse((TRACKING / "karrio" / "ups__InvalidTrackingNumberResponseJSON.json").read_text())
    with pytest.raises(InvalidEvent, match="250003"):
        parse((TRACKING / "karrio" / "ups__AuthError.json").read_text())


def test_gmt_fields_win_and_gmt_time_may_lose_its_leading_zero() -> None:
    [only] = parse(
        answer(activity("AR", "20261110", "084700", gmtDate="20261110", gmtTime="74700"))
    )
    assert only.occurred_at == utc("2026-11-10T07:47:00")


def test_gmt_offset_applies_to_the_local_time() -> None:
    [only] = parse(answer(activity("AR", "20261110", "084700", gmtOffset="-05:00")))
    assert only.occurred_at == utc("2026-11-10T13:47:00")


def test_without_offset_the_place_decides() -> None:
    [amsterdam] = parse(answer(activity("AR", "20260710", "120000")))
    [texas] = parse(
        answer(activity("AR", "20260710", "120000", country="US", address={"stateProvince": "TX"}))
    )
    [nowhere] = parse(answer(activity("AR", "20260710", "120000", country="")))
    assert amsterdam.occurred_at == utc("2026-07-10T10:00:00")
    assert texas.occurred_at == utc("2026-07-10T17:00:00")
    assert nowhere.occurred_at == utc("2026-07-10T12:00:00")


def test_return_to_shipper_is_marked_and_ends_returned() -> None:
    # karrio defect "UPS return flags lost": it files status type RS as a failed delivery.
    events = parse(
        answer(
            activity("OT", "20261103", "081500"),
            activity("48", "20261103", "143000", kind="X"),
            activity("AR", "20261106", "091000", kind="RS"),
            activity("FS", "20261109", "110000", kind="RS"),
        )
    )
    assert [(e.code, e.status) for e in events[-2:]] == [
        ("AR/return", S.RETURNING),
        ("FS/return", S.RETURNED),
    ]
    assert derive_state(events).status == S.RETURNED


def test_parcel_from_china_to_the_netherlands() -> None:
    events = parse(
        answer(
            activity("OR", "20261102", "180500", country="CN", gmtOffset="+08:00"),
            activity("DP", "20261103", "021000", country="CN", gmtOffset="+08:00"),
            activity("IP", "20261104", "063000", country="DE", gmtOffset="+01:00"),
            activity("SR", "20261104", "101500", kind="X", country="DE", gmtOffset="+01:00"),
            activity("OT", "20261105", "080000", gmtOffset="+01:00"),
            activity("FS", "20261105", "133000", kind="D", gmtOffset="+01:00"),
        )
    )
    assert events[0].occurred_at == utc("2026-11-02T10:05:00")
    assert [e.code for e in events] == ["OR", "DP", "IP", "SR", "OT", "FS"]
    assert derive_state(events).status == S.DELIVERED


def test_a_customs_hold_code_we_do_not_know_is_kept_with_its_text() -> None:
    # No UPS customs-hold activity code is documented well enough to map: its status type X
    # makes it an exception, and the raw code and its description travel with it.
    [only] = parse(answer(activity("ZZ", "20261104", "101500", kind="X")))
    assert (only.code, only.status, only.description) == ("ZZ", S.EXCEPTION, "text of ZZ")


def test_each_package_keeps_its_own_number() -> None:
    first = {
        "trackingNumber": "1ZPACKAGE0000001",
        "activity": [activity("AR", "20261110", "084700")],
    }
    second = {
        "trackingNumber": "1ZPACKAGE0000002",
        "activity": [activity("FS", "20261111", "084700", "D")],
    }
    payload = {
        "trackResponse": {"shipment": [{"inquiryNumber": "1ZLEAD", "package": [first, second]}]}
    }
    assert [e.tracking_number for e in parse(json.dumps(payload))] == [
        "1ZPACKAGE0000001",
        "1ZPACKAGE0000002",
    ]


def test_duplicates_and_order() -> None:
    a = activity("AR", "20261110", "084700")
    b = activity("OT", "20261111", "071500")
    assert parse(answer(b, a, a)) == parse(answer(a, b))


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("<Error/>", "not JSON"),
        ("[]", "not a JSON object"),
        ('{"something": 1}', "no trackResponse"),
        ('{"trackResponse": {"shipment": {}}}', "no `shipment` list"),
        (answer(activity("", "20261110", "084700")), "has no status code"),
        (answer(activity("AR", "2026111", "08h47")), "unreadable date"),
        (answer(activity("AR", "20261110", "084700", gmtOffset="EST")), "unreadable date"),
    ],
)
def test_malformed_payloads_raise_invalid_event(payload: str, message: str) -> None:
    with pytest.raises(InvalidEvent, match=message):
        parse(payload)


def test_unknown_activity_codes_fall_back_to_the_status_type() -> None:
    # A Track API v1 answer as UPS documents it: type D under code 9E, type X under 48, type P
    # under PU; none of those codes is in the table, and 9E used to leave the parcel pending.
    events = parse((TRACKING.parent / "ups" / "track_v1_delivered_type_d.json").read_bytes())
    by_code = {e.code: e for e in events}
    assert by_code["9E"].status == S.DELIVERED
    assert by_code["9E"].occurred_at == utc("2026-11-17T13:32:00")
    assert by_code["48"].status == S.EXCEPTION
    assert by_code["PU"].status == S.IN_TRANSIT
    assert (by_code["MP"].status, by_code["DP"].status) == (S.INFO_RECEIVED, S.IN_TRANSIT)
    state = derive_state(events)
    assert (state.status, state.unknown_codes) == (S.DELIVERED, 0)
    assert state.delivered_at == utc("2026-11-17T13:32:00")


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("M", S.INFO_RECEIVED),
        ("MV", S.CANCELLED),
        ("P", S.IN_TRANSIT),
        ("I", S.IN_TRANSIT),
        ("W", S.IN_TRANSIT),
        ("O", S.OUT_FOR_DELIVERY),
        ("D", S.DELIVERED),
        ("X", S.EXCEPTION),
        ("RS", S.RETURNING),
        ("NA", None),
        ("", None),
    ],
)
def test_status_type_fallback_for_an_unknown_code(kind: str, status: S | None) -> None:
    [only] = parse(answer(activity("Q7", "20261110", "084700", kind=kind)))
    assert only.status == status and only.code.startswith("Q7")


def test_a_known_code_wins_over_the_status_type() -> None:
    # The recorded example: customs release SR under type X is moving, not an exception.
    [only] = parse(answer(activity("SR", "20261110", "084700", kind="X")))
    assert only.status == S.IN_TRANSIT
