"""Detection rules: one small pure function per finding, plus when to look again."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .calendar import BusinessCalendar
from .timeline import ShipmentState
from .vocabulary import FindingKind, IncidentReason, ShipmentStatus

S = ShipmentStatus
F = FindingKind

NEVER_LATE = frozenset({S.DELIVERED, S.RETURNING, S.RETURNED, S.CANCELLED, S.AVAILABLE_FOR_PICKUP})
QUIET_WATCH = frozenset(
    {S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.FAILED_ATTEMPT, S.EXCEPTION, S.RETURNING, S.EXPIRED}
)
NOT_YET_SCANNED = frozenset({S.PENDING, S.INFO_RECEIVED})


@dataclass(frozen=True)
class Thresholds:
    """A shop's detection thresholds; day counts are business days unless named otherwise."""

    delayed_levels: tuple[int, int, int] = (1, 2, 3)
    stalled_after: int = 3
    likely_lost_after: int = 7
    not_shipped_after: int = 2
    pickup_hold_calendar_days: int = 7

    def __post_init__(self) -> None:
        """Refuse thresholds that cannot be applied in order."""
        levels = tuple(self.delayed_levels)
        days = (self.stalled_after, self.likely_lost_after, self.not_shipped_after)
        whole = (*levels, *days, self.pickup_hold_calendar_days)
        if len(levels) != 3 or not all(type(d) is int for d in whole):
            raise ValueError("thresholds must be whole days, with exactly three delayed levels")
        object.__setattr__(self, "delayed_levels", levels)
        one, two, three = levels
        if not 1 <= one < two < three:
            raise ValueError("delayed levels must be increasing business days, starting at 1")
        if not 1 <= self.stalled_after < self.likely_lost_after:
            raise ValueError("stalled_after must be at least 1 and below likely_lost_after")
        if self.not_shipped_after < 1 or self.pickup_hold_calendar_days < 1:
            raise ValueError("not_shipped_after and pickup_hold_calendar_days must be at least 1")


@dataclass(frozen=True)
class ShipmentFacts:
    """Everything detection needs to know about one shipment."""

    state: ShipmentState
    created_at: datetime
    shipped_at: datetime | None = None
    promised_date: date | None = None


@dataclass(frozen=True)
class Finding:
    """One finding; `identity` decides whether it is the same finding as before."""

    kind: FindingKind
    level: int | None = None
    attempt: int | None = None
    reason: IncidentReason | None = None
    evidence: dict[str, str | int] = field(default_factory=dict, compare=False)

    @property
    def identity(self) -> tuple[str, int | None, int | None, str | None]:
        """Same identity means the same open finding; evidence may still be refreshed."""
        return (self.kind.value, self.level, self.attempt, self.reason)


@dataclass(frozen=True)
class Review:
    """The findings that hold now and the earliest moment they could change by time alone."""

    findings: tuple[Finding, ...]
    next_review_at: datetime | None


Verdict = tuple[Finding | None, datetime | None]
Rule = Callable[[ShipmentFacts, Thresholds, BusinessCalendar, datetime], Verdict]


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def delayed(facts: ShipmentFacts, th: Thresholds, cal: BusinessCalendar, now: datetime) -> Verdict:
    """Late past the promised date: level 1, 2, 3 by business days late."""
    promised = facts.promised_date
    # A parcel once delivered is never late again, whatever happens after (damage, a return).
    if promised is None or facts.state.status in NEVER_LATE or facts.state.delivered_at:
        return None, None
    late = cal.business_days_after(promised, cal.local_date(now))
    level = sum(late >= step for step in th.delayed_levels)
    next_at = None
    if level < len(th.delayed_levels):
        next_at = cal.start_of(cal.nth_business_day_after(promised, th.delayed_levels[level]))
    if level == 0:
        return None, next_at
    evidence: dict[str, str | int] = {
        "promised_date": promised.isoformat(),
        "business_days_late": late,
    }
    return Finding(F.DELAYED, level=level, evidence=evidence), next_at


def quiet(facts: ShipmentFacts, th: Thresholds, cal: BusinessCalendar, now: datetime) -> Verdict:
    """No carrier scan for a while: stalled after N quiet business days, likely lost after M."""
    state = facts.state
    # Silence after a delivery is not a lost parcel: a later exception or return has no scans due.
    if state.status not in QUIET_WATCH or state.last_event_at is None or state.delivered_at:
        return None, None
    since = cal.local_date(state.last_event_at)
    days = cal.business_days_after(since, cal.local_date(now))
    evidence: dict[str, str | int] = {
        "last_event_at": _iso(state.last_event_at),
        "quiet_business_days": days,
    }
    # A parcel held by customs is known to be somewhere: it stalls, it is not lost.
    held = state.status == S.EXCEPTION and state.reason == IncidentReason.CUSTOMS_HOLD
    if days >= th.likely_lost_after and not held:
        return Finding(F.LIKELY_LOST, evidence=evidence), None
    lost_at = (
        None if held else cal.start_of(cal.nth_business_day_after(since, th.likely_lost_after))
    )
    if days >= th.stalled_after:
        return Finding(F.STALLED, evidence=evidence), lost_at
    return None, cal.start_of(cal.nth_business_day_after(since, th.stalled_after))


def not_shipped(
    facts: ShipmentFacts, th: Thresholds, cal: BusinessCalendar, now: datetime
) -> Verdict:
    """A label was created but the carrier has not scanned the parcel after N business days."""
    state = facts.state
    if state.status not in NOT_YET_SCANNED:
        return None, None
    base = state.label_created_at or facts.shipped_at or facts.created_at
    since = cal.local_date(base)
    days = cal.business_days_after(since, cal.local_date(now))
    if days < th.not_shipped_after:
        return None, cal.start_of(cal.nth_business_day_after(since, th.not_shipped_after))
    evidence: dict[str, str | int] = {"label_created_at": _iso(base), "business_days": days}
    return Finding(F.NOT_SHIPPED, evidence=evidence), None


def failed_attempt(
    facts: ShipmentFacts, th: Thresholds, cal: BusinessCalendar, now: datetime
) -> Verdict:
    """The carrier tried to deliver and could not; numbered by attempt."""
    state = facts.state
    if state.status != S.FAILED_ATTEMPT:
        return None, None
    attempt = max(state.failed_attempts, 1)
    evidence: dict[str, str | int] = {
        "attempted_at": _iso(state.last_attempt_at or state.status_since)
    }
    return Finding(F.FAILED_ATTEMPT, attempt=attempt, reason=state.reason, evidence=evidence), None


def awaiting_pickup(
    facts: ShipmentFacts, th: Thresholds, cal: BusinessCalendar, now: datetime
) -> Verdict:
    """Waiting at a pickup point, with the calendar days left before it goes back."""
    state = facts.state
    if state.status != S.AVAILABLE_FOR_PICKUP or state.status_since is None:
        return None, None
    today = cal.local_date(now)
    deadline = cal.local_date(state.status_since) + timedelta(days=th.pickup_hold_calendar_days)
    days_left = max(0, (deadline - today).days)
    evidence: dict[str, str | int] = {"deadline": deadline.isoformat(), "days_left": days_left}
    next_at = cal.start_of(today + timedelta(days=1)) if days_left > 0 else None
    return Finding(F.AWAITING_PICKUP, evidence=evidence), next_at


def _status_finding(facts: ShipmentFacts) -> Finding | None:
    """Findings that follow from the current status alone."""
    state = facts.state
    if state.status == S.RETURNING:
        return Finding(
            F.RETURNING_TO_SENDER, reason=state.reason, evidence={"since": _iso(state.status_since)}
        )
    if state.status == S.RETURNED:
        return Finding(
            F.RETURNED_TO_SENDER, reason=state.reason, evidence={"since": _iso(state.status_since)}
        )
    if state.status == S.EXCEPTION:
        return Finding(
            F.CARRIER_EXCEPTION,
            reason=state.reason or IncidentReason.OTHER,
            evidence={"since": _iso(state.status_since)},
        )
    if state.status == S.DELIVERED:
        return Finding(F.DELIVERED, evidence={"delivered_at": _iso(state.delivered_at)})
    return None


def by_status(
    facts: ShipmentFacts, th: Thresholds, cal: BusinessCalendar, now: datetime
) -> Verdict:
    """Returning, returned, carrier exception and delivered: no clock involved."""
    return _status_finding(facts), None


RULES: tuple[Rule, ...] = (not_shipped, delayed, quiet, failed_attempt, awaiting_pickup, by_status)


def review(facts: ShipmentFacts, th: Thresholds, cal: BusinessCalendar, now: datetime) -> Review:
    """Apply every rule; the next review is the earliest moment any of them could change."""
    findings: list[Finding] = []
    next_at: datetime | None = None
    for rule in RULES:
        finding, at = rule(facts, th, cal, now)
        if finding is not None:
            findings.append(finding)
        if at is not None and (next_at is None or at < next_at):
            next_at = at
    return Review(findings=tuple(findings), next_review_at=next_at)
