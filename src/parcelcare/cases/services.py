"""Case use cases: open, move, work the checklist; each change audited in its transaction."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from parcelcare.accounts.models import Shop
from parcelcare.domain.cases import (
    TRANSITIONS,
    CaseKind,
    CaseStatus,
    Playbook,
    TrackingFacts,
    choose_playbook,
    transition,
)
from parcelcare.domain.playbooks import (
    Actor,
    StepKey,
    StepState,
    next_open,
    steps_for,
    waiting_status,
)
from parcelcare.domain.sla import add_business_time, delivery_resolution_due, sla_clock
from parcelcare.domain.vocabulary import FindingKind, ShipmentStatus
from parcelcare.tracking.models import Finding, Order, Shipment

from . import messages
from .actors import SYSTEM, CaseError, Who, audit, lock, mark_first_response
from .assess import assess
from .models import Case, CaseStep
from .notes import add_note
from .policy import Desk, desk_for

S = CaseStatus
CLOSED_STATES = (S.RESOLVED, S.CLOSED)


def tracking_facts(shipment: Shipment | None) -> TrackingFacts:
    """The shipment's status and open findings (pending when the order has no shipment)."""
    if shipment is None:
        return TrackingFacts(ShipmentStatus.PENDING)
    kinds = Finding.objects.filter(shipment=shipment, closed_at__isnull=True).values_list(
        "kind", flat=True
    )
    return TrackingFacts(ShipmentStatus(shipment.status), frozenset(FindingKind(k) for k in kinds))


def _latest_shipment(order: Order) -> Shipment | None:
    return order.shipments.order_by("-created_at", "-id").first()


def open_case(
    *,
    shop: Shop,
    order: Order,
    kind: CaseKind,
    source: str,
    who: Who,
    now: datetime,
    shipment: Shipment | None = None,
    summary: str = "",
    finding: Finding | None = None,
) -> tuple[Case, bool]:
    """Open a case and acknowledge it; an open case on the same shipment takes the report.

    Returns the case and whether it was created."""
    if order.shop_id != shop.pk or (shipment is not None and shipment.shop_id != shop.pk):
        raise CaseError("the order and shipment must belong to the shop")
    with transaction.atomic():
        shipment = shipment or _latest_shipment(order)
        existing = _open_case_on(shipment)
        if existing is not None:
            return report_again(case=existing, kind=kind, who=who, now=now, summary=summary), False
        desk = desk_for(shop, now)
        facts = tracking_facts(shipment)
        playbook = choose_playbook(kind, facts)
        clock = sla_clock(
            opened_at=now, policy=desk.sla(kind), calendar=desk.calendar, hours=desk.hours
        )
        resolution_due = clock.resolution_due
        if playbook == Playbook.MOVING_OR_DELAYED:
            resolution_due = max(resolution_due, _delivery_due(shipment, desk, now))
        case = Case.objects.create(
            shop=shop,
            order=order,
            shipment=shipment,
            customer_id=order.customer_id,
            finding=finding,
            kind=kind,
            playbook=playbook,
            source=source,
            summary=summary[:500],
            language=order.customer.language or shop.default_language,
            opened_at=now,
            updated_at=now,
            first_response_due=clock.first_response_due,
            resolution_due=resolution_due,
        )
        _create_steps(case, desk, playbook, now)
        audit(case, who, "open", now, None, {"kind": kind, "playbook": playbook, "source": source})
        _acknowledge(case, now)
        if playbook != Playbook.MOVING_OR_DELAYED:
            assess(case=case, now=now)
    return case, True


def _delivery_due(shipment: Shipment | None, desk: Desk, now: datetime) -> datetime:
    """Playbook A is resolved by the delivery: due a business day after the expected one."""
    return delivery_resolution_due(
        expected=shipment.promised_date if shipment else None,
        now=now,
        calendar=desk.calendar,
        hours=desk.hours,
    )


def _open_case_on(shipment: Shipment | None) -> Case | None:
    if shipment is None:
        return None
    return Case.objects.filter(shipment=shipment, is_open=True).first()


def _create_steps(
    case: Case, desk: Desk, playbook: Playbook, now: datetime, keep: Iterable[str] = ()
) -> None:
    """The playbook's checklist with due times on the shop's business hours."""
    kept = set(keep)
    CaseStep.objects.bulk_create(
        CaseStep(
            case=case,
            key=step.key,
            actor=step.actor,
            position=position,
            due_at=add_business_time(
                now, timedelta(hours=step.budget_hours), calendar=desk.calendar, hours=desk.hours
            ),
        )
        for position, step in enumerate(steps_for(playbook))
        if step.key not in kept
    )


def _acknowledge(case: Case, now: datetime) -> None:
    """Answer at once: what tracking says and what happens next, then wait on the right party."""
    proactive = case.source == Case.Source.PROACTIVE
    if not proactive:
        # A proactive case was already announced by its finding's notification.
        messages.queue(case, messages.RECEIVED, now)
    settle_step(case, StepKey.ACKNOWLEDGE, SYSTEM, now, StepState.DONE, {})
    if case.playbook == Playbook.MOVING_OR_DELAYED:
        settle_step(case, StepKey.REPLY_STATUS, SYSTEM, now, StepState.DONE, {})
    move(case, S.ACKNOWLEDGED, SYSTEM, now)
    if not proactive:
        case.first_response_at = now
        case.save(update_fields=["first_response_at"])
    # The acknowledgement already says what the customer is asked; a proactive case asks now.
    advance(case, SYSTEM, now, tell_customer=proactive)


def move(case: Case, target: CaseStatus, who: Who, now: datetime, action: str = "move") -> None:
    """Move the case's status along the TRANSITIONS table, audited."""
    before = case.status
    case.status = transition(CaseStatus(before), target)
    case.is_open = target not in CLOSED_STATES
    case.updated_at = now
    if target == S.RESOLVED:
        case.resolved_at = now
    if target == S.CLOSED:
        case.closed_at = now
    if target == S.INVESTIGATING and before in CLOSED_STATES:
        case.resolved_at = case.closed_at = None
    case.save(update_fields=["status", "is_open", "updated_at", "resolved_at", "closed_at"])
    audit(case, who, action, now, {"status": before}, {"status": target})


def step_states(case: Case) -> dict[StepKey, StepState]:
    """The state of each checklist step of the case."""
    return {StepKey(key): StepState(state) for key, state in case.steps.values_list("key", "state")}


def advance(case: Case, who: Who, now: datetime, *, tell_customer: bool = True) -> None:
    """Put a working case in the status its next open step calls for; when that step is the
    customer's and they did not just act themselves, ask them for it with their case link."""
    if case.status in CLOSED_STATES:
        return
    states = step_states(case)
    wanted = waiting_status(Playbook(case.playbook), states)
    if wanted != case.status and wanted in _moves_from(case):
        move(case, wanted, who, now)
    step = next_open(Playbook(case.playbook), states)
    asking = step is not None and step.actor == Actor.CUSTOMER and who.kind != "customer"
    if asking and tell_customer and step and not _asked_on_receipt(case, step.key):
        # Idempotent per step: the customer is asked for each step at most once.
        messages.queue(case, messages.REQUEST, now, detail=step.key, step=step.key)


def _asked_on_receipt(case: Case, key: StepKey) -> bool:
    """The acknowledgement of a customer's report already asks for the playbook's first
    customer step; asking again when an agent moves the case on would repeat it."""
    if case.source == Case.Source.PROACTIVE:
        return False
    first = next(s.key for s in steps_for(Playbook(case.playbook)) if s.actor == Actor.CUSTOMER)
    return key == first


def _moves_from(case: Case) -> frozenset[CaseStatus]:
    return TRANSITIONS[CaseStatus(case.status)]


def settle_step(
    case: Case, key: StepKey, who: Who, now: datetime, state: StepState, data: dict[str, Any]
) -> CaseStep:
    step = CaseStep.objects.filter(case=case, key=key).first()
    if step is None:
        raise CaseError(f"playbook {case.playbook} has no step {key}")
    before = step.state
    step.state, step.done_at, step.done_by = state, now, who.name or who.kind
    step.data = {**(step.data or {}), **data}
    step.save(update_fields=["state", "done_at", "done_by", "data"])
    audit(case, who, f"step.{key}", now, {"state": before}, {"state": state, **data})
    return step


def complete_step(
    *,
    case: Case,
    key: str,
    who: Who,
    now: datetime,
    data: dict[str, Any] | None = None,
    skip: bool = False,
) -> CaseStep:
    """Mark a checklist step done (or skipped) and move the case to what comes next."""
    with transaction.atomic():
        case = lock(case)
        if case.status in CLOSED_STATES:
            raise CaseError(f"case {case.reference} is {case.status}; reopen it first")
        step = settle_step(
            case, StepKey(key), who, now, StepState.SKIPPED if skip else StepState.DONE, data or {}
        )
        mark_first_response(case, who, now)
        advance(case, who, now)
    return step


def switch_playbook(*, case: Case, playbook: Playbook, who: Who, now: datetime) -> None:
    """Follow the facts into another playbook, keeping the steps both share."""
    before = case.playbook
    if before == playbook:
        return
    desk = desk_for(case.shop, now)
    shared = set(case.steps.values_list("key", flat=True)) & {s.key for s in steps_for(playbook)}
    case.steps.exclude(key__in=shared).filter(state=StepState.OPEN).delete()
    case.steps.exclude(key__in=shared).update(position=100)
    _create_steps(case, desk, playbook, now, keep=shared)
    for position, step in enumerate(steps_for(playbook)):
        case.steps.filter(key=step.key).update(position=position)
    case.playbook = playbook
    case.updated_at = now
    if playbook == Playbook.MOVING_OR_DELAYED:
        # Following a parcel until it arrives takes as long as the delivery, not the kind's target.
        case.resolution_due = max(case.resolution_due, _delivery_due(case.shipment, desk, now))
    case.save(update_fields=["playbook", "updated_at", "resolution_due"])
    audit(case, who, "playbook", now, {"playbook": before}, {"playbook": playbook})
    if case.status == S.RESOLUTION_PROPOSED and S.INVESTIGATING in _moves_from(case):
        move(case, S.INVESTIGATING, who, now)
    advance(case, who, now)


def report_again(*, case: Case, kind: CaseKind, who: Who, now: datetime, summary: str = "") -> Case:
    """A new report on a shipment that has an open case: note it, and follow a delivered
    parcel the customer says they never got into playbook B."""
    with transaction.atomic():
        case = lock(case)
        if summary:
            add_note(case=case, body=summary, who=who, now=now, inbound=who.kind == "customer")
        facts = tracking_facts(case.shipment)
        wanted = choose_playbook(kind, facts)
        if wanted == Playbook.DELIVERED_NOT_RECEIVED and case.playbook != wanted:
            before_kind = case.kind
            case.kind = kind
            case.save(update_fields=["kind"])
            audit(case, who, "kind", now, {"kind": before_kind}, {"kind": kind})
            switch_playbook(case=case, playbook=wanted, who=who, now=now)
    return case


def assign(*, case: Case, user: Any, who: Who, now: datetime) -> None:
    """Give the case to an agent (None: to nobody), audited."""
    with transaction.atomic():
        case = lock(case)
        before = case.assignee.get_username() if case.assignee else None
        case.assignee = user
        case.updated_at = now
        case.save(update_fields=["assignee", "updated_at"])
        after = user.get_username() if user is not None else None
        audit(case, who, "assign", now, {"assignee": before}, {"assignee": after})
