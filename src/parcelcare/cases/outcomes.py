"""How cases end: a remedy in the ledger (never more refunded than paid), a denial, closing
and reopening. Each runs in one transaction that locks the order, so concurrent clicks queue up."""

from datetime import datetime

from django.db import transaction

from parcelcare.domain.cases import CaseStatus
from parcelcare.domain.money import LedgerLine, Money, RemedyKind, check_entry
from parcelcare.domain.notify_policy import MessageKind
from parcelcare.domain.playbooks import StepKey, StepState
from parcelcare.ledger.book import ledger_lines, lock_order, reship_cost
from parcelcare.ledger.models import RemedyEntry
from parcelcare.ledger.payouts import queue_payout
from parcelcare.messaging.models import OutboxMessage
from parcelcare.returns.feedback import ask_for_case
from parcelcare.returns.messages import survey_url
from parcelcare.tracking.models import Shipment

from . import messages
from .actors import CaseError, Who, audit, lock
from .models import Case
from .services import CLOSED_STATES, advance, move, settle_step

S = CaseStatus
TO_CUSTOMER = frozenset(
    {
        RemedyKind.REFUND,
        RemedyKind.PARTIAL_REFUND,
        RemedyKind.RESHIP,
        RemedyKind.VOUCHER,
        RemedyKind.STORE_CREDIT,
    }
)
"""Remedies that answer the customer's claim and so resolve the case."""


def record_remedy(
    *,
    case: Case,
    kind: RemedyKind,
    amount: int,
    who: Who,
    now: datetime,
    idempotency_key: str,
    reason: str = "",
    carrier: str = "",
    tracking_number: str = "",
    customer_share_percent: int = 0,
    reference: str = "",
) -> tuple[RemedyEntry, bool]:
    """Write a remedy to the ledger once per idempotency key; returns the entry and whether it
    is new. A refund above what is still refundable raises LedgerError."""
    if not idempotency_key.strip():
        raise CaseError("a remedy needs an idempotency key")
    with transaction.atomic():
        case = lock(case)
        order = lock_order(case.order_id)
        if kind == RemedyKind.RESHIP and amount == 0:  # its cost: the goods sent again
            amount = reship_cost(order_id=order.pk, share_percent=customer_share_percent)
        found = RemedyEntry.objects.filter(shop_id=case.shop_id, idempotency_key=idempotency_key)
        if (entry := found.first()) is not None:
            if (entry.kind, entry.amount, entry.case_id) != (kind, amount, case.pk):
                raise CaseError("this idempotency key was used for another remedy")
            return entry, False
        line = LedgerLine(kind, amount, order.currency, idempotency_key)
        check_entry(paid=Money(order.total, order.currency), lines=ledger_lines(order.pk), new=line)
        if kind in TO_CUSTOMER and case.status in CLOSED_STATES:
            raise CaseError(f"case {case.reference} is {case.status}; reopen it first")
        shipment = (
            _reship(case, carrier, tracking_number, now) if kind == RemedyKind.RESHIP else None
        )
        entry = RemedyEntry.objects.create(
            shop_id=case.shop_id,
            order=order,
            case=case,
            kind=kind,
            amount=amount,
            currency=order.currency,
            idempotency_key=idempotency_key,
            reason=reason[:300],
            reference=reference.strip()[:100],
            shipment=shipment,
            customer_share_percent=customer_share_percent,
            actor_type=who.kind,
            actor=who.name,
            created_at=now,
        )
        audit(case, who, "remedy", now, None, {"kind": kind, "amount": amount, "entry": entry.pk})
        queue_payout(entry=entry, now=now)  # a refund goes back through the payment provider
        if kind in TO_CUSTOMER:
            code = entry.reference if kind == RemedyKind.VOUCHER else ""
            survey = survey_url(ask_for_case(case=case, now=now))
            _conclude(
                case,
                str(kind),
                who,
                now,
                amount=amount,
                share=customer_share_percent,
                code=code,
                survey=survey,
            )
    return entry, True


def _reship(case: Case, carrier: str, tracking_number: str, now: datetime) -> Shipment:
    """The replacement parcel: a new shipment of the same order, tracked like any other."""
    original = case.shipment
    count = Shipment.objects.filter(order_id=case.order_id).count()
    number = tracking_number.strip() or f"{case.order.order_number}-R{count}"
    if Shipment.objects.filter(shop_id=case.shop_id, tracking_number=number).exists():
        raise CaseError(f"tracking number {number} is already in use")
    return Shipment.objects.create(
        shop_id=case.shop_id,
        order_id=case.order_id,
        carrier=carrier.strip() or (original.carrier if original else "other"),
        tracking_number=number,
        promised_date=None,
        next_review_at=now,
        created_at=now,
        updated_at=now,
    )


def _conclude(
    case: Case,
    outcome: str,
    who: Who,
    now: datetime,
    *,
    amount: int = 0,
    share: int = 0,
    code: str = "",
    tell: bool = True,
    survey: str = "",
) -> None:
    """Settle the remedy step, resolve the case and (unless told otherwise) tell the customer."""
    case.outcome = outcome
    case.save(update_fields=["outcome"])
    step = case.steps.filter(key=StepKey.DECIDE_REMEDY, state=StepState.OPEN).first()
    if step is not None:
        step.state, step.done_at, step.done_by = StepState.DONE, now, who.label
        step.data = {"outcome": outcome}
        step.save(update_fields=["state", "done_at", "done_by", "data"])
    move(case, S.RESOLVED, who, now, action="resolve")
    if not tell:
        return
    currency = case.order.currency if amount else ""
    messages.queue(
        case,
        messages.RESOLVED,
        now,
        detail=outcome,
        remedy=outcome,
        amount_minor_units=amount,
        amount_currency=currency,
        share_percent=share,
        voucher_code=code,
        survey_url=survey,
    )


def deny(*, case: Case, who: Who, now: datetime, reason: str = "") -> None:
    """Decline the claim politely; the reason stays in the audit trail, not in the message."""
    with transaction.atomic():
        case = lock(case)
        if case.status in CLOSED_STATES:
            raise CaseError(f"case {case.reference} is {case.status}; reopen it first")
        audit(case, who, "deny", now, None, {"reason": reason[:300]})
        _conclude(case, "deny", who, now)


def close_delivered(*, case: Case, who: Who, now: datetime) -> None:
    """The parcel arrived after all: resolve and close the case, and say so."""
    with transaction.atomic():
        case = lock(case)
        if case.status in CLOSED_STATES:
            return
        # Following the parcel until delivery is done now; left open it reads as unfinished.
        if case.steps.filter(key=StepKey.FOLLOW_UNTIL_DELIVERED, state=StepState.OPEN).exists():
            settle_step(case, StepKey.FOLLOW_UNTIL_DELIVERED, who, now, StepState.DONE, {})
        # The delivery notice already told the customer; a second "delivered" would repeat it.
        told = OutboxMessage.objects.filter(
            shipment=case.shipment, kind=MessageKind.DELIVERED
        ).exclude(status__in=(OutboxMessage.Status.WITHDRAWN, OutboxMessage.Status.DEAD))
        _conclude(case, "delivered", who, now, tell=not told.exists())
        move(case, S.CLOSED, who, now, action="close")


def close(*, case: Case, who: Who, now: datetime) -> None:
    """Close a resolved case."""
    with transaction.atomic():
        move(lock(case), S.CLOSED, who, now, action="close")


def reopen(*, case: Case, who: Who, now: datetime, why: str = "") -> None:
    """Take a resolved or closed case up again; its open steps pick up where they were."""
    with transaction.atomic():
        case = lock(case)
        if (
            case.shipment_id
            and Case.objects.filter(shipment_id=case.shipment_id, is_open=True)
            .exclude(pk=case.pk)
            .exists()
        ):
            raise CaseError("another case is open for this shipment")
        move(case, S.INVESTIGATING, who, now, action="reopen")
        audit(case, who, "reopen.why", now, None, {"why": why[:300]})
        advance(case, who, now)
