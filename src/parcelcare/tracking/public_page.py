"""The customer's tracking page for one shipment: its facts read once, the wording of
`page_wording`, the carrier's timeline and the parcels, assembled for the template.

Only what the customer needs is shown: status, estimate, what to do, the carrier's timeline and
tracking numbers. Names, streets, e-mail addresses and phone numbers never reach the page.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from parcelcare.domain.vocabulary import FindingKind, ShipmentStatus
from parcelcare.integrations.carriers import names

from . import labels
from .calendars import business_calendar
from .carrier_texts import event_text
from .models import Shipment, TrackingEvent
from .page_wording import (
    MOVING,
    Estimate,
    Facts,
    Step,
    actions,
    details,
    estimate,
    headline,
    steps,
    tone,
)
from .pickup_points import pickup_point_of
from .privacy import private_values, public_text
from .public_format import shop_zone
from .public_words import TIMELINE_LABELS
from .zone_words import zone_label

S = ShipmentStatus

MAX_EVENTS = 100

AGGREGATORS = frozenset({"aftership", "17track", "sendcloud", "shopify"})
"""Sources that relay another carrier's events: their name means nothing to a customer."""

# --- the page's parts --------------------------------------------------------------------------


@dataclass(frozen=True)
class Parcel:
    """A carrier and tracking number the customer can quote; the carrier may be unknown."""

    carrier: str
    tracking_number: str


@dataclass(frozen=True)
class TimelineEntry:
    """One carrier event in the customer's words, with the carrier's own text beside it."""

    at: str
    when: str
    label: str
    text: str
    place: str
    original: str = ""


@dataclass(frozen=True)
class PickupView:
    """The pickup point as the carrier named it; `place` is the last scan's town otherwise."""

    name: str = ""
    address: str = ""
    hours: str = ""
    place: str = ""

    @property
    def named(self) -> bool:
        """Whether the carrier said which point it is."""
        return bool(self.name or self.address)


@dataclass(frozen=True)
class CaseLink:
    """The customer's open case about this parcel: its page, and whether it waits on them."""

    token: str
    reference: str
    asks: bool
    choice: bool
    """The case asks the customer to choose a new parcel or a refund."""


@dataclass(frozen=True)
class TrackingPage:
    """Everything the customer's page shows, already in the customer's language."""

    shop_name: str
    order_number: str
    headline: str
    tone: str
    details: list[str]
    estimate: Estimate | None
    actions: list[str]
    steps: list[Step]
    parcels: list[Parcel]
    timeline: list[TimelineEntry]
    zone: str
    token: str = ""
    missing_ok: bool = False
    """Whether "I did not receive it" can be reported: delivered, or later than promised."""
    arrived: bool = False
    """Whether "damaged" or "wrong item" can be reported: only a delivered parcel."""
    contact_email: str = ""
    case: CaseLink | None = None
    pickup: PickupView | None = None
    """Shown while the parcel waits at a pickup point."""


# --- reading the shipment ----------------------------------------------------------------------


def carrier_name(slug: str) -> str:
    """The carrier's display name; empty for aggregators, whose name would only confuse."""
    if slug in AGGREGATORS:
        return ""
    return names.carrier_name(slug)


def _iso_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def timeline(
    events: list[TrackingEvent], private: list[str], lang: str = "en", parcel_carrier: str = ""
) -> list[TimelineEntry]:
    """The carrier's events, newest first, in the shop's time zone and the customer's words."""
    entries = []
    for e in events:
        text, original = event_text(e.carrier, e.code, e.description, lang, parcel_carrier)
        entries.append(
            TimelineEntry(
                at=e.occurred_at.isoformat(),
                when=labels.when(e.occurred_at),
                label=str(TIMELINE_LABELS.get(e.status or "", _("Carrier update"))),
                text=public_text(text, private),
                place=public_text(e.location, private),
                original=public_text(original, private),
            )
        )
    return entries


def facts_of(shipment: Shipment, events: list[TrackingEvent], lang: str, now: datetime) -> Facts:
    """The facts of one shipment on the shop's calendar."""
    shop = shipment.shop
    zone = shop_zone(shop)
    today = now.astimezone(zone).date()
    calendar = business_calendar(str(zone), shop.country, today.year - 1, today.year + 1)
    open_findings = list(shipment.findings.filter(closed_at=None))
    kinds = {f.kind for f in open_findings}
    pickup = next((f for f in open_findings if f.kind == FindingKind.AWAITING_PICKUP), None)
    place = next(
        (e.location for e in events if e.status == S.AVAILABLE_FOR_PICKUP and e.location), ""
    )
    stalled = bool(kinds & {FindingKind.STALLED, FindingKind.LIKELY_LOST})
    return Facts(
        status=shipment.status,
        reason=shipment.reason,
        shop=shop.name,
        lang=lang,
        zone=zone,
        today=today,
        next_business_day=calendar.nth_business_day_after(today, 1),
        promised=shipment.promised_date,
        delivered_at=shipment.delivered_at or shipment.status_since,
        attempts=shipment.failed_attempts,
        stalled=stalled or shipment.status == S.EXPIRED,
        pickup_deadline=_iso_date(pickup.evidence.get("deadline")) if pickup else None,
        pickup_place=public_text(place, private_values(shipment.order)),
        lost=FindingKind.LIKELY_LOST in kinds and shipment.status in MOVING | {S.EXPIRED},
    )


def case_link(shipment: Shipment) -> CaseLink | None:
    """The newest open case on the parcel, with what it asks of the customer, if any."""
    case = shipment.cases.filter(is_open=True).order_by("-id").first()
    if case is None:
        return None
    asked = set(case.steps.filter(actor="customer", state="open").values_list("key", flat=True))
    return CaseLink(
        token=case.public_token,
        reference=case.reference,
        asks=bool(asked),
        choice="customer_choice" in asked,
    )


def pickup_view(shipment: Shipment, facts: Facts) -> PickupView | None:
    """What the page says about the pickup point while the parcel waits there."""
    if facts.status != S.AVAILABLE_FOR_PICKUP:
        return None
    point = pickup_point_of(shipment)
    if point is None:
        return PickupView(place=facts.pickup_place)
    private = private_values(shipment.order)
    return PickupView(
        name=public_text(point.name, private),
        address=public_text(point.address, private),
        hours=public_text(point.hours, private),
    )


def build_page(shipment: Shipment, *, lang: str, now: datetime) -> TrackingPage:
    """The customer's page for one shipment; call with `lang` and the shop's zone active."""
    events = list(shipment.events.order_by("-occurred_at", "-id")[:MAX_EVENTS])
    facts = facts_of(shipment, events, lang, now)
    box, notes = estimate(facts)
    parcels = [Parcel(carrier_name(shipment.carrier), shipment.tracking_number)]
    parcels += [
        Parcel(carrier_name(leg.carrier), leg.tracking_number)
        for leg in shipment.legs.order_by("id")
    ]
    return TrackingPage(
        shop_name=facts.shop,
        order_number=shipment.order.order_number,
        headline=headline(facts),
        tone=tone(facts),
        details=details(facts, notes),
        estimate=box,
        actions=actions(facts),
        steps=steps(facts),
        parcels=parcels,
        timeline=timeline(events, private_values(shipment.order), lang, shipment.carrier),
        zone=zone_label(str(facts.zone), now=now),
        token=shipment.public_token,
        missing_ok=facts.status == S.DELIVERED or facts.late,
        arrived=facts.status == S.DELIVERED,
        case=case_link(shipment),
        contact_email=shipment.shop.reply_to or shipment.shop.contact_email,
        pickup=pickup_view(shipment, facts),
    )
