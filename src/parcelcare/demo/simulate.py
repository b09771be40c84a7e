"""A deterministic demo shop: a month of orders and the raw carrier events of their parcels."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from parcelcare.integrations.carriers.registry import CARRIERS

from . import catalog, people
from .journey_tables import WEIGHTS
from .journeys import Context, Journey, Plan, plan, pool
from .lanes import (
    CHINA_LAST_MILE_HUBS,
    LANES,
    ORIGIN_STEPS,
    ROUTES,
    TIME_ZONES,
    Lane,
    Route,
    Step,
)

__all__ = ["DELIBERATELY_UNKNOWN", "DemoData", "Journey", "simulate"]

DELIBERATELY_UNKNOWN: frozenset[tuple[str, str]] = frozenset(
    (route.carrier, told[0]) for route in ROUTES.values() if (told := route.told(Step.UNKNOWN))
)
"""(carrier, code) pairs the demo sends on purpose although no code table knows them."""

# Oldest label, in business days before today, that keeps every order within 30 days of `now`
# (dropshipped orders are placed up to three days before their label).
MAX_FULL_DAYS = {False: 18, True: 16}
AT_ORIGIN_FROM_CHINA = ORIGIN_STEPS | {Step.HUB}
# Kind weights per lane and carrier, limited to what that carrier's codes can tell.
POOLS: dict[tuple[str, str], dict[Journey, int]] = {
    (lane.key, carrier): pool(
        ROUTES[carrier], WEIGHTS | {Journey(k): w for k, w in lane.extra_weights.items()}
    )
    for lane in LANES
    for carrier in lane.routes
}
CUSTOMER_CITY_STEPS = frozenset(
    {
        Step.OUT_FOR_DELIVERY,
        Step.DELIVERED,
        Step.NEIGHBOUR,
        Step.MAILBOX,
        Step.NOT_HOME,
        Step.NOT_HOME_TO_POINT,
        Step.PICKUP_READY,
        Step.ADDRESS,
        Step.REFUSED,
        Step.DEST_HUB,
        Step.DELAY,
        Step.UNKNOWN,
    }
)


@dataclass(frozen=True)
class DemoData:
    """Orders (bodies for POST /api/v1/orders) and events (items for tracking-events)."""

    orders: list[dict[str, Any]]
    events: list[dict[str, Any]]
    journeys: dict[str, Journey]
    """What each tracking number was made to go through, for tests and the demo's legend."""


@dataclass(frozen=True)
class _Places:
    origin: str
    hub: str
    transit: str
    gateway: str
    last_mile: str
    customer: str
    country: str


@dataclass(frozen=True)
class _Draft:
    placed_at: datetime
    order: dict[str, Any]
    events: list[dict[str, Any]]
    tracking_number: str
    kind: Journey


def _next_working_day(day: date, step: int) -> date:
    day += timedelta(days=step)
    while day.weekday() >= 5:
        day += timedelta(days=step)
    return day


@cache
def _add_business_days(day: date, count: int) -> date:
    """`count` working days (Monday to Friday) after `day`, or before it when negative."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    if remaining and day.weekday() >= 5:
        day, remaining = _next_working_day(day, step), remaining - 1
    # From a working day, five working days are always one calendar week.
    weeks, rest = divmod(remaining, 5)
    day += timedelta(days=7 * weeks * step)
    for _ in range(rest):
        day = _next_working_day(day, step)
    return day


def _at(rng: Random, day: date, hours: tuple[int, int], zone: ZoneInfo) -> datetime:
    """A moment within local `hours` of `day`, in the carrier's local time zone."""
    second = rng.randrange(hours[0] * 3600, hours[1] * 3600)
    clock = time(second // 3600, second // 60 % 60, second % 60)
    return datetime.combine(day, clock, tzinfo=zone)


def _digits(rng: Random, count: int) -> str:
    return f"{rng.randrange(10**count):0{count}d}"


def _tracking_number(rng: Random, carrier: str) -> str:
    """A number in the carrier's real format (PostNL 3S codes, bpost 32..., and so on)."""
    if carrier == "postnl":
        return "3STGWW" + _digits(rng, 9)
    if carrier == "dhl":
        return (
            "JJD00" + _digits(rng, 16)
            if rng.random() < 0.3
            else str(rng.randint(1, 9)) + _digits(rng, 11)
        )
    if carrier == "bpost":
        return "3232" + _digits(rng, 20)
    if carrier == "colissimo":
        return rng.choice(("6A", "8R")) + _digits(rng, 11)
    if carrier == "yunexpress":
        return "YT" + _digits(rng, 16)
    return "LP00" + _digits(rng, 12) if rng.random() < 0.85 else "CN" + _digits(rng, 16)


def _places(rng: Random, route: Route, country: str, city: str) -> _Places:
    return _Places(
        origin=rng.choice(route.origin_city),
        hub=rng.choice(route.hubs),
        transit=rng.choice(route.transit_hubs or route.hubs),
        gateway=rng.choice(route.gateway) if route.gateway else "",
        last_mile=rng.choice(CHINA_LAST_MILE_HUBS[country]),
        customer=city,
        country=country,
    )


def _where(route: Route, step: Step, places: _Places) -> str:
    """The city a carrier names for a step."""
    if step in (Step.INFO, Step.ACCEPTED, Step.RETURNED):
        return places.origin
    if step in (Step.HUB, Step.EXPORT, Step.DEPART):
        return places.hub
    if route.from_china:
        if step in (Step.ARRIVE, Step.IMPORT_DONE, Step.CUSTOMS_HOLD):
            return places.gateway
        if step in (Step.OUT_FOR_DELIVERY, Step.DELIVERED, Step.NOT_HOME, Step.PICKUP_READY):
            return places.customer
        return places.last_mile
    if step in CUSTOMER_CITY_STEPS:
        return places.customer
    return places.transit


def _label_today(rng: Random, now: datetime, zone: ZoneInfo) -> datetime:
    """A label made earlier today, in office hours when the day has had them."""
    local = now.astimezone(zone)
    opens = local.replace(hour=7, minute=0, second=0, microsecond=0)
    # Labels are made before the afternoon pickup, so later scans of the day stay in order.
    closes = min(local, local.replace(hour=15, minute=30, second=0, microsecond=0))
    if closes <= opens:
        since_midnight = local.hour * 60 + local.minute
        return local - timedelta(minutes=rng.randint(0, since_midnight))
    return opens + (closes - opens) * rng.random()


def _label_at(rng: Random, plan_: Plan, route: Route, today: date, now: datetime) -> datetime:
    """When the shop created the label: `last_full_day + 1` business days before today."""
    if plan_.last_full_day < 0:
        return _label_today(rng, now, ZoneInfo(route.origin_tz))
    # At a weekend Friday is already past, so one more working day back keeps every journey's
    # quiet and late days the same as on a weekday.
    back = plan_.last_full_day + 1 + (today.weekday() >= 5)
    return _at(rng, _add_business_days(today, -back), (9, 16), ZoneInfo(route.origin_tz))


def _placed_at(rng: Random, label: datetime, route: Route, zone: ZoneInfo) -> datetime:
    """When the customer ordered, in their own time zone, before the label."""
    local = label.astimezone(zone)
    if route.from_china:
        # The supplier needs one to three days before it hands the parcel over.
        return _at(rng, local.date() - timedelta(days=rng.randint(1, 3)), (8, 23), zone)
    # Orders after the previous working day's 14:00 cut-off ship with this label, so a
    # Monday label also carries the weekend's orders.
    since = _add_business_days(local.date(), -1)
    days = [since + timedelta(days=n) for n in range((local.date() - since).days + 1)]
    day = rng.choice(days)
    if day == local.date():
        earliest = local.replace(hour=7, minute=0, second=0, microsecond=0)
        latest = local - timedelta(minutes=30)
        if latest > earliest:
            return earliest + (latest - earliest) * rng.random()
        day = since
    return _at(rng, day, (14, 24) if day == since else (8, 24), zone)


def _events(
    rng: Random, route: Route, plan_: Plan, label: datetime, number: str, places: _Places
) -> list[tuple[datetime, dict[str, Any]]]:
    """The raw events of one parcel, each in the local time of where it happens."""
    zone = ZoneInfo(TIME_ZONES[places.country])
    ship_day = label.astimezone(zone).date()
    origin = ZoneInfo(route.origin_tz)
    at_origin = AT_ORIGIN_FROM_CHINA if route.from_china else ORIGIN_STEPS
    descriptions = CARRIERS[route.carrier].descriptions
    out = []
    for step, day, hours in plan_.steps:
        told = route.told(step)
        if told is None:
            continue  # this carrier does not report the step at all
        code, wording = told
        local = origin if step in at_origin else zone
        if hours is None:
            moment = label.astimezone(local)
        else:
            moment = _at(rng, _add_business_days(ship_day, day), hours, local)
        event = {
            "carrier": route.carrier,
            "tracking_number": number,
            "occurred_at": moment.isoformat(timespec="seconds"),
            "code": code,
            "description": wording or descriptions.get(code, ""),
            "location": _where(route, step, places),
        }
        out.append((moment, event))
    return out


def _unique_number(rng: Random, carrier: str, used: set[str]) -> str:
    number = _tracking_number(rng, carrier)
    while number in used:
        number = _tracking_number(rng, carrier)
    used.add(number)
    return number


def _draft(rng: Random, now: datetime, used: set[str]) -> _Draft:
    """One order with its parcel and that parcel's events, numbered later by placing time."""
    lane: Lane = rng.choices(LANES, weights=[lane.share for lane in LANES])[0]
    route = ROUTES[rng.choice(lane.routes)]
    countries = [c for c, _ in lane.countries]
    country = rng.choices(countries, weights=[w for _, w in lane.countries])[0]
    transit = rng.randint(*lane.transit_days)
    plan_ = plan(
        Context(rng, route, transit, MAX_FULL_DAYS[route.from_china]),
        POOLS[lane.key, route.carrier],
    )
    zone = ZoneInfo(TIME_ZONES[country])
    label = _label_at(rng, plan_, route, now.astimezone(zone).date(), now)
    oldest = now - timedelta(days=30) + timedelta(hours=1)
    placed = max(_placed_at(rng, label, route, zone), oldest)
    promised = _add_business_days(label.astimezone(zone).date(), transit)
    customer, address = people.person(rng, country)
    number = _unique_number(rng, route.carrier, used)
    places = _places(rng, route, country, address["city"])
    timed = sorted(
        (pair for pair in _events(rng, route, plan_, label, number, places) if pair[0] <= now),
        key=lambda pair: pair[0],
    )
    shipment = {
        "carrier": route.carrier,
        "tracking_number": number,
        "shipped_at": label.isoformat(timespec="seconds"),
        "promised_delivery_date": promised.isoformat(),
    }
    order = {
        "order_number": "",
        "placed_at": placed.astimezone(zone).isoformat(timespec="seconds"),
        "currency": "EUR",
        "customer": customer,
        "shipping_address": address,
        "lines": catalog.lines(rng, dropship=route.from_china),
        "shipments": [shipment],
    }
    return _Draft(placed, order, [event for _, event in timed], number, plan_.kind)


def simulate(*, orders: int, seed: int, now: datetime) -> DemoData:
    """A month of a Dutch home-and-garden shop's orders and parcel events up to `now`."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    if orders < 0:
        raise ValueError("orders must not be negative")
    now = now.astimezone(UTC)
    rng = Random(seed)
    used: set[str] = set()
    drafts = sorted((_draft(rng, now, used) for _ in range(orders)), key=lambda d: d.placed_at)
    for number, draft in enumerate(drafts, start=10001):
        draft.order["order_number"] = f"NL-{number}"
    return DemoData(
        orders=[d.order for d in drafts],
        events=[e for d in drafts for e in d.events],
        journeys={d.tracking_number: d.kind for d in drafts},
    )
