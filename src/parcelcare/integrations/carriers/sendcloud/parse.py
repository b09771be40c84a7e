"""Sendcloud `parcel_status_changed` bodies turned into one tracking event in UTC.

The event is of carrier "sendcloud" and its code is the parcel's status id as a string. Its
time is `carrier_status_change_timestamp` (when the carrier reported the change) if present,
else `timestamp` (when Sendcloud sent the push). Both are documented as milliseconds since the
epoch; a value below 10^11 is read as seconds, as milliseconds that small would mean 1973.
"""

import json
from datetime import UTC, datetime
from typing import Any

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import TrackingEvent

from ..events import make_event

CARRIER = "sendcloud"
STATUS_CHANGED = "parcel_status_changed"
SECONDS_LIMIT = 10**11


def parse(
    payload: bytes | str | dict[str, Any], *, tracking_number: str = ""
) -> list[TrackingEvent]:
    """The status change in a parcel_status_changed body; none while the parcel has no number."""
    document = load(payload)
    action = document.get("action")
    if action != STATUS_CHANGED:
        raise InvalidEvent(f"sendcloud: action {str(action)[:40]!r} is not {STATUS_CHANGED}")
    parcel = document.get("parcel")
    if not isinstance(parcel, dict):
        raise InvalidEvent("sendcloud: body has no `parcel` object")
    number = parcel_number(parcel) or tracking_number
    if not number:
        return []
    status = parcel.get("status")
    code = _identifier(status.get("id")) if isinstance(status, dict) else ""
    if not code:
        raise InvalidEvent(f"sendcloud: parcel {_identifier(parcel.get('id'))} has no status id")
    moment = push_time(document)
    if moment is None:
        raise InvalidEvent(f"sendcloud: parcel {_identifier(parcel.get('id'))} has no timestamp")
    message = status.get("message") if isinstance(status, dict) else ""
    return [make_event(CARRIER, number, moment, code, message if isinstance(message, str) else "")]


def parcel_number(parcel: dict[str, Any]) -> str:
    """The parcel's carrier tracking number, empty before a label exists."""
    number = parcel.get("tracking_number")
    return number.strip() if isinstance(number, str) else ""


def push_time(document: dict[str, Any]) -> datetime | None:
    """When the carrier reported the change, else when Sendcloud sent it, as aware UTC."""
    for key in ("carrier_status_change_timestamp", "timestamp"):
        value = document.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            continue
        seconds = value / 1000 if value >= SECONDS_LIMIT else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return None


def load(payload: bytes | str | dict[str, Any]) -> dict[str, Any]:
    """A Sendcloud body as a JSON object, or InvalidEvent."""
    if isinstance(payload, dict):
        return payload
    try:
        document = json.loads(payload)
    except ValueError as error:
        raise InvalidEvent(f"sendcloud: payload is not JSON ({error})") from None
    if not isinstance(document, dict):
        raise InvalidEvent("sendcloud: payload is not a JSON object")
    return document


def _identifier(value: Any) -> str:
    """Sendcloud ids are JSON numbers; a string id is accepted as it is."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    return value.strip() if isinstance(value, str) else ""
