"""Return routes: the shop's return policy, an order's payment (for refunds through the
provider), the returns list and feedback results. No business rules here."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from parcelcare import clock
from parcelcare.domain.returns_policy import OPEN_STATUSES, ReturnError, ReturnPolicy
from parcelcare.integrations.payments.registry import PROVIDERS
from parcelcare.ledger.models import OrderPayment
from parcelcare.tracking.models import Order

from . import feedback
from .models import ReturnRequest, ReturnSettings
from .settings import save_settings

router = Router(tags=["returns"])


class PolicyIn(Schema):
    """The policy values to set (others keep their defaults), conditions and return address."""

    policy: dict[str, Any] = {}
    conditions: str = ""
    return_address: str = ""


class PaymentIn(Schema):
    """How the order was paid: a provider and its payment id (or order id for shop platforms)."""

    provider: str
    reference: str


def _shop_id(request: HttpRequest) -> int:
    return int(request.shop.id)  # type: ignore[attr-defined]


@router.get("/returns/policy")
def get_policy(request: HttpRequest) -> dict[str, Any]:
    """The shop's policy in force (defaults filled in), conditions and return address."""
    found = ReturnSettings.objects.filter(shop_id=_shop_id(request)).first()
    stored = found.policy if found else {}
    return {
        "policy": ReturnPolicy.from_dict(stored).as_dict(),
        "conditions": found.conditions if found else "",
        "return_address": found.return_address if found else "",
    }


@router.put("/returns/policy")
def put_policy(request: HttpRequest, payload: PolicyIn) -> dict[str, Any]:
    """Replace the policy; a bad value is a 422 naming it, and nothing is saved."""
    try:
        policy = ReturnPolicy.from_dict(payload.policy)
    except ReturnError as bad:
        raise HttpError(422, str(bad)) from None
    save_settings(
        shop_id=_shop_id(request),
        policy=policy,
        conditions=payload.conditions,
        return_address=payload.return_address,
        actor_type="integration",
        actor="api",
        now=clock.now(),
    )
    return get_policy(request)


@router.put("/orders/{order_number}/payment")
def put_payment(request: HttpRequest, order_number: str, payload: PaymentIn) -> dict[str, str]:
    """Record how an order was paid, so its refunds go back through that provider."""
    if payload.provider not in PROVIDERS:
        raise HttpError(422, f"provider must be one of {', '.join(PROVIDERS)}")
    if not payload.reference.strip():
        raise HttpError(422, "reference must not be empty")
    order = Order.objects.filter(shop_id=_shop_id(request), order_number=order_number).first()
    if order is None:
        raise HttpError(404, f"no order {order_number} in this shop")
    OrderPayment.objects.update_or_create(
        order=order,
        defaults={
            "shop_id": order.shop_id,
            "provider": payload.provider,
            "reference": payload.reference.strip()[:200],
        },
    )
    return {"order_number": order.order_number, "provider": payload.provider}


@router.get("/returns")
def list_returns(request: HttpRequest, status: str = "", limit: int = 100) -> list[dict]:
    """The shop's returns, newest first; status 'open' or one status narrows them."""
    rows = ReturnRequest.objects.filter(shop_id=_shop_id(request)).select_related("order")
    if status == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif status:
        rows = rows.filter(status=status)
    return [
        {
            "rma": r.rma,
            "order_number": r.order.order_number,
            "status": r.status,
            "reason": r.reason,
            "resolution": r.resolution,
            "keep_item": r.keep_item,
            "refund_minor_units": r.refund_minor,
            "currency": r.currency,
            "created_at": r.created_at.isoformat(),
        }
        for r in rows.order_by("-created_at", "-id")[: max(1, min(limit, 500))]
    ]


@router.get("/feedback")
def feedback_results(request: HttpRequest) -> dict[str, Any]:
    """Survey answers: count and average score per reason and per carrier."""
    return feedback.results(shop_id=_shop_id(request))
