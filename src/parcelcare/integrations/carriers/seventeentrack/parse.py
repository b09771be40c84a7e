"""17TRACK track info (webhook pushes and gettrackinfo answers) turned into events in UTC.

Every event of every provider (carrier leg) becomes one event of carrier "17track" under the
registered number. Its code is the event's own `sub_status`, else its `stage`. When an event
carries neither, only the newest event of the tracking takes the tracking's `latest_status`
(its sub-status, else its main status); older ones keep an empty code and status None, because
17TRACK's latest status says what the parcel is now, not what an older scan meant.
Times: `time_utc` when given, else `time_iso` with its offset; a `time_iso` without an offset
is read as UTC, which can be off by the carrier's local offset.
"""

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import TrackingEvent, merge

from ..events import each_object, make_event

CARRIER = "17track"


@dataclass(frozen=True)
class _Scan:
    """One provider event before its code is settled."""

    moment: datetime
    code: str
    description: str
    location: str


def parse(
    payload: bytes | str | dict[str, Any], *, tracking_number: str = ""
) -> list[TrackingEvent]:
    """Events of a TRACKING_UPDATED push or a gettrackinfo answer (`data.accepted[]`)."""
    document = _load(payload)
    data = document.get("data")
    if not isinstance(data, dict):
        raise InvalidEvent("17track: payload has no `data` object")
    if data.get("errors"):
        raise InvalidEvent(f"17track: error answer {json.dumps(data['errors'])[:200]}")
    # A gettrackinfo answer lists numbers under `accepted`; a push carries one number as `data`.
    items = data["accepted"] if isinstance(data.get("accepted"), list) else [data]
    return merge(
        each_object(
            items,
            carrier="17track",
            name="accepted",
            parse_one=lambda _, item: parse_item(item, tracking_number=tracking_number),
        )
    )


def parse_item(item: dict[str, Any], *, tracking_number: str = "") -> list[TrackingEvent]:
    """The events of one number's `track_info`, oldest first; none while 17TRACK has no data."""
    number = _text(item.get("number")) or tracking_number
    if not number:
        raise InvalidEvent("17track: item has no number")
    info = item.get("track_info")
    if info is None:
        return []
    if not isinstance(info, dict):
        raise InvalidEvent(f"17track: {number} track_info is not an object")
    scans = _scans(number, info)
    if scans:
        newest = max(range(len(scans)), key=lambda i: scans[i].moment)
        if not scans[newest].code:
            latest = info.get("latest_status")
            code = _latest_code(latest) if isinstance(latest, dict) else ""
            scans[newest] = replace(scans[newest], code=code)
    return merge(
        make_event(CARRIER, number, s.moment, s.code, s.description, s.location) for s in scans
    )


def _scans(number: str, info: dict[str, Any]) -> list[_Scan]:
    tracking = info.get("tracking")
    providers = tracking.get("providers") if isinstance(tracking, dict) else None
    scans: list[_Scan] = []
    for p_index, provider in enumerate(providers or []):
        events = provider.get("events") if isinstance(provider, dict) else None
        if not isinstance(events, list):
            raise InvalidEvent(f"17track: {number} providers[{p_index}] has no events list")
        for e_index, event in enumerate(events):
            where = f"17track: {number} providers[{p_index}].events[{e_index}]"
            if not isinstance(event, dict):
                raise InvalidEvent(f"{where} is not an object")
            moment = event_time(event)
            if moment is None:
                raise InvalidEvent(f"{where} has no readable time_utc or time_iso")
            code = _text(event.get("sub_status")) or _text(event.get("stage"))
            scans.append(_Scan(moment, code, _text(event.get("description")), _location(event)))
    return scans


def event_time(event: dict[str, Any]) -> datetime | None:
    """`time_utc`, else `time_iso`; a value without an offset counts as UTC."""
    for key in ("time_utc", "time_iso"):
        value = event.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            continue
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return None


def _latest_code(latest: dict[str, Any]) -> str:
    return _text(latest.get("sub_status")) or _text(latest.get("status"))


def _location(event: dict[str, Any]) -> str:
    text = _text(event.get("location"))
    if text:
        return text
    address = event.get("address")
    if not isinstance(address, dict):
        return ""
    parts = (_text(address.get(key)) for key in ("city", "state", "country"))
    return ", ".join(part for part in parts if part)


def _load(payload: bytes | str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(payload, dict):
        return payload
    try:
        document = json.loads(payload)
    except ValueError as error:
        raise InvalidEvent(f"17track: payload is not JSON ({error})") from None
    if not isinstance(document, dict):
        raise InvalidEvent("17track: payload is not a JSON object")
    return document


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
