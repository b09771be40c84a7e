"""`parcelcare bench review`: one review pass over N shipments of which a fraction is due."""

import random
import time
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction

from parcelcare import clock
from parcelcare.tracking.review import DUE_SQL, review_due
from parcelcare.tracking.sql import execute_many, to_db

from .fixtures import bench_shop, delete_shop, insert_shipments, one_order

CHUNK = 50_000


def _populate(
    shop_id: int, order_id: int, shipments: int, due: int, now: datetime, seed: int
) -> None:
    """In-transit shipments; the first `due` are due now, the rest later."""
    rng = random.Random(seed)
    past, future = to_db(now - timedelta(minutes=5)), to_db(now + timedelta(days=1))
    created = to_db(now - timedelta(days=6))
    for start in range(0, shipments, CHUNK):
        rows = []
        for n in range(start, min(start + CHUNK, shipments)):
            last = now - timedelta(days=rng.randrange(0, 12), hours=rng.randrange(24))
            promised = (now - timedelta(days=rng.randrange(-3, 6))).date()
            rows.append(
                (
                    shop_id,
                    order_id,
                    "postnl",
                    f"3SREV{n:010d}",
                    created,
                    created,
                    "in_transit",
                    promised.isoformat(),
                    to_db(last),
                    to_db(last),
                    past if n < due else future,
                )
            )
        with transaction.atomic():
            insert_shipments(rows)


def _baseline(now: datetime, due: int) -> float:
    """Seconds to select the due rows and write a new next_review_at for each: the floor."""
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(DUE_SQL, [to_db(now), due])
        ids = [row[0] for row in cursor.fetchall()]
        execute_many(
            "UPDATE tracking_shipment SET next_review_at = next_review_at WHERE id = %s",
            [(i,) for i in ids],
        )
    return time.perf_counter() - began


def run(
    *, shipments: int, due_fraction: float, seed: int = 1, keep: bool = False
) -> dict[str, Any]:
    """Time one review pass, and the bare select-and-update of the same rows."""
    now = clock.now()
    shop = bench_shop("review")
    order = one_order(shop, now)
    due = round(shipments * due_fraction)
    began = time.perf_counter()
    _populate(shop.id, order.id, shipments, due, now, seed)
    setup = time.perf_counter() - began
    baseline = _baseline(now, due)
    began = time.perf_counter()
    report = review_due(now)
    spent = time.perf_counter() - began
    if not keep:
        delete_shop(shop)
    return {
        "benchmark": "review",
        "database": connection.vendor,
        "shipments": shipments,
        "due": due,
        "reviewed": report.reviewed,
        "findings_opened": report.opened,
        "seconds": round(spent, 3),
        "reviewed_per_second": round(report.reviewed / spent) if spent else None,
        "baseline_select_update_seconds": round(baseline, 3),
        "ratio_to_baseline": round(spent / baseline, 2) if baseline else None,
        "setup_seconds": round(setup, 1),
    }
