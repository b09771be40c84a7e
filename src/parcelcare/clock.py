"""The one place the real clock is read, so tests and demos can move time."""

from datetime import UTC, datetime


def now() -> datetime:
    """The current moment, aware UTC."""
    return datetime.now(UTC)
