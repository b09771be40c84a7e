"""Who a shipment's messages go to, read set-wise: contact details, language and time zone."""

import json
from dataclasses import dataclass
from typing import Any

from parcelcare.domain.notify_policy import Channel, Recipient
from parcelcare.tracking.sql import select_in

COUNTRY_ZONES = {
    "NL": "Europe/Amsterdam",
    "BE": "Europe/Brussels",
    "DE": "Europe/Berlin",
    "FR": "Europe/Paris",
    "LU": "Europe/Luxembourg",
    "AT": "Europe/Vienna",
    "CH": "Europe/Zurich",
    "IT": "Europe/Rome",
    "ES": "Europe/Madrid",
    "GB": "Europe/London",
    "IE": "Europe/Dublin",
    "DK": "Europe/Copenhagen",
    "SE": "Europe/Stockholm",
    "PL": "Europe/Warsaw",
}
"""The customer's own time zone from the shipping country, for single-zone countries."""


def _channels(raw: Any) -> frozenset[Channel]:
    """Stored opt-outs (JSON text on SQLite, a list on PostgreSQL) as channels."""
    values = json.loads(raw) if isinstance(raw, str) else (raw or [])
    return frozenset(Channel(v) for v in values if v in Channel.__members__.values())


@dataclass(frozen=True)
class Audience:
    """A shipment's customer as a message recipient, and the shop's settings around it."""

    shipment_id: int
    shop_id: int
    carrier: str
    recipient: Recipient
    shop_zone: str
    shop_language: str


def audiences(ids: list[int]) -> dict[int, Audience]:
    """One query for all shipments: customer contact, language and zones."""
    rows = select_in(
        "SELECT s.id, s.shop_id, s.carrier, c.email, c.phone, c.language, c.opted_out, "
        "o.ship_country, "
        "sh.timezone, sh.default_language FROM tracking_shipment s "
        "JOIN tracking_order o ON o.id = s.order_id "
        "JOIN tracking_customer c ON c.id = o.customer_id "
        "JOIN accounts_shop sh ON sh.id = s.shop_id WHERE s.id IN ({ids})",
        ids,
    )
    found = {}
    for sid, shop_id, carrier, email, phone, language, out, country, zone, shop_language in rows:
        recipient = Recipient(
            time_zone=COUNTRY_ZONES.get((country or "").upper(), zone),
            language=language or shop_language,
            opted_out=_channels(out),
            has_email=bool(email),
            has_phone=bool(phone),
        )
        found[sid] = Audience(sid, shop_id, carrier, recipient, zone, shop_language)
    return found
