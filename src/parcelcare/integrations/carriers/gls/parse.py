"""GLS Group track-and-trace JSON answers turned into tracking events with UTC times."""

from typing import Any

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import TrackingEvent, merge

from ..events import each_object, iso_time, load_json, make_event, str_or_empty

CARRIER = "gls"
ZONE = "Europe/Berlin"
"""Where a time sent without an offset is read: German wall-clock time."""
NOT_FOUND = "E_404"
"""Prefix of a parcel's errorCode when GLS has no data for it yet."""


def parse(payload: bytes | str, *, tracking_number: str = "") -> list[TrackingEvent]:
    """Events of every parcel in a track-and-trace answer, oldest first."""
    document = load_json(payload, CARRIER)
    parcels = document.get("parcels") if isinstance(document, dict) else None
    if not isinstance(parcels, list):
        raise InvalidEvent("gls: not a track-and-trace answer (no `parcels` list)")
    return merge(
        each_object(
            parcels,
            carrier="gls",
            name="parcels",
            parse_one=lambda i, parcel: _parcel_events(parcel, tracking_number, f"parcels[{i}]"),
        )
    )


def _parcel_events(parcel: dict[str, Any], fallback: str, where: str) -> list[TrackingEvent]:
    """Every event of a parcel; its status only when GLS sends no events."""
    number = str(parcel.get("unitno") or parcel.get("requested") or fallback)
    error = str(parcel.get("errorCode") or "")
    if error.startswith(NOT_FOUND):
        return []
    if error:
        raise InvalidEvent(f"gls: {number}: {error} {parcel.get('errorMessage', '')}".strip())
    if not number:
        raise InvalidEvent(f"gls: {where} has neither unitno nor requested")
    raw = parcel.get("events") or []
    if not isinstance(raw, list):
        raise InvalidEvent(f"gls: {where}.events is not a list")
    if raw:
        return [_event(number, index, item) for index, item in enumerate(raw)]
    if parcel.get("status") and parcel.get("statusDateTime"):
        value = parcel["statusDateTime"]
        when = iso_time(value, ZONE)
        if when is None:
            raise InvalidEvent(f"gls: {number} statusDateTime is unreadable: {value!r}")
        return [make_event(CARRIER, number, when, str(parcel["status"]))]
    return []


def _event(number: str, index: int, item: Any) -> TrackingEvent:
    if not isinstance(item, dict):
        raise InvalidEvent(f"gls: {number} events[{index}] is not an object")
    code = item.get("code")
    if not isinstance(code, str) or not code.strip():
        raise InvalidEvent(f"gls: {number} events[{index}] has no code")
    value = item.get("eventDateTime")
    when = iso_time(value, ZONE)
    if when is None:
        raise InvalidEvent(f"gls: {number} events[{index}] has an unreadable time {value!r}")
    city, country = item.get("city"), item.get("country")
    place = ", ".join(part for part in (city, country) if isinstance(part, str) and part)
    description = str_or_empty(item.get("description"))
    return make_event(CARRIER, number, when, code.strip(), description, place)
