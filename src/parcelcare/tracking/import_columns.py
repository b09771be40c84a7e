"""The columns `parcelcare import` reads: one table for the parser, `--help` and the README."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of an import file: its name, whether it must be filled, what it holds."""

    name: str
    required: str
    meaning: str


ORDER_COLUMNS: tuple[Column, ...] = (
    Column("order_number", "yes", "the shop's order number; rows with one number are one order"),
    Column("placed_at", "yes", "order time, ISO 8601 with offset (`2026-11-10T10:00:00+01:00`)"),
    Column("currency", "yes", "ISO 4217 currency of the order and its lines (`EUR`)"),
    Column("email", "", "the customer's e-mail address"),
    Column("name", "", "the customer's name"),
    Column("phone", "", "the customer's phone number, international form (`+31612345678`)"),
    Column("language", "", "the customer's language: `nl`, `de`, `en` or `fr` (else the shop's)"),
    Column("consent", "", "channels the customer agreed to: `sms`, `whatsapp` (commas or spaces)"),
    Column("ship_name", "", "the name on the shipping address"),
    Column("line1", "", "street and house number"),
    Column("line2", "", "second address line"),
    Column("postcode", "", "postcode"),
    Column("city", "", "city"),
    Column("country", "yes", "ISO 3166-1 alpha-2 country of the shipping address (`NL`)"),
    Column("sku", "", "product code of the row's order line; a row without one adds no line"),
    Column("product_name", "with sku", "product name"),
    Column("quantity", "with sku", "how many, a whole number from 1"),
    Column("unit_price", "with sku", "price of one item in minor units (`995` is 9.95)"),
    Column("carrier", "with tracking_number", "carrier slug, see `parcelcare carriers` (`postnl`)"),
    Column("tracking_number", "", "the parcel's tracking number; one order may have several"),
    Column("shipped_at", "", "when the parcel went to the carrier, ISO 8601 with offset"),
    Column("promised_delivery_date", "", "the date promised to the customer (`2026-11-12`)"),
)  # fmt: skip
"""Orders CSV: one row per order line; order, customer and address repeat on each row."""

EVENT_COLUMNS: tuple[Column, ...] = (
    Column("carrier", "yes", "carrier slug, see `parcelcare carriers` (`postnl`)"),
    Column("tracking_number", "yes", "the parcel's tracking number"),
    Column("occurred_at", "yes", "when it happened, ISO 8601 with offset (`2026-11-11T08:00:00Z`)"),
    Column("code", "yes", "the carrier's own event code, mapped with its code table (`J01`)"),
    Column("status", "", "a shipment status that overrides the code table (`in_transit`)"),
    Column("reason", "", "an incident reason that overrides the code table (`address_issue`)"),
    Column("description", "", "the carrier's text, up to 500 characters"),
    Column("location", "", "where it happened, up to 200 characters"),
)  # fmt: skip
"""Events CSV and JSON Lines: one event per row or line, the same names in both."""

ORDERS_JSONL = (
    "Orders as JSON Lines: one order per line, shaped as the body of POST /api/v1/orders "
    "(customer, shipping_address, lines and shipments nested); consent may be a list or text."
)


def help_text() -> str:
    """The columns of both files, for `parcelcare import --help`."""
    parts = ["Orders CSV columns (* must be filled):"]
    parts += [f"{c.name}{'*' if c.required == 'yes' else ''}: {c.meaning}" for c in ORDER_COLUMNS]
    parts += [ORDERS_JSONL, "Events CSV columns, or JSON Lines fields (* must be filled):"]
    parts += [f"{c.name}{'*' if c.required == 'yes' else ''}: {c.meaning}" for c in EVENT_COLUMNS]
    return "\n\n".join(parts).replace("`", "")
