"""What the customer's tracking page says about one shipment, from its facts alone: headline,
delivery estimate, details, what to do now, tone and progress steps, in the active language."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parcelcare.domain.vocabulary import IncidentReason, ShipmentStatus

from .public_format import long_day, long_moment
from .public_words import HEADLINES, REASON_SENTENCES, STATUS_DETAILS, STEPS

S = ShipmentStatus
R = IncidentReason

MOVING = frozenset({S.PENDING, S.INFO_RECEIVED, S.IN_TRANSIT, S.OUT_FOR_DELIVERY})
"""Statuses for which a delivery estimate makes sense."""
ADDRESS_REASONS = frozenset({R.ADDRESS_ISSUE, R.ACCESS_PROBLEM})
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
