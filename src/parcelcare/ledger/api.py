"""GET /api/v1/ledger: the shop's ledger entries with filters, and totals per month and reason."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from . import queries

router = Router(tags=["ledger"])
MAX_LIMIT = 500


@router.get("/ledger")
def list_ledger(
    request: HttpRequest,
    month_from: str = "",
    month_to: str = "",
    kind: str = "",
    reason: str = "",
    status: str = "",
    cursor: int = 0,
    limit: int = 100,
) -> dict[str, Any]:
    """Entries newest first (`cursor` = the last id seen), with totals over the whole filter."""
    params = {"from": month_from, "to": month_to, "kind": kind, "reason": reason, "status": status}
    try:
        flt = queries.read_filter(params)
    except queries.BadFilter as bad:
        raise HttpError(422, str(bad)) from None
    if not 1 <= limit <= MAX_LIMIT:
        raise HttpError(422, f"limit must be 1-{MAX_LIMIT}")
    rows = queries.entries(request.shop.id, flt)  # type: ignore[attr-defined]
    page = list((rows.filter(id__lt=cursor) if cursor else rows).order_by("-id")[: limit + 1])
    more = len(page) > limit
    items = [queries.row_dict(e) for e in page[:limit]]
    return {
        "items": items,
        "next_cursor": items[-1]["id"] if more else None,
        "totals": queries.totals(rows),
    }
