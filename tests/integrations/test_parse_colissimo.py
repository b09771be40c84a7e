"""La Poste Suivi v2 (Colissimo) parser: recorded answers, offsets, returns, customs."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import derive_state
from parcelcare.domain.vocabulary import IncidentReason as R
from parcelcare.domain.vocabulary import ShipmentStatus as S
from parcelcare.integrations.carriers.colissimo.parse import parse

TRACKING = Path(__file__).resolve().parent.parent / "fixtures" / "tracking"
COLISSIMO = TRACKING / "karrio" / "colissimo_laposte_suivi_v2_EW112720413FR_delivered.json"
LAPOSTE = TRACKING / "karrio" / "laposte__TrackingResponse.json"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def answer(*events: tuple[str, str], number: str = "6A00000000001") -> str:
    items: list[dict[str, Any]] = [
        {"code": c, "label": f"text of {c}", "date": d} for d, c in events
    ]
    return json.dumps({"returnCode": 200, "shipment": {"idShip": number, "event": items}})


@pytest.mark.parametrize("sample", [COLISSIMO, LAPOSTE], ids=["colissimo", "laposte"])
def test_recorded_answer(sample: Path) -> None:
    events = parse(sample.read_bytes())
    assert len(events) == 9
    first, last = events[0], events[-1]
    assert (first.code, first.status, first.occurred_at) == (
        "DR1",
        S.INFO_RECEIVED,
        utc("2023-02-17T13:41:00"),
    )
    assert (last.code, last.status, last.occurred_at) == (
        "DI1",
        S.DELIVERED,
        utc("2023-03-09T08:38:00"),
    )
    assert {e.tracking_number for e in events} == {"EW112720413FR"}


def test_karrio_drops_the_french_offset() -> None:
    # karrio defect "time-zone offsets dropped": 09:38+01:00 is stored as 09:38 UTC. It also
    # files the transit scans ET1 as out for delivery.
    details = json.loads(
        (
            TRACKING
            / "karrio_parsed"
            / "colissimo_laposte_suivi_v2_EW112720413FR_delivered.karrio_parsed.json"
        ).read_text()
    )
    theirs = details["details"][0]["events"]
    assert theirs[0]["timestamp"] == "2023-03-09T09:38:00.000Z"
    assert {e["status"] for e in theirs if e["code"] == "ET1"} == {"out_for_delivery"}
    ours = parse(COLISSIMO.read_bytes())
    assert ours[-1].occurred_at == utc("2023-03-09T08:38:00")
    assert {e.status for e in ours if e.code == "ET1"} == {S.IN_TRANSIT}


def test_invalid_number_raises_and_unknown_number_is_empty() -> None:
    with pytest.raises(InvalidEvent, match="Suivi answered 400"):
        parse((TRACKING / "karrio" / "laposte__ErrorResponse.json").read_text())
    assert parse('{"returnCode": 404, "returnMessage": "Numéro inconnu"}') == []


def test_return_to_sender() -> None:
    events = parse(
        answer(
            ("2026-11-03T11:00:00+01:00", "ND1"),
            ("2026-11-04T09:00:00+01:00", "AG1"),
            ("2026-11-19T18:00:00+01:00", "RE1"),
            ("2026-11-22T10:00:00+01:00", "DI2"),
        )
    )
    assert [e.status for e in events[-2:]] == [S.RETURNING, S.RETURNED]
    assert derive_state(events).status == S.RETURNED


def test_two_failed_attempts() -> None:
    events = parse(
        answer(("2026-11-03T11:00:00+01:00", "ND1"), ("2026-11-04T11:40:00+01:00", "ND1"))
    )
    assert derive_state(events).failed_attempts == 2


def test_parcel_from_china_held_at_customs() -> None:
    events = parse(
        answer(
            ("2026-11-01T09:10:00+08:00", "PC2"),
            ("2026-11-02T22:00:00+08:00", "ET2"),
            ("2026-11-05T06:00:00+01:00", "ET3"),
            ("2026-11-05T08:00:00+01:00", "DO1"),
            ("2026-11-05T15:00:00+01:00", "DO3"),
            ("2026-11-07T10:00:00+01:00", "DO2"),
            ("2026-11-08T08:30:00+01:00", "MD2"),
            ("2026-11-08T12:00:00+01:00", "DI1"),
        )
    )
    assert events[0].occurred_at == utc("2026-11-01T01:10:00")
    held = next(e for e in events if e.code == "DO3")
    assert (held.status, held.reason) == (S.EXCEPTION, R.CUSTOMS_HOLD)
    assert derive_state(events).status == S.DELIVERED


def test_duplicates_and_order() -> None:
    a = ("2026-11-03T11:00:00+01:00", "ET1")
    b = ("2026-11-04T09:00:00+01:00", "MD2")
    assert parse(answer(b, a, b)) == parse(answer(a, b))


def test_time_without_offset_is_paris_wall_clock() -> None:
    [only] = parse(answer(("2026-07-03T11:00:00", "ET1")))
    assert only.occurred_at == utc("2026-07-03T09:00:00")


def test_unknown_code_is_kept_without_status() -> None:
    [only] = parse(answer(("2026-11-03T11:00:00+01:00", "XX9")))
    assert (only.code, only.status) == ("XX9", None)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("Service Unavailable", "not JSON"),
        ('{"shipment": {}}', "no returnCode"),
        ('{"returnCode": 200}', "has no shipment"),
        ('{"returnCode": 500, "returnMessage": "Erreur"}', "answered 500: Erreur"),
        (answer(("2026-11-03T11:00:00+01:00", "")), "has no code"),
        (answer(("03/11/2026", "ET1")), "unreadable date"),
        (answer(("2026-11-03T11:00:00+01:00", "ET1"), number=""), "no idShip"),
    ],
)
def test_malformed_payloads_raise_invalid_event(payload: str, message: str) -> None:
    with pytest.raises(InvalidEvent, match=message):
        parse(payload)
