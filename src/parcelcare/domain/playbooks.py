"""Playbook checklists: who does what, by when, for each scenario of DESIGN.md section 2.

Each step has an actor (the customer through a link on their tracking page, an agent, the
carrier, or the system), a budget in business hours counted from the case's opening, and the
case status to wait in while it is open. The remedy step is always last.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from .cases import CaseStatus, Playbook


class Actor(StrEnum):
    """Who does a step."""

    CUSTOMER = "customer"
    AGENT = "agent"
    CARRIER = "carrier"
    SYSTEM = "system"


class StepKey(StrEnum):
    """Every step a playbook can ask for."""

    ACKNOWLEDGE = "acknowledge"
    REPLY_STATUS = "reply_status"
    FOLLOW_UNTIL_DELIVERED = "follow_until_delivered"
    INVESTIGATE_TRACKING = "investigate_tracking"
    VERIFY_ADDRESS = "verify_address"
    CUSTOMER_CHECKS = "customer_checks"
    DECLARATION = "declaration"
    REQUEST_POD = "request_pod"
    FILE_CLAIM = "file_claim"
    CUSTOMER_CHOICE = "customer_choice"
    CONFIRM_ADDRESS = "confirm_address"
    PHOTOS = "photos"
    DECIDE_REMEDY = "decide_remedy"


class StepState(StrEnum):
    """Where a checklist step is."""

    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Step:
    """One checklist item: its actor, its budget in business hours and what the case waits on."""

    key: StepKey
    actor: Actor
    budget_hours: int
    waits_in: CaseStatus | None = None


K, A = StepKey, Actor
ON_CUSTOMER, ON_CARRIER = CaseStatus.WAITING_ON_CUSTOMER, CaseStatus.WAITING_ON_CARRIER

PLAYBOOKS: Mapping[Playbook, tuple[Step, ...]] = MappingProxyType(
    {
        Playbook.MOVING_OR_DELAYED: (
            Step(K.ACKNOWLEDGE, A.SYSTEM, 0),
            Step(K.REPLY_STATUS, A.SYSTEM, 0),
            Step(K.FOLLOW_UNTIL_DELIVERED, A.SYSTEM, 80, ON_CARRIER),
        ),
        Playbook.DELIVERED_NOT_RECEIVED: (
            Step(K.ACKNOWLEDGE, A.SYSTEM, 0),
            Step(K.INVESTIGATE_TRACKING, A.AGENT, 4),
            Step(K.VERIFY_ADDRESS, A.AGENT, 4),
            Step(K.CUSTOMER_CHECKS, A.CUSTOMER, 16, ON_CUSTOMER),
            Step(K.DECLARATION, A.CUSTOMER, 24, ON_CUSTOMER),
            Step(K.REQUEST_POD, A.CARRIER, 24, ON_CARRIER),
            Step(K.FILE_CLAIM, A.AGENT, 32),
            Step(K.DECIDE_REMEDY, A.AGENT, 40),
        ),
        Playbook.LIKELY_LOST: (
            Step(K.ACKNOWLEDGE, A.SYSTEM, 0),
            Step(K.CUSTOMER_CHOICE, A.CUSTOMER, 16, ON_CUSTOMER),
            Step(K.FILE_CLAIM, A.AGENT, 16),
            Step(K.DECIDE_REMEDY, A.AGENT, 24),
        ),
        Playbook.UNDELIVERABLE: (
            Step(K.ACKNOWLEDGE, A.SYSTEM, 0),
            Step(K.VERIFY_ADDRESS, A.AGENT, 4),
            Step(K.CONFIRM_ADDRESS, A.CUSTOMER, 16, ON_CUSTOMER),
            Step(K.DECIDE_REMEDY, A.AGENT, 24),
        ),
        Playbook.DAMAGED_OR_WRONG: (
            Step(K.ACKNOWLEDGE, A.SYSTEM, 0),
            Step(K.PHOTOS, A.CUSTOMER, 8, ON_CUSTOMER),
            Step(K.FILE_CLAIM, A.AGENT, 16),
            Step(K.DECIDE_REMEDY, A.AGENT, 24),
        ),
    }
)
"""The checklists, in the order an agent works through them."""

CUSTOMER_STEPS = frozenset(
    step.key for steps in PLAYBOOKS.values() for step in steps if step.actor == Actor.CUSTOMER
)
"""Steps the customer completes through a link on their tracking page."""


def steps_for(playbook: Playbook) -> tuple[Step, ...]:
    """The checklist of a playbook."""
    return PLAYBOOKS[playbook]


def next_open(playbook: Playbook, states: Mapping[StepKey, StepState]) -> Step | None:
    """The first step of the checklist that is still open, or None when all are settled."""
    for step in PLAYBOOKS[playbook]:
        if states.get(step.key, StepState.OPEN) == StepState.OPEN:
            return step
    return None


def waiting_status(playbook: Playbook, states: Mapping[StepKey, StepState]) -> CaseStatus:
    """The status a working case sits in: waiting on whoever owns the next open step."""
    step = next_open(playbook, states)
    if step is None or step.key == StepKey.DECIDE_REMEDY:
        return CaseStatus.RESOLUTION_PROPOSED
    return step.waits_in or CaseStatus.INVESTIGATING


def carried_over(old: Sequence[Step], new: Sequence[Step]) -> frozenset[StepKey]:
    """Steps of a new playbook already covered by the old one (a switch keeps their state)."""
    return frozenset(s.key for s in old) & frozenset(s.key for s in new)
