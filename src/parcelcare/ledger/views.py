"""The agent's ledger page with filters and totals, and its CSV export; scoped by shop."""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from parcelcare.accounts.models import Shop
from parcelcare.cases.labels import money
from parcelcare.domain.money import RemedyKind
from parcelcare.tracking.views import agent_page

from . import export, queries

PAGE_ROWS = 300


@agent_page
def ledger_page(request: HttpRequest, shop: Shop) -> HttpResponse:
    """Entries matching the filters (newest first) with cost per month and per reason."""
    try:
        flt = queries.read_filter(request.GET)
    except queries.BadFilter as bad:
        context = {"shop": shop, "bad_filter": str(bad), "flt": queries.LedgerFilter()}
        return render(request, "ledger/ledger.html", context, status=400)
    rows = queries.entries(shop.id, flt)
    found = queries.totals(rows)
    context = {
        "shop": shop,
        "flt": flt,
        "kinds": list(RemedyKind),
        "statuses": queries.STATUSES,
        "rows": [
            {**queries.row_dict(e), "money": money(e.amount, e.currency)} for e in rows[:PAGE_ROWS]
        ],
        "months": [_shown(t) for t in found["month"]],
        "reasons": [_shown(t) for t in found["reason"]],
        "query": request.GET.urlencode(),
    }
    return render(request, "ledger/ledger.html", context)


def _shown(total: dict[str, object]) -> dict[str, object]:
    currency = str(total["currency"])
    return {
        **total,
        "out": money(int(total.get("money_out", 0)), currency),  # type: ignore[call-overload]
        "in": money(int(total.get("money_in", 0)), currency),  # type: ignore[call-overload]
        "net": money(int(total.get("net_cost", 0)), currency),  # type: ignore[call-overload]
    }


@agent_page
def ledger_csv(request: HttpRequest, shop: Shop) -> HttpResponse:
    """The filtered ledger as CSV, streamed."""
    try:
        flt = queries.read_filter(request.GET)
    except queries.BadFilter as bad:
        return HttpResponse(str(bad), status=400, content_type="text/plain; charset=utf-8")
    rows = queries.iterate(queries.entries(shop.id, flt).order_by("created_at", "id"))
    response = StreamingHttpResponse(export.lines(rows), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="parcelcare-ledger.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response  # type: ignore[return-value]  # streamed, the same to the caller
