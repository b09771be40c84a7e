"""PostNL ShippingStatus REST responses turned into tracking events with UTC times."""

import json
from datetime import datetime
from typing import Any

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import TrackingEvent, merge

from ..events import each_object, load_json, local_time, make_event, str_or_empty

CARRIER = "postnl"
ZONE = "Europe/Amsterdam"
NOT_FOUND = "2"
"""Warning code of "No shipment found": a valid answer that holds no events."""


def parse(payload: bytes | str, *, tracking_number: str = "") -> list[TrackingEvent]:
    """Events of a CompleteStatus, CurrentStatus or updated-shipments answer, oldest first."""
    document = load_json(payload, CARRIER)
    if isinstance(document, list):
        shipments = document
    elif isinstance(document, dict):
        shipments = _shipments(document)
    else:
        raise InvalidEvent("postnl: expected a JSON object or list")
    return merge(
        each_object(
            shipments,
            carrier="postnl",
            name="shipments",
            parse_one=lambda _, shipment: _shipment_events(shipment, tracking_number),
        )
    )


def _shipments(document: dict[str, Any]) -> list[Any]:
    """The shipments of a CompleteStatus or CurrentStatus answer."""
    if "Errors" in document or "fault" in document:
        raise InvalidEvent(f"postnl: error answer {_error_text(document)}")
    for key in ("CompleteStatus", "CurrentStatus"):
        if key in document:
            body = document[key]
            if not isinstance(body, dict):
                raise InvalidEvent(f"postnl: {key} is not an object")
            return _as_list(body.get("Shipment"))
    if _not_found(document):
        return []
    raise InvalidEvent("postnl: not a ShippingStatus answer (no CompleteStatus or CurrentStatus)")


def _not_found(document: dict[str, Any]) -> bool:
    warnings = _as_list(document.get("Warnings"))
    return any(isinstance(w, dict) and w.get("Code") == NOT_FOUND for w in warnings)


def _error_text(document: dict[str, Any]) -> str:
    # Shown to an operator: the structure differs per PostNL gateway, so keep it short and raw.
    return json.dumps(document.get("Errors") or document.get("fault"), ensure_ascii=False)[:300]


def _shipment_events(shipment: dict[str, Any], fallback: str) -> list[TrackingEvent]:
    """Every Event of one shipment; its Status only when PostNL sends no event list."""
    number = _text(shipment.get("Barcode")) or _text(shipment.get("MainBarcode")) or fallback
    if not number:
        raise InvalidEvent("postnl: shipment has no Barcode")
    raw_events = _as_list(shipment.get("Event"))
    if raw_events:
        return [_event(number, index, item) for index, item in enumerate(raw_events)]
    status = shipment.get("Status")
    if isinstance(status, dict) and status:
        return [_status_event(number, status)]
    return []


def _event(number: str, index: int, item: Any) -> TrackingEvent:
    if not isinstance(item, dict):
        raise InvalidEvent(f"postnl: {number} Event[{index}] is not an object")
    code = item.get("Code")
    if not isinstance(code, str) or not code:
        raise InvalidEvent(f"postnl: {number} Event[{index}] has no Code")
    stamp = item.get("TimeStamp")
    moment = _time(stamp)
    if moment is None:
        raise InvalidEvent(f"postnl: {number} Event[{index}] has an unreadable time {stamp!r}")
    description = str_or_empty(item.get("Description"))
    location = str_or_empty(item.get("LocationCode"))
    return make_event(CARRIER, number, moment, code, description, location)


def _status_event(number: str, status: dict[str, Any]) -> TrackingEvent:
    """The current status as an event; updated-shipments spells its field `Timestamp`."""
    code = _text(status.get("StatusCode"))
    if not code:
        raise InvalidEvent(f"postnl: {number} Status has no StatusCode")
    stamp = status.get("TimeStamp") or status.get("Timestamp")
    moment = _time(stamp)
    if moment is None:
        raise InvalidEvent(f"postnl: {number} Status has an unreadable time {stamp!r}")
    return make_event(CARRIER, number, moment, code, _text(status.get("StatusDescription")))


def _time(value: Any) -> datetime | None:
    """`dd-mm-yyyy HH:MM:SS[.fff]` or ISO 8601, wall-clock time in Amsterdam unless offset."""
    if not isinstance(value, str) or len(value) < 16:
        return None
    text = value
    if value[2] == "-" and value[5] == "-":
        text = f"{value[6:10]}-{value[3:5]}-{value[0:2]}T{value[11:]}"
    tail = text[16:]
    try:
        if "+" in tail or "-" in tail or "Z" in tail:
            return datetime.fromisoformat(text)
        # Where a DST change skips or repeats an hour, the offset valid before it applies:
        # 29-03-2026 02:30 (which does not exist) is 01:30 UTC, like 03:30 CEST, and the
        # repeated 25-10-2026 02:30 is the first one, 00:30 UTC. PostNL sends no offset to
        # tell them apart.
        return local_time(datetime.fromisoformat(text), ZONE)
    except ValueError:
        return None


def _as_list(value: Any) -> list[Any]:
    """PostNL sends one item as an object, several as a list, and none as `{}`."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and value:
        return [value]
    return []


def _text(value: Any) -> str:
    """A text field; PostNL encodes an empty field as `{}`."""
    return value.strip() if isinstance(value, str) else ""
