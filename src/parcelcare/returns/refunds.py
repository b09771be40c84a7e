"""A return's refund after its payout: book a failed one again, follow a finished one."""

from datetime import datetime

from django.db import transaction

from parcelcare.accounts.audit import Who
from parcelcare.domain.returns_policy import ReturnError
from parcelcare.ledger.book import book, lock_order
from parcelcare.ledger.models import RemedyEntry

from . import feedback, messages
from .models import ReturnRequest
from .services import REFUNDS, SYSTEM, audit, lock, refund_kind


def refund_again(*, request: ReturnRequest, who: Who, now: datetime) -> RemedyEntry:
    """Book the refund once more after its payout failed (a new key, so a new payout)."""
    with transaction.atomic():
        request = lock(request)
        entries = RemedyEntry.objects.filter(return_request=request, kind__in=REFUNDS).order_by(
            "-id"
        )
        last = entries.first()
        if last is None or last.status != "failed":
            raise ReturnError("refund", f"return {request.rma} has no failed refund to repeat")
        order = lock_order(request.order_id)
        remedy = refund_kind(order.pk, order.currency, order.total, last.amount)
        entry, _ = book(
            order_id=order.pk,
            shop_id=request.shop_id,
            kind=remedy,
            amount=last.amount,
            idempotency_key=f"return:{request.pk}:refund:{last.pk}",
            actor_type=who.kind,
            actor=who.name,
            now=now,
            reason=last.reason,
            return_id=request.pk,
        )
        audit(request, who, "refund_again", now, {"entry": last.pk}, {"entry": entry.pk})
    return entry


def refund_finished(*, entry: RemedyEntry, now: datetime) -> None:
    """The refund's payout ended (paid or failed): audit it on the return; ask for feedback."""
    if entry.return_request_id is None:
        return
    request = ReturnRequest.objects.get(pk=entry.return_request_id)
    audit(request, SYSTEM, "refund", now, None, {"status": entry.status, "entry": entry.pk})
    if entry.status == "paid":
        survey = feedback.ask_for_return(request=request, now=now)
        if entry.kind in REFUNDS:
            messages.refunded(request, entry, survey, now)
