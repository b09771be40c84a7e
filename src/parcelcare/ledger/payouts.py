"""Refund payouts: a row per refund entry queued in the booking's transaction, claimed with a
lease, sent with the entry's idempotency key, retried with backoff and tracked to succeeded or
failed (polling and provider webhooks). Without a payment provider the refund is record-only."""

import logging
import os
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import httpx
from django.db import transaction

from parcelcare.accounts.models import AuditEntry
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
from parcelcare.leases import due_ids
from parcelcare.tracking.sql import to_db

from .models import OrderPayment, Payout, PayoutAccount, RemedyEntry
from .shopify_returns import shopify_return_of

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
    at = to_db(now)
    with transaction.atomic():
        ids = due_ids(
            "ledger_payout",
            due="(status IN ('queued', 'retry', 'pending') AND next_attempt_at <= %s) "
            "OR (status = 'sending' AND lease_until < %s)",
            params=[at, at],
            order_by="next_attempt_at",
            limit=limit,
        )
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
        **shopify_return_of(payout),
    )
    return provider.refund(order)


Answer = tuple[int, str, str, str]
"""A provider's answer for one payout: payout id, state, provider refund id, error text."""
FINAL = (S.SUCCEEDED, S.FAILED)
PAYOUT_FIELDS = [
    "status",
    "attempts",
    "provider_refund_id",
    "last_error",
    "lease_until",
    "next_attempt_at",
    "updated_at",
]


def _record(payout: Payout, state: str, refund_id: str, error: str, now: datetime) -> None:
    """Apply one answer to the payout and its entry in memory."""
    payout.attempts += 1  # counted with the answer: one write per try
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


def settle_many(answers: list[Answer], now: datetime) -> None:
    """Record providers' answers on payouts and entries, audited, in one transaction."""
    if not answers:
        return
    with transaction.atomic():
        rows = {
            p.pk: p
            for p in Payout.objects.select_for_update(of=("self",))
            .select_related("entry")
            .filter(pk__in=[answer[0] for answer in answers])
        }
        changed, audits, finished = [], [], []
        for pk, state, refund_id, error in answers:
            payout = rows.get(pk)
            if payout is None or payout.status in FINAL:
                continue  # a late or repeated answer never undoes a final state
            before = payout.status
            _record(payout, state, refund_id, error, now)
            changed.append(payout)
            if payout.status != before:
                audits.append(_audit_row(payout, before, now))
            if payout.status in FINAL:
                finished.append(payout.entry)
        Payout.objects.bulk_update(changed, PAYOUT_FIELDS)
        RemedyEntry.objects.bulk_update([p.entry for p in changed], ["status", "reference"])
        AuditEntry.objects.bulk_create(audits)
        for entry in finished:
            _tell_return(entry, now)


def _audit_row(payout: Payout, before: str, now: datetime) -> AuditEntry:
    return AuditEntry(
        shop_id=payout.shop_id,
        at=now,
        actor_type="system",
        actor="ledger",
        subject_type="ledger",
        subject_id=payout.entry_id,
        action="ledger.payout",
        before={"payout": before},
        after={"payout": payout.status, "error": payout.last_error},
    )


def settle(*, payout_id: int, state: str, refund_id: str, error: str, now: datetime) -> None:
    """Record one provider's answer on the payout and its ledger entry, audited."""
    settle_many([(payout_id, state, refund_id, error)], now)


def _tell_return(entry: RemedyEntry, now: datetime) -> None:
    """A return whose refund finished hears about it (status page, feedback survey)."""
    if entry.return_request_id:
        from parcelcare.returns.refunds import refund_finished

        refund_finished(entry=entry, now=now)


def _answer(payout: Payout, account: PayoutAccount | None, factory: Factory) -> Answer:
    """Send one leased payout (or check a pending one); the provider's answer, not yet saved."""
    if account is None:
        return payout.pk, "retry", "", "the payout account was removed"
    try:
        result = _ask(payout, factory(account), payout.status == S.PENDING)
    except PaymentDeclined as declined:
        return payout.pk, "failed", "", str(declined)
    except PaymentRetry as retry:
        return payout.pk, "retry", "", str(retry)
    return payout.pk, result.state, result.refund_id, result.detail


def pay_due(now: datetime, factory: Factory | None = None, limit: int = 50) -> dict[str, int]:
    """Claim and send the payouts that are due, then save the answers in one transaction;
    counts per outcome (no personal data). A crash before saving sends the batch again later
    with the same keys, and the providers answer with the refunds they already made."""
    ids = claim(now, limit)
    if not ids:
        return {}
    claimed = list(Payout.objects.select_related("entry").filter(pk__in=ids).order_by("id"))
    accounts = {
        (a.shop_id, a.provider): a
        for a in PayoutAccount.objects.filter(shop_id__in={p.shop_id for p in claimed})
    }
    with httpx.Client(timeout=TIMEOUT) as client:
        make = factory or (lambda account: provider_for(account, client))
        answers = [_answer(p, accounts.get((p.shop_id, p.provider)), make) for p in claimed]
    settle_many(answers, now)
    counts: dict[str, int] = {}
    for _, state, _, _ in answers:
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
