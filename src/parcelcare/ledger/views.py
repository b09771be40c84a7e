"""The agent's ledger page with filters and totals, and its CSV export; scoped by shop."""

from django.db.models import Min
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from parcelcare import clock
from parcelcare.accounts.models import Shop
from parcelcare.cases.labels import money
from parcelcare.domain.money import RemedyKind
from parcelcare.tracking.views import agent_page

from . import export, queries
from .labels import (
    REASON_LABELS,
    kind_label,
    month_choices,
    month_label,
    reason_label,
    status_label,
)
from .models import RemedyEntry

PAGE_ROWS = 300


@agent_page
def ledger_page(request: HttpRequest, shop: Shop) -> HttpResponse:
    """Entries matching the filters (newest first) with cost per month and per reason."""
    try:
        flt = queries.read_filter(request.GET)
    except queries.BadFilter as bad:
        flt = queries.LedgerFilter()
        context = {"shop": shop, "bad_filter": str(bad), "flt": flt, **_choices(shop, flt)}
        return render(request, "ledger/ledger.html", context, status=400)
    rows = queries.entries(shop.id, flt)
    found = queries.totals(rows)
    context = {
        **_choices(shop, flt),
        "shop": shop,
        "flt": flt,
        "rows": [_row(e) for e in rows[:PAGE_ROWS]],
        "months": [{**_shown(t), "name": month_label(str(t["month"]))} for t in found["month"]],
        "reasons": [{**_shown(t), "name": reason_label(str(t["reason"]))} for t in found["reason"]],
        "query": request.GET.urlencode(),
    }
    return render(request, "ledger/ledger.html", context)


def _row(entry: RemedyEntry) -> dict[str, object]:
    shown = queries.row_dict(entry)
    return {
        **shown,
        "at": entry.created_at,
        "money": money(entry.amount, entry.currency),
        "kind_name": kind_label(entry.kind),
        "reason_name": reason_label(str(shown["reason_key"])),
        "status_name": status_label(entry.status),
    }


def _choices(shop: Shop, flt: queries.LedgerFilter) -> dict[str, object]:
    """The filters' options in words: months since the first booking, kinds, reasons."""
    first = RemedyEntry.objects.filter(shop_id=shop.id).aggregate(first=Min("created_at"))
    today = clock.now().date()
    months = month_choices(first["first"].date() if first["first"] else None, today)
    for chosen in (flt.month_from, flt.month_to):
        if chosen and chosen not in dict(months):
            months.append((chosen, month_label(chosen)))
    reasons = sorted(((k, str(v)) for k, v in REASON_LABELS.items()), key=lambda kv: kv[1])
    return {
        "month_options": months,
        "kinds": [(k.value, kind_label(k)) for k in RemedyKind],
        "statuses": [(s, status_label(s)) for s in queries.STATUSES],
        "reason_options": reasons,
        "filtered": any((flt.month_from, flt.month_to, flt.kind, flt.reason, flt.status)),
    }


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
