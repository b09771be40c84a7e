"""WooCommerce webhooks: HMAC check, the first-save ping, and v3 orders as plain OrderIn dicts.

Tracking numbers come from the order meta `_wc_shipment_tracking_items`, written by the
WooCommerce Shipment Tracking extension and, in the same format, by Advanced Shipment Tracking
(zorem): a list of {tracking_provider, custom_tracking_provider, tracking_number, date_shipped}.
WooCommerce never retries a failed delivery, so `woocommerce_client` polls to catch up.
"""

import html
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from parcelcare.integrations.webhooks import (
    Delivery,
    Headers,
    InvalidWebhook,
    Outcome,
    any_secret_matches,
    base64_hmac,
    body_event_id,
)

from .shopify import (
    carrier_key,
    joined,
    language_code,
    minor_units,
    order_lines,
    parse_json,
    phone_or_blank,
    text,
)

ORDER_TOPICS = frozenset({"order.created", "order.updated"})

NOT_PLACED = frozenset(
    {"pending", "failed", "cancelled", "checkout-draft", "draft", "auto-draft", "trash"}
)
"""Statuses of an order never paid or called off. WooCommerce creates a pending order for every
payment attempt; storing those would tell people who never paid that nothing has shipped."""

TRACKING_META = "_wc_shipment_tracking_items"

LANGUAGE_META = ("wpml_language", "trp_language")
"""Order meta naming the customer's language: WPML's, then TranslatePress's."""

PROVIDERS = {
    "postnl": "postnl",
    "dhl": "dhl",
    "dhl express": "dhl",
    "dhl parcel": "dhl",
    "dhlparcel nl": "dhl",
    "dhl ecommerce": "dhl",
    "dhl intraship de": "dhl",
    "deutsche post dhl": "dhl",
    "dpd": "dpd",
    "dpd nl": "dpd",
    "dpd de": "dpd",
    "dpd at": "dpd",
    "dpd be": "dpd",
    "gls": "gls",
    "ups": "ups",
    "ups germany": "ups",
    "bpost": "bpost",
    "belgium post": "bpost",
    "colissimo": "colissimo",
    "la poste": "colissimo",
}
"""Tracking plugin provider slugs and typed names (as `carrier_key` spells them) -> carrier."""

PING = re.compile(rb"webhook_id=\d+")
LATEST_UNIX = 4_102_444_800
"""2100-01-01: a date_shipped beyond it is not a Unix time in seconds."""


class WooCommerceSource:
    """WooCommerce as a webhook source: order.created and order.updated on API version v3."""

    slug = "woocommerce"
    name = "WooCommerce"

    def verify(self, headers: Headers, body: bytes, secrets: Sequence[str]) -> bool:
        """True when X-WC-Webhook-Signature is the base64 HMAC of the raw body with a secret."""
        presented = headers.get("x-wc-webhook-signature", "")
        return any_secret_matches(secrets, presented, lambda secret: base64_hmac(secret, body))

    def delivery(self, headers: Headers, body: bytes) -> Delivery:
        """The deduplication key and topic of a delivery; InvalidWebhook without a topic."""
        topic = headers.get("x-wc-webhook-topic", "").strip()
        if not topic:
            raise InvalidWebhook("woocommerce: the X-WC-Webhook-Topic header is missing")
        # X-WC-Webhook-Delivery-ID hashes the webhook id with the current second, so a repeat
        # gets a new one. The body carries date_modified: the same body is the same state.
        return Delivery(event_id=f"{topic}:{body_event_id(body)}", topic=topic)

    def handle(self, topic: str, body: bytes) -> Outcome:
        """What a stored body means; InvalidWebhook when it is not a v3 order."""
        if topic not in ORDER_TOPICS:
            return Outcome(ignored=f"topic {topic} is not used")
        payload = parse_json(body, "woocommerce")
        if set(payload) == {"order"}:
            raise InvalidWebhook(
                "woocommerce body is a legacy API order; set the webhook's API version to "
                "WP REST API Integration v3"
            )
        return order_outcome(payload)


SOURCE = WooCommerceSource()


def is_ping(headers: Headers, body: bytes) -> bool:
    """True for the unsigned `webhook_id=<n>` test post WooCommerce sends when a hook is saved."""
    return "x-wc-webhook-signature" not in headers and PING.fullmatch(body.strip()) is not None


def order_outcome(order: Mapping[str, Any]) -> Outcome:
    """A WooCommerce v3 order (webhook body or API item) as one OrderIn dict, or why not."""
    number = text(order.get("number")) or text(order.get("id"))
    if not number:
        raise InvalidWebhook("woocommerce order: number and id are both missing")
    status = text(order.get("status"))
    if status in NOT_PLACED:
        return Outcome(ignored=f"order {number} has status {status}: nothing to ship")
    shipping = _mapping(order.get("shipping"))
    if not text(shipping.get("country")):
        return Outcome(ignored=f"order {number} has no shipping address: nothing to ship")
    currency = text(order.get("currency")).upper()
    if not currency:
        raise InvalidWebhook(f"woocommerce order {number}: currency is missing")
    billing = _mapping(order.get("billing"))
    meta = _meta(order.get("meta_data"))
    skipped: list[str] = []
    mapped = {
        "order_number": number,
        "placed_at": _created_gmt(order, number),
        "currency": currency,
        "customer": {
            "email": text(billing.get("email")) or None,
            "name": joined(billing.get("first_name"), billing.get("last_name"))[:200],
            "phone": phone_or_blank(text(billing.get("phone")) or text(shipping.get("phone"))),
            "language": _language(meta),
        },
        "shipping_address": _address(shipping),
        "lines": _lines(order.get("line_items"), currency, number),
        "shipments": _shipments(meta.get(TRACKING_META), skipped),
    }
    return Outcome(orders=[mapped], ignored="; ".join(skipped))


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _meta(entries: object) -> dict[str, Any]:
    """Order meta as key -> value."""
    if not isinstance(entries, list):
        return {}
    return {
        text(entry.get("key")): entry.get("value")
        for entry in entries
        if isinstance(entry, Mapping)
    }


def _language(meta: Mapping[str, Any]) -> str | None:
    for key in LANGUAGE_META:
        if language := language_code(meta.get(key)):
            return language
    return None


def _created_gmt(order: Mapping[str, Any], number: str) -> str:
    """date_created_gmt as UTC ISO text: WooCommerce writes *_gmt times without an offset."""
    value = order.get("date_created_gmt")
    try:
        moment = datetime.fromisoformat(text(value))
    except ValueError:
        raise InvalidWebhook(
            f"woocommerce order {number} date_created_gmt {value!r} is not an ISO 8601 time"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def _address(shipping: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": joined(shipping.get("first_name"), shipping.get("last_name"))[:200],
        "line1": text(shipping.get("address_1"))[:200],
        "line2": text(shipping.get("address_2"))[:200],
        "postcode": text(shipping.get("postcode"))[:20],
        "city": text(shipping.get("city"))[:100],
        "country": text(shipping.get("country")).upper(),
    }


def _lines(items: object, currency: str, number: str) -> list[dict[str, Any]]:
    def build(item: Mapping[str, Any], quantity: int, at: str) -> dict[str, Any]:
        return {
            "sku": _sku(item)[:64],
            # Product names arrive HTML-escaped ("Ship Your Idea &ndash; Color: Black").
            "name": (html.unescape(text(item.get("name"))) or "item")[:200],
            "quantity": quantity,
            "unit_price": minor_units(_unit_price(item, quantity, at), currency, at),
            "currency": currency,
        }

    return order_lines(items, f"woocommerce order {number}", build)


def _sku(item: Mapping[str, Any]) -> str:
    # SKUs are optional in WooCommerce; the product or variation id still tells lines apart.
    if sku := text(item.get("sku")):
        return sku
    variation = text(item.get("variation_id"))
    if variation and variation != "0":
        return f"variation-{variation}"
    return f"product-{text(item.get('product_id')) or text(item.get('id')) or 'unknown'}"


def _unit_price(item: Mapping[str, Any], quantity: int, where: str) -> object:
    """`price` (the line total after discounts over the quantity), else that division itself."""
    price = item.get("price")
    if price is not None and price != "":
        return price
    try:
        return Decimal(text(item.get("total"))) / quantity
    except InvalidOperation:
        raise InvalidWebhook(f"{where} has neither price nor a numeric total") from None


def _shipments(items: object, skipped: list[str]) -> list[dict[str, Any]]:
    """Tracked parcels from the tracking plugin's meta, each tracking number once."""
    if isinstance(items, Mapping):
        # A PHP array with a deleted entry keeps its keys and so arrives as an object.
        items = list(items.values())
    if not isinstance(items, list):
        if items is not None:
            skipped.append(f"{TRACKING_META} is not a list")
        return []
    seen: dict[str, dict[str, Any]] = {}
    for item in items:
        if isinstance(item, Mapping) and (shipment := _shipment(item, skipped)):
            seen.setdefault(shipment["tracking_number"], shipment)
    return list(seen.values())


def _shipment(item: Mapping[str, Any], skipped: list[str]) -> dict[str, Any] | None:
    number = text(item.get("tracking_number"))
    if not number:
        skipped.append("a tracking item has no tracking number")
        return None
    if len(number) > 64:
        skipped.append(f"tracking {number[:20]}... skipped: longer than 64")
        return None
    names = [text(item.get("tracking_provider")), text(item.get("custom_tracking_provider"))]
    carrier = next((PROVIDERS[key] for key in map(carrier_key, names) if key in PROVIDERS), None)
    if carrier is None:
        provider = names[0] or names[1] or "none"
        skipped.append(f"tracking {number} skipped: provider {provider!r} is not supported")
        return None
    # The plugins store the shipping day as a Unix time (midnight of that day), no delivery
    # promise: the shop's lane defaults apply.
    return {
        "carrier": carrier,
        "tracking_number": number,
        "shipped_at": _unix(item.get("date_shipped"), number, skipped),
        "promised_delivery_date": None,
    }


def _unix(value: object, number: str, skipped: list[str]) -> str | None:
    raw = text(value)
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) < LATEST_UNIX:
        skipped.append(f"tracking {number}: date_shipped {raw!r} is not a Unix time")
        return None
    return datetime.fromtimestamp(int(raw), UTC).isoformat()
