"""Returns of Shopify orders opened in Shopify too: on approval `returnCreate` with the order's
returnable fulfillment line items (matched by SKU), and the refund later processes that return.
The link and any failure are audit entries on the return; a failure never stops the return."""

import logging
from datetime import datetime
from typing import Any

import httpx

from parcelcare.accounts.audit import record
from parcelcare.accounts.models import AuditEntry
from parcelcare.integrations.payments.base import TIMEOUT, PaymentDeclined, PaymentRetry
from parcelcare.integrations.payments.shopify import ShopifyPayouts
from parcelcare.integrations.payments.shopify_returns import create_return, map_lines, returnable

from .models import OrderPayment, Payout, PayoutAccount

log = logging.getLogger(__name__)
LINKED = "shopify_return_created"
FAILED = "shopify_return_failed"


def _link(shop_id: int, return_request_id: int) -> dict[str, Any] | None:
    entry = (
        AuditEntry.objects.filter(
            shop_id=shop_id, subject_type="return", subject_id=return_request_id, action=LINKED
        )
        .order_by("-id")
        .values_list("after", flat=True)
        .first()
    )
    return entry if isinstance(entry, dict) else None


def shopify_return_of(payout: Payout) -> dict[str, Any]:
    """RefundOrder fields naming the Shopify return a return refund processes; {} otherwise."""
    request_id = payout.entry.return_request_id
    if payout.provider != "shopify" or request_id is None:
        return {}
    link = _link(payout.shop_id, request_id)
    if link is None:
        return {}
    lines = tuple((str(line_id), int(qty)) for line_id, qty in link["lines"])
    return {"return_id": str(link["return_id"]), "return_lines": lines}


def _note(shop_id: int, request_id: int, action: str, after: dict[str, Any], now: datetime) -> None:
    record(
        shop_id=shop_id,
        at=now,
        actor_type="integration",
        actor="shopify",
        subject_type="return",
        subject_id=request_id,
        action=action,
        after=after,
    )


def paid_through_shopify(*, shop_id: int, order_id: int) -> bool:
    """Whether the order was paid through Shopify and the shop has a Shopify payout account."""
    return (
        OrderPayment.objects.filter(shop_id=shop_id, order_id=order_id, provider="shopify").exists()
        and PayoutAccount.objects.filter(shop_id=shop_id, provider="shopify").exists()
    )


def open_in_shopify(*, shop_id: int, request_id: int, now: datetime) -> str:
    """Open the approved return in Shopify once; 'linked', 'failed', or 'skipped' (not Shopify)."""
    from parcelcare.returns.models import ReturnRequest

    request = ReturnRequest.objects.filter(shop_id=shop_id, id=request_id).first()
    if request is None or _link(shop_id, request_id) is not None:
        return "skipped"
    payment = OrderPayment.objects.filter(
        shop_id=shop_id, order_id=request.order_id, provider="shopify"
    ).first()
    account = PayoutAccount.objects.filter(shop_id=shop_id, provider="shopify").first()
    if payment is None or account is None:
        return "skipped"
    wanted = list(request.lines.values_list("sku", "quantity"))
    try:
        with httpx.Client(timeout=TIMEOUT) as client:
            shopify = ShopifyPayouts(
                client, str(account.settings.get("store_domain", "")), account.secret
            )
            lines = map_lines(wanted, returnable(shopify, payment.reference))
            made = create_return(
                shopify, order_reference=payment.reference, lines=lines, reason=request.reason
            )
    except (PaymentDeclined, PaymentRetry, KeyError, ValueError, TypeError) as error:
        log.warning("shopify return for return %s failed: %s", request_id, type(error).__name__)
        _note(shop_id, request_id, FAILED, {"error": str(error)[:300]}, now)
        return "failed"
    _note(shop_id, request_id, LINKED, {"return_id": made.return_id, "lines": made.lines}, now)
    return "linked"
