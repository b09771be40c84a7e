"""The demo shop simulator: deterministic, plausible, in the API's exact shapes."""

import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from parcelcare.demo.simulate import DELIBERATELY_UNKNOWN, DemoData, Journey, simulate
from parcelcare.domain.timeline import ShipmentState, TrackingEvent, derive_state
from parcelcare.domain.vocabulary import LANGUAGES, IncidentReason, ShipmentStatus
from parcelcare.integrations.carriers.registry import lookup

S = ShipmentStatus
NOW = datetime(2026, 3, 18, 14, 30, tzinfo=UTC)  # a Wednesday afternoon
SATURDAY = datetime(2026, 3, 21, 7, 45, tzinfo=UTC)

ORDER_KEYS = {
    "order_number", "placed_at", "currency", "customer", "shipping_address", "lines", "shipments",
}  # fmt: skip
CUSTOMER_KEYS = {"email", "name", "phone", "language"}
ADDRESS_KEYS = {"name", "line1", "line2", "postcode", "city", "country"}
LINE_KEYS = {"sku", "name", "quantity", "unit_price", "currency"}
SHIPMENT_KEYS = {"carrier", "tracking_number", "shipped_at", "promised_delivery_date"}
EVENT_KEYS = {"carrier", "tracking_number", "occurred_at", "code", "description", "location"}

NUMBER_FORMATS = {
    "postnl": r"3S[A-Z]{4}\d{9}",
    "dhl": r"\d{12}|JJD\d{18}",
    "bpost": r"32\d{22}",
    "colissimo": r"(6A|8R)\d{11}",
    "yunexpress": r"YT\d{16}",
    "cainiao": r"LP00\d{12}|CN\d{16}",
}
POSTCODES = {"NL": r"\d{4} [A-Z]{2}", "BE": r"\d{4}", "DE": r"\d{5}", "FR": r"\d{5}"}
PHONES = {"NL": r"\+316\d{8}", "BE": r"\+324\d{8}", "DE": r"\+4915\d{9}", "FR": r"\+33[67]\d{8}"}

# The state each journey must end in once its events go through the code tables.
FINAL: dict[Journey, set[ShipmentStatus]] = {
    Journey.ON_TIME: {S.DELIVERED},
    Journey.DELIVERED_LATE: {S.DELIVERED},
    Journey.FAILED_THEN_DELIVERED: {S.DELIVERED},
    Journey.UNKNOWN_CODE: {S.DELIVERED},
    Journey.LATE_IN_TRANSIT: {S.IN_TRANSIT},
    Journey.STALLED: {S.IN_TRANSIT},
    Journey.LOST: {S.IN_TRANSIT},
    Journey.TWO_FAILED_ATTEMPTS: {S.FAILED_ATTEMPT},
    Journey.AWAITING_PICKUP: {S.AVAILABLE_FOR_PICKUP},
    Journey.ADDRESS_RETURNING: {S.RETURNING},
    Journey.REFUSED_RETURNED: {S.RETURNED},
    Journey.NOT_SHIPPED: {S.PENDING, S.INFO_RECEIVED},
    Journey.LABEL_CREATED: {S.PENDING, S.INFO_RECEIVED},
    Journey.IN_TRANSIT: {S.PENDING, S.INFO_RECEIVED, S.IN_TRANSIT, S.OUT_FOR_DELIVERY},
    Journey.CUSTOMS_HOLD: {S.EXCEPTION},
    Journey.DAMAGED: {S.EXCEPTION},
}


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return simulate(orders=2000, seed=7, now=NOW)


def _instant(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    assert moment.utcoffset() is not None, f"{value} has no UTC offset"
    return moment


def _shipments(data: DemoData) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    return {s["tracking_number"]: (o, s) for o in data.orders for s in o["shipments"]}


def _timelines(data: DemoData) -> dict[str, list[dict[str, Any]]]:
    timelines: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in data.events:
        timelines[event["tracking_number"]].append(event)
    return timelines


def _state(events: list[dict[str, Any]]) -> ShipmentState:
    return derive_state(
        TrackingEvent(
            carrier=e["carrier"],
            tracking_number=e["tracking_number"],
            occurred_at=_instant(e["occurred_at"]).astimezone(UTC),
            code=e["code"],
            status=lookup(e["carrier"], e["code"])[0],
            reason=lookup(e["carrier"], e["code"])[1],
        )
        for e in events
    )


def _working_days_between(start: date, end: date) -> int:
    return sum((start + timedelta(days=n)).weekday() < 5 for n in range(1, (end - start).days + 1))


def test_same_seed_same_shop() -> None:
    first = simulate(orders=300, seed=42, now=NOW)
    again = simulate(orders=300, seed=42, now=NOW)
    assert first == again
    assert simulate(orders=300, seed=43, now=NOW).orders != first.orders


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError):
        simulate(orders=1, seed=1, now=datetime(2026, 3, 18, 12, 0))  # noqa: DTZ001


def test_zero_orders() -> None:
    assert simulate(orders=0, seed=1, now=NOW) == DemoData(orders=[], events=[], journeys={})


@pytest.mark.parametrize("now", [NOW, SATURDAY])
def test_nothing_happens_after_now(now: datetime) -> None:
    data = simulate(orders=1000, seed=3, now=now)
    for event in data.events:
        assert _instant(event["occurred_at"]) <= now
    for order in data.orders:
        placed = _instant(order["placed_at"])
        assert now - timedelta(days=30) <= placed <= now
        for shipment in order["shipments"]:
            assert placed <= _instant(shipment["shipped_at"]) <= now


def test_order_shapes(demo: DemoData) -> None:
    for order in demo.orders:
        assert set(order) == ORDER_KEYS
        assert order["currency"] == "EUR"
        assert set(order["customer"]) == CUSTOMER_KEYS
        assert set(order["shipping_address"]) == ADDRESS_KEYS
        assert order["lines"] and order["shipments"]
        for line in order["lines"]:
            assert set(line) == LINE_KEYS and line["currency"] == "EUR"
            assert type(line["quantity"]) is int and line["quantity"] >= 1
            assert type(line["unit_price"]) is int and line["unit_price"] > 0
        for shipment in order["shipments"]:
            assert set(shipment) == SHIPMENT_KEYS
            date.fromisoformat(shipment["promised_delivery_date"])
            _instant(shipment["shipped_at"])


def test_customers_look_right_for_their_country(demo: DemoData) -> None:
    for order in demo.orders:
        customer, address = order["customer"], order["shipping_address"]
        country = address["country"]
        assert re.fullmatch(POSTCODES[country], address["postcode"]), address
        assert re.fullmatch(PHONES[country], customer["phone"]), customer
        assert re.fullmatch(r"[a-z0-9.-]+@example\.(com|net|org)", customer["email"]), customer
        assert customer["language"] in LANGUAGES
        expected = {"NL": {"nl", "en"}, "BE": {"nl", "fr"}, "DE": {"de"}, "FR": {"fr"}}[country]
        assert customer["language"] in expected
        assert address["name"] == customer["name"] and address["line1"] and address["city"]


def test_event_shapes(demo: DemoData) -> None:
    shipments = _shipments(demo)
    for event in demo.events:
        assert set(event) == EVENT_KEYS
        assert "status" not in event
        assert event["description"] and event["location"]
        _, shipment = shipments[event["tracking_number"]]
        assert event["carrier"] == shipment["carrier"]


def test_order_numbers_follow_the_order_of_placing(demo: DemoData) -> None:
    numbers = [o["order_number"] for o in demo.orders]
    assert numbers == [f"NL-{n}" for n in range(10001, 10001 + len(numbers))]
    placed = [_instant(o["placed_at"]) for o in demo.orders]
    assert placed == sorted(placed)


def test_tracking_numbers_are_unique_and_well_formed(demo: DemoData) -> None:
    shipments = [s for o in demo.orders for s in o["shipments"]]
    numbers = [s["tracking_number"] for s in shipments]
    assert len(numbers) == len(set(numbers)) == len(demo.journeys)
    for shipment in shipments:
        pattern = NUMBER_FORMATS[shipment["carrier"]]
        assert re.fullmatch(pattern, shipment["tracking_number"]), shipment


def test_lanes_and_shares(demo: DemoData) -> None:
    carriers = Counter(s["carrier"] for o in demo.orders for s in o["shipments"])
    share = {c: n / len(demo.orders) for c, n in carriers.items()}
    assert 0.40 < share["postnl"] < 0.50
    assert 0.10 < share["bpost"] < 0.20
    assert 0.15 < share["dhl"] < 0.25
    assert 0.06 < share["colissimo"] < 0.14
    assert 0.06 < share["yunexpress"] + share["cainiao"] < 0.14
    kinds = Counter(demo.journeys.values())
    assert 0.45 < kinds[Journey.ON_TIME] / len(demo.orders) < 0.65


def test_every_journey_kind_appears(demo: DemoData) -> None:
    assert set(demo.journeys.values()) == set(Journey)


def test_codes_are_known_or_deliberately_unknown(demo: DemoData) -> None:
    unknown = set()
    for event in demo.events:
        key = (event["carrier"], event["code"])
        if lookup(*key) == (None, None):
            assert key in DELIBERATELY_UNKNOWN, key
            unknown.add(key)
    assert unknown, "the demo should show how unknown codes are kept"
    for carrier, code in DELIBERATELY_UNKNOWN:
        assert lookup(carrier, code) == (None, None)


def test_journeys_end_where_they_should(demo: DemoData) -> None:
    timelines = _timelines(demo)
    for number, kind in demo.journeys.items():
        state = _state(timelines[number])
        assert state.status in FINAL[kind], (kind, number, state)
        if kind == Journey.TWO_FAILED_ATTEMPTS:
            assert state.failed_attempts == 2
        if kind == Journey.FAILED_THEN_DELIVERED:
            assert state.failed_attempts == 1
        if kind == Journey.UNKNOWN_CODE:
            assert state.unknown_codes >= 1


def test_problem_reasons_come_through(demo: DemoData) -> None:
    timelines = _timelines(demo)
    reasons: dict[Journey, set[IncidentReason | None]] = defaultdict(set)
    for number, kind in demo.journeys.items():
        reasons[kind].add(_state(timelines[number]).reason)
    assert IncidentReason.CUSTOMS_HOLD in reasons[Journey.CUSTOMS_HOLD]
    assert reasons[Journey.DAMAGED] == {IncidentReason.DAMAGED}
    assert IncidentReason.ADDRESS_ISSUE in reasons[Journey.ADDRESS_RETURNING]


def test_quiet_and_late_parcels_are_quiet_and_late_enough(demo: DemoData) -> None:
    timelines, shipments = _timelines(demo), _shipments(demo)
    today = NOW.date()
    for number, kind in demo.journeys.items():
        last = (
            max(_instant(e["occurred_at"]) for e in timelines[number])
            if timelines[number]
            else None
        )
        _, shipment = shipments[number]
        if kind == Journey.STALLED:
            assert last and 4 <= _working_days_between(last.date(), today) <= 6
        if kind == Journey.LOST:
            assert last and (today - last.date()).days >= 10
        if kind == Journey.LATE_IN_TRANSIT:
            promised = date.fromisoformat(shipment["promised_delivery_date"])
            assert 1 <= _working_days_between(promised, today) <= 5


def test_recent_orders_are_mostly_just_starting(demo: DemoData) -> None:
    recent = [
        demo.journeys[o["shipments"][0]["tracking_number"]]
        for o in demo.orders
        if NOW - _instant(o["placed_at"]) < timedelta(days=2)
    ]
    starting = sum(k in (Journey.LABEL_CREATED, Journey.IN_TRANSIT) for k in recent)
    assert recent and starting / len(recent) > 0.8


def test_events_fall_in_working_hours(demo: DemoData) -> None:
    for event in demo.events:
        assert 5 <= _instant(event["occurred_at"]).hour <= 22, event
    for order in demo.orders:
        assert 7 <= _instant(order["placed_at"]).hour <= 23, order["placed_at"]
