"""Shop-scoped reads of the ledger: filters, rows, totals per month and per reason."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Case, F, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth

from parcelcare.domain.money import MONEY_IN, RemedyKind

from .models import RemedyEntry

STATUSES = ("recorded", "pending", "paid", "failed")


class BadFilter(ValueError):
    """A filter value that cannot be applied; the message names it."""


@dataclass(frozen=True)
class LedgerFilter:
    """Months as YYYY-MM (inclusive), a remedy kind, a reason key and an entry status."""

    month_from: str = ""
    month_to: str = ""
    kind: str = ""
    reason: str = ""
    status: str = ""


def _month(value: str, name: str) -> datetime:
    try:
        return datetime.strptime(value, "%Y-%m").replace(tzinfo=UTC)
    except ValueError:
        raise BadFilter(f"{name} must be a month as YYYY-MM, got {value!r}") from None


def read_filter(params: Mapping[str, str]) -> LedgerFilter:
    """The filter from query parameters; a bad value raises BadFilter naming it."""
    flt = LedgerFilter(
        month_from=(params.get("from") or "").strip(),
        month_to=(params.get("to") or "").strip(),
        kind=(params.get("kind") or "").strip(),
        reason=(params.get("reason") or "").strip()[:32],
        status=(params.get("status") or "").strip(),
    )
    if flt.month_from:
        _month(flt.month_from, "from")
    if flt.month_to:
        _month(flt.month_to, "to")
    if flt.kind and flt.kind not in RemedyKind.__members__.values():
        raise BadFilter(f"kind must be one of {', '.join(RemedyKind)}, got {flt.kind!r}")
    if flt.status and flt.status not in STATUSES:
        raise BadFilter(f"status must be one of {', '.join(STATUSES)}, got {flt.status!r}")
    return flt


def entries(shop_id: int, flt: LedgerFilter) -> QuerySet[RemedyEntry]:
    """The shop's entries matching the filter, newest first, with their reason key."""
    rows = RemedyEntry.objects.filter(shop_id=shop_id).annotate(
        reason_key=Case(
            When(return_request__isnull=False, then=F("return_request__reason")),
            When(case__isnull=False, then=F("case__kind")),
            default=Value("other"),
        )
    )
    if flt.month_from:
        rows = rows.filter(created_at__gte=_month(flt.month_from, "from"))
    if flt.month_to:
        end = _month(flt.month_to, "to")
        after = end.replace(year=end.year + end.month // 12, month=end.month % 12 + 1)
        rows = rows.filter(created_at__lt=after)
    if flt.kind:
        rows = rows.filter(kind=flt.kind)
    if flt.reason:
        rows = rows.filter(reason_key=flt.reason)
    if flt.status:
        rows = rows.filter(status=flt.status)
    return rows.select_related("order", "case", "return_request").order_by("-created_at", "-id")


def _signed(kind: str, amount: int) -> int:
    return -amount if kind in MONEY_IN else amount


def totals(rows: QuerySet[RemedyEntry]) -> dict[str, list[dict[str, object]]]:
    """Cost per month and per reason and currency (money out minus money in; failed left out)."""
    counted = rows.exclude(status="failed").order_by()
    by_month: dict[tuple[str, str], dict[str, int]] = {}
    for row in (
        counted.annotate(month=TruncMonth("created_at", tzinfo=UTC))
        .values("month", "kind", "currency")
        .annotate(total=Sum("amount"))
    ):
        key = (row["month"].strftime("%Y-%m"), row["currency"])
        _add(by_month.setdefault(key, {}), row["kind"], row["total"])
    by_reason: dict[tuple[str, str], dict[str, int]] = {}
    reasons = counted.values("reason_key", "kind", "currency")  # type: ignore[misc]
    for row in reasons.annotate(total=Sum("amount")):
        key = (row["reason_key"] or "other", row["currency"])
        _add(by_reason.setdefault(key, {}), row["kind"], row["total"])
    return {
        "month": [{"month": m, "currency": c, **t} for (m, c), t in sorted(by_month.items())],
        "reason": [{"reason": r, "currency": c, **t} for (r, c), t in sorted(by_reason.items())],
    }


def _add(total: dict[str, int], kind: str, amount: int) -> None:
    bucket = "money_in" if kind in MONEY_IN else "money_out"
    total[bucket] = total.get(bucket, 0) + amount
    total["net_cost"] = total.get("net_cost", 0) + _signed(kind, amount)
    total["entries_amount_" + kind] = total.get("entries_amount_" + kind, 0) + amount


def row_dict(entry: RemedyEntry) -> dict[str, object]:
    """One entry for the API and the CSV export."""
    return {
        "id": entry.pk,
        "created_at": entry.created_at.astimezone(UTC).isoformat(),
        "order_number": entry.order.order_number,
        "case": entry.case.reference if entry.case else "",
        "return": entry.return_request.rma if entry.return_request else "",
        "kind": entry.kind,
        "reason_key": getattr(entry, "reason_key", "") or "other",
        "reason": entry.reason,
        "amount_minor": entry.amount,
        "currency": entry.currency,
        "status": entry.status,
        "reference": entry.reference,
        "actor": entry.actor or entry.actor_type,
    }


def iterate(rows: QuerySet[RemedyEntry], chunk: int = 2000) -> Iterator[RemedyEntry]:
    """All rows in chunks, so an export of a year stays in bounded memory."""
    yield from rows.iterator(chunk_size=chunk)
