"""What every carrier parser builds on: a raw scan turned into a domain event, times made UTC."""

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
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
    zone = occurred_at.tzinfo
    if zone is not UTC:
        if zone is None:
            raise InvalidEvent(f"{carrier}: event time {occurred_at.isoformat()} has no time zone")
        occurred_at = occurred_at.astimezone(UTC)
    status, reason = lookup(carrier, code)
    # Positional: keyword arguments cost a quarter of this call, which runs once per event.
    return TrackingEvent(
        carrier,
        tracking_number.strip().upper(),
        occurred_at,
        code,
        status,
        reason,
        description[:500],
        location[:200],
    )


def local_time(naive: datetime, zone: str) -> datetime:
    """A carrier's wall-clock time without offset, read in the carrier's own time zone."""
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    # The cached offsets are those of fold=0; a caller asking for fold=1 gets the exact rules.
    if not naive.fold:
        offset = _hour_offset(zone, naive.year, naive.month, naive.day, naive.hour)
        if offset is not None:
            utc = naive - offset
            # combine() attaches the zone at a quarter of what replace(tzinfo=...) costs.
            return datetime.combine(utc, utc.time(), UTC)
    return naive.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


@lru_cache(maxsize=8192)
def _hour_offset(zone: str, year: int, month: int, day: int, hour: int) -> timedelta | None:
    """The UTC offset of every wall-clock time (fold=0) in one hour; None if it changes in it."""
    # Reading every event through the zone rules costs more than the rest of a parse, and
    # events cluster in few hours. An hour in which the offset changes (a zone that switches
    # at 00:01, or at half past) has different offsets at its two ends and is left to the
    # exact path; no zone in tzdata changes twice within two hours, so equal ends mean one
    # offset throughout. Where a DST change skips or repeats an hour, fold=0 reads the offset
    # valid before it, as ZoneInfo does: 02:30 on Amsterdam's spring day is 01:30 UTC.
    start = datetime(year, month, day, hour, tzinfo=ZoneInfo(zone))
    offset = start.utcoffset()
    end = start.replace(minute=59, second=59, microsecond=999_999)
    return offset if offset == end.utcoffset() else None


def iso_time(value: Any, zone: str) -> datetime | None:
    """ISO 8601 with its offset; without one, wall-clock time in `zone`; None if unreadable."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else local_time(moment, zone)


def load_json(payload: bytes | str, carrier: str) -> Any:
    """The decoded JSON answer; InvalidEvent when it is not JSON."""
    try:
        return json.loads(payload)
    except ValueError as error:
        raise InvalidEvent(f"{carrier}: payload is not JSON ({error})") from None


def text_of(payload: bytes | str, carrier: str) -> str:
    """The answer as text; bytes must be UTF-8 (a byte order mark is dropped)."""
    if isinstance(payload, str):
        return payload
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidEvent(f"{carrier}: payload is not UTF-8") from None


def str_or_empty(value: Any) -> str:
    """A JSON field that should hold text: the text itself, or "" for anything else."""
    return value if isinstance(value, str) else ""


def each_object(
    items: list[Any],
    *,
    carrier: str,
    name: str,
    parse_one: Callable[[int, dict[str, Any]], Iterable[TrackingEvent]],
) -> list[TrackingEvent]:
    """The events of every object in a carrier's list; anything else in it is a precise error."""
    events: list[TrackingEvent] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise InvalidEvent(f"{carrier}: {name}[{index}] is not an object")
        events.extend(parse_one(index, item))
    return events
