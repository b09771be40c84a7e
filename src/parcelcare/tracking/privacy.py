"""Personal data: redact it on the platforms' privacy requests, keep it out of public pages."""

from datetime import datetime

from django.db.models import Q

from parcelcare.accounts.audit import record
from parcelcare.integrations.webhooks import Outcome

from .models import Customer, Order

REDACTED_ORDER = {"ship_name": "", "ship_line1": "", "ship_line2": "", "ship_postcode": ""}


def redact_customers(shop_id: int, customers: Q) -> int:
    """Blank names, contact details and street addresses; keeps city and country for analytics."""
    chosen = Customer.objects.filter(customers, shop_id=shop_id)
    ids = list(chosen.values_list("id", flat=True))
    Order.objects.filter(shop_id=shop_id, customer_id__in=ids).update(**REDACTED_ORDER)
    return chosen.update(email="", name="", phone="")


def _audit(shop_id: int, now: datetime, action: str, after: dict[str, int] | None = None) -> None:
    record(
        shop_id=shop_id,
        at=now,
        actor_type="integration",
        actor="privacy webhook",
        subject_type="shop",
        subject_id=shop_id,
        action=action,
        after=after,
    )


def apply_privacy(*, shop_id: int, outcome: Outcome, now: datetime) -> None:
    """Redact or record what a privacy webhook asks; every request leaves an audit entry."""
    for email in outcome.redact_emails:
        count = redact_customers(shop_id, Q(email=email.strip().lower()))
        _audit(shop_id, now, "customer_redacted", {"customers": count})
    if outcome.redact_shop:
        _audit(shop_id, now, "shop_redacted", {"customers": redact_customers(shop_id, Q())})
    for _ in outcome.data_request_emails:
        # The request is recorded for the shop owner; the e-mail itself is not copied here.
        _audit(shop_id, now, "customer_data_requested")


def private_values(order: Order) -> list[str]:
    """The customer's personal strings, lower-cased, to keep them out of carrier texts."""
    customer = order.customer
    values = (
        customer.name,
        customer.email,
        customer.phone,
        order.ship_name,
        order.ship_line1,
        order.ship_line2,
    )
    return [v.strip().lower() for v in values if v and len(v.strip()) >= 3]


def public_text(text: str, private: list[str]) -> str:
    """The carrier's text, or nothing when it names the customer or their street."""
    lowered = text.lower()
    return "" if any(value in lowered for value in private) else text
