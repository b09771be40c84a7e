"""When to ask a carrier about a shipment again, and a token bucket for carrier rate limits.

Cadence (first matching row wins; a final status or a long silence stops polling):

| situation           | when                                                      | every |
|---------------------|-----------------------------------------------------------|-------|
| stop                | delivered, returned or cancelled                          | never |
| stop                | carrier quiet for `quiet_days_stop` days (30)             | never |
| no_scan_yet         | pending or info_received: no physical scan so far         | 24 h  |
| out_for_delivery    | on the van today                                          | 2 h   |
| very_quiet          | no carrier event for more than 7 days                     | 24 h  |
| quiet               | no carrier event for more than 3 days                     | 12 h  |
| near_promised_date  | from the day before the promised date to 2 days after it  | 2 h   |
| moving              | anything else (in transit, exception, pickup point …)     | 6 h   |

Silence counts from the newest carrier event, or from `first_seen_at` (when parcelcare began
tracking the shipment) while there is none. Days are UTC calendar days.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from .vocabulary import TERMINAL_STATUSES, ShipmentStatus

S = ShipmentStatus
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

PRE_SCAN = frozenset({S.PENDING, S.INFO_RECEIVED})
PROMISED_WINDOW = (-1, 2)
"""Days relative to the promised date (inclusive) in which customers start asking."""


@dataclass(frozen=True, slots=True)
class PollFacts:
    """What the cadence rows look at, computed once per decision."""

    status: ShipmentStatus
    quiet: timedelta
    days_to_promise: int | None


Row = tuple[str, Callable[[PollFacts], bool], timedelta]

CADENCE: tuple[Row, ...] = (
    ("no_scan_yet", lambda f: f.status in PRE_SCAN, 24 * HOUR),
    ("out_for_delivery", lambda f: f.status == S.OUT_FOR_DELIVERY, 2 * HOUR),
    ("very_quiet", lambda f: f.quiet > 7 * DAY, 24 * HOUR),
    ("quiet", lambda f: f.quiet > 3 * DAY, 12 * HOUR),
    ("near_promised_date", lambda f: _in_window(f.days_to_promise), 2 * HOUR),
    ("moving", lambda f: True, 6 * HOUR),
)
"""The cadence table of the module docstring, as data."""


def _in_window(days: int | None) -> bool:
    low, high = PROMISED_WINDOW
    return days is not None and low <= days <= high


def situation(facts: PollFacts) -> tuple[str, timedelta]:
    """The first cadence row that matches: its name and interval."""
    for name, matches, interval in CADENCE:
        if matches(facts):
            return name, interval
    raise AssertionError("the last cadence row matches everything")


def next_poll_at(
    *,
    status: ShipmentStatus | str,
    last_event_at: datetime | None,
    promised_date: date | None,
    last_polled_at: datetime | None,
    now: datetime,
    quiet_days_stop: int = 30,
    first_seen_at: datetime | None = None,
) -> datetime | None:
    """When to poll next (never before `now`); None once polling should stop."""
    current = ShipmentStatus(status)
    if current in TERMINAL_STATUSES:
        return None
    since = last_event_at or first_seen_at
    quiet = now - since if since is not None else timedelta(0)
    if quiet >= timedelta(days=quiet_days_stop):
        return None
    if last_polled_at is None:
        return now
    days = (now.date() - promised_date).days if promised_date is not None else None
    _, interval = situation(PollFacts(current, quiet, days))
    return max(now, last_polled_at + interval)


@dataclass(frozen=True, slots=True)
class RateLimit:
    """A token bucket: `per_minute` requests a minute, at most `burst` at once.

    The bucket is kept as the moment it would be full again (GCRA's theoretical arrival
    time), so refills are exact timedelta arithmetic rather than float token counts.
    """

    per_minute: int
    burst: int = 1
    full_at: datetime | None = None

    def __post_init__(self) -> None:
        """Refuse a bucket that could never allow a request."""
        if self.per_minute < 1 or self.burst < 1:
            raise ValueError("per_minute and burst must be at least 1")

    @property
    def interval(self) -> timedelta:
        """The time one token takes to come back."""
        return timedelta(minutes=1) / self.per_minute

    def take(self, now: datetime) -> tuple[bool, datetime, "RateLimit"]:
        """Try to take one token: (allowed, when the next one is free, the new bucket)."""
        full_at = max(self.full_at or now, now)
        slack = self.interval * (self.burst - 1)
        if full_at - now > slack:
            return False, full_at - slack, self
        full_at += self.interval
        return True, max(now, full_at - slack), replace(self, full_at=full_at)
