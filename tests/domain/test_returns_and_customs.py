"""A return stays a return through routine scans; a customs hold stalls but is never lost."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from parcelcare.domain.calendar import BusinessCalendar
from parcelcare.domain.detection import ShipmentFacts, Thresholds, review
from parcelcare.domain.timeline import TrackingEvent, derive_state
from parcelcare.domain.vocabulary import FindingKind, IncidentReason, ShipmentStatus

S = ShipmentStatus
CAL = BusinessCalendar.of(ZoneInfo("Europe/Amsterdam"))
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def ev(hours: int, code: str, status: S, reason: IncidentReason | None = None) -> TrackingEvent:
    return TrackingEvent("postnl", "3SRET", START + timedelta(hours=hours), code, status, reason)


def test_scans_on_the_way_back_keep_the_parcel_returning() -> None:
    state = derive_state(
        [
            ev(0, "A", S.IN_TRANSIT),
            ev(5, "R", S.RETURNING, IncidentReason.ADDRESS_ISSUE),
            ev(9, "B", S.IN_TRANSIT),
            ev(20, "C", S.OUT_FOR_DELIVERY),
        ]
    )
    assert state.status == S.RETURNING
    assert state.reason == IncidentReason.ADDRESS_ISSUE
    assert derive_state([ev(5, "R", S.RETURNING), ev(30, "D", S.RETURNED)]).status == S.RETURNED


def test_a_customs_hold_stalls_but_never_becomes_likely_lost() -> None:
    held = derive_state(
        [ev(0, "A", S.IN_TRANSIT), ev(2, "H", S.EXCEPTION, IncidentReason.CUSTOMS_HOLD)]
    )
    facts = ShipmentFacts(state=held, created_at=START, promised_date=date(2026, 11, 20))
    much_later = START + timedelta(days=30)
    result = review(facts, Thresholds(), CAL, much_later)
    kinds = {f.kind for f in result.findings}
    assert FindingKind.STALLED in kinds and FindingKind.LIKELY_LOST not in kinds
    lost = derive_state([ev(0, "A", S.IN_TRANSIT), ev(2, "X", S.EXCEPTION, IncidentReason.OTHER)])
    other = review(ShipmentFacts(state=lost, created_at=START), Thresholds(), CAL, much_later)
    assert FindingKind.LIKELY_LOST in {f.kind for f in other.findings}
