"""The customer's tracking page: what to say about one shipment, in plain words.

Only what the customer needs is shown: status, estimate, what to do, the carrier's timeline and
tracking numbers. Names, streets, e-mail addresses and phone numbers never reach the page.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parcelcare.domain.vocabulary import FindingKind, IncidentReason, ShipmentStatus
from parcelcare.integrations.carriers import names

from . import labels
from .calendars import business_calendar
from .carrier_texts import event_text
from .models import Shipment, TrackingEvent
from .pickup_points import pickup_point_of
from .privacy import private_values, public_text
from .public_format import long_day, long_moment, shop_zone
from .public_words import HEADLINES, REASON_SENTENCES, STATUS_DETAILS, STEPS, TIMELINE_LABELS
from .zone_words import zone_label

S = ShipmentStatus
R = IncidentReason

MAX_EVENTS = 100

MOVING = frozenset({S.PENDING, S.INFO_RECEIVED, S.IN_TRANSIT, S.OUT_FOR_DELIVERY})
"""Statuses for which a delivery estimate makes sense."""
NOT_COLLECTED = frozenset({S.PENDING, S.INFO_RECEIVED})
ADDRESS_REASONS = frozenset({R.ADDRESS_ISSUE, R.ACCESS_PROBLEM})
AGGREGATORS = frozenset({"aftership", "17track", "sendcloud", "shopify"})
"""Sources that relay another carrier's events: their name means nothing to a customer."""
STEP_OF: dict[str, int] = {
    S.PENDING: 0,
    S.INFO_RECEIVED: 1,
    S.IN_TRANSIT: 2,
    S.OUT_FOR_DELIVERY: 2,
    S.FAILED_ATTEMPT: 2,
    S.AVAILABLE_FOR_PICKUP: 2,
    S.EXCEPTION: 2,
    S.EXPIRED: 2,
    S.DELIVERED: 3,
}
"""Where each status stands on the four-step progress bar; returns and cancellations have none."""

# --- the page's parts --------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """The delivery date box: a title ('Expected delivery') and its value ('Today')."""

    title: str
    value: str


@dataclass(frozen=True)
class Step:
    """One step of the progress bar: reached or not, and whether the parcel is there now."""

    label: str
    done: bool
    current: bool


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


@dataclass(frozen=True)
class Facts:
    """What the wording depends on, read once from the shipment, its findings and the calendar."""

    status: str
    reason: str
    shop: str
    lang: str
    zone: ZoneInfo
    today: date
    next_business_day: date
    promised: date | None = None
    delivered_at: datetime | None = None
    attempts: int = 0
    stalled: bool = False
    pickup_deadline: date | None = None
    pickup_place: str = ""
    lost: bool = False
    """Detection says the parcel is likely lost: the page says so, as the messages do."""

    @property
    def late(self) -> bool:
        """Past the promised date and not there yet: said honestly, whatever the carrier says."""
        return self.status in MOVING and self.promised is not None and self.today > self.promised


# --- language, time zone and dates -------------------------------------------------------------


def day_words(day: date, facts: Facts) -> str:
    """'Today' for today, else the long date."""
    return _("Today") if day == facts.today else long_day(day, facts.lang)


# --- what to say -------------------------------------------------------------------------------


def looking_into_it(facts: Facts) -> str:
    """The reassurance that the shop knows and is on it."""
    return _("%(shop)s is looking into it.") % {"shop": facts.shop}


def headline(facts: Facts) -> str:
    """The status in one plain sentence."""
    if facts.lost:
        return _("We are sorry: your parcel seems to be lost")
    text = HEADLINES.get(facts.status, HEADLINES[S.IN_TRANSIT])
    return str(text) % {"shop": facts.shop}


def _late_note(facts: Facts) -> list[str]:
    """The honest sentence for a parcel past its promised date; empty when it is not late."""
    if not facts.late or facts.promised is None:
        return []
    text = _("Your parcel is later than promised: it was due on %(date)s.")
    return [text % {"date": long_day(facts.promised, facts.lang)}]


def estimate(facts: Facts) -> tuple[Estimate | None, list[str]]:
    """The delivery date box and the sentences that explain a late or silent parcel."""
    if facts.status == S.DELIVERED and facts.delivered_at is not None:
        return Estimate(_("Delivered"), long_moment(facts.delivered_at, facts.zone, facts.lang)), []
    if facts.status == S.AVAILABLE_FOR_PICKUP and facts.pickup_deadline is not None:
        if facts.pickup_deadline < facts.today:
            return None, []
        return Estimate(_("Collect by"), day_words(facts.pickup_deadline, facts)), []
    if facts.lost:
        gone = _(
            "The carrier has not scanned your parcel for some time, and we are afraid it was "
            "lost on the way."
        )
        return None, [gone, looking_into_it(facts)]
    if facts.status not in MOVING:
        return None, []
    if facts.stalled:
        no_news = _(
            "The carrier has not sent an update for a few days, so there is no reliable "
            "delivery date right now."
        )
        return None, [no_news, looking_into_it(facts)]
    title = _("New estimate") if facts.late else _("Expected delivery")
    if facts.status == S.OUT_FOR_DELIVERY:
        return Estimate(title, _("Today")), _late_note(facts)
    if facts.promised is None:
        return None, []
    if not facts.late:
        return Estimate(title, day_words(facts.promised, facts)), []
    if facts.status == S.IN_TRANSIT:
        return Estimate(title, day_words(facts.next_business_day, facts)), _late_note(facts)
    waiting = _("The carrier has not collected it yet, so there is no reliable delivery date.")
    return None, [*_late_note(facts), waiting, looking_into_it(facts)]


def details(facts: Facts, notes: list[str]) -> list[str]:
    """The sentences under the headline: status, reason, attempts, pickup point, notes."""
    lines: list[str] = []
    if facts.status in STATUS_DETAILS:
        lines.append(str(STATUS_DETAILS[facts.status]) % {"shop": facts.shop})
    if facts.status != S.DELIVERED and facts.reason in REASON_SENTENCES:
        lines.append(str(REASON_SENTENCES[facts.reason]))
    elif facts.status == S.EXCEPTION:
        lines.append(_("The carrier reported a problem with the delivery."))
    if facts.status == S.FAILED_ATTEMPT and facts.attempts >= 2:
        text = ngettext(
            "The carrier has tried %(count)d time.",
            "The carrier has tried %(count)d times.",
            facts.attempts,
        )
        lines.append(text % {"count": facts.attempts})
    lines.extend(notes)
    if facts.status in (S.EXCEPTION, S.EXPIRED):
        lines.append(looking_into_it(facts))
    return list(dict.fromkeys(lines))


def _pickup_actions(facts: Facts) -> list[str]:
    """Collect by the deadline, with the days left; bring ID."""
    shop = {"shop": facts.shop}
    deadline = facts.pickup_deadline
    if deadline is not None and deadline < facts.today:
        return [_("Contact %(shop)s to arrange a new delivery or a refund.") % shop]
    bring = _("Bring ID and the pickup code or notice from the carrier.")
    if deadline is None:
        soon = _("Pick it up soon: pickup points keep parcels for a limited time only.")
        return [soon, bring]
    left = (deadline - facts.today).days
    days = (
        _("last day to collect")
        if left == 0
        else ngettext("%(days)d day left", "%(days)d days left", left) % {"days": left}
    )
    by = _("Please collect it by %(date)s (%(left)s).") % {
        "date": long_day(deadline, facts.lang),
        "left": days,
    }
    after = _("After that, the parcel goes back to %(shop)s.") % shop
    return [by, bring, after]


def actions(facts: Facts) -> list[str]:
    """'What to do now': only steps the customer can actually take."""
    shop = {"shop": facts.shop}
    check_address = _("Contact %(shop)s to check your delivery address.") % shop
    if facts.status == S.FAILED_ATTEMPT:
        retry = _(
            "The carrier usually tries again on the next working day, or leaves a note saying "
            "where your parcel is."
        )
        return [retry] + ([check_address] if facts.reason in ADDRESS_REASONS else [])
    if facts.status == S.AVAILABLE_FOR_PICKUP:
        return _pickup_actions(facts)
    if facts.status == S.EXCEPTION and facts.reason in ADDRESS_REASONS:
        return [check_address]
    if facts.status == S.RETURNING:
        return [
            _(
                "Contact %(shop)s to confirm your delivery address, so they can arrange what "
                "happens next."
            )
            % shop
        ]
    if facts.status == S.RETURNED:
        return [_("Contact %(shop)s to arrange a new delivery or a refund.") % shop]
    if facts.status == S.DELIVERED:
        return [
            _("Not received it? Ask your neighbours and check your mailbox and any safe place."),
            _("Still can't find it? Contact %(shop)s to report a problem.") % shop,
        ]
    if facts.status == S.CANCELLED:
        return [_("Questions about this? Contact %(shop)s.") % shop]
    return []


def tone(facts: Facts) -> str:
    """The headline's colour: ok when delivered, warn when something is off, info otherwise."""
    if facts.status == S.DELIVERED:
        return "ok"
    calm = facts.status in MOVING and not facts.stalled and not facts.late and not facts.reason
    return "info" if calm else "warn"


def steps(facts: Facts) -> list[Step]:
    """The progress bar; empty for returns and cancellations, which leave the normal path."""
    at = STEP_OF.get(facts.status)
    if at is None or facts.lost:
        return []
    return [Step(str(label), done=i <= at, current=i == at) for i, label in enumerate(STEPS)]


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
