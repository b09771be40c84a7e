"""Shop-scoped reads: shipment lists with filters and cursors, shipment and order details."""

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from parcelcare.domain.vocabulary import INFORMATIONAL_FINDINGS, FindingKind, ShipmentStatus

from .consent import effective
from .models import Finding, Order, Shipment

MAX_PAGE = 200
STATUS_VALUES = frozenset(s.value for s in ShipmentStatus)
FINDING_VALUES = frozenset(f.value for f in FindingKind)


class BadFilter(ValueError):
    """A list filter or cursor that cannot be applied."""


@dataclass(frozen=True)
class ShipmentFilter:
    """Filters of the shipment list; None means no filter."""

    status: str | None = None
    finding: str | None = None
    level: int | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    search: str | None = None


def open_findings() -> Prefetch:
    """Prefetch of each shipment's open findings."""
    return Prefetch(
        "findings",
        queryset=Finding.objects.filter(closed_at=None).order_by("opened_at"),
        to_attr="open_findings",
    )


def shipments(shop_id: int, flt: ShipmentFilter) -> QuerySet[Shipment]:
    """The shop's shipments matching the filter, newest first."""
    qs = Shipment.objects.filter(shop_id=shop_id).select_related("order")
    if flt.status:
        if flt.status not in STATUS_VALUES:
            raise BadFilter(f"status {flt.status!r} is not a shipment status")
        qs = qs.filter(status=flt.status)
    if flt.carrier:
        qs = qs.filter(carrier=flt.carrier.lower())
    if flt.tracking_number:
        qs = qs.filter(tracking_number=flt.tracking_number.strip().upper())
    if flt.search:
        term = flt.search.strip()
        qs = qs.filter(tracking_number__icontains=term) | qs.filter(
            order__order_number__icontains=term
        )
    if flt.finding or flt.level is not None:
        found = Finding.objects.filter(shop_id=shop_id, closed_at=None)
        if flt.finding:
            if flt.finding not in FINDING_VALUES:
                raise BadFilter(f"finding {flt.finding!r} is not a finding kind")
            found = found.filter(kind=flt.finding)
        if flt.level is not None:
            found = found.filter(level=flt.level)
        qs = qs.filter(id__in=found.values("shipment_id"))
    return qs.order_by("-id").prefetch_related(open_findings())


def encode_cursor(last_id: int) -> str:
    """An opaque cursor pointing after `last_id`."""
    return base64.urlsafe_b64encode(f"s:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The shipment id a cursor points after; BadFilter for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = raw.partition(":")
        if kind != "s" or not 0 < int(value) < 2**63:
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadFilter("cursor is not one this API gave out") from None


def page(
    qs: QuerySet[Shipment], cursor: str | None, limit: int
) -> tuple[list[Shipment], str | None]:
    """One page after the cursor and the cursor of the next page."""
    if not 1 <= limit <= MAX_PAGE:
        raise BadFilter(f"limit must be between 1 and {MAX_PAGE}")
    if cursor:
        qs = qs.filter(id__lt=decode_cursor(cursor))
    items = list(qs[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return items, encode_cursor(items[-1].id) if more else None


def finding_dict(f: Finding) -> dict[str, Any]:
    """A finding as the API shows it."""
    return {
        "kind": f.kind,
        "level": f.level,
        "attempt": f.attempt,
        "reason": f.reason or None,
        "evidence": f.evidence,
        "opened_at": f.opened_at,
        "informational": f.kind in INFORMATIONAL_FINDINGS,
    }


def shipment_dict(s: Shipment) -> dict[str, Any]:
    """A shipment as the API lists it."""
    return {
        "id": s.id,
        "order_number": s.order.order_number,
        "carrier": s.carrier,
        "tracking_number": s.tracking_number,
        "status": s.status,
        "reason": s.reason or None,
        "shipped_at": s.shipped_at,
        "promised_delivery_date": s.promised_date,
        "last_event_at": s.last_event_at,
        "delivered_at": s.delivered_at,
        "next_review_at": s.next_review_at,
        "findings": [finding_dict(f) for f in getattr(s, "open_findings", [])],
    }


def shipment_detail(shop_id: int, shipment_id: int) -> dict[str, Any] | None:
    """A shipment with its timeline, or None when the shop has no such shipment."""
    shipment = (
        Shipment.objects.filter(shop_id=shop_id, id=shipment_id)
        .select_related("order")
        .prefetch_related(open_findings())
        .first()
    )
    if shipment is None:
        return None
    events = shipment.events.order_by("occurred_at", "id").values(
        "carrier", "occurred_at", "code", "status", "reason", "description", "location"
    )
    return {
        **shipment_dict(shipment),
        "legs": [
            {"carrier": leg.carrier, "tracking_number": leg.tracking_number}
            for leg in shipment.legs.order_by("id")
        ],
        "failed_attempts": shipment.failed_attempts,
        "unknown_codes": shipment.unknown_codes,
        "pickup_point": shipment.pickup_point or {},
        "timeline": list(events),
    }


def order_detail(shop_id: int, order_number: str) -> dict[str, Any] | None:
    """An order with customer, address, lines and shipments, or None."""
    order = (
        Order.objects.filter(shop_id=shop_id, order_number=order_number)
        .select_related("customer")
        .prefetch_related(
            "lines",
            "shipments__order",
            Prefetch(
                "shipments__findings",
                queryset=Finding.objects.filter(closed_at=None),
                to_attr="open_findings",
            ),
        )
        .first()
    )
    if order is None:
        return None
    c = order.customer
    return {
        "order_number": order.order_number,
        "placed_at": order.placed_at,
        "currency": order.currency,
        "total": order.total,
        "customer": {
            "email": c.email,
            "name": c.name,
            "phone": c.phone,
            "language": c.language,
            "consent": effective(c),
        },
        "shipping_address": shipping_address(order),
        "lines": list(order.lines.values("sku", "name", "quantity", "unit_price", "currency")),
        "shipments": [shipment_dict(s) for s in order.shipments.all()],
    }


def shipping_address(order: Order) -> dict[str, str]:
    """The order's shipping address as a plain dict."""
    return {
        "name": order.ship_name,
        "line1": order.ship_line1,
        "line2": order.ship_line2,
        "postcode": order.ship_postcode,
        "city": order.ship_city,
        "country": order.ship_country,
    }
