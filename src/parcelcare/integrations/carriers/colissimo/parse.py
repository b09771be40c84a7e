"""La Poste Suivi v2 (Colissimo) JSON answers turned into tracking events with UTC times."""

from typing import Any

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import TrackingEvent, merge

from ..events import iso_time, load_json, make_event, str_or_empty

CARRIER = "colissimo"
ZONE = "Europe/Paris"
"""Where a time sent without an offset is read: French wall-clock time."""
FOUND = frozenset({200, 207})
"""returnCode values of an answer that holds a shipment (207: found, partly)."""
NOT_FOUND = 404


def parse(payload: bytes | str, *, tracking_number: str = "") -> list[TrackingEvent]:
    """Events of one `idships` answer or a list of them, oldest first."""
    document = load_json(payload, CARRIER)
    answers = document if isinstance(document, list) else [document]
    events: list[TrackingEvent] = []
    for index, answer in enumerate(answers):
        if not isinstance(answer, dict) or "returnCode" not in answer:
            raise InvalidEvent(
                f"colissimo: answer {index} is not a Suivi v2 answer (no returnCode)"
            )
        code = answer["returnCode"]
        if code == NOT_FOUND:
            continue
        if code not in FOUND:
            raise InvalidEvent(
                f"colissimo: Suivi answered {code}: {answer.get('returnMessage', '')}"
            )
        events.extend(_shipment_events(answer.get("shipment"), tracking_number, index))
    return merge(events)


def _shipment_events(shipment: Any, fallback: str, index: int) -> list[TrackingEvent]:
    if not isinstance(shipment, dict):
        raise InvalidEvent(f"colissimo: answer {index} has no shipment")
    number = str(shipment.get("idShip") or fallback)
    if not number:
        raise InvalidEvent(f"colissimo: answer {index} has no idShip")
    raw = shipment.get("event") or []
    if not isinstance(raw, list):
        raise InvalidEvent(f"colissimo: {number} event is not a list")
    return [_event(number, position, item) for position, item in enumerate(raw)]


def _event(number: str, position: int, item: Any) -> TrackingEvent:
    if not isinstance(item, dict):
        raise InvalidEvent(f"colissimo: {number} event[{position}] is not an object")
    code = item.get("code")
    if not isinstance(code, str) or not code.strip():
        raise InvalidEvent(f"colissimo: {number} event[{position}] has no code")
    value = item.get("date")
    moment = iso_time(value, ZONE)
    if moment is None:
        raise InvalidEvent(
            f"colissimo: {number} event[{position}] has an unreadable date {value!r}"
        )
    label = str_or_empty(item.get("label"))
    return make_event(CARRIER, number, moment, code.strip(), label)
