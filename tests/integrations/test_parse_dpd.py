"""DPD ParcelLifeCycle parser: recorded answer, 12-hour clock, unreached steps, XML safety."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import NOW, ApiShop, order_payload
from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import derive_state
from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S
from parcelcare.integrations.carriers.dpd.parse import parse

TRACKING = Path(__file__).resolve().parent.parent / "fixtures" / "tracking"
SAMPLE = TRACKING / "karrio" / "dpd__TrackingResponse.xml"
NUMBER = "05308801410058"
"""The parcel karrio asked for; the answer itself does not name it."""

ENVELOPE = (
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    '<getTrackingDataResponse xmlns="http://dpd.com/common/service/types/ParcelLifeCycleService/2.0">'
    "<trackingresult>{body}</trackingresult></getTrackingDataResponse></soap:Body></soap:Envelope>"
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def answer(*infos: str, extra: str = "") -> str:
    return ENVELOPE.format(body=extra + "".join(infos))


def info(status: str, date: str = "", reached: bool = True, place: str = "Mechelen (BE)") -> str:
    dated = f"<date><content>{date}</content></date>" if date else ""
    return (
        f"<statusInfo><status>{status}</status>"
        f"<description><content><content>text of {status}</content></content></description>"
        f"<statusHasBeenReached>{str(reached).lower()}</statusHasBeenReached>"
        f"<location><content>{place}</content></location>{dated}</statusInfo>"
    )


# --- recorded answer --------------------------------------------------------------------------


def test_recorded_answer_with_failed_attempts_and_parcelshop() -> None:
    events = parse(SAMPLE.read_bytes(), tracking_number=NUMBER)
    # 15 reached steps, the two DeliveryFailure scans of the same second (one per depot) included.
    assert len(events) == 15
    first, last = events[0], events[-1]
    # "8/17/2021 7:11:26 PM" is 19:11:26 CEST, 17:11:26 UTC.
    assert (first.code, first.status, first.occurred_at) == (
        "BetweenDepots",
        S.IN_TRANSIT,
        utc("2021-08-17T17:11:26"),
    )
    assert (last.code, last.status, last.reason, last.occurred_at) == (
        "ReturningFromDelivery",
        S.IN_TRANSIT,
        R.HELD_AT_DEPOT,
        utc("2021-08-19T15:11:26"),
    )
    assert {e.tracking_number for e in events} == {NUMBER}
    assert first.location == "Puurs (BE)"
    assert first.description == "The parcel is at the parcel dispatch centre."
    # The shipmentInfo step (SHIPMENT) is not reached and has no date: it is no event.
    assert "SHIPMENT" not in {e.code for e in events}


def test_karrio_shifts_afternoon_times_by_twelve_hours() -> None:
    # karrio defect "DPD afternoon times shifted 12 h" (and the offset dropped): it reads
    # "8/17/2021 7:11:26 PM" as 07:11:26 UTC. parcelcare reads 19:11:26 CEST = 17:11:26 UTC.
    details = json.loads(
        (TRACKING / "karrio_parsed" / "dpd__ParsedTrackingResponse.karrio_parsed.json").read_text()
    )
    theirs = details[0][0]["events"][-1]
    assert (theirs["code"], theirs["timestamp"]) == ("BetweenDepots", "2021-08-17T07:11:26.000Z")
    ours = parse(SAMPLE.read_bytes(), tracking_number=NUMBER)[0]
    assert ours.occurred_at == utc("2021-08-17T17:11:26")


def test_the_parcel_number_must_come_from_somewhere() -> None:
    with pytest.raises(InvalidEvent, match="pass tracking_number"):
        parse(SAMPLE.read_bytes())
    labelled = answer(
        info("Delivered", "11/20/2026 9:15:00 AM"),
        extra="<parcelLabelNumber>01234567890123</parcelLabelNumber>",
    )
    [only] = parse(labelled)
    assert only.tracking_number == "01234567890123"


def test_soap_fault_names_dpd_error() -> None:
    with pytest.raises(InvalidEvent, match="DELICOM_ERR_AUTHENTICATION"):
        parse((TRACKING / "karrio" / "dpd__ErrorResponse.xml").read_text(), tracking_number=NUMBER)


# --- edge cases -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11/20/2026 12:05:00 AM", "2026-11-19T23:05:00"),
        ("11/20/2026 12:05:00 PM", "2026-11-20T11:05:00"),
        ("11/20/2026 1:05:00 PM", "2026-11-20T12:05:00"),
        ("20.11.2026 13:05", "2026-11-20T12:05:00"),
        ("20.11.2026 13:05:09", "2026-11-20T12:05:09"),
    ],
)
def test_both_locale_date_forms(text: str, expected: str) -> None:
    [only] = parse(answer(info("Depot", text)), tracking_number=NUMBER)
    assert only.occurred_at == utc(expected)


def test_a_time_in_the_spring_gap_uses_fold_zero() -> None:
    [only] = parse(answer(info("Depot", "3/29/2026 2:30:00 AM")), tracking_number=NUMBER)
    assert only.occurred_at == utc("2026-03-29T01:30:00")


def test_steps_not_reached_are_skipped() -> None:
    events = parse(
        answer(info("Depot", "11/20/2026 4:00:00 AM"), info("Delivered", reached=False)),
        tracking_number=NUMBER,
    )
    assert [e.code for e in events] == ["Depot"]


def test_two_failed_attempts_on_two_days() -> None:
    events = parse(
        answer(
            info("Courier", "11/20/2026 8:00:00 AM"),
            info("DeliveryFailure", "11/20/2026 2:43:31 PM"),
            info("ReturningFromDelivery", "11/20/2026 6:00:00 PM"),
            info("Courier", "11/21/2026 8:00:00 AM"),
            info("DeliveryFailure", "11/21/2026 1:10:00 PM"),
        ),
        tracking_number=NUMBER,
    )
    state = derive_state(events)
    assert (state.status, state.failed_attempts) == (S.FAILED_ATTEMPT, 2)


def test_back_at_the_depot_is_not_a_return_to_sender() -> None:
    # DPD's documented status names have no return-to-sender step; ReturningFromDelivery means
    # the parcel came back to the recipient's depot after a failed attempt.
    [only] = parse(
        answer(info("ReturningFromDelivery", "11/20/2026 6:00:00 PM")), tracking_number=NUMBER
    )
    assert only.status == S.IN_TRANSIT and only.status != S.RETURNING


def test_duplicates_and_order() -> None:
    a = info("Depot", "11/20/2026 4:00:00 AM")
    b = info("Courier", "11/20/2026 8:00:00 AM")
    assert parse(answer(b, a, b), tracking_number=NUMBER) == parse(
        answer(a, b), tracking_number=NUMBER
    )


def test_unknown_status_name_is_kept_without_status() -> None:
    [only] = parse(answer(info("SomethingNew", "11/20/2026 4:00:00 AM")), tracking_number=NUMBER)
    assert (only.code, only.status) == ("SomethingNew", None)


def test_german_status_names_are_known() -> None:
    [only] = parse(answer(info("AT_DELIVERY_DEPOT", "20.11.2026 05:00")), tracking_number=NUMBER)
    assert only.status == S.IN_TRANSIT


# --- refusals ---------------------------------------------------------------------------------


def test_entities_are_refused() -> None:
    payload = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(InvalidEvent, match="DTD or entity"):
        parse(payload, tracking_number=NUMBER)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("not xml at all", "not well-formed XML"),
        ("<a></a>", "no trackingresult"),
        (answer(info("", "11/20/2026 4:00:00 AM")), "has no status"),
        (answer(info("Depot", "2026-11-20 04:00")), "unreadable date"),
        (answer(info("Depot", "13/40/2026 4:00:00 AM")), "unreadable date"),
    ],
)
def test_malformed_payloads_raise_invalid_event(payload: str, message: str) -> None:
    with pytest.raises(InvalidEvent, match=message):
        parse(payload, tracking_number=NUMBER)


def test_two_scans_in_one_second_at_two_places_are_both_kept() -> None:
    # The recorded answer has DeliveryFailure at 2:43:31 PM twice: Mechelen and another depot.
    events = parse(SAMPLE.read_bytes(), tracking_number=NUMBER)
    failures = [e for e in events if e.code == "DeliveryFailure"]
    assert len(events) == 15 and len({e.key for e in events}) == 15
    assert len({e.location for e in failures}) == len(failures) >= 2
    assert derive_state(events).failed_attempts == len({e.occurred_at.date() for e in failures})


def test_same_second_scans_keep_their_keys_across_polls_and_exact_repeats_stay_one() -> None:
    at = "11/18/2026 2:43:31 PM"
    two = answer(
        info("DeliveryFailure", at, place="Mechelen (BE)"),
        info("DeliveryFailure", at, place="Gent (BE)"),
    )
    first, second = parse(two, tracking_number=NUMBER)
    assert {first.location, second.location} == {"Mechelen (BE)", "Gent (BE)"}
    assert second.occurred_at - first.occurred_at == timedelta(microseconds=1)
    assert first.occurred_at == utc("2026-11-18T13:43:31")
    later = answer(
        info("DeliveryFailure", at, place="Mechelen (BE)"),
        info("DeliveryFailure", at, place="Gent (BE)"),
        info("DeliveryFailure", at, place="Mechelen (BE)"),
        info("Delivered", "11/19/2026 9:15:00 AM"),
    )
    again = parse(later, tracking_number=NUMBER)
    assert [e.key for e in again[:2]] == [first.key, second.key] and len(again) == 3
    assert derive_state([first, second]).failed_attempts == 1


@pytest.mark.django_db
def test_both_same_second_scans_are_stored_and_a_second_poll_adds_nothing(
    api_shop: ApiShop,
) -> None:
    from parcelcare.tracking.ingest import ingest_parsed
    from parcelcare.tracking.models import TrackingEvent as StoredEvent

    api_shop.post("orders", order_payload(number="77", tracking=NUMBER, carrier="dpd"))
    events = parse(SAMPLE.read_bytes(), tracking_number=NUMBER)
    first = ingest_parsed(shop_id=api_shop.shop.id, events=events, now=NOW)
    again = ingest_parsed(shop_id=api_shop.shop.id, events=events, now=NOW)
    assert (first.accepted, again.accepted, again.duplicates) == (15, 0, 15)
    stored = StoredEvent.objects.filter(code="DeliveryFailure", occurred_at__date="2021-08-18")
    assert sorted(stored.values_list("location", flat=True)) == sorted(
        e.location for e in events if e.code == "DeliveryFailure" and e.occurred_at.day == 18
    )
