"""A shipment's derived state as stored in its row: the columns, reading and writing them."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from parcelcare.domain.timeline import ShipmentState
from parcelcare.domain.vocabulary import IncidentReason, ShipmentStatus

from .sql import from_db, to_db

STATUSES = {s.value: s for s in ShipmentStatus}
REASONS = {r.value: r for r in IncidentReason}

STATE_COLUMNS = (
    "status",
    "status_since",
    "reason",
    "last_event_at",
    "label_created_at",
    "first_scan_at",
    "delivered_at",
    "failed_attempts",
    "last_attempt_at",
    "unknown_codes",
)
SELECT_STATE = ", ".join(STATE_COLUMNS)
STATE_TYPES = {
    "status": "text",
    "reason": "text",
    "failed_attempts": "integer",
    "unknown_codes": "integer",
}
UPDATE_COLUMNS = tuple(
    (column, STATE_TYPES.get(column, "timestamptz"))
    for column in (*STATE_COLUMNS, "next_review_at", "updated_at")
)
"""(column, PostgreSQL type) of a state update, in the order of `update_row` values."""


def state_from_row(values: Sequence[Any]) -> ShipmentState:
    """The state from the STATE_COLUMNS values of a row, in that order."""
    status, since, reason, last, label, first, delivered, attempts, attempt_at, unknown = values
    return ShipmentState(
        status=STATUSES[status],
        status_since=from_db(since),
        reason=REASONS.get(reason),
        last_event_at=from_db(last),
        label_created_at=from_db(label),
        first_scan_at=from_db(first),
        delivered_at=from_db(delivered),
        failed_attempts=attempts,
        last_attempt_at=from_db(attempt_at),
        unknown_codes=unknown,
    )


def state_values(state: ShipmentState) -> tuple[Any, ...]:
    """The STATE_COLUMNS values to store for a state, in that order."""
    return (
        state.status.value,
        to_db(state.status_since),
        state.reason or "",
        to_db(state.last_event_at),
        to_db(state.label_created_at),
        to_db(state.first_scan_at),
        to_db(state.delivered_at),
        state.failed_attempts,
        to_db(state.last_attempt_at),
        state.unknown_codes,
    )


def update_row(
    state: ShipmentState, next_review_at: datetime | None, now: datetime, shipment_id: int
) -> tuple[Any, ...]:
    """One row for update_many(…, UPDATE_COLUMNS, …): the id, then the new values."""
    return (shipment_id, *state_values(state), to_db(next_review_at), to_db(now))
