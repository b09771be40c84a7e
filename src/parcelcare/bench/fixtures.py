"""Synthetic shops, orders and shipments written set-wise for benchmarks."""

from datetime import datetime

from parcelcare.accounts.models import Shop
from parcelcare.tracking.models import Customer, Order, new_public_token
from parcelcare.tracking.sql import execute_many


def bench_shop(label: str) -> Shop:
    """A fresh shop for one benchmark run."""
    return Shop.objects.create(name=f"bench {label}", timezone="Europe/Amsterdam", country="NL")


def one_order(shop: Shop, now: datetime) -> Order:
    """A single order that every benchmark shipment hangs off (orders are not measured)."""
    customer = Customer.objects.create(shop=shop, email="bench@example.com", name="Bench")
    return Order.objects.create(
        shop=shop,
        order_number="BENCH-1",
        customer=customer,
        placed_at=now,
        currency="EUR",
        created_at=now,
        updated_at=now,
    )


def insert_shipments(rows: list[tuple]) -> None:
    """Insert shipment rows (shop, order, carrier, number, created, updated, status, promised,
    last_event_at, status_since, next_review_at) in one statement per chunk."""
    execute_many(
        "INSERT INTO tracking_shipment (shop_id, order_id, carrier, tracking_number, created_at, "
        "updated_at, status, promised_date, last_event_at, status_since, next_review_at, "
        "reason, failed_attempts, unknown_codes, public_token) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '', 0, 0, %s)",
        [(*row, new_public_token()) for row in rows],
    )


SHOP_TABLES = (
    "messaging_outboxmessage",
    "accounts_auditentry",
    "tracking_finding",
    "tracking_trackingevent",
    "tracking_pollschedule",
    "tracking_shipmentleg",
    "tracking_inboxitem",
    "tracking_shipment",
    "tracking_order",
    "tracking_customer",
    "accounts_apikey",
    "accounts_connection",
)


def delete_shop(shop: Shop) -> None:
    """Remove a benchmark shop and everything under it, set-wise."""
    execute_many(
        "DELETE FROM tracking_orderline WHERE order_id IN "
        "(SELECT id FROM tracking_order WHERE shop_id = %s)",
        [(shop.id,)],
    )
    for table in SHOP_TABLES:
        execute_many(f"DELETE FROM {table} WHERE shop_id = %s", [(shop.id,)])
    shop.delete()
