"""The ledger as CSV for accounting: one line per entry, decimal amounts, UTF-8 with a header,
cells that a spreadsheet would run as a formula are quoted with a leading apostrophe."""

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from babel.numbers import get_currency_precision

from parcelcare.ledger.models import RemedyEntry

from .queries import row_dict

COLUMNS = (
    "date",
    "entry",
    "order",
    "case",
    "return",
    "kind",
    "reason_key",
    "reason",
    "amount",
    "currency",
    "status",
    "reference",
    "actor",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """A file-like object whose write returns the line, for streaming."""

    def write(self, value: str) -> str:
        return value


def decimal_amount(minor: int, currency: str) -> str:
    """Minor units as a plain decimal with a point: 1250 EUR -> 12.50."""
    places = get_currency_precision(currency)
    return f"{Decimal(minor).scaleb(-places):.{places}f}"


def safe(value: object) -> str:
    """A cell a spreadsheet shows as text, never runs."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def lines(entries: Iterable[RemedyEntry]) -> Iterator[str]:
    """The CSV, header first, one line per entry."""
    writer = csv.writer(_Line())
    yield writer.writerow(COLUMNS)
    for entry in entries:
        row = row_dict(entry)
        yield writer.writerow(
            [
                row["created_at"],
                row["id"],
                safe(row["order_number"]),
                row["case"],
                row["return"],
                row["kind"],
                row["reason_key"],
                safe(row["reason"]),
                decimal_amount(entry.amount, entry.currency),
                row["currency"],
                row["status"],
                safe(row["reference"]),
                safe(row["actor"]),
            ]
        )
