"""Return parcels seen through tracking: a scan moves an approved return to in transit, a
delivery (back at the shop) to received. Set-wise: one query finds the returns that moved."""

from datetime import datetime

from django.db import transaction

from parcelcare.domain.returns_policy import ReturnStatus
from parcelcare.tracking.models import TrackingEvent

from .models import ReturnRequest
from .services import SYSTEM, mark_received, move

S = ReturnStatus
WAITING = (S.APPROVED, S.IN_TRANSIT)


def follow_return_parcels(now: datetime, limit: int = 500) -> dict[str, int]:
    """Move returns whose parcel the carrier scanned or delivered; counts per move."""
    waiting = ReturnRequest.objects.filter(
        status__in=WAITING, keep_item=False, return_tracking_number__gt=""
    ).values_list("id", "shop_id", "return_tracking_number", "status")[:limit]
    if not waiting:
        return {}
    numbers = {number for _, _, number, _ in waiting}
    seen: dict[tuple[int, str], set[str]] = {}
    for shop_id, number, status in TrackingEvent.objects.filter(
        tracking_number__in=numbers
    ).values_list("shop_id", "tracking_number", "status"):
        seen.setdefault((shop_id, number), set()).add(status or "")
    counts = {"in_transit": 0, "received": 0}
    for pk, shop_id, number, status in waiting:
        statuses = seen.get((shop_id, number))
        if not statuses:
            continue
        request = ReturnRequest.objects.get(pk=pk)
        with transaction.atomic():
            if status == S.APPROVED:
                move(request, S.IN_TRANSIT, SYSTEM, now, "the carrier scanned the return parcel")
                counts["in_transit"] += 1
        if "delivered" in statuses:
            mark_received(request=request, who=SYSTEM, now=now)
            counts["received"] += 1
    return {key: value for key, value in counts.items() if value}
