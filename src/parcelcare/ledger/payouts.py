"""Refund payouts: a row per refund entry queued in the booking's transaction, claimed with a
lease, sent with the entry's idempotency key, retried with backoff and tracked to succeeded or
failed (polling and provider webhooks). Without a payment provider the refund is record-only."""

import logging
import os
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import httpx
from django.db import connection, transaction

from parcelcare.domain.money import RemedyKind
from parcelcare.integrations.payments.base import (
    TIMEOUT,
    PaymentDeclined,
    PaymentRetry,
    PayoutProvider,
    RefundOrder,
    RefundResult,
)
from parcelcare.integrations.payments.registry import build
from parcelcare.tracking.sql import to_db

from .book import audit_entry
from .models import OrderPayment, Payout, PayoutAccount, RemedyEntry

log = logging.getLogger(__name__)
S = Payout.Status
PAYABLE = frozenset({RemedyKind.REFUND, RemedyKind.PARTIAL_REFUND})
LEASE = timedelta(seconds=int(os.environ.get("PARCELCARE_PAYOUT_LEASE_SECONDS", "120")))
MAX_ATTEMPTS = 8
POLL_AFTER = timedelta(minutes=15)
Factory = Callable[[PayoutAccount], PayoutProvider]


def backoff(attempts: int) -> timedelta:
    """Wait 1, 2, 4 … minutes between tries, at most six hours."""
    return timedelta(minutes=min(2 ** max(0, attempts - 1), 360))


def queue_payout(*, entry: RemedyEntry, now: datetime) -> Payout | None:
    """Queue the payout of a refund entry in the caller's transaction; record-only otherwise."""
    if entry.kind not in PAYABLE:
        return None
    payment = OrderPayment.objects.filter(order_id=entry.order_id, shop_id=entry.shop_id).first()
    if (
        payment is None
        or not PayoutAccount.objects.filter(
            shop_id=entry.shop_id, provider=payment.provider
        ).exists()
    ):
        return None
    payout = Payout.objects.create(
        shop_id=entry.shop_id,
        entry=entry,
        provider=payment.provider,
        payment_reference=payment.reference,
        amount=entry.amount,
        currency=entry.currency,
        idempotency_key=f"pc-{entry.shop_id}-{entry.pk}",
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    entry.status = "pending"
    entry.save(update_fields=["status"])
    transaction.on_commit(_pay_soon)
    return payout


def _pay_soon() -> None:
    from parcelcare.jobs import pay_refunds_now

    pay_refunds_now()


def claim(now: datetime, limit: int = 50) -> list[int]:
    """Lease due payouts: new, due for a retry or a status check, or whose lease expired."""
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    at = to_db(now)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM ledger_payout WHERE (status IN ('queued', 'retry', 'pending') "
            "AND next_attempt_at <= %s) OR (status = 'sending' AND lease_until < %s) "
            "ORDER BY next_attempt_at LIMIT %s" + lock,
            [at, at, limit],
        )
        ids = [row[0] for row in cursor.fetchall()]
        claimed = Payout.objects.filter(id__in=ids)
        # A status check keeps its state; moving its due time keeps other workers off it.
        claimed.filter(status=S.PENDING).update(
            next_attempt_at=now + LEASE, lease_until=now + LEASE
        )
        claimed.exclude(status=S.PENDING).update(status=S.SENDING, lease_until=now + LEASE)
    return ids


def provider_for(account: PayoutAccount, client: httpx.Client) -> PayoutProvider:
    """The account's provider client."""
    return build(account.provider, client=client, secret=account.secret, settings=account.settings)


def _ask(payout: Payout, provider: PayoutProvider, was_pending: bool) -> RefundResult:
    if was_pending and payout.provider_refund_id:
        return provider.status(
            payment_reference=payout.payment_reference, refund_id=payout.provider_refund_id
        )
    order = RefundOrder(
        payment_reference=payout.payment_reference,
        amount=payout.amount,
        currency=payout.currency,
        idempotency_key=payout.idempotency_key,
        reason=payout.entry.reason,
    )
    return provider.refund(order)


def settle(*, payout_id: int, state: str, refund_id: str, error: str, now: datetime) -> None:
    """Record a provider's answer on the payout and its ledger entry, audited, in one go."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().select_related("entry").get(pk=payout_id)
        if payout.status in (S.SUCCEEDED, S.FAILED):
            return  # a late or repeated answer never undoes a final state
        before = payout.status
        payout.attempts += 1  # counted with the answer: one commit per try
        payout.provider_refund_id = refund_id or payout.provider_refund_id
        payout.last_error = error[:300]
        payout.lease_until, payout.updated_at = None, now
        if state == "succeeded":
            payout.status, payout.entry.status = S.SUCCEEDED, "paid"
            payout.entry.reference = (payout.entry.reference or payout.provider_refund_id)[:100]
        elif state == "failed":
            payout.status, payout.entry.status = S.FAILED, "failed"
        elif state == "pending":
            payout.status, payout.next_attempt_at = S.PENDING, now + POLL_AFTER
        else:  # retry
            payout.status = S.RETRY if payout.attempts < MAX_ATTEMPTS else S.FAILED
            payout.next_attempt_at = now + backoff(payout.attempts)
            if payout.status == S.FAILED:
                payout.entry.status = "failed"
        payout.save()
        payout.entry.save(update_fields=["status", "reference"])
        if payout.status != before:
            audit_entry(
                payout.entry,
                "ledger.payout",
                now,
                {"payout": before},
                {"payout": payout.status, "error": payout.last_error},
            )
        if payout.status in (S.SUCCEEDED, S.FAILED):
            _tell_return(payout.entry, now)


def _tell_return(entry: RemedyEntry, now: datetime) -> None:
    """A return whose refund finished hears about it (status page, feedback survey)."""
    if entry.return_request_id:
        from parcelcare.returns.services import refund_finished

        refund_finished(entry=entry, now=now)


def pay_one(payout_id: int, factory: Factory, now: datetime) -> str:
    """Send one leased payout (or check a pending one) and record the answer."""
    payout = Payout.objects.select_related("entry").get(pk=payout_id)
    account = PayoutAccount.objects.filter(shop_id=payout.shop_id, provider=payout.provider).first()
    was_pending = payout.status == S.PENDING
    if account is None:
        state, refund_id, error = "retry", "", "the payout account was removed"
    else:
        try:
            result = _ask(payout, factory(account), was_pending)
            state, refund_id, error = result.state, result.refund_id, result.detail
        except PaymentDeclined as declined:
            state, refund_id, error = "failed", "", str(declined)
        except PaymentRetry as retry:
            state, refund_id, error = "retry", "", str(retry)
    settle(payout_id=payout_id, state=state, refund_id=refund_id, error=error, now=now)
    return state


def pay_due(now: datetime, factory: Factory | None = None, limit: int = 50) -> dict[str, int]:
    """Claim and send the payouts that are due; counts per outcome (no personal data)."""
    counts: dict[str, int] = {}
    with httpx.Client(timeout=TIMEOUT) as client:
        make = factory or (lambda account: provider_for(account, client))
        for payout_id in claim(now, limit):
            state = pay_one(payout_id, make, now)
            counts[state] = counts.get(state, 0) + 1
    return counts


def apply_provider_status(
    *, provider: str, shop_id: int, results: Iterable[RefundResult], now: datetime
) -> int:
    """Apply refund states a provider's webhook reported; returns how many payouts it moved."""
    moved = 0
    for result in results:
        payout_id = (
            Payout.objects.filter(
                shop_id=shop_id, provider=provider, provider_refund_id=result.refund_id
            )
            .values_list("id", flat=True)
            .first()
        )
        if payout_id is not None and result.state in ("succeeded", "failed"):
            settle(
                payout_id=payout_id, state=result.state, refund_id="", error=result.detail, now=now
            )
            moved += 1
    return moved
