"""PostNL ShippingStatus REST responses turned into tracking events with UTC times."""

import json
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import TrackingEvent, merge

from ..events import make_event

CARRIER = "postnl"
TZ = ZoneInfo("Europe/Amsterdam")
NOT_FOUND = "2"
"""Warning code of "No shipment found": a valid answer that holds no events."""


def parse(payload: bytes | str, *, tracking_number: str = "") -> list[TrackingEvent]:
    """Events of a CompleteStatus, CurrentStatus or updated-shipments answer, oldest first."""
    document = _load(payload)
    if isinstance(document, list):
        shipments = document
    elif isinstance(document, dict):
        shipments = _shipments(document)
    else:
        raise InvalidEvent("postnl: expected a JSON object or list")
    events: list[TrackingEvent] = []
    for index, shipment in enumerate(shipments):
        if not isinstance(shipment, dict):
            raise InvalidEvent(f"postnl: shipment {index} is not an object")
        events.extend(_shipment_events(shipment, tracking_number))
    return merge(events)


def _load(payload: bytes | str) -> Any:
    try:
        return json.loads(payload)
    except ValueError as error:
        raise InvalidEvent(f"postnl: payload is not JSON ({error})") from None


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
    description = item.get("Description")
    location = item.get("LocationCode")
    return make_event(
        CARRIER,
        number,
        moment,
        code,
        description if isinstance(description, str) else "",
        location if isinstance(location, str) else "",
    )


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
    # Cached per hour: converting every event through the zone rules costs more than the rest
    # of the parse.
    try:
        if "+" in tail or "-" in tail or "Z" in tail:
            return datetime.fromisoformat(text)
        return datetime.fromisoformat(text + _offset(text[:13]))
    except ValueError:
        return None


@lru_cache(maxsize=8192)
def _offset(hour: str) -> str:
    """The UTC offset of one wall-clock hour in Amsterdam (`yyyy-mm-ddTHH`), as `+HH:MM`."""
    # One offset serves the whole local hour because Amsterdam changes it on the hour. In the
    # hour a DST change skips or repeats, fold=0 picks the offset valid before the change:
    # 29-03-2026 02:30 (which does not exist) is 01:30 UTC, like 03:30 CEST, and the repeated
    # 25-10-2026 02:30 is the first one, 00:30 UTC. PostNL sends no offset to tell them apart.
    start = datetime(int(hour[0:4]), int(hour[5:7]), int(hour[8:10]), int(hour[11:13]), tzinfo=TZ)
    minutes = int((start.utcoffset() or timedelta(0)).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


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
