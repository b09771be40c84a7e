"""The one place the real clock is read, so tests and demos can move time.

`PARCELCARE_NOW` (an ISO 8601 moment with offset) starts this process's clock at that moment;
from there it runs at the real pace. Tests and demos use it to replay a fixed day.
"""

import os
import time
from datetime import UTC, datetime, timedelta

_start: tuple[datetime, float] | None = None
"""A pinned start (moment, monotonic reading then), or None for the real clock."""


def pin(at: datetime | None) -> None:
    """Start the clock at `at` and let it run from there; None returns to the real clock."""
    global _start
    _start = None if at is None else (at.astimezone(UTC), time.monotonic())


def now() -> datetime:
    """The current moment, aware UTC."""
    if _start is None:
        return datetime.now(UTC)
    moment, since = _start
    return moment + timedelta(seconds=time.monotonic() - since)


def _from_environment() -> None:
    """Pin the clock from PARCELCARE_NOW when it is set; a bad value stops the process."""
    value = os.environ.get("PARCELCARE_NOW", "").strip()
    if not value:
        return
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise SystemExit(f"PARCELCARE_NOW={value!r} is not an ISO 8601 moment: {error}") from None
    if moment.tzinfo is None:
        raise SystemExit(f"PARCELCARE_NOW={value!r} needs an offset (+00:00)")
    pin(moment)


_from_environment()
