"""Privacy requests from shop platforms: redact a customer's or a whole shop's personal data."""

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


def apply_privacy(*, shop_id: int, outcome: Outcome, now: datetime) -> None:
    """Redact or record what a privacy webhook asks; every request leaves an audit entry."""
    for email in outcome.redact_emails:
        count = redact_customers(shop_id, Q(email=email.strip().lower()))
        record(
            shop_id=shop_id,
            at=now,
            actor_type="integration",
            actor="privacy webhook",
            subject_type="shop",
            subject_id=shop_id,
            action="customer_redacted",
            after={"customers": count},
        )
    if outcome.redact_shop:
        count = redact_customers(shop_id, Q())
        record(
            shop_id=shop_id,
            at=now,
            actor_type="integration",
            actor="privacy webhook",
            subject_type="shop",
            subject_id=shop_id,
            action="shop_redacted",
            after={"customers": count},
        )
    for _ in outcome.data_request_emails:
        # The request is recorded for the shop owner; the e-mail itself is not copied here.
        record(
            shop_id=shop_id,
            at=now,
            actor_type="integration",
            actor="privacy webhook",
            subject_type="shop",
            subject_id=shop_id,
            action="customer_data_requested",
        )
