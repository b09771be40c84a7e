"""Pickup points the carriers named, stored on the shop's shipments for its pages and messages."""

from collections.abc import Mapping

from django.db.models import Q

from parcelcare.integrations.carriers.pickup import PickupPoint

from .models import Shipment


def save_pickup_points(*, shop_id: int, points: Mapping[str, PickupPoint]) -> int:
    """Give each named parcel (by its or a leg's tracking number) its pickup point; rows changed."""
    changed = 0
    # A handful per webhook or poll at most: parcels waiting at a pickup point are rare.
    for number, point in points.items():
        number = number.strip().upper()
        match = Q(tracking_number=number) | Q(legs__tracking_number=number)
        ids = Shipment.objects.filter(match, shop_id=shop_id).values("id")
        changed += Shipment.objects.filter(id__in=ids).update(pickup_point=point.as_dict())
    return changed


def pickup_point_of(shipment: Shipment) -> PickupPoint | None:
    """The stored pickup point of a shipment; None when the carrier named none."""
    stored = shipment.pickup_point if isinstance(shipment.pickup_point, dict) else {}
    point = PickupPoint(
        name=str(stored.get("name", "")),
        address=str(stored.get("address", "")),
        hours=str(stored.get("hours", "")),
    )
    return point if point.as_dict() else None
