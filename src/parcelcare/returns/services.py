"""Return use cases: request, approve, reject, receive, inspect, resolve (refund, store credit,
voucher, exchange). Each runs in one transaction with the return row locked and an audit entry;
money goes through the ledger, whose refunds are paid out by the ledger's payouts."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import transaction

from parcelcare.accounts.audit import Who, audit_of
from parcelcare.domain.money import Money, RemedyKind, refundable
from parcelcare.domain.returns_policy import (
    Assessment,
    Pick,
    ReturnError,
    ReturnStatus,
    assess,
    check_move,
)
from parcelcare.ledger.book import book, ledger_lines, lock_order
from parcelcare.ledger.models import RemedyEntry
from parcelcare.tracking.models import Order, Shipment

from . import feedback, messages
from .models import ReturnLine, ReturnPhoto, ReturnRequest
from .order_facts import bought_lines, delivered_at, policy_of
from .photos import MAX_PHOTOS, checked

S = ReturnStatus
K = RemedyKind
RESOLVE_KINDS = ("refund", "store_credit", "voucher", "exchange")
REFUNDS = (K.REFUND, K.PARTIAL_REFUND)
TOLD = (*REFUNDS, K.STORE_CREDIT, K.VOUCHER)
"""Settlements the customer hears about as `return_refunded` (an exchange ships a parcel)."""


CUSTOMER = Who("customer")
SYSTEM = Who("system", "returns")


def audit(
    request: ReturnRequest, who: Who, action: str, now: datetime, before: object, after: object
) -> None:
    """Append the return's audit entry in the caller's transaction."""
    audit_of("return", request, who, action, now, before, after)


def lock(request: ReturnRequest) -> ReturnRequest:
    """The return row again, locked for the rest of the transaction."""
    return (
        ReturnRequest.objects.select_for_update(of=("self",))
        .select_related("order", "shop")
        .get(pk=request.pk)
    )


def move(
    request: ReturnRequest, target: ReturnStatus, who: Who, now: datetime, note: str = ""
) -> None:
    """Move the return through the TRANSITIONS table, audited."""
    before = request.status
    request.status = check_move(before, target)
    request.updated_at = now
    if note:
        request.decision_note = note[:300]
    request.save(update_fields=["status", "updated_at", "decision_note"])
    audit(request, who, "status", now, {"status": before}, {"status": str(target), "note": note})


def _create(
    order: Order,
    found: Assessment,
    skus: dict[int, str],
    *,
    reason: str,
    resolution: str,
    comment: str,
    language: str,
    now: datetime,
) -> ReturnRequest:
    request = ReturnRequest.objects.create(
        shop_id=order.shop_id,
        order=order,
        customer_id=order.customer_id,
        reason=reason,
        resolution=resolution,
        comment=comment.strip()[:2000],
        language=language,
        keep_item=found.keep_item,
        goods_minor=found.goods_minor,
        restocking_fee_minor=found.restocking_fee_minor,
        return_shipping_minor=found.return_shipping_minor,
        refund_minor=found.refund_minor,
        currency=order.currency,
        window_closes_at=found.window_closes_at,
        created_at=now,
        updated_at=now,
    )
    ReturnLine.objects.bulk_create(
        ReturnLine(
            request=request,
            order_line_id=line_id,
            sku=skus[line_id],
            quantity=qty,
            unit_price=price,
        )
        for line_id, qty, price in found.lines
    )
    return request


def request_return(
    *,
    order: Order,
    picks: Sequence[Pick],
    reason: str,
    resolution: str,
    language: str,
    now: datetime,
    comment: str = "",
    photos: Iterable[bytes] = (),
) -> ReturnRequest:
    """The customer's request, checked against the policy; a green return is approved at once."""
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ReturnError("photo", f"send at most {MAX_PHOTOS} photos")
    kept = [(data, *checked(data)) for data in photos]
    policy = policy_of(order.shop_id)
    with transaction.atomic():
        order = lock_order(order.pk)  # two submissions at once cannot both take the last item
        bought = bought_lines(order.pk)
        found = assess(
            policy=policy,
            bought=bought,
            picks=picks,
            reason=reason,
            resolution=resolution,
            delivered_at=delivered_at(order.pk),
            now=now,
        )
        request = _create(
            order,
            found,
            {line.line_id: line.sku for line in bought},
            reason=reason,
            resolution=resolution,
            comment=comment,
            language=language,
            now=now,
        )
        ReturnPhoto.objects.bulk_create(
            ReturnPhoto(
                request=request,
                uploaded_at=now,
                content_type=kind,
                size=len(data),
                sha256=digest,
                data=data,
            )
            for data, kind, digest in kept
        )
        audit(
            request,
            CUSTOMER,
            "request",
            now,
            None,
            {
                "rma": request.rma,
                "reason": reason,
                "resolution": resolution,
                "goods": found.goods_minor,
                "keep_item": found.keep_item,
            },
        )
        if found.keep_item:
            move(request, S.APPROVED, SYSTEM, now, note="keep the item")
        messages.queue(request, messages.RECEIVED, now)
    return request


def approve(*, request: ReturnRequest, who: Who, now: datetime, note: str = "") -> None:
    """Accept the return; the customer's page shows the RMA number and the return address."""
    with transaction.atomic():
        request = lock(request)
        move(request, S.APPROVED, who, now, note)
        messages.queue(request, messages.APPROVED, now)
    from parcelcare.ledger.shopify_returns import paid_through_shopify

    if paid_through_shopify(shop_id=request.shop_id, order_id=request.order_id):
        from parcelcare.jobs import open_shopify_return

        open_shopify_return(request.shop_id, request.pk)  # in the worker, off the agent's click


def reject(*, request: ReturnRequest, who: Who, now: datetime, reason: str) -> None:
    """Refuse the return, with the reason the customer sees."""
    if not reason.strip():
        raise ReturnError("reason", "say why the return is rejected")
    with transaction.atomic():
        request = lock(request)
        move(request, S.REJECTED, who, now, reason.strip())
        messages.queue(request, messages.REJECTED, now)


def add_return_parcel(
    *, request: ReturnRequest, carrier: str, tracking_number: str, who: Who, now: datetime
) -> None:
    """The parcel coming back: its tracking number lets parcelcare see it arrive."""
    number = tracking_number.strip().upper()
    if not number:
        raise ReturnError("tracking", "give the return parcel's tracking number")
    with transaction.atomic():
        request = lock(request)
        if request.keep_item or request.status not in (S.APPROVED, S.IN_TRANSIT):
            raise ReturnError("status", f"return {request.rma} is {request.status}")
        request.return_carrier, request.return_tracking_number = carrier.strip()[:32], number[:64]
        request.save(update_fields=["return_carrier", "return_tracking_number"])
        audit(request, who, "return_parcel", now, None, {"carrier": request.return_carrier})
        if request.status == S.APPROVED:
            move(request, S.IN_TRANSIT, who, now)


def mark_received(*, request: ReturnRequest, who: Who, now: datetime) -> None:
    """The parcel is back at the shop; the customer hears so at once."""
    with transaction.atomic():
        request = lock(request)
        if request.keep_item:
            raise ReturnError("keep_item", "the customer keeps this item; nothing comes back")
        move(request, S.RECEIVED, who, now)
        request.received_at = now
        request.save(update_fields=["received_at"])
        messages.arrived(request, now)


def inspect(
    *, request: ReturnRequest, who: Who, now: datetime, deduction_minor: int = 0, note: str = ""
) -> None:
    """The goods were checked; a deduction (damage, missing parts) lowers the refund."""
    with transaction.atomic():
        request = lock(request)
        policy_refund = request.goods_minor - request.restocking_fee_minor
        policy_refund -= request.return_shipping_minor
        if not 0 <= deduction_minor <= policy_refund:
            raise ReturnError(
                "deduction", f"a deduction must be between 0 and {policy_refund} minor units"
            )
        move(request, S.INSPECTED, who, now, note)
        request.deduction_minor = deduction_minor
        request.refund_minor = policy_refund - deduction_minor
        request.save(update_fields=["deduction_minor", "refund_minor"])
        audit(request, who, "inspect", now, None, {"deduction": deduction_minor})


def refund_kind(order_id: int, currency: str, total: int, amount: int) -> RemedyKind:
    """A full refund when the amount is all that is still refundable, else a partial one."""
    left = refundable(paid=Money(total, currency), lines=ledger_lines(order_id)).amount
    return K.REFUND if amount == left else K.PARTIAL_REFUND


def _exchange(request: ReturnRequest, carrier: str, tracking_number: str, now: datetime) -> int:
    """The replacement parcel: a new shipment of the same order, tracked like any other."""
    count = Shipment.objects.filter(order_id=request.order_id).count()
    number = tracking_number.strip() or f"{request.order.order_number}-X{count}"
    if Shipment.objects.filter(shop_id=request.shop_id, tracking_number=number).exists():
        raise ReturnError("tracking", f"tracking number {number} is already in use")
    first = Shipment.objects.filter(order_id=request.order_id).order_by("id").first()
    shipment = Shipment.objects.create(
        shop_id=request.shop_id,
        order_id=request.order_id,
        carrier=carrier.strip() or (first.carrier if first else "other"),
        tracking_number=number,
        next_review_at=now,
        created_at=now,
        updated_at=now,
    )
    return int(shipment.pk)


def _book_postage(request: ReturnRequest, who: Who, now: datetime) -> None:
    """The shop pays the return label for its own mistakes: that cost joins the ledger."""
    cost = policy_of(request.shop_id).return_shipping_minor
    if cost and not request.keep_item and request.return_shipping_minor == 0:
        book(
            order_id=request.order_id,
            shop_id=request.shop_id,
            kind=K.RETURN_SHIPPING,
            amount=cost,
            idempotency_key=f"return:{request.pk}:postage",
            actor_type=who.kind,
            actor=who.name,
            now=now,
            reason=f"return:{request.reason}",
            return_id=request.pk,
            pay=False,
        )


def resolve(
    *,
    request: ReturnRequest,
    kind: str,
    who: Who,
    now: datetime,
    amount: int | None = None,
    code: str = "",
    carrier: str = "",
    tracking_number: str = "",
) -> RemedyEntry:
    """Settle the return: refund (full or partial), store credit, voucher or exchange."""
    if kind not in RESOLVE_KINDS:
        raise ReturnError("resolution", f"unknown resolution {kind!r}")
    with transaction.atomic():
        request = lock(request)
        done = RemedyEntry.objects.filter(
            shop_id=request.shop_id, idempotency_key=f"return:{request.pk}:resolve"
        ).first()
        if done is not None:
            return done  # a second click gets the first booking back
        if request.status != S.INSPECTED and not (
            request.keep_item and request.status == S.APPROVED
        ):
            raise ReturnError(
                "status", f"return {request.rma} is {request.status}; inspect it first"
            )
        order = lock_order(request.order_id)
        value = request.refund_minor if amount is None else amount
        reason = f"return:{request.reason}"
        common = {
            "order_id": order.pk,
            "shop_id": request.shop_id,
            "actor_type": who.kind,
            "actor": who.name,
            "now": now,
            "reason": reason,
            "return_id": request.pk,
            "idempotency_key": f"return:{request.pk}:resolve",
        }
        if kind == "refund":
            if not 0 < value <= request.goods_minor:
                raise ReturnError("amount", f"a refund must be 1 to {request.goods_minor}")
            remedy = refund_kind(order.pk, order.currency, order.total, value)
            entry, _ = book(kind=remedy, amount=value, **common)  # type: ignore[arg-type]
        elif kind == "exchange":
            shipment_id = _exchange(request, carrier, tracking_number, now)
            cost = request.goods_minor  # the replacement goods: the exchange's cost
            entry, _ = book(kind=K.RESHIP, amount=cost, pay=False, **common)  # type: ignore[arg-type]
            entry.shipment_id = shipment_id
            entry.save(update_fields=["shipment"])
        else:
            remedy = K.STORE_CREDIT if kind == "store_credit" else K.VOUCHER
            entry, _ = book(kind=remedy, amount=value, reference=code, pay=False, **common)  # type: ignore[arg-type]
        _book_postage(request, who, now)
        move(request, S.RESOLVED, who, now)
        request.resolved_at = now
        request.save(update_fields=["resolved_at"])
        audit(
            request, who, "resolve", now, None, {"kind": kind, "amount": value, "entry": entry.pk}
        )
        if entry.status != "pending":
            survey = feedback.ask_for_return(request=request, now=now)
            if entry.kind in TOLD and entry.status == "recorded":
                messages.refunded(request, entry, survey, now)
    return entry
