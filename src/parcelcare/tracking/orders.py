"""Create or update orders with customer, lines and shipments, set-wise; idempotent on number."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum

from parcelcare.accounts.models import AuditEntry, Shop
from parcelcare.domain.errors import InvalidOrder, OrderConflict
from parcelcare.domain.money import REFUNDS, RemedyKind
from parcelcare.integrations.carriers.registry import CARRIERS

from . import consent
from .calendars import business_calendar
from .ingest import recompute_shipments
from .models import Customer, Order, OrderLine, Shipment, ShipmentLeg
from .schemas import OrderIn, ShipmentIn
from .sql import execute_many, select_in

ORDER_FIELDS = (
    "customer",
    "placed_at",
    "currency",
    "total",
    "ship_name",
    "ship_line1",
    "ship_line2",
    "ship_postcode",
    "ship_city",
    "ship_country",
    "updated_at",
)
CUSTOMER_FIELDS = ("name", "phone", "language", "consent", "consent_at")
SHIPMENT_FIELDS = ("order", "carrier", "shipped_at", "promised_date", "updated_at")


@dataclass
class UpsertResult:
    """Orders stored (created or updated) and those refused, by position in the batch;
    `conflicts` are the positions refused because they contradict the stored order."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)
    conflicts: set[int] = field(default_factory=set)


def _numbers(data: OrderIn) -> list[str]:
    """Every tracking number of an order: shipments and their legs."""
    return [n for s in data.shipments for n in (s.tracking_number, *_leg_numbers(s))]


def _leg_numbers(shipment: ShipmentIn) -> list[str]:
    return [leg.tracking_number for leg in shipment.legs]


def _check(data: OrderIn) -> None:
    """Rules a single order must satisfy beyond its schema."""
    for index, shipment in enumerate(data.shipments):
        carriers = [(f"shipments[{index}]", shipment.carrier)] + [
            (f"shipments[{index}].legs[{n}]", leg.carrier) for n, leg in enumerate(shipment.legs)
        ]
        for where, carrier in carriers:
            if carrier not in CARRIERS:
                raise InvalidOrder(
                    f"{where}.carrier {carrier!r} is unknown; see `parcelcare carriers`"
                )
    numbers = _numbers(data)
    if len(numbers) != len(set(numbers)):
        raise InvalidOrder("a tracking number appears twice in this order")
    for index, line in enumerate(data.lines):
        if line.currency != data.currency:
            raise InvalidOrder(f"lines[{index}].currency {line.currency} differs from the order's")


def _owners(shop_id: int, batch: list[OrderIn]) -> dict[str, str]:
    """Order number currently owning each tracking number of the batch."""
    numbers = sorted({n for o in batch for n in _numbers(o)})
    rows = select_in(
        "SELECT s.tracking_number, o.order_number FROM tracking_shipment s "
        "JOIN tracking_order o ON o.id = s.order_id "
        "WHERE s.shop_id = %s AND s.tracking_number IN ({ids})",
        numbers,
        shop_id,
    )
    rows += select_in(
        "SELECT l.tracking_number, o.order_number FROM tracking_shipmentleg l "
        "JOIN tracking_shipment s ON s.id = l.shipment_id "
        "JOIN tracking_order o ON o.id = s.order_id "
        "WHERE l.shop_id = %s AND l.tracking_number IN ({ids})",
        numbers,
        shop_id,
    )
    return dict(rows)


def _stored(shop_id: int, batch: list[OrderIn]) -> dict[str, tuple[str, int]]:
    """Currency and net refunded minor units of the batch's orders already stored."""
    numbers = {data.order_number for data in batch}
    rows = Order.objects.filter(shop_id=shop_id, order_number__in=numbers).annotate(
        given=Sum("remedies__amount", filter=Q(remedies__kind__in=[k.value for k in REFUNDS])),
        taken=Sum(
            "remedies__amount", filter=Q(remedies__kind=RemedyKind.CHARGEBACK_REVERSAL.value)
        ),
    )
    found = rows.values_list("order_number", "currency", "given", "taken")
    return {n: (cur, (given or 0) - (taken or 0)) for n, cur, given, taken in found}


def _check_update(data: OrderIn, stored: tuple[str, int] | None) -> None:
    """An update keeps the order's currency and a total no lower than what was refunded."""
    if stored is None:
        return
    currency, refunded = stored
    if data.currency != currency:
        raise OrderConflict(
            f"order {data.order_number} is stored in {currency}; "
            f"its currency cannot change to {data.currency}"
        )
    total = sum(line.quantity * line.unit_price for line in data.lines)
    if data.lines and total < refunded:
        raise OrderConflict(
            f"order {data.order_number}: the new total {total} is below the {refunded} "
            f"({currency} minor units) already refunded in the ledger"
        )


def _valid(shop_id: int, batch: list[OrderIn], result: UpsertResult) -> dict[str, OrderIn]:
    """The orders that may be stored, last one winning per number; the rest get an error."""
    owners = _owners(shop_id, batch)
    stored = _stored(shop_id, batch)
    claimed: dict[str, str] = {}
    valid: dict[str, OrderIn] = {}
    for index, data in enumerate(batch):
        try:
            _check(data)
            _check_update(data, stored.get(data.order_number))
            for number in _numbers(data):
                owner = claimed.get(number) or owners.get(number)
                if owner not in (None, data.order_number):
                    raise InvalidOrder(f"tracking number {number} belongs to order {owner}")
        except InvalidOrder as error:
            result.errors[index] = str(error)
            if isinstance(error, OrderConflict):
                result.conflicts.add(index)
            continue
        for number in _numbers(data):
            claimed[number] = data.order_number
        valid[data.order_number] = data
    return valid


def _customers(shop_id: int, orders: list[OrderIn], language: str, now: datetime) -> list[Customer]:
    """One customer per order: matched on e-mail within the shop, created when new."""
    emails = sorted({o.customer.email for o in orders if o.customer.email})
    known = {c.email: c for c in Customer.objects.filter(shop_id=shop_id, email__in=emails)}
    chosen, new, changed, granted = [], [], {}, []
    for data in orders:
        info = data.customer
        values = {"name": info.name, "phone": info.phone, "language": info.language or language}
        customer = known.get(info.email or "")
        if customer is None:
            customer = Customer(shop_id=shop_id, email=info.email or "", **values)
            new.append(customer)
            if info.email:
                known[info.email] = customer
        elif any(getattr(customer, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(customer, key, value)
            changed[customer.pk] = customer
        if added := consent.grant(customer, info.consent, now):
            granted.append((customer, added))
            if customer.pk is not None:
                changed[customer.pk] = customer
        chosen.append(customer)
    Customer.objects.bulk_create(new)
    Customer.objects.bulk_update(changed.values(), CUSTOMER_FIELDS)
    AuditEntry.objects.bulk_create(
        consent.audit_entry(c, "consent_given", added, by="integration", source="order", now=now)
        for c, added in granted
    )
    return chosen


def _order_values(data: OrderIn, customer: Customer, now: datetime) -> dict[str, Any]:
    address = data.shipping_address
    return {
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


def _orders(
    shop_id: int, valid: dict[str, OrderIn], language: str, now: datetime, result: UpsertResult
) -> dict[str, Order]:
    """Create or update the order rows; returns them by number."""
    batch = list(valid.values())
    customers = _customers(shop_id, batch, language, now)
    known = {
        o.order_number: o
        for o in Order.objects.filter(shop_id=shop_id, order_number__in=list(valid))
    }
    new, changed = [], []
    for data, customer in zip(batch, customers, strict=True):
        values = _order_values(data, customer, now)
        order = known.get(data.order_number)
        if order is None:
            order = Order(shop_id=shop_id, order_number=data.order_number, created_at=now, **values)
            new.append(order)
            known[data.order_number] = order
            result.created.append(data.order_number)
        else:
            if not data.lines:
                values["total"] = order.total  # lines are kept, so is their total
            for key, value in values.items():
                setattr(order, key, value)
            changed.append(order)
            result.updated.append(data.order_number)
    Order.objects.bulk_create(new)
    Order.objects.bulk_update(changed, list(ORDER_FIELDS))
    return known


def _lines(valid: dict[str, OrderIn], orders: dict[str, Order]) -> None:
    """Replace the lines of every order that came with lines."""
    with_lines = [orders[n] for n, data in valid.items() if data.lines]
    OrderLine.objects.filter(order__in=with_lines).delete()
    OrderLine.objects.bulk_create(
        OrderLine(order=orders[n], **line.model_dump())
        for n, data in valid.items()
        for line in data.lines
    )


def _promised(shop: Shop, order: Order, item: ShipmentIn, now: datetime) -> date | None:
    """The promised date given, else the shop's lane default counted from shipping."""
    if item.promised_delivery_date is not None:
        return item.promised_delivery_date
    days = shop.lane_business_days(order.ship_country)
    if days is None:
        return None
    start = item.shipped_at or order.placed_at or now
    calendar = business_calendar(shop.timezone, shop.country, start.year - 1, start.year + 1)
    return calendar.nth_business_day_after(calendar.local_date(start), days)


def _shipments(
    shop: Shop, valid: dict[str, OrderIn], orders: dict[str, Order], now: datetime
) -> list[int]:
    """Create or update shipments, attach waiting events; returns the shipment ids."""
    shop_id = shop.id
    wanted = {
        s.tracking_number: (orders[n], s) for n, data in valid.items() for s in data.shipments
    }
    known = {
        s.tracking_number: s
        for s in Shipment.objects.filter(shop_id=shop_id, tracking_number__in=list(wanted))
    }
    new, changed = [], []
    for number, (order, item) in wanted.items():
        values = {
            "order": order,
            "carrier": item.carrier,
            "shipped_at": item.shipped_at,
            "promised_date": _promised(shop, order, item, now),
            "updated_at": now,
        }
        shipment = known.get(number)
        if shipment is None:
            shipment = Shipment(shop_id=shop_id, tracking_number=number, created_at=now, **values)
            new.append(shipment)
            known[number] = shipment
        else:
            for key, value in values.items():
                setattr(shipment, key, value)
            changed.append(shipment)
    Shipment.objects.bulk_create(new)
    Shipment.objects.bulk_update(changed, list(SHIPMENT_FIELDS))
    owner_of = {n: known[n].pk for n in wanted}
    owner_of.update(_legs(shop_id, {known[n].pk: item for n, (_, item) in wanted.items()}))
    execute_many(
        "UPDATE tracking_trackingevent SET shipment_id = %s "
        "WHERE shop_id = %s AND tracking_number = %s AND shipment_id IS NULL",
        [(owner_of[n], shop_id, n) for n in _waiting(shop_id, list(owner_of))],
    )
    return [known[n].pk for n in wanted]


def _legs(shop_id: int, items: dict[int, ShipmentIn]) -> dict[str, int]:
    """Replace the legs of shipments that came with legs; leg number -> shipment id."""
    with_legs = {sid: item for sid, item in items.items() if item.legs}
    ShipmentLeg.objects.filter(shop_id=shop_id, shipment_id__in=list(with_legs)).delete()
    ShipmentLeg.objects.bulk_create(
        ShipmentLeg(
            shop_id=shop_id,
            shipment_id=sid,
            carrier=leg.carrier,
            tracking_number=leg.tracking_number,
        )
        for sid, item in with_legs.items()
        for leg in item.legs
    )
    return {leg.tracking_number: sid for sid, item in with_legs.items() for leg in item.legs}


def _waiting(shop_id: int, numbers: list[str]) -> list[str]:
    """Tracking numbers with events that arrived before their order."""
    rows = select_in(
        "SELECT DISTINCT tracking_number FROM tracking_trackingevent "
        "WHERE shop_id = %s AND shipment_id IS NULL AND tracking_number IN ({ids})",
        numbers,
        shop_id,
    )
    return [row[0] for row in rows]


def upsert_orders(
    *, shop_id: int, default_language: str, batch: list[OrderIn], now: datetime
) -> UpsertResult:
    """Store a batch of orders in one transaction; an invalid order is refused alone."""
    result = UpsertResult()
    valid = _valid(shop_id, batch, result)
    if not valid:
        return result
    with transaction.atomic():
        orders = _orders(shop_id, valid, default_language, now, result)
        _lines(valid, orders)
        shop = Shop.objects.get(id=shop_id)
        touched = _shipments(shop, valid, orders, now)
        if touched:
            recompute_shipments(touched, now)
    return result


def upsert_order(*, shop_id: int, default_language: str, data: OrderIn, now: datetime) -> bool:
    """Store one order; True when it was created. Raises InvalidOrder when refused."""
    result = upsert_orders(
        shop_id=shop_id, default_language=default_language, batch=[data], now=now
    )
    if result.errors:
        refused = OrderConflict if result.conflicts else InvalidOrder
        raise refused(result.errors[0])
    return bool(result.created)
