"""bpost item tracking XML answers turned into tracking events with UTC times."""

import xml.etree.ElementTree as ET
from datetime import datetime

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import TrackingEvent, merge

from ..events import local_time, make_event

CARRIER = "bpost"
ZONE = "Europe/Brussels"
ERRORS = frozenset({"systemException", "businessException", "validationException"})
"""Root elements of bpost's error answers."""


def parse(payload: bytes | str, *, tracking_number: str = "") -> list[TrackingEvent]:
    """Every state of every item in an itemTracking answer, oldest first."""
    # Which state is current is the timeline's job (the newest one), never the parser's.
    root = _xml_root(payload)
    name = _local(root.tag)
    if name in ERRORS:
        message = next((e.text for e in root.iter() if _local(e.tag) == "message"), "") or ""
        raise InvalidEvent(f"bpost: {name}: {' '.join(message.split())}")
    items = (
        [root] if name == "itemTracking" else [e for e in root if _local(e.tag) == "itemTracking"]
    )
    if not items:
        raise InvalidEvent(f"bpost: XML is not an itemTracking answer (root {name})")
    events: list[TrackingEvent] = []
    for item in items:
        fields = {_local(child.tag): child for child in item}
        number = _text(fields.get("itemCode")) or tracking_number
        if not number:
            raise InvalidEvent("bpost: itemTracking has no itemCode")
        states = [child for child in item if _local(child.tag) == "stateInfo"]
        events.extend(
            _state_event(number, state, f"{number} stateInfo {i}") for i, state in enumerate(states)
        )
    return merge(events)


def _state_event(number: str, state: ET.Element, where: str) -> TrackingEvent:
    fields = {_local(child.tag): child for child in state}
    code = _text(fields.get("stateCode"))
    if not code:
        raise InvalidEvent(f"bpost: {where} has no stateCode")
    value = _text(fields.get("time"))
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidEvent(f"bpost: {where} has an unreadable time {value!r}") from None
    if moment.tzinfo is None:
        moment = local_time(moment, ZONE)
    return make_event(CARRIER, number, moment, code, _text(fields.get("stateDescription")))


def _xml_root(payload: bytes | str) -> ET.Element:
    if isinstance(payload, bytes):
        try:
            payload = payload.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidEvent("bpost: payload is not UTF-8") from None
    # A DTD can declare entities that expand without bound or read local files: bpost never
    # sends one, so any document that has one is refused before the parser sees it.
    head = payload.upper()
    if "<!DOCTYPE" in head or "<!ENTITY" in head:
        raise InvalidEvent("bpost: XML with a DTD or entity declaration is refused")
    try:
        return ET.fromstring(payload)
    except ET.ParseError as error:
        raise InvalidEvent(f"bpost: payload is not well-formed XML ({error})") from None


def _text(element: ET.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]
