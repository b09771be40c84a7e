"""Finding a customer's shipment: by the token in a tracking link, or by order number + postcode.

A wrong guess learns nothing: malformed tokens never reach the database, and the lookup only
says found or not found, never which half was wrong.
"""

import hmac
import re
from dataclasses import dataclass

from .models import Order, Shipment

TOKEN = re.compile(r"[A-Za-z0-9_-]{8,32}")
POSTCODE_NOISE = re.compile(r"[\s\-]+")


def shipment_by_token(token: str) -> Shipment | None:
    """The shipment behind a tracking link, or None; malformed tokens never reach the database."""
    if not TOKEN.fullmatch(token):
        return None
    return (
        Shipment.objects.select_related("shop", "order", "order__customer")
        .filter(public_token=token)
        .first()
    )


@dataclass(frozen=True)
class Lookup:
    """The outcome of a lookup: found or not, and the first shipment's token when there is one."""

    found: bool
    token: str = ""


def normalise_postcode(value: str) -> str:
    """A postcode without spaces or hyphens, upper case: '3511 ab' and '3511AB' are the same."""
    return POSTCODE_NOISE.sub("", value).upper()


def order_number_variants(value: str) -> set[str]:
    """The number as typed, upper case, and with or without the '#' that shops print before it."""
    typed = value.strip()
    bare = typed.lstrip("#").strip()
    return {v for v in (typed, typed.upper(), bare, bare.upper(), f"#{bare}") if v.strip("#")}


def find_order(*, shop_id: int, order_number: str, postcode: str) -> Lookup:
    """Match an order of this shop by number and delivery postcode; both must be right."""
    wanted = normalise_postcode(postcode)
    numbers = order_number_variants(order_number)
    if not wanted or not numbers:
        return Lookup(found=False)
    candidates = Order.objects.filter(shop_id=shop_id, order_number__in=numbers).only(
        "id", "ship_postcode"
    )
    for order in candidates:
        stored = normalise_postcode(order.ship_postcode)
        if stored and hmac.compare_digest(stored.encode(), wanted.encode()):
            token = (
                Shipment.objects.filter(order_id=order.id)
                .order_by("id")
                .values_list("public_token", flat=True)
                .first()
            )
            return Lookup(found=True, token=token or "")
    return Lookup(found=False)
