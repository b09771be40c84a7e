"""WooCommerce webhooks: signatures, the ping, delivery keys and v3 order mapping."""

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest

from parcelcare.integrations.shops.woocommerce import SOURCE, is_ping, order_outcome
from parcelcare.integrations.webhooks import InvalidWebhook
from parcelcare.tracking.schemas import OrderIn

SAMPLE = (
    Path(__file__).resolve().parent.parent
    / "fixtures"
    / "webhooks"
    / "woocommerce"
    / "order_example.json"
)
SECRET = "wc-secret-current"
OLD_SECRET = "wc-secret-previous"


def sample(**changes: Any) -> dict[str, Any]:
    order: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return order | changes


def with_meta(order: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    order["meta_data"] = [*order["meta_data"], {"id": 99000, "key": key, "value": value}]
    return order


def body_of(order: dict[str, Any]) -> bytes:
    return json.dumps(order).encode()


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def headers(body: bytes, topic: str = "order.updated") -> dict[str, str]:
    return {
        "x-wc-webhook-source": "https://example.com/",
        "x-wc-webhook-topic": topic,
        "x-wc-webhook-resource": topic.split(".")[0],
        "x-wc-webhook-event": topic.split(".")[1],
        "x-wc-webhook-signature": sign(body),
        "x-wc-webhook-id": "142",
        "x-wc-webhook-delivery-id": "3c8e0a1f8b6f0a5e2d9c1b7a4f6e8d2c",
    }


def mapped(order: dict[str, Any]) -> dict[str, Any]:
    outcome = SOURCE.handle("order.updated", body_of(order))
    assert len(outcome.orders) == 1, outcome.ignored
    return outcome.orders[0]


TRACKING: list[dict[str, Any]] = [
    {
        "tracking_provider": "postnl",
        "custom_tracking_provider": "",
        "custom_tracking_link": "",
        "tracking_number": "3sabcd1234567",
        "date_shipped": "1763337600",
        "tracking_id": "8d7c2a56e0c4c0b7d6d2a0d7cf4f3e55",
    },
    {
        "tracking_provider": "",
        "custom_tracking_provider": "DHL Express",
        "custom_tracking_link": "https://www.dhl.com/track?AWB=1234567890",
        "tracking_number": "1234567890",
        "date_shipped": 1763424000,
        "tracking_id": "0f2d3c6ab1e94c21a8e3f0c5d7b6a9e1",
    },
    {
        "tracking_provider": "royal-mail",
        "tracking_number": "AB123456789GB",
        "date_shipped": "1763424000",
        "tracking_id": "5b1e7d9f3a2c4e6b8d0f1a3c5e7b9d2f",
    },
]


# Signatures and the ping


def test_signature_of_the_raw_body_is_accepted() -> None:
    body = body_of(sample())
    assert SOURCE.verify(headers(body), body, [SECRET])


def test_wrong_secret_is_refused() -> None:
    body = body_of(sample())
    assert not SOURCE.verify(headers(body), body, ["guess"])


def test_previous_secret_still_works_during_rotation() -> None:
    body = body_of(sample())
    signed = headers(body) | {"x-wc-webhook-signature": sign(body, OLD_SECRET)}
    assert SOURCE.verify(signed, body, [SECRET, OLD_SECRET])
    assert not SOURCE.verify(signed, body, [SECRET])


def test_missing_signature_header_is_refused() -> None:
    body = body_of(sample())
    unsigned = {k: v for k, v in headers(body).items() if k != "x-wc-webhook-signature"}
    assert not SOURCE.verify(unsigned, body, [SECRET])


def test_body_changed_by_one_byte_is_refused() -> None:
    body = body_of(sample())
    changed = body.replace(b'"29.35"', b'"29.36"', 1)
    assert len(changed) == len(body) and changed != body
    assert not SOURCE.verify(headers(body), changed, [SECRET])


def test_first_save_ping_is_recognised() -> None:
    ping_headers = {"user-agent": "WooCommerce/8.6.1 Hookshot (WordPress/6.4.3)"}
    assert is_ping(ping_headers, b"webhook_id=142")
    assert is_ping(ping_headers, b"webhook_id=7\n")
    assert not SOURCE.verify(ping_headers, b"webhook_id=142", [SECRET])


@pytest.mark.parametrize(
    ("extra", "body"),
    [
        ({"x-wc-webhook-signature": "c2lnbmVk"}, b"webhook_id=142"),
        ({}, b"webhook_id=142&topic=order.created"),
        ({}, b"webhook_id="),
        ({}, b'{"webhook_id": 142}'),
    ],
)
def test_anything_else_is_not_a_ping(extra: dict[str, str], body: bytes) -> None:
    assert not is_ping(extra, body)


# Delivery keys


def test_delivery_key_is_topic_and_body_digest() -> None:
    body = body_of(sample())
    delivery = SOURCE.delivery(headers(body, "order.created"), body)
    assert delivery.topic == "order.created"
    assert delivery.event_id == "order.created:sha256:" + hashlib.sha256(body).hexdigest()


def test_same_state_twice_is_a_duplicate_despite_new_delivery_ids() -> None:
    body = body_of(sample())
    first = SOURCE.delivery(headers(body), body)
    again = headers(body) | {"x-wc-webhook-delivery-id": "another-second"}
    assert SOURCE.delivery(again, body) == first
    changed = body_of(sample(date_modified_gmt="2017-03-22T19:30:35"))
    assert SOURCE.delivery(headers(changed), changed) != first


def test_delivery_without_topic_is_invalid() -> None:
    body = body_of(sample())
    partial = {k: v for k, v in headers(body).items() if k != "x-wc-webhook-topic"}
    with pytest.raises(InvalidWebhook, match="X-WC-Webhook-Topic header is missing"):
        SOURCE.delivery(partial, body)


# Orders


def test_sample_order_maps_to_a_valid_order_in() -> None:
    outcome = SOURCE.handle("order.created", body_of(sample()))
    order = OrderIn.model_validate(outcome.orders[0])
    assert outcome.ignored == ""
    assert order.order_number == "727"
    # date_created_gmt has no offset in the payload: it is UTC.
    assert order.placed_at.isoformat() == "2017-03-22T19:28:02+00:00"
    assert order.currency == "USD"
    assert (order.customer.email, order.customer.name, order.customer.phone) == (
        "john.doe@example.com",
        "John Doe",
        "(555) 555-5555",
    )
    assert order.customer.language is None
    address = order.shipping_address
    assert (address.name, address.line1, address.postcode, address.city, address.country) == (
        "John Doe",
        "969 Market",
        "94103",
        "San Francisco",
        "US",
    )
    assert [(line.sku, line.name, line.quantity, line.unit_price) for line in order.lines] == [
        ("product-93", "Woo Single #1", 2, 300),
        ("Bar3", "Ship Your Idea \u2013 Color: Black, Size: M Test", 1, 1200),
    ]
    assert order.shipments == []


@pytest.mark.parametrize(
    ("price", "currency", "minor"),
    [
        ("12.50", "EUR", 1250),
        (12.5, "EUR", 1250),
        ("1000", "JPY", 1000),
        (1000, "JPY", 1000),
        # WooCommerce's price is the line total over the quantity: 10.00 / 3.
        (3.3333333333333335, "EUR", 333),
    ],
)
def test_price_as_number_or_string_in_minor_units(price: object, currency: str, minor: int) -> None:
    order = sample(currency=currency)
    order["line_items"][0]["price"] = price
    assert mapped(order)["lines"][0]["unit_price"] == minor


def test_price_missing_falls_back_to_total_over_quantity() -> None:
    order = sample(currency="EUR")
    del order["line_items"][0]["price"]
    order["line_items"][0].update(quantity=3, total="10.00")
    assert mapped(order)["lines"][0]["unit_price"] == 333


def test_variation_without_sku_is_named_by_its_variation() -> None:
    order = sample()
    order["line_items"][1]["sku"] = ""
    assert mapped(order)["lines"][1]["sku"] == "variation-23"


def test_tracking_plugin_meta_becomes_shipments() -> None:
    order = with_meta(sample(), "_wc_shipment_tracking_items", TRACKING)
    outcome = SOURCE.handle("order.updated", body_of(order))
    parsed = OrderIn.model_validate(outcome.orders[0])
    assert [(s.carrier, s.tracking_number) for s in parsed.shipments] == [
        ("postnl", "3SABCD1234567"),
        ("dhl", "1234567890"),
    ]
    shipped = [s.shipped_at.isoformat() if s.shipped_at else None for s in parsed.shipments]
    assert shipped == ["2025-11-17T00:00:00+00:00", "2025-11-18T00:00:00+00:00"]
    assert all(s.promised_delivery_date is None for s in parsed.shipments)
    assert outcome.ignored == (
        "tracking AB123456789GB skipped: provider 'royal-mail' is not supported"
    )


def test_tracking_items_with_a_deleted_entry_arrive_as_an_object() -> None:
    # PHP keeps the keys of an array after an unset(), so JSON turns it into an object.
    gapped = {"0": TRACKING[0], "2": TRACKING[1]}
    order = with_meta(sample(), "_wc_shipment_tracking_items", gapped)
    assert [s["carrier"] for s in mapped(order)["shipments"]] == ["postnl", "dhl"]


@pytest.mark.parametrize(
    ("provider", "slug"),
    [
        ("postnl", "postnl"),
        ("dpd-nl", "dpd"),
        ("dpd-de", "dpd"),
        ("dhl-express", "dhl"),
        ("dhlparcel-nl", "dhl"),
        ("dhl-intraship-de", "dhl"),
        ("deutsche-post-dhl", "dhl"),
        ("ups", "ups"),
        ("gls", "gls"),
        ("belgium-post", "bpost"),
        ("bpost", "bpost"),
        ("colissimo", "colissimo"),
        ("la-poste", "colissimo"),
    ],
)
def test_provider_slug_table(provider: str, slug: str) -> None:
    item = TRACKING[0] | {"tracking_provider": provider}
    order = with_meta(sample(), "_wc_shipment_tracking_items", [item])
    assert [s["carrier"] for s in mapped(order)["shipments"]] == [slug]


def test_unreadable_ship_date_is_reported_not_guessed() -> None:
    item = TRACKING[0] | {"date_shipped": "17-11-2025"}
    order = with_meta(sample(), "_wc_shipment_tracking_items", [item])
    outcome = SOURCE.handle("order.updated", body_of(order))
    assert outcome.orders[0]["shipments"][0]["shipped_at"] is None
    assert "date_shipped '17-11-2025' is not a Unix time" in outcome.ignored


@pytest.mark.parametrize(
    ("key", "value", "language"),
    [
        ("wpml_language", "de", "de"),
        ("wpml_language", "nl", "nl"),
        ("trp_language", "fr_FR", "fr"),
        ("trp_language", "en_GB", "en"),
        ("wpml_language", "es", None),
        ("some_other_meta", "nl", None),
    ],
)
def test_language_from_translation_plugin_meta(key: str, value: str, language: str) -> None:
    order = with_meta(sample(), key, value)
    assert OrderIn.model_validate(mapped(order)).customer.language == language


@pytest.mark.parametrize("status", ["pending", "failed", "cancelled", "checkout-draft", "trash"])
def test_order_never_paid_or_called_off_is_ignored(status: str) -> None:
    outcome = SOURCE.handle("order.updated", body_of(sample(status=status)))
    assert outcome.orders == []
    assert outcome.ignored == f"order 727 has status {status}: nothing to ship"


@pytest.mark.parametrize("status", ["processing", "on-hold", "completed", "refunded"])
def test_placed_orders_are_mapped(status: str) -> None:
    assert mapped(sample(status=status))["order_number"] == "727"


def test_order_without_shipping_address_is_ignored() -> None:
    order = sample()
    order["shipping"] = {k: "" for k in order["shipping"]}
    outcome = SOURCE.handle("order.created", body_of(order))
    assert outcome.ignored == "order 727 has no shipping address: nothing to ship"


def test_polled_order_maps_the_same_way() -> None:
    webhook = SOURCE.handle("order.created", body_of(sample()))
    assert order_outcome(sample()).orders == webhook.orders


# Anything else


@pytest.mark.parametrize("topic", ["order.deleted", "product.updated", "customer.created"])
def test_other_topics_are_ignored(topic: str) -> None:
    outcome = SOURCE.handle(topic, b'{"id": 727}')
    assert outcome.ignored == f"topic {topic} is not used"


def test_legacy_api_payload_is_invalid_with_the_fix() -> None:
    with pytest.raises(InvalidWebhook, match="set the webhook's API version"):
        SOURCE.handle("order.created", body_of({"order": sample()}))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'{"id": 727, "number": }',
            "woocommerce body is not valid JSON: Expecting value at line 1 column 23",
        ),
        (b"webhook_id=142", "woocommerce body is not valid JSON: Expecting value at line 1"),
        (b'"727"', "woocommerce body must be a JSON object, not str"),
    ],
)
def test_malformed_body_is_invalid_with_a_precise_message(body: bytes, message: str) -> None:
    with pytest.raises(InvalidWebhook) as raised:
        SOURCE.handle("order.created", body)
    assert str(raised.value).startswith(message)


def test_bad_creation_time_names_the_field() -> None:
    order = sample(date_created_gmt="yesterday")
    with pytest.raises(InvalidWebhook, match="woocommerce order 727 date_created_gmt 'yesterday'"):
        SOURCE.handle("order.created", body_of(order))


def test_source_matches_the_contract() -> None:
    assert (SOURCE.slug, SOURCE.name) == ("woocommerce", "WooCommerce")
