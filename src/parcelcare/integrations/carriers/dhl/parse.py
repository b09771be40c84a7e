"""DHL Parcel DE piece-detail XML and Shipment Tracking - Unified JSON turned into events."""

import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import TrackingEvent, merge

from ..events import each_object, iso_time, load_json, local_time, make_event, str_or_empty, text_of
from ..returns import RETURN_SUFFIX
from ..xml import load_xml

CARRIER = "dhl"
ZONE = "Europe/Berlin"

ICE_FIRST = frozenset({"RETRN", "DSPSD"})
"""ICE codes that say more than the standard code sent beside them (a return, a disposal)."""

SERVICE_ZONES = {
    "parcel-de": "Europe/Berlin",
    "post-de": "Europe/Berlin",
    "parcel-nl": "Europe/Amsterdam",
    "parcel-pl": "Europe/Warsaw",
    "parcel-uk": "Europe/London",
}
"""Where a Unified service's wall-clock times (sent without offset) are read."""

NO_DATA = "100"
"""Parcel DE answer code for "no data found": a valid answer that holds no events."""


def parse(payload: bytes | str, *, tracking_number: str = "") -> list[TrackingEvent]:
    """Events of a Parcel DE piece-shipment list or a Unified shipments answer, oldest first."""
    text = text_of(payload, CARRIER)
    start = text.lstrip()[:1]
    if start == "<":
        return merge(_parcel_de(text))
    if start == "{":
        return merge(_unified(text, tracking_number))
    raise InvalidEvent("dhl: payload is neither Parcel DE XML nor Unified JSON")


# --- Parcel DE XML (d-get-piece-detail) -------------------------------------------------------


def _parcel_de(text: str) -> list[TrackingEvent]:
    root = load_xml(text, CARRIER)
    if root.tag != "data" or root.get("name") != "piece-shipment-list":
        raise InvalidEvent("dhl: XML is not a Parcel DE piece-shipment-list")
    code = root.get("code", "0")
    if code == NO_DATA:
        return []
    if code != "0":
        raise InvalidEvent(f"dhl: Parcel DE answered code {code}: {root.get('error', '')}")
    events: list[TrackingEvent] = []
    for piece in root.iter("data"):
        if piece.get("name") == "piece-shipment" and piece.get("error-status", "0") == "0":
            events.extend(_piece_events(piece))
    return events


def _piece_events(piece: ET.Element) -> list[TrackingEvent]:
    number = piece.get("piece-code") or piece.get("searched-piece-code") or ""
    if not number:
        raise InvalidEvent("dhl: piece-shipment has no piece-code")
    events = []
    for index, item in enumerate(e for e in piece.iter("data") if e.get("name") == "piece-event"):
        where = f"{number} piece-event {index}"
        events.append(
            make_event(
                CARRIER,
                number,
                _de_time(item.get("event-timestamp", ""), where),
                _de_code(item, where),
                item.get("event-text") or item.get("event-status") or "",
                _join(item.get("event-location"), item.get("event-country")),
            )
        )
    return events


def _de_code(item: ET.Element, where: str) -> str:
    """The standard event code, or the ICE code where that says more, marked on a return leg."""
    ice = item.get("ice", "")
    code = ice if ice in ICE_FIRST else item.get("standard-event-code") or ice
    if not code:
        raise InvalidEvent(f"dhl: {where} has neither standard-event-code nor ice")
    return code + RETURN_SUFFIX if item.get("ruecksendung") == "true" else code


def _de_time(value: str, where: str) -> datetime:
    """`dd.mm.yyyy HH:MM`, wall-clock time in Germany."""
    text = value.strip()
    try:
        if len(text) < 16 or text[2] != "." or text[5] != ".":
            raise ValueError(text)
        naive = datetime.fromisoformat(f"{text[6:10]}-{text[3:5]}-{text[0:2]}T{text[11:]}")
    except ValueError:
        raise InvalidEvent(f"dhl: {where} has an unreadable time {value!r}") from None
    return local_time(naive, ZONE)


# --- Shipment Tracking - Unified JSON ---------------------------------------------------------


def _unified(text: str, fallback: str) -> list[TrackingEvent]:
    document = load_json(text, CARRIER)
    if not isinstance(document, dict):
        raise InvalidEvent("dhl: Unified answer is not a JSON object")
    if "shipments" not in document:
        return _problem(document)
    shipments = document["shipments"]
    if not isinstance(shipments, list):
        raise InvalidEvent("dhl: Unified `shipments` is not a list")
    return each_object(
        shipments,
        carrier="dhl",
        name="shipments",
        parse_one=lambda i, shipment: _shipment_events(shipment, fallback, f"shipments[{i}]"),
    )


def _problem(document: dict[str, Any]) -> list[TrackingEvent]:
    """A problem-details answer: 404 means no data yet, anything else is an error."""
    status = document.get("status")
    if status == 404:
        return []
    if isinstance(status, int) and "title" in document:
        detail = document.get("detail", "")
        raise InvalidEvent(f"dhl: Unified answered {status}: {document['title']} {detail}".strip())
    raise InvalidEvent("dhl: JSON is not a Unified shipments answer (no `shipments`)")


def _shipment_events(shipment: dict[str, Any], fallback: str, where: str) -> list[TrackingEvent]:
    """Every event; the status block only when the events list is empty."""
    number = str(shipment.get("id") or fallback)
    if not number:
        raise InvalidEvent(f"dhl: {where} has no id")
    service = str(shipment.get("service") or "")
    raw = shipment.get("events") or []
    if not raw and isinstance(shipment.get("status"), dict):
        raw = [shipment["status"]]
    if not isinstance(raw, list):
        raise InvalidEvent(f"dhl: {where}.events is not a list")
    events = [_unified_event(number, service, index, item) for index, item in enumerate(raw)]
    if events and shipment.get("returnFlag") is True:
        # The flag describes the shipment now, so it marks the newest event only; older events
        # keep the meaning they had when they happened.
        newest = max(range(len(events)), key=lambda i: events[i].occurred_at)
        events[newest] = _flagged(events[newest])
    return events


def _unified_event(number: str, service: str, index: int, item: Any) -> TrackingEvent:
    if not isinstance(item, dict):
        raise InvalidEvent(f"dhl: {number} events[{index}] is not an object")
    code = _unified_code(service, item)
    if not code:
        raise InvalidEvent(f"dhl: {number} events[{index}] has no statusCode")
    value = item.get("timestamp")
    # Without an offset a time is the service country's wall-clock time.
    moment = iso_time(value, SERVICE_ZONES.get(service, ZONE))
    if moment is None:
        raise InvalidEvent(f"dhl: {number} events[{index}] has an unreadable time {value!r}")
    location = item.get("location")
    address = location.get("address") if isinstance(location, dict) else None
    place = ""
    if isinstance(address, dict):
        place = _join(address.get("addressLocality"), address.get("countryCode"))
    description, remark = item.get("description"), item.get("remark")
    if remark:
        description = _join(description, remark, sep=" - ")
    return make_event(CARRIER, number, moment, code, str_or_empty(description), place)


def _unified_code(service: str, item: dict[str, Any]) -> str:
    # For parcel-de DHL puts the two-letter standard code in `status`; it is more precise than
    # the five coarse `statusCode` values (it tells a Packstation from a delivery van).
    status = item.get("status")
    if service == "parcel-de" and isinstance(status, str) and len(status) == 2 and status.isupper():
        return status
    return str_or_empty(item.get("statusCode"))


def _flagged(event: TrackingEvent) -> TrackingEvent:
    return make_event(
        CARRIER,
        event.tracking_number,
        event.occurred_at,
        event.code + RETURN_SUFFIX,
        event.description,
        event.location,
    )


def _join(*parts: Any, sep: str = ", ") -> str:
    return sep.join(part.strip() for part in parts if isinstance(part, str) and part.strip())
