"""Ingest tracking events in batches: normalise, deduplicate, store, recompute, detect."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import ShipmentState, TrackingEvent, derive_state
from parcelcare.domain.vocabulary import IncidentReason, ShipmentStatus

from .detect import Changes, facts_of, run_rules, shop_rules, sync_findings
from .normalise import normalise
from .sql import execute_many, from_db, from_db_date, instant, select_in, to_db

MAX_BATCH = 10_000
FUTURE_SLACK = timedelta(hours=1)
STATUSES = {s.value: s for s in ShipmentStatus}
REASONS = {r.value: r for r in IncidentReason}


@dataclass
class IngestResult:
    """What happened to one batch: counts, and every rejected item with its reason."""

    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    unattached: int = 0
    changes: Changes = field(default_factory=Changes)

    def as_dict(self) -> dict[str, Any]:
        """The API answer."""
        return {
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "unattached": self.unattached,
        }


def _validated(
    items: Sequence[Any], now: datetime, result: IngestResult
) -> dict[tuple, TrackingEvent]:
    """Normalise every item; rejected ones are recorded by index, in-batch repeats counted."""
    events: dict[tuple, TrackingEvent] = {}
    latest = now + FUTURE_SLACK
    for index, item in enumerate(items):
        try:
            event = normalise(item)
        except InvalidEvent as error:
            result.rejected.append({"index": index, "error": str(error)})
            continue
        if event.occurred_at > latest:
            result.rejected.append({"index": index, "error": "occurred_at is in the future"})
            continue
        if event.key in events:
            result.duplicates += 1
        else:
            events[event.key] = event
    return events


def _shipment_ids(shop_id: int, numbers: list[str]) -> dict[str, int]:
    rows = select_in(
        "SELECT tracking_number, id FROM tracking_shipment "
        "WHERE shop_id = %s AND tracking_number IN ({ids})",
        numbers,
        shop_id,
    )
    return dict(rows)


def _insert(
    shop_id: int, events: Iterable[TrackingEvent], ids: dict[str, int], now: datetime
) -> int:
    received = to_db(now)
    rows = [
        (
            shop_id,
            ids.get(e.tracking_number),
            e.carrier,
            e.tracking_number,
            to_db(e.occurred_at),
            e.code,
            e.status,
            e.reason,
            e.description,
            e.location,
            received,
        )
        for e in events
    ]
    return execute_many(
        "INSERT INTO tracking_trackingevent (shop_id, shipment_id, carrier, tracking_number, "
        "occurred_at, code, status, reason, description, location, received_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        rows,
    )


def ingest_events(*, shop_id: int, items: Sequence[Any], now: datetime) -> IngestResult:
    """Accept a batch of raw events for one shop in one transaction; bad items are reported."""
    result = IngestResult()
    events = _validated(items, now, result)
    if not events:
        return result
    with transaction.atomic():
        ids = _shipment_ids(shop_id, sorted({e.tracking_number for e in events.values()}))
        inserted = _insert(shop_id, events.values(), ids, now)
        result.accepted = inserted
        result.duplicates += len(events) - inserted
        touched = {ids[e.tracking_number] for e in events.values() if e.tracking_number in ids}
        result.unattached = sum(e.tracking_number not in ids for e in events.values())
        if touched and inserted:
            result.changes = recompute_shipments(sorted(touched), now)
    return result


def _timelines(ids: list[int]) -> dict[int, list[TrackingEvent]]:
    rows = select_in(
        "SELECT shipment_id, carrier, tracking_number, occurred_at, code, status, reason "
        "FROM tracking_trackingevent WHERE shipment_id IN ({ids})",
        ids,
    )
    timelines: dict[int, list[TrackingEvent]] = defaultdict(list)
    for sid, carrier, number, occurred, code, status, reason in rows:
        timelines[sid].append(
            TrackingEvent(
                carrier,
                number,
                instant(occurred),
                code,
                STATUSES.get(status),
                REASONS.get(reason),
            )
        )
    return timelines


def recompute_shipments(ids: list[int], now: datetime) -> Changes:
    """Re-derive state from the stored timeline of each shipment, then detect and store."""
    timelines = _timelines(ids)
    rows = select_in(
        "SELECT id, shop_id, created_at, shipped_at, promised_date FROM tracking_shipment "
        "WHERE id IN ({ids})",
        ids,
    )
    facts, states = {}, {}
    for sid, shop_id, created, shipped, promised in rows:
        state = derive_state(timelines.get(sid, ()))
        states[sid] = state
        facts[sid] = (
            shop_id,
            facts_of(
                state,
                instant(created),
                from_db(shipped),
                from_db_date(promised),
            ),
        )
    reviews = run_rules(facts, shop_rules({f[0] for f in facts.values()}, now), now)
    execute_many(
        "UPDATE tracking_shipment SET status = %s, status_since = %s, reason = %s, "
        "last_event_at = %s, label_created_at = %s, first_scan_at = %s, delivered_at = %s, "
        "failed_attempts = %s, unknown_codes = %s, next_review_at = %s, updated_at = %s "
        "WHERE id = %s",
        [
            (*_state_row(states[sid], result.next_review_at, now), sid)
            for sid, (_, result) in reviews.items()
        ],
    )
    return sync_findings(reviews, now)


def _state_row(state: ShipmentState, next_review_at: datetime | None, now: datetime) -> tuple:
    return (
        state.status.value,
        to_db(state.status_since),
        state.reason or "",
        to_db(state.last_event_at),
        to_db(state.label_created_at),
        to_db(state.first_scan_at),
        to_db(state.delivered_at),
        state.failed_attempts,
        state.unknown_codes,
        to_db(next_review_at),
        to_db(now),
    )
