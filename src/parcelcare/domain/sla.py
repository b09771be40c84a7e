"""Service-level targets for cases, counted in working time on the shop's business calendar.

Working time runs only inside the opening hours of business days, read in the calendar's time
zone, so a clock started on Friday evening keeps still over the weekend and across DST changes.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType

from .calendar import BusinessCalendar

HOUR = timedelta(hours=1)
MAX_OVERRIDE_MINUTES = 365 * 24 * 60
"""The longest target a shop may configure; anything longer is a typo, not a service level."""


@dataclass(frozen=True)
class BusinessHours:
    """Daily opening hours as naive local wall-clock times; close must come after open."""

    open: time = time(9, 0)
    close: time = time(17, 0)

    def __post_init__(self) -> None:
        """Refuse zoned times and empty or overnight opening hours."""
        if self.open.tzinfo is not None or self.close.tzinfo is not None:
            raise ValueError("business hours are naive wall-clock times")
        if self.close <= self.open:
            raise ValueError(
                f"business hours close ({self.close}) must be after open ({self.open})"
            )


@dataclass(frozen=True, kw_only=True)
class SlaPolicy:
    """Working-time targets for one case kind: first response and resolution."""

    first_response: timedelta = HOUR
    resolution: timedelta

    def __post_init__(self) -> None:
        """A target of zero or less could never be met."""
        if self.first_response <= timedelta(0) or self.resolution <= timedelta(0):
            raise ValueError("SLA targets must be positive durations")


# Budgets in working hours; with the default opening hours 8 hours make one business day.
# First response is one working hour everywhere: an acknowledgement with the tracking facts
# needs no investigation. Resolutions follow what has to happen before a case can close:
DEFAULT_POLICIES: Mapping[str, SlaPolicy] = MappingProxyType(
    {
        # Answerable from the tracking facts alone: the same business day.
        "order_status": SlaPolicy(resolution=8 * HOUR),
        # Checklist, wait window, declaration and proof of delivery take a working week.
        "not_received": SlaPolicy(resolution=40 * HOUR),
        # The carrier's investigation period (about 5 business days) comes before a remedy.
        "lost": SlaPolicy(resolution=40 * HOUR),
        # Photos from the customer, then replacement or refund: three business days.
        "damaged_or_wrong_item": SlaPolicy(resolution=24 * HOUR),
        # A parcel waits at a depot or pickup point only a few days before it goes back.
        "undeliverable": SlaPolicy(resolution=24 * HOUR),
        # Label, drop-off instructions and approval: three business days.
        "return": SlaPolicy(resolution=24 * HOUR),
        # Usually a lookup in the payment provider: the same business day.
        "refund_status": SlaPolicy(resolution=8 * HOUR),
        # Both are only possible before the carrier's hand-over, often the same afternoon.
        "address_change": SlaPolicy(resolution=4 * HOUR),
        "cancellation": SlaPolicy(resolution=4 * HOUR),
    }
)


class SlaState(StrEnum):
    """Where a case stands against one target."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    MET = "met"
    MISSED = "missed"


@dataclass(frozen=True)
class SlaClock:
    """The due moments of one case, aware UTC."""

    first_response_due: datetime
    resolution_due: datetime


def policy_for(*, kind: str, overrides: Mapping[str, Mapping[str, int]] | None = None) -> SlaPolicy:
    """The policy of a case kind, with a shop's overrides in minutes applied (ValueError if bad)."""
    if kind not in DEFAULT_POLICIES:
        raise ValueError(f"unknown case kind {kind!r} for an SLA policy")
    checked = _checked_overrides(overrides or {})
    return replace(DEFAULT_POLICIES[kind], **checked.get(kind, {}))


def _checked_overrides(
    overrides: Mapping[str, Mapping[str, int]],
) -> dict[str, dict[str, timedelta]]:
    """Every override validated (not only the one asked for), so no typo passes unseen."""
    checked: dict[str, dict[str, timedelta]] = {}
    for kind, fields in overrides.items():
        if kind not in DEFAULT_POLICIES:
            raise ValueError(f"SLA override for unknown case kind {kind!r}")
        if not isinstance(fields, Mapping):
            raise ValueError(f"SLA override for {kind} must map field names to minutes")
        checked[kind] = {name: _minutes(kind, name, value) for name, value in fields.items()}
    return checked


def _minutes(kind: str, name: str, value: object) -> timedelta:
    """One override value as a duration, or a ValueError naming the kind and field."""
    if name not in ("first_response", "resolution"):
        raise ValueError(
            f"SLA override {kind}.{name}: unknown field, expected first_response or resolution"
        )
    # bool is an int subclass, and JSON true must not become one minute.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"SLA override {kind}.{name} must be whole minutes, got {value!r}")
    if not 0 < value <= MAX_OVERRIDE_MINUTES:
        raise ValueError(
            f"SLA override {kind}.{name} must be 1 to {MAX_OVERRIDE_MINUTES} minutes, got {value}"
        )
    return timedelta(minutes=value)


def _opening(
    day: date, *, calendar: BusinessCalendar, hours: BusinessHours
) -> tuple[datetime, datetime]:
    """The UTC interval in which `day` is open; empty if a DST gap swallows it."""
    opens = datetime.combine(day, hours.open, tzinfo=calendar.tz).astimezone(UTC)
    closes = datetime.combine(day, hours.close, tzinfo=calendar.tz).astimezone(UTC)
    return opens, closes


def _require_aware(moment: datetime, name: str) -> None:
    """Naive datetimes are refused: their instant depends on the reader's zone."""
    if moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")


def add_business_time(
    start: datetime, duration: timedelta, *, calendar: BusinessCalendar, hours: BusinessHours
) -> datetime:
    """The UTC moment when `duration` of working time has passed since `start`."""
    _require_aware(start, "start")
    if duration < timedelta(0):
        raise ValueError("duration must not be negative")
    moment = start.astimezone(UTC)
    remaining = duration
    day = calendar.local_date(moment)
    while True:
        if calendar.is_business_day(day):
            opens, closes = _opening(day, calendar=calendar, hours=hours)
            begin = max(moment, opens)
            # A start at or after closing counts from the next opening, even for a zero duration.
            if begin < closes:
                if remaining <= closes - begin:
                    return begin + remaining
                remaining -= closes - begin
        day += timedelta(days=1)


def business_time_between(
    start: datetime, end: datetime, *, calendar: BusinessCalendar, hours: BusinessHours
) -> timedelta:
    """Working time inside [start, end]; zero when end is not after start."""
    _require_aware(start, "start")
    _require_aware(end, "end")
    total = timedelta(0)
    if end <= start:
        return total
    day, last = calendar.local_date(start), calendar.local_date(end)
    while day <= last:
        if calendar.is_business_day(day):
            opens, closes = _opening(day, calendar=calendar, hours=hours)
            overlap = min(end, closes) - max(start, opens)
            total += max(overlap, timedelta(0))
        day += timedelta(days=1)
    return total


def sla_clock(
    *,
    opened_at: datetime,
    policy: SlaPolicy,
    calendar: BusinessCalendar,
    hours: BusinessHours,
) -> SlaClock:
    """Both due moments of a case opened at `opened_at`."""
    return SlaClock(
        first_response_due=add_business_time(
            opened_at, policy.first_response, calendar=calendar, hours=hours
        ),
        resolution_due=add_business_time(
            opened_at, policy.resolution, calendar=calendar, hours=hours
        ),
    )


def sla_state(
    *,
    due: datetime,
    started: datetime,
    now: datetime,
    done_at: datetime | None,
    calendar: BusinessCalendar,
    hours: BusinessHours,
    at_risk_share: float = 0.75,
) -> SlaState:
    """Met or missed once done; else breached after `due`, at risk past the share, on track."""
    if not 0 <= at_risk_share <= 1:
        raise ValueError(f"at_risk_share must be between 0 and 1, got {at_risk_share}")
    if done_at is not None:
        return SlaState.MET if done_at <= due else SlaState.MISSED
    if now > due:
        return SlaState.BREACHED
    # Shares of working time, not wall time: a weekend does not eat into the budget.
    budget = business_time_between(started, due, calendar=calendar, hours=hours)
    used = business_time_between(started, now, calendar=calendar, hours=hours)
    return SlaState.AT_RISK if used > budget * at_risk_share else SlaState.ON_TRACK


DELIVERY_SLACK_DAYS = 1
"""Business days a carrier may slip past the expected delivery before a follow-up case breaches."""


def delivery_resolution_due(
    *,
    expected: date | None,
    now: datetime,
    calendar: BusinessCalendar,
    hours: BusinessHours,
    slack_days: int = DELIVERY_SLACK_DAYS,
) -> datetime:
    """When a case that is resolved by the delivery itself (playbook A) is due: closing time
    `slack_days` business days after the expected delivery day; a promise already passed, or
    none, counts as the next business day, as the tracking page's new estimate does."""
    _require_aware(now, "now")
    if slack_days < 0:
        raise ValueError("slack_days must not be negative")
    today = calendar.local_date(now)
    if expected is None or expected < today:
        expected = calendar.nth_business_day_after(today, 1)
    last = calendar.nth_business_day_after(expected, slack_days) if slack_days else expected
    return datetime.combine(last, hours.close, tzinfo=calendar.tz).astimezone(UTC)
