"""Cases: kinds, the status state machine as a table, and how tracking facts pick a playbook.

Status moves (TRANSITIONS); anything else raises IllegalTransition. "working" means
investigating, waiting_on_customer or waiting_on_carrier.

| from                 | to                                                          |
|----------------------|-------------------------------------------------------------|
| new                  | acknowledged, investigating, resolved, closed               |
| acknowledged         | any working status, resolution_proposed, resolved           |
| investigating        | waiting on either party, resolution_proposed, resolved      |
| waiting_on_customer  | investigating, waiting_on_carrier, resolution_proposed, resolved |
| waiting_on_carrier   | investigating, waiting_on_customer, resolution_proposed, resolved |
| resolution_proposed  | investigating, waiting_on_customer, resolved                |
| resolved             | closed, investigating (reopen)                              |
| closed               | investigating (reopen)                                      |
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from .errors import IllegalTransition
from .vocabulary import FindingKind, ShipmentStatus


class CaseKind(StrEnum):
    """What the customer's problem is about."""

    ORDER_STATUS = "order_status"
    NOT_RECEIVED = "not_received"
    LOST = "lost"
    DAMAGED_OR_WRONG_ITEM = "damaged_or_wrong_item"
    UNDELIVERABLE = "undeliverable"
    RETURN = "return"
    REFUND_STATUS = "refund_status"
    ADDRESS_CHANGE = "address_change"
    CANCELLATION = "cancellation"


class CaseStatus(StrEnum):
    """Where a case is in its life."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    INVESTIGATING = "investigating"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    WAITING_ON_CARRIER = "waiting_on_carrier"
    RESOLUTION_PROPOSED = "resolution_proposed"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Playbook(StrEnum):
    """The scenario a case follows, chosen from the tracking facts (DESIGN.md section 2)."""

    MOVING_OR_DELAYED = "A"
    DELIVERED_NOT_RECEIVED = "B"
    LIKELY_LOST = "C"
    UNDELIVERABLE = "D"
    DAMAGED_OR_WRONG = "E"


S = CaseStatus
WORKING = frozenset({S.INVESTIGATING, S.WAITING_ON_CUSTOMER, S.WAITING_ON_CARRIER})

TRANSITIONS: Mapping[CaseStatus, frozenset[CaseStatus]] = MappingProxyType(
    {
        S.NEW: frozenset({S.ACKNOWLEDGED, S.INVESTIGATING, S.RESOLVED, S.CLOSED}),
        S.ACKNOWLEDGED: WORKING | {S.RESOLUTION_PROPOSED, S.RESOLVED},
        S.INVESTIGATING: frozenset({S.WAITING_ON_CUSTOMER, S.WAITING_ON_CARRIER})
        | {S.RESOLUTION_PROPOSED, S.RESOLVED},
        S.WAITING_ON_CUSTOMER: frozenset({S.INVESTIGATING, S.WAITING_ON_CARRIER})
        | {S.RESOLUTION_PROPOSED, S.RESOLVED},
        S.WAITING_ON_CARRIER: frozenset({S.INVESTIGATING, S.WAITING_ON_CUSTOMER})
        | {S.RESOLUTION_PROPOSED, S.RESOLVED},
        S.RESOLUTION_PROPOSED: frozenset({S.INVESTIGATING, S.WAITING_ON_CUSTOMER, S.RESOLVED}),
        S.RESOLVED: frozenset({S.CLOSED, S.INVESTIGATING}),
        S.CLOSED: frozenset({S.INVESTIGATING}),
    }
)
"""The table of the module docstring, as data."""

OPEN_STATUSES = frozenset(CaseStatus) - {S.RESOLVED, S.CLOSED}
"""Statuses in which a case still needs someone to act."""


def transition(current: CaseStatus, target: CaseStatus) -> CaseStatus:
    """The new status, or IllegalTransition when the table forbids the move."""
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(f"a case cannot move from {current} to {target}")
    return target


def can_move(current: CaseStatus, target: CaseStatus) -> bool:
    """True when the table allows the move."""
    return target in TRANSITIONS[current]


@dataclass(frozen=True)
class TrackingFacts:
    """What tracking says about a case's shipment right now."""

    status: ShipmentStatus
    findings: frozenset[FindingKind] = frozenset()

    @property
    def delivered(self) -> bool:
        """True when the carrier reports the parcel delivered."""
        return self.status == ShipmentStatus.DELIVERED

    @property
    def going_back(self) -> bool:
        """True when the parcel is on its way back, or back, at the shop."""
        return self.status in (ShipmentStatus.RETURNING, ShipmentStatus.RETURNED)


def choose_playbook(kind: CaseKind, facts: TrackingFacts) -> Playbook:
    """The scenario a case of `kind` follows given what tracking says."""
    if kind == CaseKind.DAMAGED_OR_WRONG_ITEM:
        return Playbook.DAMAGED_OR_WRONG
    if facts.going_back or kind == CaseKind.UNDELIVERABLE:
        return Playbook.UNDELIVERABLE
    if facts.delivered:
        if kind in (CaseKind.NOT_RECEIVED, CaseKind.LOST):
            return Playbook.DELIVERED_NOT_RECEIVED
        return Playbook.MOVING_OR_DELAYED
    if kind == CaseKind.LOST or FindingKind.LIKELY_LOST in facts.findings:
        return Playbook.LIKELY_LOST
    return Playbook.MOVING_OR_DELAYED


class FollowUp(StrEnum):
    """What a change in tracking means for an open case."""

    NOTHING = "nothing"
    CLOSE_DELIVERED = "close_delivered"
    SWITCH = "switch"


@dataclass(frozen=True)
class Follow:
    """The follow-up and, for a switch, the playbook to switch to."""

    action: FollowUp
    playbook: Playbook | None = None


def follow_tracking(
    *, kind: CaseKind, playbook: Playbook, facts: TrackingFacts, remedied: bool
) -> Follow:
    """How an open case follows new tracking facts.

    A late or lost parcel that gets delivered closes its case with a message (unless a remedy
    was already given: then an agent decides). Other moves switch the playbook the facts now
    call for; a claim of non-receipt on a delivered parcel stays in B whatever follows."""
    if playbook in (Playbook.MOVING_OR_DELAYED, Playbook.LIKELY_LOST) and facts.delivered:
        return Follow(FollowUp.NOTHING) if remedied else Follow(FollowUp.CLOSE_DELIVERED)
    if playbook in (Playbook.DELIVERED_NOT_RECEIVED, Playbook.DAMAGED_OR_WRONG) or remedied:
        return Follow(FollowUp.NOTHING)
    wanted = choose_playbook(kind, facts)
    if wanted != playbook and wanted != Playbook.MOVING_OR_DELAYED:
        return Follow(FollowUp.SWITCH, wanted)
    return Follow(FollowUp.NOTHING)


PROACTIVE: Mapping[FindingKind, CaseKind] = MappingProxyType(
    {
        FindingKind.LIKELY_LOST: CaseKind.LOST,
        FindingKind.RETURNED_TO_SENDER: CaseKind.UNDELIVERABLE,
        FindingKind.DELAYED: CaseKind.ORDER_STATUS,
    }
)
"""Findings that open a case before the customer asks (delays only from level 3)."""

PROACTIVE_DELAY_LEVEL = 3


def proactive_kind(finding: FindingKind, level: int | None) -> CaseKind | None:
    """The case a finding opens on its own, or None."""
    if finding == FindingKind.DELAYED and (level or 0) < PROACTIVE_DELAY_LEVEL:
        return None
    return PROACTIVE.get(finding)
