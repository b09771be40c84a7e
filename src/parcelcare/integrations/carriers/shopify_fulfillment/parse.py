"""One Shopify fulfillment event (webhook `fulfillment_events/create` or REST) as a tracking event.

The event resource names its fulfillment, not a tracking number: the caller passes the number
of the stored fulfillment. The event is of carrier "shopify" and its code is the `status`.
`happened_at` carries an offset; without one it is read as UTC.
"""

import json
from datetime import UTC, datetime
from typing import Any

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import TrackingEvent

from ..events import make_event

CARRIER = "shopify"


def parse(payload: bytes | str | dict[str, Any], *, tracking_number: str) -> list[TrackingEvent]:
    """The event, bare or wrapped as `{"fulfillment_event": {...}}`, under `tracking_number`."""
    event = _event_object(payload)
    if not tracking_number.strip():
        raise InvalidEvent(f"shopify: fulfillment event {event.get('id')} needs a tracking number")
    status = event.get("status")
    if not isinstance(status, str) or not status.strip():
        raise InvalidEvent(f"shopify: fulfillment event {event.get('id')} has no status")
    # happened_at is when the carrier saw it; created_at (when Shopify stored it) only if absent.
    stamp = event.get("happened_at") or event.get("created_at")
    moment = _moment(stamp)
    if moment is None:
        raise InvalidEvent(f"shopify: fulfillment event {event.get('id')} has no time {stamp!r}")
    message = event.get("message")
    return [
        make_event(
            CARRIER,
            tracking_number,
            moment,
            status.strip(),
            message if isinstance(message, str) else "",
            _location(event),
        )
    ]


def _event_object(payload: bytes | str | dict[str, Any]) -> dict[str, Any]:
    document: Any = payload
    if not isinstance(payload, dict):
        try:
            document = json.loads(payload)
        except ValueError as error:
            raise InvalidEvent(f"shopify: payload is not JSON ({error})") from None
    if isinstance(document, dict) and isinstance(document.get("fulfillment_event"), dict):
        document = document["fulfillment_event"]
    if not isinstance(document, dict):
        raise InvalidEvent("shopify: fulfillment event is not a JSON object")
    return document


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _location(event: dict[str, Any]) -> str:
    parts = (event.get(key) for key in ("city", "province", "country"))
    return ", ".join(part.strip() for part in parts if isinstance(part, str) and part.strip())
