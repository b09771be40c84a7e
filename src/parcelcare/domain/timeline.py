"""Timeline merge: deduplicate carrier events and derive a shipment's current state."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .vocabulary import FINAL_STATUSES, IncidentReason, ShipmentStatus

S = ShipmentStatus

# Ties on the same timestamp are broken by how far along a journey a status is.
STATUS_RANK: dict[ShipmentStatus | None, int] = {
    None: 0,
    S.PENDING: 1,
    S.INFO_RECEIVED: 2,
    S.IN_TRANSIT: 3,
    S.EXCEPTION: 4,
    S.EXPIRED: 4,
    S.OUT_FOR_DELIVERY: 5,
    S.FAILED_ATTEMPT: 6,
    S.AVAILABLE_FOR_PICKUP: 7,
    S.RETURNING: 8,
    S.CANCELLED: 9,
    S.DELIVERED: 10,
    S.RETURNED: 11,
}

# After a final status, only these later statuses move the shipment on (a customer return
# after delivery, damage reported after delivery); routine scans after it are kept but ignored.
AFTER_FINAL: dict[ShipmentStatus, frozenset[ShipmentStatus]] = {
    S.DELIVERED: frozenset({S.RETURNING, S.RETURNED, S.EXCEPTION}),
    S.RETURNED: frozenset({S.DELIVERED}),
}

BACK_ON_THE_WAY = frozenset({S.PENDING, S.INFO_RECEIVED, S.IN_TRANSIT, S.OUT_FOR_DELIVERY})
"""Statuses that do not end a return: scans of the parcel travelling back to the sender."""

SCAN_STATUSES = frozenset(ShipmentStatus) - {S.PENDING, S.INFO_RECEIVED, S.CANCELLED}
"""Statuses that prove the carrier physically handled the parcel."""


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    """One carrier event; `status` is None when the raw code is not (yet) known."""

    carrier: str
    tracking_number: str
    occurred_at: datetime
    code: str
    status: ShipmentStatus | None = None
    reason: IncidentReason | None = None
    description: str = ""
    location: str = ""

    @property
    def key(self) -> tuple[str, str, datetime, str]:
        """The natural key events are deduplicated on."""
        return (self.carrier, self.tracking_number, self.occurred_at, self.code)


@dataclass(frozen=True, slots=True)
class ShipmentState:
    """What a timeline says about a shipment, independent of the clock."""

    status: ShipmentStatus = S.PENDING
    status_since: datetime | None = None
    reason: IncidentReason | None = None
    last_event_at: datetime | None = None
    label_created_at: datetime | None = None
    first_scan_at: datetime | None = None
    delivered_at: datetime | None = None
    failed_attempts: int = 0
    unknown_codes: int = 0
    last_attempt_at: datetime | None = None


def sort_key(event: TrackingEvent) -> tuple[datetime, int, str, str, str, str]:
    """A total order on distinct events, so any arrival order gives one timeline."""
    # The natural key is part of the order: merged events then never tie.
    return (
        event.occurred_at,
        STATUS_RANK[event.status],
        event.carrier,
        event.tracking_number,
        event.code,
        event.description,
    )


def _content(event: TrackingEvent) -> tuple[int, str, str, str, str]:
    """What decides between two events with the same natural key, whatever their order."""
    # The status itself breaks ties between statuses of equal rank (exception, expired).
    return (
        STATUS_RANK[event.status],
        event.status or "",
        event.reason or "",
        event.description,
        event.location,
    )


def merge(events: Iterable[TrackingEvent]) -> list[TrackingEvent]:
    """Deduplicate on the natural key and order chronologically, independent of arrival."""
    unique: dict[tuple[str, str, datetime, str], TrackingEvent] = {}
    for event in events:
        kept = unique.get(event.key)
        if kept is None or _content(event) < _content(kept):
            unique[event.key] = event
    return sorted(unique.values(), key=sort_key)


def _same_second(moment: datetime, other: datetime | None) -> bool:
    """Whether two times fall in the same second (carriers report scans to the second)."""
    return other is not None and moment.replace(microsecond=0) == other.replace(microsecond=0)


def _moves_on(current: ShipmentStatus, new: ShipmentStatus, scanned: bool) -> bool:
    """Whether a later event with status `new` changes a shipment now in `current`."""
    if current in FINAL_STATUSES:
        return new in AFTER_FINAL[current]
    if current == S.RETURNING:
        # Routine scans on the way back do not make it an outbound parcel again.
        return new not in BACK_ON_THE_WAY
    # A pre-advice that arrives after the first physical scan is not a step back.
    return not (scanned and new in (S.PENDING, S.INFO_RECEIVED))


def derive_state(events: Iterable[TrackingEvent]) -> ShipmentState:
    """Fold a timeline (in any order, duplicates allowed) into the shipment's state."""
    return fold(ShipmentState(), merge(events))


def can_fold(state: ShipmentState, events: Iterable[TrackingEvent]) -> bool:
    """Whether every event comes strictly after all that `state` has seen, so folding the new
    events onto it equals deriving the whole timeline again."""
    last = state.last_event_at
    return last is None or all(event.occurred_at > last for event in events)


def fold(state: ShipmentState, merged: Iterable[TrackingEvent]) -> ShipmentState:
    """Advance a state by merged events that all sort after what it has seen (see can_fold)."""
    status, status_since, reason = state.status, state.status_since, state.reason
    last_event_at, label_created_at = state.last_event_at, state.label_created_at
    first_scan_at, delivered_at = state.first_scan_at, state.delivered_at
    attempts, last_attempt_at, unknown = (
        state.failed_attempts,
        state.last_attempt_at,
        state.unknown_codes,
    )
    for event in merged:
        last_event_at = event.occurred_at
        new = event.status
        if new is None:
            unknown += 1
            continue
        if new == S.INFO_RECEIVED and label_created_at is None:
            label_created_at = event.occurred_at
        if new == S.FAILED_ATTEMPT and not _same_second(event.occurred_at, last_attempt_at):
            # Several codes (or depots) within one second describe one attempt.
            attempts += 1
            last_attempt_at = event.occurred_at
        moves_on = _moves_on(status, new, first_scan_at is not None)
        if new in SCAN_STATUSES and first_scan_at is None:
            first_scan_at = event.occurred_at
        if not moves_on or (new == status and event.reason is None):
            continue
        if new != status:
            status_since = event.occurred_at
        status, reason = new, event.reason
        if new == S.DELIVERED and delivered_at is None:
            delivered_at = event.occurred_at
    return ShipmentState(
        status=status,
        status_since=status_since,
        reason=reason,
        last_event_at=last_event_at,
        label_created_at=label_created_at,
        first_scan_at=first_scan_at,
        delivered_at=delivered_at,
        failed_attempts=attempts,
        unknown_codes=unknown,
        last_attempt_at=last_attempt_at,
    )
