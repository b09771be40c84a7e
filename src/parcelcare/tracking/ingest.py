"""Ingest tracking events in batches: normalise, deduplicate, store, recompute, detect."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import (
    ShipmentState,
    TrackingEvent,
    can_fold,
    derive_state,
    fold,
    merge,
)
from parcelcare.messaging.outbox import StatusChange, queue_messages

from .detect import Changes, facts_of, run_rules, shop_rules, sync_findings
from .normalise import normalise
from .sql import (
    from_db,
    from_db_date,
    insert_many,
    instant,
    select_in,
    to_db,
    update_many,
)
from .state import REASONS, SELECT_STATE, STATUSES, UPDATE_COLUMNS, state_from_row, update_row

MAX_BATCH = 10_000
EVENT_COLUMNS = (
    "shop_id",
    "shipment_id",
    "carrier",
    "tracking_number",
    "occurred_at",
    "code",
    "status",
    "reason",
    "description",
    "location",
    "received_at",
)
FUTURE_SLACK = timedelta(hours=1)


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
    """The shipment behind each tracking number: its own number or one of its legs."""
    rows = select_in(
        "SELECT tracking_number, id FROM tracking_shipment "
        "WHERE shop_id = %s AND tracking_number IN ({ids})",
        numbers,
        shop_id,
    )
    rows += select_in(
        "SELECT tracking_number, shipment_id FROM tracking_shipmentleg "
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
    return insert_many("tracking_trackingevent", EVENT_COLUMNS, rows, ignore_conflicts=True)


def ingest_events(*, shop_id: int, items: Sequence[Any], now: datetime) -> IngestResult:
    """Accept a batch of raw events for one shop in one transaction; bad items are reported."""
    result = IngestResult()
    events = _validated(items, now, result)
    if events:
        ingest_parsed(shop_id=shop_id, events=list(events.values()), now=now, result=result)
    return result


def ingest_parsed(
    *, shop_id: int, events: list[TrackingEvent], now: datetime, result: IngestResult | None = None
) -> IngestResult:
    """Store already-normalised, distinct events and recompute the shipments they touch."""
    result = result or IngestResult()
    with transaction.atomic():
        ids = _shipment_ids(shop_id, sorted({e.tracking_number for e in events}))
        inserted = _insert(shop_id, events, ids, now)
        result.accepted = inserted
        result.duplicates += len(events) - inserted
        result.unattached = sum(e.tracking_number not in ids for e in events)
        arrived: dict[int, list[TrackingEvent]] = defaultdict(list)
        for event in events:
            if event.tracking_number in ids:
                arrived[ids[event.tracking_number]].append(event)
        if arrived and inserted:
            result.changes = recompute_shipments(sorted(arrived), now, arrived)
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
                carrier, number, instant(occurred), code, STATUSES.get(status), REASONS.get(reason)
            )
        )
    return timelines


def _states(
    rows: list[tuple[Any, ...]], arrived: dict[int, list[TrackingEvent]] | None
) -> dict[int, ShipmentState]:
    """New states: new events folded onto the stored state when they all come after it,
    the stored timeline derived again otherwise (late, out-of-order or replayed events)."""
    states: dict[int, ShipmentState] = {}
    reload: list[int] = []
    for row in rows:
        sid, stored = row[0], state_from_row(row[5:])
        new = arrived.get(sid) if arrived else None
        if new is not None and can_fold(stored, new):
            states[sid] = fold(stored, merge(new))
        else:
            reload.append(sid)
    timelines = _timelines(reload) if reload else {}
    for sid in reload:
        states[sid] = derive_state(timelines.get(sid, ()))
    return states


def recompute_shipments(
    ids: list[int], now: datetime, arrived: dict[int, list[TrackingEvent]] | None = None
) -> Changes:
    """Bring each shipment's state up to date with its timeline, then detect and store."""
    rows = select_in(
        f"SELECT id, shop_id, created_at, shipped_at, promised_date, {SELECT_STATE} "
        "FROM tracking_shipment WHERE id IN ({ids})",
        ids,
    )
    states = _states(rows, arrived)
    facts = {
        row[0]: (
            row[1],
            facts_of(states[row[0]], instant(row[2]), from_db(row[3]), from_db_date(row[4])),
        )
        for row in rows
    }
    reviews = run_rules(facts, shop_rules({f[0] for f in facts.values()}, now), now)
    update_many(
        "tracking_shipment",
        UPDATE_COLUMNS,
        [
            update_row(states[sid], result.next_review_at, now, sid)
            for sid, (_, result) in reviews.items()
        ],
    )
    changes = sync_findings(reviews, now)
    before = {row[0]: STATUSES[row[5]] for row in rows}
    known = {row[0]: instant(row[2]) for row in rows}
    queue_messages(
        reviews=reviews,
        changes={
            sid: StatusChange(
                states[sid].status,
                before[sid],
                states[sid].status_since,
                known_since=known[sid],
                last_event_at=states[sid].last_event_at,
            )
            for sid in reviews
        },
        now=now,
    )
    return changes
