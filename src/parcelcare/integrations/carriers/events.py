"""What every carrier parser builds on: a raw scan turned into a domain event, times made UTC."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import TrackingEvent

from .registry import lookup


def make_event(
    carrier: str,
    tracking_number: str,
    occurred_at: datetime,
    code: str,
    description: str = "",
    location: str = "",
) -> TrackingEvent:
    """A domain event with status and reason from the carrier's code table (None if unknown)."""
    if occurred_at.tzinfo is None:
        raise InvalidEvent(f"{carrier}: event time {occurred_at.isoformat()} has no time zone")
    status, reason = lookup(carrier, code)
    return TrackingEvent(
        carrier=carrier,
        tracking_number=tracking_number.strip().upper(),
        occurred_at=occurred_at.astimezone(UTC),
        code=code,
        status=status,
        reason=reason,
        description=description[:500],
        location=location[:200],
    )


def local_time(naive: datetime, zone: str) -> datetime:
    """A carrier's wall-clock time without offset, read in the carrier's own time zone."""
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    return naive.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
