"""UPS Track API v1 JSON answers turned into tracking events with UTC times."""

from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import TrackingEvent, merge

from ..events import load_json, local_time, make_event, str_or_empty
from ..returns import RETURN_SUFFIX
from .codes import STATUS_TYPES

CARRIER = "ups"
RETURNED_TO_SHIPPER = "RS"
"""Activity status type that marks a package on its way back to the shipper."""

# Used only when an activity has no gmtDate/gmtTime/gmtOffset (older answers, the OpenAPI
# example): the wall-clock time is then read in the zone of the activity's location.
COUNTRY_ZONES = {
    "AT": "Europe/Vienna", "BE": "Europe/Brussels", "CH": "Europe/Zurich",
    "CN": "Asia/Shanghai", "CZ": "Europe/Prague", "DE": "Europe/Berlin",
    "DK": "Europe/Copenhagen", "ES": "Europe/Madrid", "FI": "Europe/Helsinki",
    "FR": "Europe/Paris", "GB": "Europe/London", "HK": "Asia/Hong_Kong",
    "IE": "Europe/Dublin", "IT": "Europe/Rome", "JP": "Asia/Tokyo",
    "LU": "Europe/Luxembourg", "NL": "Europe/Amsterdam", "NO": "Europe/Oslo",
    "PL": "Europe/Warsaw", "PT": "Europe/Lisbon", "SE": "Europe/Stockholm",
    "SG": "Asia/Singapore", "TW": "Asia/Taipei",
}  # fmt: skip
# US states by the zone most of each state keeps; the few split states lean on their majority.
US_STATE_ZONES = {
    "America/New_York": "CT DC DE FL GA IN KY MA MD ME MI NC NH NJ NY OH PA RI SC VA VT WV",
    "America/Chicago": "AL AR IA IL KS LA MN MO MS ND NE OK SD TN TX WI",
    "America/Denver": "CO ID MT NM UT WY",
    "America/Phoenix": "AZ",
    "America/Los_Angeles": "CA NV OR WA",
    "America/Anchorage": "AK",
    "Pacific/Honolulu": "HI",
}
STATE_ZONES = {state: zone for zone, states in US_STATE_ZONES.items() for state in states.split()}


def parse(payload: bytes | str, *, tracking_number: str = "") -> list[TrackingEvent]:
    """Activities of every package in a Track API answer, oldest first."""
    document = load_json(payload, CARRIER)
    if not isinstance(document, dict):
        raise InvalidEvent("ups: Track API answer is not a JSON object")
    if "trackResponse" not in document:
        raise InvalidEvent(f"ups: {_error_text(document)}")
    body = document["trackResponse"]
    shipments = body.get("shipment") if isinstance(body, dict) else None
    if not isinstance(shipments, list):
        raise InvalidEvent("ups: trackResponse has no `shipment` list")
    events: list[TrackingEvent] = []
    for index, shipment in enumerate(shipments):
        if not isinstance(shipment, dict):
            raise InvalidEvent(f"ups: shipment[{index}] is not an object")
        fallback = str(shipment.get("inquiryNumber") or tracking_number)
        # A shipment without packages carries only warnings such as "not found": no events.
        for package in shipment.get("package") or []:
            events.extend(_package_events(package, fallback))
    return merge(events)


def _error_text(document: dict[str, Any]) -> str:
    response = document.get("response")
    errors = response.get("errors") if isinstance(response, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return f"Track API error {errors[0].get('code', '')}: {errors[0].get('message', '')}"
    return "not a Track API answer (no trackResponse)"


def _package_events(package: Any, fallback: str) -> list[TrackingEvent]:
    if not isinstance(package, dict):
        raise InvalidEvent("ups: package is not an object")
    # The package's own number: with several packages each activity belongs to one of them.
    number = str(package.get("trackingNumber") or fallback)
    if not number:
        raise InvalidEvent("ups: package has neither trackingNumber nor inquiryNumber")
    activities = package.get("activity") or []
    return [_event(number, index, item) for index, item in enumerate(activities)]


def _event(number: str, index: int, item: Any) -> TrackingEvent:
    if not isinstance(item, dict):
        raise InvalidEvent(f"ups: {number} activity[{index}] is not an object")
    status = item.get("status")
    if not isinstance(status, dict):
        status = {}
    raw = status.get("code")
    code = raw.strip() if isinstance(raw, str) else ""
    if not code:
        raise InvalidEvent(f"ups: {number} activity[{index}] has no status code")
    if status.get("type") == RETURNED_TO_SHIPPER:
        code += RETURN_SUFFIX
    location = item.get("location")
    address = location.get("address") if isinstance(location, dict) else None
    if not isinstance(address, dict):
        address = {}
    city = _str(address.get("city"))
    state = _str(address.get("stateProvince"))
    country = _str(address.get("countryCode"))
    try:
        moment = _moment(item, country, state)
    except (ValueError, TypeError, AttributeError):
        raise InvalidEvent(
            f"ups: {number} activity[{index}] has an unreadable date, time or offset"
        ) from None
    description = str_or_empty(status.get("description"))
    event = make_event(CARRIER, number, moment, code, description, _place(city, state, country))
    fallback = STATUS_TYPES.get(str_or_empty(status.get("type")))
    if event.status is None and fallback is not None:
        # An activity code not in the table yet: UPS's status type still says what happened.
        event = replace(event, status=fallback[0], reason=fallback[1])
    return event


def _moment(item: dict[str, Any], country: str, state: str) -> datetime:
    """UTC from gmtDate/gmtTime; else local date/time with gmtOffset, else the place's zone."""
    if item.get("gmtDate") and item.get("gmtTime"):
        return datetime.fromisoformat(_iso(item["gmtDate"], item["gmtTime"]) + "+00:00")
    local = _iso(item.get("date"), item.get("time"))
    offset = item.get("gmtOffset")
    if offset:
        return datetime.fromisoformat(local + offset)
    return local_time(datetime.fromisoformat(local), _place_zone(country, state))


def _iso(date: Any, time: Any) -> str:
    """`YYYYMMDD` and `HHMMSS` as ISO 8601 (UPS drops the leading zero of gmtTime)."""
    day = date if isinstance(date, str) and len(date) == 8 else str(date).replace("-", "")
    clock = time if isinstance(time, str) and len(time) == 6 else str(time).replace(":", "")
    clock = clock.zfill(6)
    return f"{day[0:4]}-{day[4:6]}-{day[6:8]}T{clock[0:2]}:{clock[2:4]}:{clock[4:6]}"


def _place_zone(country: str, state: str) -> str:
    zone = STATE_ZONES.get(state) if country == "US" else None
    # A place we cannot place is read as UTC: the event is kept, hours off at worst.
    return zone or COUNTRY_ZONES.get(country) or "UTC"


@lru_cache(maxsize=4096)
def _place(city: str, state: str, country: str) -> str:
    return ", ".join(part for part in (city, state, country) if part)


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
