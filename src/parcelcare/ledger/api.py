"""GET /api/v1/ledger: the shop's ledger entries with filters, and totals per month and reason."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from parcelcare.api_docs import problems

from . import queries

router = Router(tags=["ledger"])
MAX_LIMIT = 500


@router.get("/ledger", openapi_extra=problems(422))
def list_ledger(
    request: HttpRequest,
    month_from: str = Query("", max_length=7, description="YYYY-MM"),
    month_to: str = Query("", max_length=7, description="YYYY-MM"),
    kind: str = Query("", max_length=32),
    reason: str = Query("", max_length=64),
    status: str = Query("", max_length=32),
    cursor: int = Query(0, ge=0, le=2**63 - 1),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    """Entries newest first (`cursor` = the last id seen), with totals over the whole filter."""
    params = {"from": month_from, "to": month_to, "kind": kind, "reason": reason, "status": status}
    try:
        flt = queries.read_filter(params)
    except queries.BadFilter as bad:
        raise HttpError(422, str(bad)) from None
    rows = queries.entries(request.shop.id, flt)  # type: ignore[attr-defined]
    page = list((rows.filter(id__lt=cursor) if cursor else rows).order_by("-id")[: limit + 1])
    more = len(page) > limit
    items = [queries.row_dict(e) for e in page[:limit]]
    return {
        "items": items,
        "next_cursor": items[-1]["id"] if more else None,
        "totals": queries.totals(rows),
    }
