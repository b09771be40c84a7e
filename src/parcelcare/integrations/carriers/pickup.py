"""The pickup point a parcel waits at, read from the carrier payloads that name one.

What carries it (the rest send no name, address or hours; their pages then say so):
- AfterShip trackings: `pickup_location` (the point's name or address) and `pickup_note`
  (opening hours or instructions).
- PostNL ShippingStatus: the shipment's `Address` of `AddressType` 09, the pickup location.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class PickupPoint:
    """Where the customer collects the parcel, as the carrier described it."""

    name: str = ""
    address: str = ""
    hours: str = ""

    def as_dict(self) -> dict[str, str]:
        """The stored form: only what the carrier said."""
        return {k: v for k, v in asdict(self).items() if v}


def _text(value: Any) -> str:
    # PostNL writes an empty field as {}; anything but text counts as missing.
    return " ".join(value.split()) if isinstance(value, str) else ""


def _point(name: str, address: str, hours: str) -> PickupPoint | None:
    point = PickupPoint(name[:200], address[:300], hours[:500])
    return point if point.as_dict() else None


def from_aftership(tracking: Mapping[str, Any]) -> PickupPoint | None:
    """An AfterShip tracking's pickup location and note."""
    return _point(_text(tracking.get("pickup_location")), "", _text(tracking.get("pickup_note")))


POSTNL_PICKUP_ADDRESS = "09"
"""PostNL's address type of the location the parcel is delivered to for pickup."""


def from_postnl_shipment(shipment: Mapping[str, Any]) -> PickupPoint | None:
    """The pickup location address of one PostNL ShippingStatus shipment."""
    addresses = shipment.get("Address")
    rows = addresses if isinstance(addresses, list) else [addresses]
    for row in rows:
        if isinstance(row, Mapping) and _text(row.get("AddressType")) == POSTNL_PICKUP_ADDRESS:
            street = " ".join(
                _text(row.get(k)) for k in ("Street", "HouseNumber", "HouseNumberSuffix")
            )
            place = " ".join(_text(row.get(k)) for k in ("Zipcode", "City"))
            address = ", ".join(p for p in (" ".join(street.split()), place.strip()) if p)
            return _point(_text(row.get("CompanyName")), address, _text(row.get("Remark")))
    return None


def from_postnl_answer(payload: Any) -> dict[str, PickupPoint]:
    """Pickup points by barcode in a ShippingStatus answer (current or complete status)."""
    answer = _json(payload)
    found: dict[str, PickupPoint] = {}
    for key in ("CurrentStatus", "CompleteStatus"):
        status = answer.get(key)
        shipments = status.get("Shipment") if isinstance(status, Mapping) else None
        for shipment in shipments if isinstance(shipments, list) else [shipments]:
            if not isinstance(shipment, Mapping):
                continue
            point = from_postnl_shipment(shipment)
            number = _text(shipment.get("MainBarcode")) or _text(shipment.get("Barcode"))
            if point is not None and number:
                found[number.upper()] = point
    return found


def _json(payload: Any) -> Mapping[str, Any]:
    """A polled answer as a JSON object; an empty one when it is not (the parser says why)."""
    if isinstance(payload, Mapping):
        return payload
    try:
        document = json.loads(payload)
    except (TypeError, ValueError):
        return {}
    return document if isinstance(document, Mapping) else {}


Reader = Callable[[Any], dict[str, PickupPoint]]

READERS: dict[str, Reader] = {"postnl": from_postnl_answer}
"""Carriers whose polled answers can name a pickup point."""
