"""Bounds every input is held to: dates, money, quantities and ids.

They keep arithmetic inside 64-bit integers and time conversions inside the calendar, so bad
input gets a precise 4xx instead of an overflow. The OpenAPI schema publishes the same numbers.
"""

from datetime import UTC, date, datetime

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)
DATE_RANGE = f"between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}"

MAX_QUANTITY = 100_000
MAX_AMOUNT_MINOR = 100_000_000_000
"""One billion in a two-decimal currency: 500 lines at the largest price and quantity stay
far below 2**63, so every sum over an order fits the database's 64-bit integers."""

MAX_ID = 2**63 - 1


def check_date(value: date, field: str) -> date:
    """The date itself, or ValueError naming the field when outside the accepted range."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"{field} {value.isoformat()} is not {DATE_RANGE}")
    return value


def check_instant(value: datetime, field: str) -> datetime:
    """An aware time within the accepted range, in UTC; ValueError naming the field otherwise."""
    # The year is checked before converting: converting year 1 or 9999 to UTC can overflow.
    inside = EARLIEST_DATE.year <= value.year <= LATEST_DATE.year
    moment = value.astimezone(UTC) if inside else None
    if moment is None or not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
        raise ValueError(f"{field} {value.isoformat()} is not {DATE_RANGE}")
    return moment
