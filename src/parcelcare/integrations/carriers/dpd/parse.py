"""DPD ParcelLifeCycle (SOAP getTrackingData) answers turned into events with UTC times."""

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import TrackingEvent, merge

from ..events import make_event
from ..xml import inner_text, load_xml, tag_name

CARRIER = "dpd"
TZ = ZoneInfo("Europe/Berlin")
"""The service sends wall-clock times without offset; the depots it covers keep CET/CEST."""

# The date text follows the request's `messageLanguage`: en_US sends "8/17/2021 7:11:26 PM";
# day-first forms such as "17.08.2021 19:11" are read too (seconds optional in both).
US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp][Mm])")
EU_DATE = re.compile(r"(\d{1,2})[.-](\d{1,2})[.-](\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse(payload: bytes | str, *, tracking_number: str = "") -> list[TrackingEvent]:
    """Events reached so far in a getTrackingData answer for `tracking_number`, oldest first."""
    # The answer does not name the parcel, so the number asked for is needed unless the answer
    # happens to carry a parcelLabelNumber.
    root = load_xml(payload, CARRIER)
    _raise_fault(root)
    result = next((e for e in root.iter() if tag_name(e.tag) == "trackingresult"), None)
    if result is None:
        raise InvalidEvent("dpd: XML is not a getTrackingData answer (no trackingresult)")
    label = next((e.text for e in result.iter() if tag_name(e.tag) == "parcelLabelNumber"), None)
    number = (label or tracking_number).strip()
    if not number:
        raise InvalidEvent("dpd: the answer does not name the parcel; pass tracking_number")
    events: list[TrackingEvent] = []
    for index, info in enumerate(e for e in result if tag_name(e.tag) == "statusInfo"):
        fields = {tag_name(child.tag): child for child in info}
        # Steps DPD has not reached yet are listed too, without a date: they are no events.
        if inner_text(fields.get("statusHasBeenReached")) != "true":
            continue
        where = f"{number} statusInfo {index}"
        code = inner_text(fields.get("status"))
        if not code:
            raise InvalidEvent(f"dpd: {where} has no status")
        events.append(
            make_event(
                CARRIER,
                number,
                _time(_content(fields.get("date")), where),
                code,
                _content(fields.get("description")),
                _content(fields.get("location")),
            )
        )
    return merge(_apart(events))


def _apart(events: list[TrackingEvent]) -> list[TrackingEvent]:
    """Scans with one time and status at different places kept apart on the natural key."""
    # DPD reports to the second, so the n-th different scan of a (time, status) in the answer's
    # own order moves n microseconds on: the first keeps its key, a later poll listing the same
    # steps gives the same keys (replays still deduplicate), and an exact repeat stays one.
    places: dict[tuple[datetime, str], list[tuple[str, str]]] = {}
    kept = []
    for event in events:
        seen = places.setdefault((event.occurred_at, event.code), [])
        place = (event.location, event.description)
        if place not in seen:
            seen.append(place)
        shift = timedelta(microseconds=seen.index(place))
        kept.append(replace(event, occurred_at=event.occurred_at + shift) if shift else event)
    return kept


def _raise_fault(root: ET.Element) -> None:
    """A SOAP fault (authentication, unknown parcel number) becomes a precise InvalidEvent."""
    fault = next((e for e in root.iter() if tag_name(e.tag) == "Fault"), None)
    if fault is None:
        return
    texts = {tag_name(e.tag): inner_text(e) for e in fault.iter()}
    code = texts.get("errorCode") or texts.get("faultcode", "")
    message = texts.get("errorMessage") or texts.get("faultstring", "")
    raise InvalidEvent(f"dpd: SOAP fault {code}: {message}")


def _time(value: str, where: str) -> datetime:
    """A wall-clock date in either locale's form, read in DPD's zone (fold=0 at DST changes)."""
    try:
        if match := US_DATE.fullmatch(value):
            month, day, year, hour, minute, second, half = match.groups()
            # 12 AM is midnight and 12 PM is noon: the hour is taken modulo 12 first.
            hour24 = int(hour) % 12 + (12 if half.upper() == "PM" else 0)
        elif match := EU_DATE.fullmatch(value):
            day, month, year, hour, minute, second = match.groups()
            hour24 = int(hour)
        else:
            raise ValueError(value)
        return datetime(
            int(year), int(month), int(day), hour24, int(minute), int(second or 0), tzinfo=TZ
        )
    except ValueError:
        raise InvalidEvent(f"dpd: {where} has an unreadable date {value!r}") from None


def _content(element: ET.Element | None) -> str:
    """The text of a DPD content block: the innermost `content` child holds it."""
    if element is None:
        return ""
    leaves = [e for e in element.iter() if tag_name(e.tag) == "content" and len(e) == 0]
    return inner_text(leaves[0]) if leaves else ""
