"""Create or update orders with their customer, lines and shipments; idempotent on number."""

from datetime import datetime

from django.db import transaction

from parcelcare.domain.errors import InvalidOrder
from parcelcare.integrations.carriers.registry import CARRIERS

from .ingest import recompute_shipments
from .models import Customer, Order, OrderLine, Shipment
from .schemas import OrderIn, ShipmentIn
from .sql import execute_many


def _customer(shop_id: int, data: OrderIn, default_language: str) -> Customer:
    info = data.customer
    fields = {"name": info.name, "phone": info.phone, "language": info.language or default_language}
    if info.email:
        customer, _ = Customer.objects.update_or_create(
            shop_id=shop_id, email=info.email, defaults=fields
        )
        return customer
    return Customer.objects.create(shop_id=shop_id, email="", **fields)


def _check(data: OrderIn) -> None:
    for index, shipment in enumerate(data.shipments):
        if shipment.carrier not in CARRIERS:
            raise InvalidOrder(
                f"shipments[{index}].carrier {shipment.carrier!r} is unknown; "
                "see `parcelcare carriers`"
            )
    for index, line in enumerate(data.lines):
        if line.currency != data.currency:
            raise InvalidOrder(f"lines[{index}].currency {line.currency} differs from the order's")


def upsert_order(*, shop_id: int, default_language: str, data: OrderIn, now: datetime) -> Order:
    """Store the order as given; shipments are added or updated, events waiting are attached."""
    _check(data)
    address = data.shipping_address
    with transaction.atomic():
        customer = _customer(shop_id, data, default_language)
        fields = {
            "customer": customer,
            "placed_at": data.placed_at,
            "currency": data.currency,
            "total": sum(line.quantity * line.unit_price for line in data.lines),
            "ship_name": address.name,
            "ship_line1": address.line1,
            "ship_line2": address.line2,
            "ship_postcode": address.postcode,
            "ship_city": address.city,
            "ship_country": address.country,
            "updated_at": now,
        }
        order, _ = Order.objects.update_or_create(
            shop_id=shop_id,
            order_number=data.order_number,
            defaults=fields,
            create_defaults={**fields, "created_at": now},
        )
        if data.lines:
            order.lines.all().delete()
            OrderLine.objects.bulk_create(
                OrderLine(order=order, **line.model_dump()) for line in data.lines
            )
        touched = [_shipment(shop_id, order, item, now) for item in data.shipments]
        if touched:
            recompute_shipments(touched, now)
    return order


def _shipment(shop_id: int, order: Order, item: ShipmentIn, now: datetime) -> int:
    """Create or update one shipment; attach events that arrived before the order."""
    existing = Shipment.objects.filter(
        shop_id=shop_id, tracking_number=item.tracking_number
    ).first()
    if existing is not None and existing.order_id != order.pk:
        raise InvalidOrder(
            f"tracking number {item.tracking_number} belongs to order {existing.order.order_number}"
        )
    fields = {
        "order": order,
        "carrier": item.carrier,
        "shipped_at": item.shipped_at,
        "promised_date": item.promised_delivery_date,
        "updated_at": now,
    }
    shipment, _ = Shipment.objects.update_or_create(
        shop_id=shop_id,
        tracking_number=item.tracking_number,
        defaults=fields,
        create_defaults={**fields, "created_at": now},
    )
    execute_many(
        "UPDATE tracking_trackingevent SET shipment_id = %s "
        "WHERE shop_id = %s AND tracking_number = %s AND shipment_id IS NULL",
        [(shipment.pk, shop_id, item.tracking_number)],
    )
    return shipment.pk
