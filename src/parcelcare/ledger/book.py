"""Book a remedy in the ledger: the order row locked, the arithmetic checked (a refund never
exceeds what is still refundable; a failed payout gives its amount back), once per key."""

from datetime import datetime

from django.db import transaction
from django.db.models import F, Sum

from parcelcare.accounts.audit import Who, audit_of
from parcelcare.domain.errors import LedgerError
from parcelcare.domain.money import LedgerLine, Money, RemedyKind, check_entry
from parcelcare.tracking.models import Order, OrderLine

from .models import RemedyEntry

FAILED = "failed"


def ledger_lines(order_id: int) -> list[LedgerLine]:
    """The order's ledger as domain lines; entries whose payout failed gave nothing back."""
    rows = (
        RemedyEntry.objects.filter(order_id=order_id)
        .exclude(status=FAILED)
        .values_list("kind", "amount", "currency", "idempotency_key")
    )
    return [
        LedgerLine(RemedyKind(kind), amount, currency, key) for kind, amount, currency, key in rows
    ]


def lock_order(order_id: int) -> Order:
    """The order row, locked until the transaction ends, so concurrent bookings queue up."""
    return Order.objects.select_for_update().get(pk=order_id)


def audit_entry(
    entry: RemedyEntry,
    action: str,
    now: datetime,
    before: object,
    after: object,
    actor_type: str = "system",
    actor: str = "ledger",
) -> None:
    """Append the ledger entry's audit record in the caller's transaction."""
    audit_of("ledger", entry, Who(actor_type, actor), action, now, before, after)


def book(
    *,
    order_id: int,
    shop_id: int,
    kind: RemedyKind,
    amount: int,
    idempotency_key: str,
    actor_type: str,
    actor: str,
    now: datetime,
    reason: str = "",
    reference: str = "",
    case_id: int | None = None,
    return_id: int | None = None,
    pay: bool = True,
) -> tuple[RemedyEntry, bool]:
    """Write one ledger entry (and its payout) once per key; returns it and whether it is new."""
    from .payouts import queue_payout

    if not idempotency_key.strip():
        raise LedgerError("a remedy needs an idempotency key")
    with transaction.atomic():
        order = lock_order(order_id)
        if order.shop_id != shop_id:
            raise LedgerError("the order belongs to another shop")
        found = RemedyEntry.objects.filter(shop_id=shop_id, idempotency_key=idempotency_key)
        if (entry := found.first()) is not None:
            if (entry.kind, entry.amount, entry.order_id) != (kind, amount, order_id):
                raise LedgerError("this idempotency key was used for another remedy")
            return entry, False
        line = LedgerLine(kind, amount, order.currency, idempotency_key)
        check_entry(paid=Money(order.total, order.currency), lines=ledger_lines(order_id), new=line)
        entry = RemedyEntry.objects.create(
            shop_id=shop_id,
            order=order,
            case_id=case_id,
            return_request_id=return_id,
            kind=kind,
            amount=amount,
            currency=order.currency,
            idempotency_key=idempotency_key,
            reason=reason[:300],
            reference=reference.strip()[:100],
            actor_type=actor_type,
            actor=actor,
            created_at=now,
        )
        audit_entry(
            entry,
            "ledger.book",
            now,
            None,
            {"kind": kind, "amount": amount, "currency": order.currency},
            actor_type,
            actor,
        )
        if pay:
            queue_payout(entry=entry, now=now)
    return entry, True


def reship_cost(*, order_id: int, share_percent: int = 0) -> int:
    """What sending an order again costs the shop: its goods at the order's prices (the whole
    order total when it has no lines), less the customer's share in percent."""
    goods = OrderLine.objects.filter(order_id=order_id).aggregate(
        value=Sum(F("unit_price") * F("quantity"))
    )["value"]
    if not goods:
        goods = Order.objects.filter(pk=order_id).values_list("total", flat=True).first() or 0
    return int(goods) * (100 - max(0, min(100, share_percent))) // 100
