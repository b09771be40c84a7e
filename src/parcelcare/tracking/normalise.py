"""Turn raw event items (API, CSV, JSON Lines) into domain events, or a precise error."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import TrackingEvent
from parcelcare.domain.vocabulary import IncidentReason, ShipmentStatus
from parcelcare.integrations.carriers.registry import CARRIERS, lookup

from .limits import check_instant

REQUIRED = ("carrier", "tracking_number", "occurred_at", "code")
STATUSES = {s.value: s for s in ShipmentStatus}
REASONS = {r.value: r for r in IncidentReason}
MAX_TEXT = {"description": 500, "location": 200}


def parse_instant(value: Any, field: str = "occurred_at") -> datetime:
    """An ISO 8601 timestamp with an offset, as an aware UTC datetime."""
    if not isinstance(value, str):
        raise InvalidEvent(f"{field} must be an ISO 8601 string with a UTC offset")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidEvent(f"{field} {value[:40]!r} is not an ISO 8601 timestamp") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidEvent(f"{field} {value[:40]!r} has no UTC offset (add Z or +01:00)")
    try:
        return check_instant(moment, field)
    except ValueError as error:
        raise InvalidEvent(str(error)) from None


def _text(item: Mapping[str, Any], field: str) -> str:
    value = item.get(field) or ""
    if not isinstance(value, str):
        raise InvalidEvent(f"{field} must be a string")
    if len(value) > MAX_TEXT[field]:
        raise InvalidEvent(f"{field} is longer than {MAX_TEXT[field]} characters")
    return value


def _identifier(item: Mapping[str, Any], field: str) -> str:
    value = item.get(field)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if value is not None and not isinstance(value, str):
        raise InvalidEvent(f"{field} must be a string, not {_json_type(value)}")
    if not value or not value.strip():
        raise InvalidEvent(f"{field} is missing or empty")
    value = value.strip()
    if len(value) > 64:
        raise InvalidEvent(f"{field} is longer than 64 characters")
    return value


def _status(item: Mapping[str, Any], carrier: str, code: str) -> tuple[Any, Any]:
    """Canonical status and reason: the item's own when given, else the carrier's code table."""
    status, reason = lookup(carrier, code)
    raw_status, raw_reason = item.get("status"), item.get("reason")
    for field, raw in (("status", raw_status), ("reason", raw_reason)):
        if raw is not None and not isinstance(raw, str):
            raise InvalidEvent(f"{field} must be a string, not {_json_type(raw)}")
    if raw_status:
        status = STATUSES.get(raw_status)
        if status is None:
            raise InvalidEvent(f"status {str(raw_status)[:40]!r} is not a known shipment status")
    if raw_reason:
        reason = REASONS.get(raw_reason)
        if reason is None:
            raise InvalidEvent(f"reason {str(raw_reason)[:40]!r} is not a known incident reason")
    return status, reason


def _json_type(value: Any) -> str:
    """The JSON name of a parsed value's type, for error messages."""
    names = {dict: "an object", list: "an array", bool: "a boolean", int: "a number"}
    return names.get(type(value), "a number" if isinstance(value, float) else "a value")


def normalise(item: Any) -> TrackingEvent:
    """Validate one raw event item and map its code to the shared vocabulary."""
    if not isinstance(item, Mapping):
        raise InvalidEvent("each event must be a JSON object")
    missing = [f for f in REQUIRED if item.get(f) in (None, "")]
    if missing:
        raise InvalidEvent(f"missing required field(s): {', '.join(missing)}")
    if not isinstance(item["carrier"], str):
        raise InvalidEvent(f"carrier must be a string, not {_json_type(item['carrier'])}")
    carrier = item["carrier"].strip().lower()
    if carrier not in CARRIERS:
        raise InvalidEvent(f"unknown carrier {carrier[:40]!r}; see `parcelcare carriers`")
    tracking_number = _identifier(item, "tracking_number").upper()
    code = _identifier(item, "code")
    status, reason = _status(item, carrier, code)
    return TrackingEvent(
        carrier=carrier,
        tracking_number=tracking_number,
        occurred_at=parse_instant(item["occurred_at"]),
        code=code,
        status=status,
        reason=reason,
        description=_text(item, "description"),
        location=_text(item, "location"),
    )
