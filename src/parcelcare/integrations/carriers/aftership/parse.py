"""AfterShip trackings (API answers and webhook `msg`) turned into events with UTC times.

Every checkpoint becomes one event of carrier "aftership" whose code is the checkpoint's
`subtag`; only a checkpoint without any subtag falls back to its `tag` (see codes.py).
`checkpoint_time` is the carrier's wall clock: with an offset it is exact; without one it is
read in the zone of the checkpoint's country when that country keeps a single zone, and as
UTC otherwise (the US, Spain, unknown or missing country), which can be off by a few hours.
"""

import json
from datetime import datetime
from typing import Any

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import TrackingEvent, merge

from ..events import each_object, local_time, make_event

CARRIER = "aftership"
NOT_FOUND = 4004
"""AfterShip `meta.code` of "Tracking does not exist": a valid answer that holds no events."""

# ISO 3166 alpha-3 countries that keep one time zone in their mainland and have no overseas
# parts under the same code; Spain and Portugal (Canaries, Azores) are left out on purpose.
COUNTRY_ZONES = {
    "AUT": "Europe/Vienna", "BEL": "Europe/Brussels", "CHE": "Europe/Zurich",
    "CHN": "Asia/Shanghai", "CZE": "Europe/Prague", "DEU": "Europe/Berlin",
    "DNK": "Europe/Copenhagen", "FIN": "Europe/Helsinki", "FRA": "Europe/Paris",
    "GBR": "Europe/London", "HKG": "Asia/Hong_Kong", "IRL": "Europe/Dublin",
    "ITA": "Europe/Rome", "JPN": "Asia/Tokyo", "KOR": "Asia/Seoul",
    "LUX": "Europe/Luxembourg", "NLD": "Europe/Amsterdam", "NOR": "Europe/Oslo",
    "POL": "Europe/Warsaw", "SGP": "Asia/Singapore", "SWE": "Europe/Stockholm",
    "TWN": "Asia/Taipei",
}  # fmt: skip


def parse(
    payload: bytes | str | dict[str, Any], *, tracking_number: str = ""
) -> list[TrackingEvent]:
    """Events of a /trackings answer (`data.trackings[]` or `data.tracking`), oldest first."""
    document = _load(payload)
    meta = document.get("meta")
    code = meta.get("code") if isinstance(meta, dict) else None
    if isinstance(code, int) and code >= 400:
        if code == NOT_FOUND:
            return []
        message = meta.get("message", "") if isinstance(meta, dict) else ""
        raise InvalidEvent(f"aftership: error answer {code}: {str(message)[:200]}")
    data = document.get("data")
    if not isinstance(data, dict):
        raise InvalidEvent("aftership: answer has no `data` object")
    if "trackings" in data:
        trackings = data["trackings"]
    elif "tracking" in data:
        trackings = [data["tracking"]]
    else:
        raise InvalidEvent("aftership: `data` has neither `trackings` nor `tracking`")
    if not isinstance(trackings, list):
        raise InvalidEvent("aftership: `data.trackings` is not a list")
    return merge(
        each_object(
            trackings,
            carrier="aftership",
            name="trackings",
            parse_one=lambda _, obj: parse_tracking(obj, tracking_number=tracking_number),
        )
    )


def parse_tracking(obj: dict[str, Any], *, tracking_number: str = "") -> list[TrackingEvent]:
    """The checkpoints of one tracking object (an API tracking or a webhook `msg`), oldest first."""
    number = _text(obj.get("tracking_number")) or tracking_number
    if not number:
        raise InvalidEvent("aftership: tracking has no tracking_number")
    checkpoints = obj.get("checkpoints") or []
    if not isinstance(checkpoints, list):
        raise InvalidEvent(f"aftership: {number} checkpoints is not a list")
    return merge(_event(number, index, item) for index, item in enumerate(checkpoints))


def _load(payload: bytes | str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(payload, dict):
        return payload
    try:
        document = json.loads(payload)
    except ValueError as error:
        raise InvalidEvent(f"aftership: payload is not JSON ({error})") from None
    if not isinstance(document, dict):
        raise InvalidEvent("aftership: payload is not a JSON object")
    return document


def _event(number: str, index: int, item: Any) -> TrackingEvent:
    where = f"aftership: {number} checkpoints[{index}]"
    if not isinstance(item, dict):
        raise InvalidEvent(f"{where} is not an object")
    code = _text(item.get("subtag")) or _text(item.get("tag"))
    if not code:
        raise InvalidEvent(f"{where} has neither subtag nor tag")
    country = (_text(item.get("country_region")) or _text(item.get("country_iso3"))).upper()
    stamp = item.get("checkpoint_time")
    moment = checkpoint_time(stamp, country)
    if moment is None:
        raise InvalidEvent(f"{where} has an unreadable checkpoint_time {stamp!r}")
    description = _text(item.get("message")) or _text(item.get("subtag_message"))
    return make_event(CARRIER, number, moment, code, description, _location(item, country))


def checkpoint_time(value: Any, country: str = "") -> datetime | None:
    """An aware time from `YYYY-MM-DD[THH:MM:SS][offset]`, naive ones read in the country's zone."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is not None:
        return moment
    return local_time(moment, COUNTRY_ZONES.get(country, "UTC"))


def _location(item: dict[str, Any], country: str) -> str:
    """The carrier's own location text, else city, state and country put together."""
    text = _text(item.get("location"))
    if text:
        return text
    name = _text(item.get("country_region_name")) or _text(item.get("country_name")) or country
    parts = (_text(item.get("city")), _text(item.get("state")), name)
    return ", ".join(part for part in parts if part)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
