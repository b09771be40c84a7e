"""bpost item tracking XML answers turned into tracking events with UTC times."""

import xml.etree.ElementTree as ET

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import TrackingEvent, merge

from ..events import iso_time, make_event
from ..xml import inner_text, load_xml, tag_name

CARRIER = "bpost"
ZONE = "Europe/Brussels"
ERRORS = frozenset({"systemException", "businessException", "validationException"})
"""Root elements of bpost's error answers."""


def parse(payload: bytes | str, *, tracking_number: str = "") -> list[TrackingEvent]:
    """Every state of every item in an itemTracking answer, oldest first."""
    # Which state is current is the timeline's job (the newest one), never the parser's.
    root = load_xml(payload, CARRIER)
    name = tag_name(root.tag)
    if name in ERRORS:
        message = next((e.text for e in root.iter() if tag_name(e.tag) == "message"), "") or ""
        raise InvalidEvent(f"bpost: {name}: {' '.join(message.split())}")
    items = (
        [root] if name == "itemTracking" else [e for e in root if tag_name(e.tag) == "itemTracking"]
    )
    if not items:
        raise InvalidEvent(f"bpost: XML is not an itemTracking answer (root {name})")
    events: list[TrackingEvent] = []
    for item in items:
        fields = {tag_name(child.tag): child for child in item}
        number = inner_text(fields.get("itemCode")) or tracking_number
        if not number:
            raise InvalidEvent("bpost: itemTracking has no itemCode")
        states = [child for child in item if tag_name(child.tag) == "stateInfo"]
        events.extend(
            _state_event(number, state, f"{number} stateInfo {i}") for i, state in enumerate(states)
        )
    return merge(events)


def _state_event(number: str, state: ET.Element, where: str) -> TrackingEvent:
    fields = {tag_name(child.tag): child for child in state}
    code = inner_text(fields.get("stateCode"))
    if not code:
        raise InvalidEvent(f"bpost: {where} has no stateCode")
    value = inner_text(fields.get("time"))
    moment = iso_time(value, ZONE)
    if moment is None:
        raise InvalidEvent(f"bpost: {where} has an unreadable time {value!r}")
    return make_event(CARRIER, number, moment, code, inner_text(fields.get("stateDescription")))
