"""`parcelcare bench ingest`: end-to-end event ingest against a raw bulk insert."""

import random
import resource
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from django.db import connection, transaction

from parcelcare import clock
from parcelcare.domain.vocabulary import ShipmentStatus
from parcelcare.integrations.carriers.registry import CARRIERS
from parcelcare.tracking.ingest import MAX_BATCH, ingest_events
from parcelcare.tracking.sql import execute_many, to_db

from .fixtures import bench_shop, delete_shop, insert_shipments, one_order

S = ShipmentStatus
JOURNEY = (
    S.INFO_RECEIVED,
    S.IN_TRANSIT,
    S.IN_TRANSIT,
    S.IN_TRANSIT,
    S.OUT_FOR_DELIVERY,
    S.DELIVERED,
)


def _codes(carrier: str) -> dict[ShipmentStatus, str]:
    """One real raw code of the carrier per status the journey needs."""
    found: dict[ShipmentStatus, str] = {}
    for code, (status, reason) in sorted(CARRIERS[carrier].codes.items()):
        if reason is None:
            found.setdefault(status, code)
    return found


def _order(parcels: int, live: bool) -> Iterator[tuple[int, int]]:
    """(step, parcel) pairs: a live stream interleaves parcels, a backfill sends whole journeys."""
    if live:
        return ((step, p) for step in range(len(JOURNEY)) for p in range(parcels))
    return ((step, p) for p in range(parcels) for step in range(len(JOURNEY)))


def event_batches(
    events: int, start: datetime, seed: int, live: bool = True
) -> Iterator[list[dict[str, Any]]]:
    """Raw API-shaped event items: each batch spreads over many parcels (live) or carries
    complete journeys of fewer parcels (backfill, as an import of history does)."""
    rng = random.Random(seed)
    codes = _codes("postnl")
    parcels = max(1, events // len(JOURNEY))
    batch: list[dict[str, Any]] = []
    for step, parcel in islice(_order(parcels, live), events):
        status = JOURNEY[step]
        at = start + timedelta(hours=step * 9, minutes=rng.randrange(480), seconds=parcel % 60)
        batch.append(
            {
                "carrier": "postnl",
                "tracking_number": f"3SBENCH{parcel:09d}",
                "occurred_at": at.isoformat(),
                "code": codes[status],
                "description": "Zending is onderweg",
                "location": "Utrecht",
            }
        )
        if len(batch) == MAX_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _raw_rows(shop_id: int, items: list[dict[str, Any]], now: datetime) -> list[tuple]:
    at = to_db(now)
    return [
        (
            shop_id,
            None,
            i["carrier"],
            i["tracking_number"],
            to_db(datetime.fromisoformat(i["occurred_at"])),
            i["code"],
            "in_transit",
            None,
            i["description"],
            i["location"],
            at,
        )
        for i in items
    ]


def _baseline(events: int, start: datetime, now: datetime, seed: int, live: bool) -> float:
    """Seconds to insert the same rows, already parsed, with one executemany per batch."""
    shop = bench_shop("baseline")
    spent = 0.0
    try:
        for items in event_batches(events, start, seed, live):
            rows = _raw_rows(shop.id, items, now)
            began = time.perf_counter()
            with transaction.atomic():
                execute_many(
                    "INSERT INTO tracking_trackingevent (shop_id, shipment_id, carrier, "
                    "tracking_number, occurred_at, code, status, reason, description, location, "
                    "received_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT DO NOTHING",
                    rows,
                )
            spent += time.perf_counter() - began
    finally:
        delete_shop(shop)
    return spent


def _prepare(events: int, now: datetime) -> Any:
    shop = bench_shop("ingest")
    order = one_order(shop, now)
    parcels = max(1, events // len(JOURNEY))
    at = to_db(now - timedelta(days=10))
    promised = (now - timedelta(days=3)).date().isoformat()
    with transaction.atomic():
        insert_shipments(
            [
                (
                    shop.id,
                    order.id,
                    "postnl",
                    f"3SBENCH{p:09d}",
                    at,
                    at,
                    "pending",
                    promised,
                    None,
                    None,
                    None,
                )
                for p in range(parcels)
            ]
        )
    return shop


def run(*, events: int, seed: int = 1, live: bool = True, keep: bool = False) -> dict[str, Any]:
    """Ingest `events` events end to end and compare with the raw insert baseline."""
    now = clock.now()
    start = now - timedelta(days=5)
    baseline = _baseline(events, start, now, seed, live)
    shop = _prepare(events, now)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    accepted = duplicates = opened = 0
    began = time.perf_counter()
    for items in event_batches(events, start, seed, live):
        result = ingest_events(shop_id=shop.id, items=items, now=now)
        accepted += result.accepted
        duplicates += result.duplicates
        opened += len(result.changes.opened)
    spent = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if not keep:
        delete_shop(shop)
    return {
        "benchmark": "ingest",
        "database": connection.vendor,
        "events": events,
        "stream": "live" if live else "backfill",
        "accepted": accepted,
        "duplicates": duplicates,
        "findings_opened": opened,
        "seconds": round(spent, 3),
        "events_per_second": round(events / spent),
        "baseline_raw_insert_seconds": round(baseline, 3),
        "baseline_events_per_second": round(events / baseline),
        "ratio_to_baseline": round(baseline / spent, 3),
        "peak_rss_mb": round(peak / 1024),
        "rss_before_mb": round(rss_before / 1024),
    }
