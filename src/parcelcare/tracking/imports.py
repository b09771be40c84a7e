"""Import orders and events from CSV or JSON Lines; each bad line is reported by number."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from parcelcare import jsontext
from parcelcare.accounts.models import Shop

from .consent import split_channels
from .ingest import MAX_BATCH, ingest_events
from .orders import upsert_orders
from .schemas import OrderIn

Row = tuple[int, Any]
NOOP = lambda done, total=None: None  # noqa: E731


@dataclass
class ImportReport:
    """Counts and (line number, error) pairs of one import."""

    imported: int = 0
    duplicates: int = 0
    unattached: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "unattached": self.unattached,
            "errors": len(self.errors),
        }


def _is_jsonl(path: Path) -> bool:
    return path.suffix.lower() in (".jsonl", ".ndjson", ".json")


def _rows(path: Path, report: ImportReport) -> Iterator[Row]:
    """(line number, row) pairs; unreadable lines go to the report."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        if _is_jsonl(path):
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    yield number, jsontext.loads(line)
                except jsontext.BadJson as error:
                    report.errors.append((number, str(error)))
            return
        reader = csv.DictReader(handle)
        if not reader.fieldnames:
            raise ValueError(f"{path.name} is empty or has no header row")
        for row in reader:
            clean = {
                k.strip(): (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k
            }
            yield reader.line_num, {k: v for k, v in clean.items() if v not in ("", None)}


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def import_events(*, shop_id: int, path: Path, now: datetime, advance=NOOP) -> ImportReport:
    """Events in batches through the same ingest as the API."""
    _shop(shop_id)
    report = ImportReport()
    advance(0, _count_lines(path))
    batch: list[Row] = []
    for row in _rows(path, report):
        batch.append(row)
        if len(batch) >= MAX_BATCH:
            _flush_events(shop_id, batch, now, report, advance)
            batch = []
    _flush_events(shop_id, batch, now, report, advance)
    return report


def _flush_events(shop_id, batch: list[Row], now, report: ImportReport, advance) -> None:
    if not batch:
        return
    result = ingest_events(shop_id=shop_id, items=[item for _, item in batch], now=now)
    report.imported += result.accepted
    report.duplicates += result.duplicates
    report.unattached += result.unattached
    report.errors.extend((batch[r["index"]][0], r["error"]) for r in result.rejected)
    advance(len(batch), None)


ORDER_COLUMNS = {
    "customer": ("email", "name", "phone", "language", "consent"),
    "shipping_address": ("ship_name", "line1", "line2", "postcode", "city", "country"),
}


def _with_channels(customer: Any) -> Any:
    """A customer whose `consent` is text ("sms, whatsapp" or "sms whatsapp") gets a list."""
    if isinstance(customer, dict) and isinstance(customer.get("consent"), str):
        customer["consent"] = split_channels(customer["consent"])
    return customer


def _order_from_csv(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Rows of one order (one per line item) as an order payload."""
    first = rows[0]
    order: dict[str, Any] = {
        "order_number": first.get("order_number"),
        "placed_at": first.get("placed_at"),
        "currency": first.get("currency"),
        "customer": _with_channels({k: first[k] for k in ORDER_COLUMNS["customer"] if k in first}),
        "shipping_address": {
            ("name" if k == "ship_name" else k): first[k]
            for k in ORDER_COLUMNS["shipping_address"]
            if k in first
        },
        "lines": [
            {
                "sku": r.get("sku"),
                "name": r.get("product_name"),
                "quantity": r.get("quantity"),
                "unit_price": r.get("unit_price"),
                "currency": r.get("currency"),
            }
            for r in rows
            if r.get("sku")
        ],
        "shipments": [],
    }
    seen = set()
    for r in rows:
        number = r.get("tracking_number")
        if number and number not in seen:
            seen.add(number)
            order["shipments"].append(
                {
                    "carrier": r.get("carrier"),
                    "tracking_number": number,
                    "shipped_at": r.get("shipped_at"),
                    "promised_delivery_date": r.get("promised_delivery_date"),
                }
            )
    return order


def _orders(path: Path, report: ImportReport) -> Iterator[Row]:
    """(first line number, payload) per order; CSV rows are grouped by order_number."""
    if _is_jsonl(path):
        for number, payload in _rows(path, report):
            if isinstance(payload, dict):
                _with_channels(payload.get("customer"))
            yield number, payload
        return
    grouped: dict[str, list[Row]] = {}
    for number, row in _rows(path, report):
        key = row.get("order_number")
        if not key:
            report.errors.append((number, "order_number is missing"))
            continue
        grouped.setdefault(key, []).append((number, row))
    for rows in grouped.values():
        yield rows[0][0], _order_from_csv([r for _, r in rows])


ORDER_BATCH = 500


def import_orders(*, shop_id: int, path: Path, now: datetime, advance=NOOP) -> ImportReport:
    """Orders in batches through the same service as the API; each failure is isolated."""
    shop = _shop(shop_id)
    report = ImportReport()
    batch: list[tuple[int, OrderIn]] = []
    for number, payload in _orders(path, report):
        try:
            batch.append((number, OrderIn.model_validate(payload)))
        except ValidationError as error:
            report.errors.append((number, _first_error(error)))
        if len(batch) >= ORDER_BATCH:
            _flush_orders(shop, batch, now, report, advance)
            batch = []
    _flush_orders(shop, batch, now, report, advance)
    report.errors.sort()
    return report


def _flush_orders(
    shop: Shop, batch: list[tuple[int, OrderIn]], now: datetime, report: ImportReport, advance
) -> None:
    if not batch:
        return
    result = upsert_orders(
        shop_id=shop.id,
        default_language=shop.default_language,
        batch=[data for _, data in batch],
        now=now,
    )
    report.imported += len(result.created) + len(result.updated)
    report.errors.extend((batch[i][0], error) for i, error in result.errors.items())
    advance(len(batch), None)


def _first_error(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:3]:
        where = ".".join(str(p) for p in item["loc"])
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def _shop(shop_id: int) -> Shop:
    shop = Shop.objects.filter(id=shop_id).first()
    if shop is None:
        raise ValueError(f"no shop with id {shop_id}; create one with `parcelcare shop create`")
    return shop
