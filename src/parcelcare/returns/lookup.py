"""Finding the customer's order for a return: order number plus the delivery postcode or the
order's e-mail address; a wrong guess never says which half was wrong."""

import hmac

from parcelcare.tracking.models import Order
from parcelcare.tracking.public_lookup import normalise_postcode, order_number_variants


def _same(stored: str, given: str) -> bool:
    return bool(stored) and hmac.compare_digest(stored.encode(), given.encode())


def find_order(*, shop_id: int, order_number: str, postcode_or_email: str) -> Order | None:
    """The shop's order with this number whose postcode or e-mail address matches, or None."""
    given = postcode_or_email.strip()
    numbers = order_number_variants(order_number)
    if not given or not numbers:
        return None
    candidates = Order.objects.filter(shop_id=shop_id, order_number__in=numbers).select_related(
        "customer"
    )
    for order in candidates:
        if "@" in given:
            if _same(order.customer.email.strip().lower(), given.lower()):
                return order
        elif _same(normalise_postcode(order.ship_postcode), normalise_postcode(given)):
            return order
    return None
