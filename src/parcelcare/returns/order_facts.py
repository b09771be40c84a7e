"""What an order offers a return: the shop's policy, when the order was delivered, and which of
its lines are already in a return."""

from datetime import datetime

from django.db.models import Max, Sum

from parcelcare.domain.returns_policy import Bought, ReturnPolicy, ReturnStatus
from parcelcare.tracking.models import OrderLine, Shipment

from .models import ReturnLine, ReturnSettings

S = ReturnStatus


def policy_of(shop_id: int) -> ReturnPolicy:
    """The shop's return policy: its stored differences over the defaults."""
    stored = ReturnSettings.objects.filter(shop_id=shop_id).values_list("policy", flat=True).first()
    return ReturnPolicy.from_dict(stored or {})


def delivered_at(order_id: int) -> datetime | None:
    """When the order's last parcel was delivered, or None while none is."""
    found = Shipment.objects.filter(order_id=order_id, delivered_at__isnull=False).aggregate(
        last=Max("delivered_at")
    )
    return found["last"]


def bought_lines(order_id: int) -> list[Bought]:
    """The order's lines with how many of each are already in a return that was not rejected."""
    taken = dict(
        ReturnLine.objects.filter(request__order_id=order_id)
        .exclude(request__status=S.REJECTED)
        .values_list("order_line_id")
        .annotate(n=Sum("quantity"))
        .values_list("order_line_id", "n")
    )
    return [
        Bought(line.pk, line.sku, line.quantity, line.unit_price, int(taken.get(line.pk, 0)))
        for line in OrderLine.objects.filter(order_id=order_id).order_by("id")
    ]
