"""The periodic review: re-run time-based rules for shipments whose next_review_at has come."""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction

from parcelcare.domain.vocabulary import IncidentReason, ShipmentStatus
from parcelcare.leases import skip_locked
from parcelcare.messaging.outbox import StatusChange, queue_messages

from .detect import facts_of, run_rules, shop_rules, sync_findings
from .sql import from_db, from_db_date, instant, to_db, update_many
from .state import SELECT_STATE, state_from_row

BATCH = 5_000
STATUSES = {s.value: s for s in ShipmentStatus}
REASONS = {r.value: r for r in IncidentReason}

DUE_SQL = (
    f"SELECT id, shop_id, created_at, shipped_at, promised_date, {SELECT_STATE} "
    "FROM tracking_shipment WHERE next_review_at <= %s ORDER BY next_review_at LIMIT %s"
)


@dataclass
class ReviewReport:
    """What one review pass did."""

    reviewed: int = 0
    opened: int = 0
    closed: int = 0


def review_batch(now: datetime, limit: int = BATCH) -> ReviewReport:
    """Claim up to `limit` due shipments in one transaction, review them, store the outcome."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(DUE_SQL + skip_locked(), [to_db(now), limit])
        rows = cursor.fetchall()
        if not rows:
            return ReviewReport()
        states = {row[0]: state_from_row(row[5:]) for row in rows}
        facts = {
            row[0]: (
                row[1],
                facts_of(states[row[0]], instant(row[2]), from_db(row[3]), from_db_date(row[4])),
            )
            for row in rows
        }
        reviews = run_rules(facts, shop_rules({row[1] for row in rows}, now), now)
        update_many(
            "tracking_shipment",
            [("next_review_at", "timestamptz")],
            [(sid, to_db(result.next_review_at)) for sid, (_, result) in reviews.items()],
        )
        changes = sync_findings(reviews, now)
        queue_messages(
            reviews=reviews,
            changes={
                row[0]: StatusChange(
                    STATUSES[row[5]],
                    STATUSES[row[5]],
                    states[row[0]].status_since,
                    known_since=instant(row[2]),
                    last_event_at=states[row[0]].last_event_at,
                )
                for row in rows
            },
            now=now,
        )
    return ReviewReport(len(rows), len(changes.opened), len(changes.closed))


def review_due(now: datetime, limit: int = BATCH) -> ReviewReport:
    """Review every shipment due at `now`, batch after batch, until none is left."""
    total = ReviewReport()
    while True:
        report = review_batch(now, limit)
        total.reviewed += report.reviewed
        total.opened += report.opened
        total.closed += report.closed
        if report.reviewed < limit:
            return total
