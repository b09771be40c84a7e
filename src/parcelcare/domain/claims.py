"""Carrier claim windows: when a loss, damage or delay claim may be filed, and until when.

The table holds defaults only. Carrier terms differ per country, service and contract, so a
shop overrides them in its settings; where no term was known, the default is conservative
(an early deadline costs some urgency, a missed one costs the whole claim). "carrier terms"
rows follow the carriers' public pages and shipping platforms' claim guides as read in 2025;
check them against the shop's own contract.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Literal, get_args

from .calendar import BusinessCalendar

Anchor = Literal["shipped", "delivered", "last_scan"]
"""The tracking moment a claim period is counted from."""

ANCHORS: frozenset[str] = frozenset(get_args(Anchor))
CARRIERS = ("postnl", "dhl", "dpd", "gls", "ups", "bpost", "colissimo")
ANY_CARRIER = "*"
MAX_OVERRIDE_DAYS = 730
DUE_SOON = timedelta(days=3)
"""A deadline this close or closer makes an open claim `due_soon`."""


class ClaimKind(StrEnum):
    """What a carrier claim is for; delay is rarely compensated but tracked for completeness."""

    LOSS = "loss"
    DAMAGE = "damage"
    DELAY = "delay"


class ClaimStatus(StrEnum):
    """Where one claim stands against its window."""

    NOT_OPEN_YET = "not_open_yet"
    OPEN = "open"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    FILED = "filed"


@dataclass(frozen=True)
class ClaimWindow:
    """When a claim opens and closes, counted from tracking moments.

    `calendar_days` says whether the opening wait counts calendar or business days.
    `deadline_days` are always calendar days: carriers state deadlines in days or months,
    and calendar days never end later than business days would. The deadline is counted
    from `deadline_from`, or from `counted_from` when that is None.
    """

    opens_after_days: int
    calendar_days: bool
    deadline_days: int
    counted_from: Anchor
    deadline_from: Anchor | None = None

    def __post_init__(self) -> None:
        """Refuse negative periods and unknown anchors."""
        if self.opens_after_days < 0 or self.deadline_days < 0:
            raise ValueError("claim window periods must not be negative")
        if self.counted_from not in ANCHORS or self.deadline_anchor not in ANCHORS:
            raise ValueError(f"claim windows count from one of {sorted(ANCHORS)}")

    @property
    def deadline_anchor(self) -> Anchor:
        """The moment the deadline is counted from."""
        return self.deadline_from or self.counted_from


@dataclass(frozen=True)
class ClaimDates:
    """The moment a claim may be filed and the last moment it is accepted, aware UTC."""

    opens_at: datetime
    deadline_at: datetime


# Conservative defaults, used for carriers and kinds without known terms.
# Loss: the usual domestic investigation wait, and a filing deadline on the short side.
_LOSS = ClaimWindow(5, False, 30, "last_scan", deadline_from="shipped")
# Damage: 7 days after delivery is the term most parcel carriers publish.
_DAMAGE = ClaimWindow(0, True, 7, "delivered")
# Delay: only guaranteed services compensate it; report within two weeks of delivery.
_DELAY = ClaimWindow(0, True, 14, "delivered")

_L, _D, _Y = ClaimKind.LOSS, ClaimKind.DAMAGE, ClaimKind.DELAY

WINDOWS: Mapping[tuple[str, ClaimKind], ClaimWindow] = MappingProxyType(
    {
        ("*", _L): _LOSS,  # conservative default
        ("*", _D): _DAMAGE,  # conservative default
        ("*", _Y): _DELAY,  # conservative default
        # carrier terms: lost after 5 business days (domestic), claim within 30 days of shipping
        ("postnl", _L): ClaimWindow(5, False, 30, "last_scan", deadline_from="shipped"),
        # carrier terms: within 7 days of delivery (they skip Sundays and holidays; we do not)
        ("postnl", _D): ClaimWindow(0, True, 7, "delivered"),
        ("postnl", _Y): _DELAY,  # conservative default; only guaranteed services compensate
        ("dhl", _L): _LOSS,  # conservative default; DHL Parcel terms differ per country
        # statutory: hidden damage must be notified within 7 days of delivery (German HGB s438)
        ("dhl", _D): ClaimWindow(0, True, 7, "delivered"),
        ("dhl", _Y): _DELAY,  # conservative default
        # conservative: investigation after 3 business days without a scan (DPD NL practice);
        # published DPD deadlines vary by country (14 to 28 days from collection), take the low end
        ("dpd", _L): ClaimWindow(3, False, 14, "last_scan", deadline_from="shipped"),
        # carrier terms: the shipper reports damage within 7 calendar days of delivery
        ("dpd", _D): ClaimWindow(0, True, 7, "delivered"),
        ("dpd", _Y): _DELAY,  # conservative default
        ("gls", _L): _LOSS,  # conservative default
        ("gls", _D): _DAMAGE,  # conservative default (matches the 7 days of German HGB s438)
        ("gls", _Y): _DELAY,  # conservative default
        # carrier terms: notice within 60 days of the scheduled delivery; counted here from
        # shipping, which is earlier, as the scheduled date is not known; the wait is a default
        ("ups", _L): ClaimWindow(5, False, 60, "last_scan", deadline_from="shipped"),
        # carrier terms: damage notice within 60 days of delivery (national tariffs may be
        # shorter: override per contract)
        ("ups", _D): ClaimWindow(0, True, 60, "delivered"),
        ("ups", _Y): _DELAY,  # conservative default; guaranteed services have their own refund
        ("bpost", _L): _LOSS,  # conservative default; bpost asks to wait about a week first
        # carrier terms: damage within 7 calendar days of delivery
        ("bpost", _D): ClaimWindow(0, True, 7, "delivered"),
        ("bpost", _Y): _DELAY,  # conservative default
        ("colissimo", _L): _LOSS,  # conservative default
        # conservative: French commercial code art. L133-3 gives 3 days to protest damage
        ("colissimo", _D): ClaimWindow(0, True, 3, "delivered"),
        ("colissimo", _Y): _DELAY,  # conservative default
    }
)

ClaimOverrides = Mapping[str, Mapping[str, Mapping[str, int]]]
"""A shop's overrides in days, carrier slug (or "*") -> claim kind -> field -> days."""


def claim_window(
    *, carrier: str, kind: ClaimKind | str, overrides: ClaimOverrides | None = None
) -> ClaimWindow:
    """The window for a carrier and kind, falling back to "*", with a shop's overrides applied."""
    claim_kind = _claim_kind(kind)
    checked = _checked_overrides(overrides or {})
    # An override replaces fields of the table row with the same key, so a "*" override
    # reaches exactly the carriers that fall back to the "*" row.
    fallback = _overridden(
        WINDOWS[(ANY_CARRIER, claim_kind)], checked.get((ANY_CARRIER, claim_kind))
    )
    window = WINDOWS.get((carrier, claim_kind), fallback)
    return _overridden(window, checked.get((carrier, claim_kind)))


def _overridden(window: ClaimWindow, days: Mapping[str, int] | None) -> ClaimWindow:
    """The window with the overridden day counts, if any."""
    if not days:
        return window
    return replace(
        window,
        opens_after_days=days.get("opens_after_days", window.opens_after_days),
        deadline_days=days.get("deadline_days", window.deadline_days),
    )


def _claim_kind(kind: ClaimKind | str) -> ClaimKind:
    """A claim kind from its value, or a ValueError naming it."""
    try:
        return ClaimKind(kind)
    except ValueError:
        raise ValueError(f"unknown claim kind {kind!r}") from None


def _checked_overrides(overrides: ClaimOverrides) -> dict[tuple[str, ClaimKind], dict[str, int]]:
    """Every override validated (not only the one asked for), so no typo passes unseen."""
    checked: dict[tuple[str, ClaimKind], dict[str, int]] = {}
    for carrier, kinds in overrides.items():
        if not isinstance(kinds, Mapping):
            raise ValueError(f"claim override for {carrier} must map claim kinds to fields")
        for kind, fields in kinds.items():
            if not isinstance(fields, Mapping):
                raise ValueError(f"claim override {carrier}.{kind} must map fields to days")
            key = (carrier, _claim_kind(kind))
            checked[key] = {name: _days(key, name, value) for name, value in fields.items()}
    return checked


def _days(key: tuple[str, ClaimKind], name: str, value: object) -> int:
    """One override value in days, or a ValueError naming carrier, kind and field."""
    where = f"claim override {key[0]}.{key[1]}.{name}"
    if name not in ("opens_after_days", "deadline_days"):
        raise ValueError(f"{where}: unknown field, expected opens_after_days or deadline_days")
    # bool is an int subclass, and JSON true must not become one day.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{where} must be whole days, got {value!r}")
    if not 0 <= value <= MAX_OVERRIDE_DAYS:
        raise ValueError(f"{where} must be 0 to {MAX_OVERRIDE_DAYS} days, got {value}")
    return value


def claim_dates(
    *,
    window: ClaimWindow,
    shipped_at: datetime | None,
    delivered_at: datetime | None,
    last_scan_at: datetime | None,
    calendar: BusinessCalendar,
) -> ClaimDates | None:
    """Opening and deadline of a claim; None while a moment it counts from is unknown."""
    moments: dict[str, datetime | None] = {
        "shipped": shipped_at,
        "delivered": delivered_at,
        "last_scan": last_scan_at,
    }
    start, deadline_start = moments[window.counted_from], moments[window.deadline_anchor]
    if start is None or deadline_start is None:
        return None
    for moment in (start, deadline_start):
        if moment.utcoffset() is None:
            raise ValueError("claim moments must be timezone-aware datetimes")
    last_day = calendar.local_date(deadline_start) + timedelta(days=window.deadline_days)
    # The deadline is the end of its local day: the last microsecond before the next day.
    deadline_at = calendar.start_of(last_day + timedelta(days=1)) - timedelta(microseconds=1)
    return ClaimDates(opens_at=_opens_at(window, start, calendar), deadline_at=deadline_at)


def _opens_at(window: ClaimWindow, start: datetime, calendar: BusinessCalendar) -> datetime:
    """The start of the local day the wait ends on, or `start` itself without a wait."""
    if window.opens_after_days == 0:
        return start.astimezone(UTC)
    day = calendar.local_date(start)
    if window.calendar_days:
        return calendar.start_of(day + timedelta(days=window.opens_after_days))
    return calendar.start_of(calendar.nth_business_day_after(day, window.opens_after_days))


def reminders(
    *,
    dates: ClaimDates,
    now: datetime,
    before: tuple[timedelta, ...] = (timedelta(days=3), timedelta(days=1)),
) -> tuple[datetime, ...]:
    """The moments `before` the deadline that are still after `now`, earliest first."""
    if any(ahead <= timedelta(0) for ahead in before):
        raise ValueError("reminders come a positive time before the deadline")
    moments = {dates.deadline_at - ahead for ahead in before}
    return tuple(sorted(moment for moment in moments if moment > now))


def claim_status(*, dates: ClaimDates, now: datetime, filed_at: datetime | None) -> ClaimStatus:
    """filed, overdue, due_soon (3 days or less left), not_open_yet or open, in that order."""
    if filed_at is not None:
        return ClaimStatus.FILED
    if now > dates.deadline_at:
        return ClaimStatus.OVERDUE
    # An approaching deadline wins over a wait that has not ended: it must never pass unseen.
    if dates.deadline_at - now <= DUE_SOON:
        return ClaimStatus.DUE_SOON
    if now < dates.opens_at:
        return ClaimStatus.NOT_OPEN_YET
    return ClaimStatus.OPEN
