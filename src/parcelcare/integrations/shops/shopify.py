"""Shopify webhooks: HMAC check, delivery key, and orders and privacy requests as plain values.

A mapped order has the shape of `tracking.schemas.OrderIn`; the tracking app validates and
stores it. The helpers at the end (JSON, money, language, times, carrier names) are shared with
the WooCommerce mapper.
"""

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from babel.numbers import get_currency_precision

from parcelcare import jsontext
from parcelcare.domain.vocabulary import LANGUAGES
from parcelcare.integrations.carriers.detect import detect_carrier
from parcelcare.integrations.webhooks import (
    Delivery,
    Headers,
    InvalidWebhook,
    Outcome,
    any_secret_matches,
    base64_hmac,
)

ORDER_TOPICS = frozenset({"orders/create", "orders/updated"})
FULFILLMENT_TOPICS = frozenset({"fulfillments/create", "fulfillments/update"})
PRIVACY_TOPICS = frozenset({"customers/data_request", "customers/redact", "shop/redact"})

TRACKING_COMPANIES = {
    "postnl": "postnl",
    "dhl": "dhl",
    "dhl parcel": "dhl",
    "dhl express": "dhl",
    "dhl ecommerce": "dhl",
    "dpd": "dpd",
    "gls": "gls",
    "ups": "ups",
    "bpost": "bpost",
    "colissimo": "colissimo",
    "la poste": "colissimo",
    "cainiao": "cainiao",
    "yunexpress": "yunexpress",
    "yun express": "yunexpress",
}
"""Shopify tracking company names (as `carrier_key` spells them) -> parcelcare carrier slug."""

DETECTION_CONFIDENCE = 0.8
MAX_AMOUNT_DIGITS = 15
"""Amounts up to 10**16 in major units are read; the order schema then holds its own bound."""
"""How sure the tracking-number format must be when Shopify names no known company."""

VOID_FULFILLMENTS = frozenset({"cancelled", "error", "failure"})
"""Fulfillment states whose tracking numbers never left the warehouse."""


class ShopifySource:
    """Shopify as a webhook source: orders, fulfillments and the mandatory privacy topics."""

    slug = "shopify"
    name = "Shopify"

    def verify(self, headers: Headers, body: bytes, secrets: Sequence[str]) -> bool:
        """True when X-Shopify-Hmac-Sha256 is the base64 HMAC of the raw body with a secret."""
        presented = headers.get("x-shopify-hmac-sha256", "")
        return any_secret_matches(secrets, presented, lambda secret: base64_hmac(secret, body))

    def delivery(self, headers: Headers, body: bytes) -> Delivery:
        """The deduplication key and topic of a delivery; InvalidWebhook when a header is absent."""
        topic = headers.get("x-shopify-topic", "").strip()
        event = headers.get("x-shopify-event-id", "").strip()
        event = event or headers.get("x-shopify-webhook-id", "").strip()
        if not topic:
            raise InvalidWebhook("shopify: the X-Shopify-Topic header is missing")
        if not event:
            raise InvalidWebhook(
                "shopify: both X-Shopify-Event-Id and X-Shopify-Webhook-Id headers are missing"
            )
        # Shopify shares one event id between all deliveries of one merchant action (the
        # orders/updated and fulfillments/create of a fulfilment, or many orders in a bulk
        # edit), while a retry repeats the original body. Topic and body digest keep those
        # apart and still make a retry a duplicate: a double apply is harmless, a lost one not.
        digest = hashlib.sha256(body).hexdigest()[:16]
        return Delivery(event_id=f"{event}:{topic}:{digest}", topic=topic)

    def handle(self, topic: str, body: bytes) -> Outcome:
        """What a stored body means; InvalidWebhook when it is not a Shopify resource."""
        if topic not in ORDER_TOPICS | FULFILLMENT_TOPICS | PRIVACY_TOPICS:
            return Outcome(ignored=f"topic {topic} is not used")
        payload = parse_json(body, "shopify")
        if topic in ORDER_TOPICS:
            return order_outcome(payload)
        if topic in PRIVACY_TOPICS:
            return _privacy(topic, payload)
        # orders/updated fires for every fulfilment change and carries the whole order, which
        # is what OrderIn needs; a fulfillment body alone names only Shopify's numeric order id.
        return Outcome(
            ignored=f"{topic} of order id {payload.get('order_id')} is handled through "
            "orders/updated"
        )


SOURCE = ShopifySource()


def fulfillment_shipments(body: bytes) -> list[dict[str, Any]]:
    """The trackable parcels of a fulfillment webhook body: carrier, tracking_number, shipped_at."""
    shipments = _fulfillment(parse_json(body, "shopify"), [])
    return [
        {key: item[key] for key in ("carrier", "tracking_number", "shipped_at")}
        for item in shipments
    ]


def order_outcome(order: Mapping[str, Any]) -> Outcome:
    """A Shopify order as one OrderIn-shaped dict, or why it was left out."""
    number = _order_number(order)
    if order.get("cancelled_at"):
        return Outcome(ignored=f"order {number} is cancelled: nothing to ship")
    address = order.get("shipping_address")
    if not isinstance(address, Mapping) or not text(address.get("country_code")):
        return Outcome(ignored=f"order {number} has no shipping address: nothing to ship")
    currency = text(order.get("currency")).upper()
    if not currency:
        raise InvalidWebhook(f"shopify order {number}: currency is missing")
    skipped: list[str] = []
    mapped = {
        "order_number": number,
        "placed_at": utc_iso(order.get("created_at"), f"shopify order {number} created_at"),
        "currency": currency,
        "customer": _customer(order, address),
        "shipping_address": _address(address),
        "lines": _lines(order.get("line_items"), currency, number),
        "shipments": _order_shipments(order.get("fulfillments"), skipped),
    }
    return Outcome(orders=[mapped], ignored="; ".join(skipped))


def _order_number(order: Mapping[str, Any]) -> str:
    """The number customers see: `name` without its "#" (it keeps a shop's own prefix)."""
    for value in (order.get("name"), order.get("order_number"), order.get("id")):
        number = text(value).lstrip("#").strip()
        if number:
            return number
    raise InvalidWebhook("shopify order: name, order_number and id are all missing")


def _customer(order: Mapping[str, Any], address: Mapping[str, Any]) -> dict[str, Any]:
    customer = order.get("customer")
    customer = customer if isinstance(customer, Mapping) else {}
    name = joined(customer.get("first_name"), customer.get("last_name"))
    email = text(order.get("email")) or text(order.get("contact_email"))
    phone = text(order.get("phone")) or text(customer.get("phone")) or text(address.get("phone"))
    phone = phone or text(order.get("sms_marketing_phone"))
    return {
        "email": email or text(customer.get("email")) or None,
        "name": (name or text(address.get("name")))[:200],
        "phone": phone_or_blank(phone),
        "language": language_code(order.get("customer_locale")),
        "consent": _consent(order, customer),
    }


def _consent(order: Mapping[str, Any], customer: Mapping[str, Any]) -> list[str] | None:
    """["sms"] when the buyer agreed to SMS (checkout box or customer record), else None.

    None keeps earlier consent: Shopify leaves the customer's consent out of order webhooks from
    API version 2025-01, and only the customer withdraws it (opt-out link, tracking page)."""
    sms = customer.get("sms_marketing_consent")
    state = text(sms.get("state")).lower() if isinstance(sms, Mapping) else ""
    if state == "subscribed" or order.get("buyer_accepts_sms_marketing") is True:
        return ["sms"]
    return None


def _address(address: Mapping[str, Any]) -> dict[str, Any]:
    name = text(address.get("name")) or joined(address.get("first_name"), address.get("last_name"))
    return {
        "name": name[:200],
        "line1": text(address.get("address1"))[:200],
        "line2": text(address.get("address2"))[:200],
        "postcode": text(address.get("zip"))[:20],
        "city": text(address.get("city"))[:100],
        "country": text(address.get("country_code")).upper(),
    }


LineBuilder = Callable[[Mapping[str, Any], int, str], dict[str, Any]]
"""Maps one valid line item (with its quantity and error location) to an order line."""


def order_lines(items: object, where: str, build: LineBuilder) -> list[dict[str, Any]]:
    """Validate a platform's line items and map each one; lines with quantity 0 are left out."""
    if not isinstance(items, list):
        return []
    lines = []
    for index, item in enumerate(items):
        at = f"{where} line_items[{index}]"
        if not isinstance(item, Mapping):
            raise InvalidWebhook(f"{at} is not an object")
        quantity = item.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise InvalidWebhook(f"{at}.quantity {quantity!r} is not a whole number")
        if quantity >= 1:
            lines.append(build(item, quantity, at))
    return lines


def _lines(items: object, currency: str, number: str) -> list[dict[str, Any]]:
    def build(item: Mapping[str, Any], quantity: int, at: str) -> dict[str, Any]:
        return {
            "sku": _sku(item)[:64],
            "name": (text(item.get("name")) or text(item.get("title")) or "item")[:200],
            "quantity": quantity,
            "unit_price": minor_units(item.get("price"), currency, f"{at}.price"),
            "currency": currency,
        }

    return order_lines(items, f"shopify order {number}", build)


def _sku(item: Mapping[str, Any]) -> str:
    # Many shops leave the SKU empty; Shopify's own ids still tell the lines apart.
    if sku := text(item.get("sku")):
        return sku
    for key in ("variant_id", "product_id", "id"):
        if value := text(item.get(key)):
            return f"{key.removesuffix('_id')}-{value}"
    return "unknown"


def _order_shipments(fulfillments: object, skipped: list[str]) -> list[dict[str, Any]]:
    """Every tracked parcel of the order's fulfillments, each tracking number once."""
    if not isinstance(fulfillments, list):
        return []
    seen: dict[str, dict[str, Any]] = {}
    for fulfillment in fulfillments:
        if isinstance(fulfillment, Mapping):
            for shipment in _fulfillment(fulfillment, skipped):
                seen.setdefault(shipment["tracking_number"], shipment)
    return list(seen.values())


def _detected(number: str) -> str | None:
    """The carrier a tracking number's format names, when it names one with confidence."""
    candidates = detect_carrier(number)
    if candidates and candidates[0][1] >= DETECTION_CONFIDENCE:
        return candidates[0][0]
    return None


def _fulfillment(fulfillment: Mapping[str, Any], skipped: list[str]) -> list[dict[str, Any]]:
    """The parcels of one fulfillment; a void state or unknown carrier goes to `skipped`."""
    label = f"fulfillment {text(fulfillment.get('id')) or '?'}"
    status = text(fulfillment.get("status"))
    if status in VOID_FULFILLMENTS:
        skipped.append(f"{label} skipped: status {status}")
        return []
    numbers = _tracking_numbers(fulfillment)
    if not numbers:
        skipped.append(f"{label} has no tracking number")
        return []
    company = text(fulfillment.get("tracking_company"))
    carrier = TRACKING_COMPANIES.get(carrier_key(company)) or _detected(numbers[0])
    if carrier is None:
        skipped.append(f"{label} skipped: tracking company {company or 'none'!r} is not supported")
        return []
    created = fulfillment.get("created_at")
    shipped_at = utc_iso(created, f"shopify {label} created_at") if created else None
    shipments = []
    for number in numbers:
        if len(number) > 64:
            skipped.append(f"{label} skipped tracking number {number[:20]}...: longer than 64")
            continue
        # Shopify sends no delivery promise on orders or fulfillments (only fulfillment events
        # carry an estimate), so the shop's lane defaults apply.
        shipments.append(
            {
                "carrier": carrier,
                "tracking_number": number,
                "shipped_at": shipped_at,
                "promised_delivery_date": None,
            }
        )
    return shipments


def _tracking_numbers(fulfillment: Mapping[str, Any]) -> list[str]:
    values = fulfillment.get("tracking_numbers")
    if not isinstance(values, list) or not values:
        values = [fulfillment.get("tracking_number")]
    numbers = (text(value) for value in values)
    return list(dict.fromkeys(number for number in numbers if number))


def _privacy(topic: str, payload: Mapping[str, Any]) -> Outcome:
    """The mandatory privacy topics; shop_id and order ids stay in the stored body."""
    if topic == "shop/redact":
        return Outcome(redact_shop=True)
    customer = payload.get("customer")
    email = text(customer.get("email")) if isinstance(customer, Mapping) else ""
    if not email:
        return Outcome(ignored=f"{topic} names no customer e-mail to match")
    if topic == "customers/redact":
        return Outcome(redact_emails=[email])
    return Outcome(data_request_emails=[email])


# Shared with the WooCommerce mapper.


def parse_json(body: bytes, source: str) -> dict[str, Any]:
    """A JSON object body, with decimals kept exact; InvalidWebhook saying what is wrong."""
    try:
        # parse_float=Decimal: a price never passes through a binary float.
        payload = jsontext.loads(body, parse_float=Decimal)
    except jsontext.BadJson as error:
        raise InvalidWebhook(f"{source} body is {error}") from None
    if not isinstance(payload, dict):
        raise InvalidWebhook(f"{source} body must be a JSON object, not {type(payload).__name__}")
    return payload


def minor_units(amount: object, currency: str, where: str = "amount") -> int:
    """A decimal amount as integer minor units of `currency`, half-up to its precision."""
    if isinstance(amount, bool) or not isinstance(amount, str | int | Decimal):
        raise InvalidWebhook(f"{where} {amount!r} is not a decimal number")
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        raise InvalidWebhook(f"{where} {amount!r} is not a decimal number") from None
    if not value.is_finite() or value < 0:
        raise InvalidWebhook(f"{where} {amount!r} is not a non-negative amount")
    if value.adjusted() > MAX_AMOUNT_DIGITS:
        # Refused before scaling: 1E+999999999 would otherwise become a billion-digit integer.
        raise InvalidWebhook(f"{where} {str(amount)[:40]} is too large an amount")
    # Babel knows each currency's exponent (JPY 0, EUR 2, KWD 3). Rounding only matters for
    # WooCommerce, whose unit price is a line total divided by the quantity.
    exponent = get_currency_precision(currency)
    return int(value.scaleb(exponent).to_integral_value(rounding=ROUND_HALF_UP))


def language_code(locale: object) -> str | None:
    """nl, de, en or fr from a locale such as "de-DE", "fr_BE" or "en"; None otherwise."""
    if not isinstance(locale, str):
        return None
    primary = re.split(r"[-_]", locale.strip().lower(), maxsplit=1)[0]
    return primary if primary in LANGUAGES else None


def utc_iso(value: object, where: str) -> str:
    """An ISO 8601 time with an offset, as UTC ISO text; InvalidWebhook when absent or naive."""
    try:
        moment = datetime.fromisoformat(text(value))
    except ValueError:
        raise InvalidWebhook(f"{where} {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise InvalidWebhook(f"{where} {value!r} has no UTC offset")
    try:
        return moment.astimezone(UTC).isoformat()
    except OverflowError:
        # Year 1 or 9999 with an offset has no UTC equivalent; the order's own range check
        # refuses other far-off years with the accepted range in its message.
        raise InvalidWebhook(f"{where} {value!r} is outside the calendar in UTC") from None


def carrier_key(name: str) -> str:
    """Loose carrier name: "DHL eCommerce" -> "dhl ecommerce", slug "dpd-nl" -> "dpd nl"."""
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def text(value: object) -> str:
    """A stripped string for strings and numbers, "" for anything else."""
    if isinstance(value, bool) or value is None:
        return ""
    return str(value).strip() if isinstance(value, str | int | Decimal) else ""


def joined(*parts: object) -> str:
    """Non-empty parts joined by one space."""
    return " ".join(part for part in (text(p) for p in parts) if part)


def phone_or_blank(phone: str) -> str:
    """The phone number, or "" when it cannot be one: a cut number could reach someone else."""
    return phone if len(phone) <= 32 else ""
