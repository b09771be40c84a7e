"""The demo's events arrive through the carriers' own formats, parsers and the webhook inbox."""

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from parcelcare.demo.feeds import (
    DHL_UNIFIED_CODES,
    SUBTAGS,
    UNKNOWN_SUBTAG,
    VIA_AFTERSHIP,
    Scan,
    aftership_push,
)
from parcelcare.demo.seed import seed_demo
from parcelcare.demo.simulate import DELIBERATELY_UNKNOWN, simulate
from parcelcare.domain.vocabulary import FindingKind
from parcelcare.integrations.carriers.aftership.codes import CODES as AFTERSHIP_CODES
from parcelcare.integrations.carriers.registry import lookup
from parcelcare.tracking.models import Finding, InboxItem, Shipment, TrackingEvent

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
ORDERS, SEED = 300, 3

Row = tuple[str, datetime, str, str | None, str | None]


def _expected(event: dict[str, Any]) -> Row:
    """What the stored event must be: the carrier's code, or AfterShip's subtag for it."""
    carrier, code = event["carrier"], event["code"]
    at = datetime.fromisoformat(event["occurred_at"]).astimezone(UTC)
    status, reason = lookup(carrier, code)
    if carrier in VIA_AFTERSHIP:
        carrier, code = "aftership", SUBTAGS.get((status, reason), UNKNOWN_SUBTAG)
    elif carrier == "dhl" and code not in DHL_UNIFIED_CODES:
        at = at.replace(second=0)  # Parcel DE times are to the minute
    return carrier, at, code, status, reason


def test_demo_events_arrive_through_the_carriers_adapters(db: None) -> None:
    # One seeding serves every check: seeding is the slow part.
    summary = seed_demo(orders=ORDERS, seed=SEED, now=NOW)
    events = simulate(orders=ORDERS, seed=SEED, now=NOW).events
    _every_adapter_is_used(summary["feeds"], events)
    _every_event_is_stored_as_its_carrier_told_it(events)
    _china_lane_pushes_are_processed(events)
    _unknown_codes_survive(events)
    kinds = set(Finding.objects.filter(closed_at=None).values_list("kind", flat=True))
    assert kinds == {k.value for k in FindingKind}


def _every_adapter_is_used(feeds: dict[str, int], events: list[dict[str, Any]]) -> None:
    for adapter in ("postnl", "dhl_parcel_de", "dhl_unified", "colissimo", "bpost", "aftership"):
        assert feeds.get(adapter, 0) > 0, adapter
    assert sum(feeds.values()) == len(events)


def _every_event_is_stored_as_its_carrier_told_it(events: list[dict[str, Any]]) -> None:
    expected: dict[str, list[Row]] = defaultdict(list)
    for event in events:
        expected[event["tracking_number"]].append(_expected(event))
    stored: dict[str, list[Row]] = defaultdict(list)
    rows = TrackingEvent.objects.values_list(
        "tracking_number", "carrier", "occurred_at", "code", "status", "reason"
    )
    for number, carrier, at, code, status, reason in rows:
        stored[number].append((carrier, at, code, status, reason))
    assert set(stored) == set(expected)
    for number, told in expected.items():
        assert sorted(stored[number]) == sorted(told), number
    assert not TrackingEvent.objects.filter(shipment__isnull=True).exists()


def _china_lane_pushes_are_processed(events: list[dict[str, Any]]) -> None:
    numbers = {e["tracking_number"] for e in events if e["carrier"] in VIA_AFTERSHIP}
    items = InboxItem.objects.filter(source="aftership")
    assert items.count() == len(numbers) > 0
    assert set(items.values_list("status", flat=True)) == {InboxItem.Status.DONE}


def _unknown_codes_survive(events: list[dict[str, Any]]) -> None:
    assert UNKNOWN_SUBTAG not in AFTERSHIP_CODES
    sent = {(e["carrier"], e["code"]) for e in events} & DELIBERATELY_UNKNOWN
    assert {carrier for carrier, _ in sent} >= {"postnl", "dhl"}
    for carrier, code in sent:
        if carrier in VIA_AFTERSHIP:
            carrier, code = "aftership", UNKNOWN_SUBTAG
        stored = TrackingEvent.objects.filter(carrier=carrier, code=code)
        assert stored.exists(), (carrier, code)
        assert not stored.filter(status__isnull=False).exists(), (carrier, code)
    assert Shipment.objects.filter(unknown_codes__gt=0).exists()


def test_aftership_push_carries_the_carrier_code_beside_the_subtag() -> None:
    at = datetime(2026, 11, 2, 9, 15, tzinfo=UTC)
    scans = [Scan(at, "CC_IM_FAILURE", "Import customs clearance failed", "Liège")]
    body = aftership_push("cainiao", "LP00123456789012", scans, NOW)
    assert b'"subtag":"Exception_004"' in body
    assert b'"raw_tag":"CC_IM_FAILURE"' in body
