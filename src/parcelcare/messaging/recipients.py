"""Who a shipment's messages go to, read set-wise: contact details, consent, language, zone."""

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


def _json_list(raw: Any) -> list[Any]:
    """A stored JSON list: text on SQLite, already a list on PostgreSQL."""
    if not raw or raw == "[]":
        return []  # most customers: no opt-out, no consent; skip the parser
    values = json.loads(raw) if isinstance(raw, str) else raw
    return values if isinstance(values, list) else []


def _channels(raw: Any) -> frozenset[Channel]:
    """Stored opt-outs or consent as channels."""
    return frozenset(Channel(v) for v in _json_list(raw) if v in Channel.__members__.values())


def _carriers(raw: Any) -> frozenset[str]:
    """The shop's carriers that notify recipients themselves, as lower-case slugs."""
    return frozenset(str(slug).lower() for slug in _json_list(raw) if isinstance(slug, str))


@dataclass(frozen=True)
class Audience:
    """A shipment's customer as a message recipient, and the shop's settings around it."""

    shipment_id: int
    shop_id: int
    carrier: str
    recipient: Recipient
    shop_zone: str
    shop_language: str
    carriers_that_notify: frozenset[str] = frozenset()


def audiences(ids: list[int]) -> dict[int, Audience]:
    """One query for all shipments: customer contact, consent and opt-outs, language, zones."""
    rows = select_in(
        "SELECT s.id, s.shop_id, s.carrier, c.email, c.phone, c.language, c.opted_out, "
        "c.consent, o.ship_country, "
        "sh.timezone, sh.default_language, sh.carrier_notifies FROM tracking_shipment s "
        "JOIN tracking_order o ON o.id = s.order_id "
        "JOIN tracking_customer c ON c.id = o.customer_id "
        "JOIN accounts_shop sh ON sh.id = s.shop_id WHERE s.id IN ({ids})",
        ids,
    )
    found = {}
    for row in rows:
        sid, shop_id, carrier, email, phone, language, out, agreed, country, zone, lang, notify = (
            row
        )
        consent = _channels(agreed)
        recipient = Recipient(
            time_zone=COUNTRY_ZONES.get((country or "").upper(), zone),
            language=language or lang,
            consent_sms=Channel.SMS in consent,
            consent_whatsapp=Channel.WHATSAPP in consent,
            opted_out=_channels(out),
            has_email=bool(email),
            has_phone=bool(phone),
        )
        found[sid] = Audience(sid, shop_id, carrier, recipient, zone, lang, _carriers(notify))
    return found


def answer_channel(customer: Any) -> Channel | None:
    """E-mail when we have an address, else SMS: the customer asked, so they get an answer."""
    if customer.email:
        return Channel.EMAIL
    if customer.phone:
        return Channel.SMS
    return None
