"""Shopify webhooks: signatures, delivery keys, order mapping, money, language and privacy."""

import base64
import copy
import hashlib
import hmac
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from parcelcare.integrations.shops import shopify
from parcelcare.integrations.shops.shopify import (
    SOURCE,
    fulfillment_shipments,
    language_code,
    minor_units,
)
from parcelcare.integrations.webhooks import InvalidWebhook
from parcelcare.tracking.schemas import OrderIn

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "webhooks" / "shopify"
SECRET = "shpss_current"
OLD_SECRET = "shpss_previous"


def sample(name: str) -> dict[str, Any]:
    """A fixture resource, unwrapped the way a webhook body carries it."""
    wrapped = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return wrapped[name]


def body_of(resource: dict[str, Any]) -> bytes:
    return json.dumps(resource).encode()


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def headers(body: bytes, topic: str = "orders/create", **extra: str) -> dict[str, str]:
    values = {
        "x-shopify-topic": topic,
        "x-shopify-hmac-sha256": sign(body),
        "x-shopify-event-id": "98880550-7158-44d4-b7cd-2c97c8a091b5",
        "x-shopify-webhook-id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
        "x-shopify-shop-domain": "snowdevil.myshopify.com",
    }
    return values | extra


def shipped_order(company: str = "PostNL", **fulfillment: Any) -> dict[str, Any]:
    """The sample order with its fulfillment made trackable (the sample's one has failed)."""
    order = sample("order")
    order["fulfillments"][0].update(
        {"status": "success", "tracking_company": company} | fulfillment
    )
    return order


def mapped(resource: dict[str, Any], topic: str = "orders/create") -> dict[str, Any]:
    outcome = SOURCE.handle(topic, body_of(resource))
    assert len(outcome.orders) == 1, outcome.ignored
    return outcome.orders[0]


# Signatures


def test_signature_of_the_raw_body_is_accepted() -> None:
    body = body_of(sample("order"))
    assert SOURCE.verify(headers(body), body, [SECRET])


def test_wrong_secret_is_refused() -> None:
    body = body_of(sample("order"))
    assert not SOURCE.verify(headers(body), body, ["someone-else"])


def test_previous_secret_still_works_during_rotation() -> None:
    body = body_of(sample("order"))
    signed_with_old = headers(body, **{"x-shopify-hmac-sha256": sign(body, OLD_SECRET)})
    assert SOURCE.verify(signed_with_old, body, [SECRET, OLD_SECRET])
    assert not SOURCE.verify(signed_with_old, body, [SECRET])


def test_missing_signature_header_is_refused() -> None:
    body = body_of(sample("order"))
    unsigned = {k: v for k, v in headers(body).items() if k != "x-shopify-hmac-sha256"}
    assert not SOURCE.verify(unsigned, body, [SECRET])


def test_body_changed_by_one_byte_is_refused() -> None:
    body = body_of(sample("order"))
    signed = headers(body)
    changed = body.replace(b'"199.00"', b'"199.01"', 1)
    assert len(changed) == len(body) and changed != body
    assert not SOURCE.verify(signed, changed, [SECRET])


def test_no_secret_configured_refuses_everything() -> None:
    body = body_of(sample("order"))
    assert not SOURCE.verify(headers(body), body, [])
    assert not SOURCE.verify(headers(body), body, [""])


# Delivery keys


def test_delivery_names_topic_and_event() -> None:
    body = body_of(sample("order"))
    delivery = SOURCE.delivery(headers(body, topic="orders/updated"), body)
    assert delivery.topic == "orders/updated"
    assert delivery.event_id.startswith("98880550-7158-44d4-b7cd-2c97c8a091b5:orders/updated:")


def test_a_retry_is_a_duplicate() -> None:
    body = body_of(sample("order"))
    first = SOURCE.delivery(headers(body), body)
    assert SOURCE.delivery(headers(body), body) == first


def test_one_merchant_action_on_two_topics_or_orders_keeps_every_delivery() -> None:
    # Shopify shares X-Shopify-Event-Id across all deliveries of one merchant action.
    order = body_of(sample("order"))
    fulfillment = body_of(sample("fulfillment"))
    other = sample("order") | {"id": 1, "name": "#1002"}
    keys = {
        SOURCE.delivery(headers(order, topic="orders/updated"), order).event_id,
        SOURCE.delivery(headers(fulfillment, topic="fulfillments/create"), fulfillment).event_id,
        SOURCE.delivery(headers(body_of(other), topic="orders/updated"), body_of(other)).event_id,
    }
    assert len(keys) == 3


def test_webhook_id_stands_in_for_a_missing_event_id() -> None:
    body = body_of(sample("order"))
    without = {k: v for k, v in headers(body).items() if k != "x-shopify-event-id"}
    assert SOURCE.delivery(without, body).event_id.startswith("b54557e4-")


@pytest.mark.parametrize(
    ("dropped", "message"),
    [
        (("x-shopify-topic",), "X-Shopify-Topic header is missing"),
        (("x-shopify-event-id", "x-shopify-webhook-id"), "X-Shopify-Event-Id"),
    ],
)
def test_delivery_without_its_headers_is_invalid(dropped: tuple[str, ...], message: str) -> None:
    body = body_of(sample("order"))
    partial = {k: v for k, v in headers(body).items() if k not in dropped}
    with pytest.raises(InvalidWebhook, match=message):
        SOURCE.delivery(partial, body)


# Orders


def test_sample_order_maps_to_a_valid_order_in() -> None:
    outcome = SOURCE.handle("orders/create", body_of(sample("order")))
    order = OrderIn.model_validate(outcome.orders[0])
    assert order.order_number == "1001"
    assert order.placed_at.isoformat() == "2008-01-10T16:00:00+00:00"
    assert order.currency == "USD"
    assert order.customer.email == "bob.norman@hostmail.com"
    assert order.customer.name == "Bob Norman"
    assert order.customer.phone == "555-625-1199"
    assert order.customer.language is None
    address = order.shipping_address
    assert (address.name, address.line1, address.postcode, address.city, address.country) == (
        "Bob Norman",
        "Chestnut Street 92",
        "40202",
        "Louisville",
        "US",
    )
    assert [(line.sku, line.quantity, line.unit_price) for line in order.lines] == [
        ("IPOD2008GREEN", 1, 19900),
        ("IPOD2008RED", 1, 19900),
        ("IPOD2008BLACK", 1, 19900),
    ]
    # The sample's only fulfillment failed: no parcel, and the reason is kept.
    assert order.shipments == []
    assert outcome.ignored == "fulfillment 255858046 skipped: status failure"


def test_fulfillment_on_the_order_becomes_a_shipment() -> None:
    order = OrderIn.model_validate(mapped(shipped_order(), "orders/updated"))
    (shipment,) = order.shipments
    assert (shipment.carrier, shipment.tracking_number) == ("postnl", "1Z2345")
    assert shipment.shipped_at is not None
    assert shipment.shipped_at.isoformat() == "2014-01-22T20:58:27+00:00"
    assert shipment.promised_delivery_date is None


def test_every_tracking_number_of_a_fulfillment_is_a_parcel_once() -> None:
    order = shipped_order(
        "DHL Express", tracking_numbers=["JD0001", "JD0002", "JD0001"], tracking_number="JD0001"
    )
    numbers = [s["tracking_number"] for s in mapped(order)["shipments"]]
    assert numbers == ["JD0001", "JD0002"]


@pytest.mark.parametrize(
    ("company", "slug"),
    [
        ("PostNL", "postnl"),
        ("DHL Parcel", "dhl"),
        ("DHL Express", "dhl"),
        ("DHL eCommerce", "dhl"),
        ("DHL", "dhl"),
        ("DPD", "dpd"),
        ("GLS", "gls"),
        ("UPS", "ups"),
        ("bpost", "bpost"),
        ("BPost", "bpost"),
        ("Colissimo", "colissimo"),
        ("La Poste", "colissimo"),
        ("  postnl ", "postnl"),
    ],
)
def test_tracking_company_table(company: str, slug: str) -> None:
    assert [s["carrier"] for s in mapped(shipped_order(company))["shipments"]] == [slug]


def test_unknown_tracking_company_is_skipped_and_reported() -> None:
    outcome = SOURCE.handle("orders/updated", body_of(shipped_order("FedEx")))
    assert outcome.orders[0]["shipments"] == []
    assert "tracking company 'FedEx' is not supported" in outcome.ignored


def test_cancelled_fulfillment_is_skipped() -> None:
    outcome = SOURCE.handle("orders/updated", body_of(shipped_order(status="cancelled")))
    assert outcome.orders[0]["shipments"] == []
    assert "status cancelled" in outcome.ignored


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("nl", "nl"),
        ("nl-BE", "nl"),
        ("de-DE", "de"),
        ("de-CH", "de"),
        ("fr-BE", "fr"),
        ("fr", "fr"),
        ("en", "en"),
        ("en-GB", "en"),
        ("EN-us", "en"),
        ("pt_BR", None),
        ("es", None),
        ("", None),
        (None, None),
    ],
)
def test_language_from_customer_locale(locale: str | None, language: str | None) -> None:
    assert language_code(locale) == language
    order = sample("order") | {"customer_locale": locale}
    assert OrderIn.model_validate(mapped(order)).customer.language == language


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("199.00", "EUR", 19900),
        ("0.10", "EUR", 10),
        ("19.99", "USD", 1999),
        ("1000", "JPY", 1000),
        ("1.234", "KWD", 1234),
        (Decimal("3.3333333333333335"), "EUR", 333),
        (Decimal("0.005"), "EUR", 1),
        (12, "EUR", 1200),
    ],
)
def test_money_in_exact_minor_units(amount: object, currency: str, minor: int) -> None:
    assert minor_units(amount, currency) == minor


@pytest.mark.parametrize("amount", [19.99, "-1.00", "abc", None, True, "NaN"])
def test_money_that_is_not_an_exact_amount_is_refused(amount: object) -> None:
    with pytest.raises(InvalidWebhook, match="amount"):
        minor_units(amount, "EUR")


def test_yen_order_has_no_cents() -> None:
    order = sample("order") | {"currency": "JPY"}
    order["line_items"][0]["price"] = "1000"
    assert mapped(order)["lines"][0]["unit_price"] == 1000


def test_line_without_sku_gets_shopify_ids() -> None:
    order = sample("order")
    order["line_items"][0]["sku"] = ""
    assert OrderIn.model_validate(mapped(order)).lines[0].sku == "variant-39072856"


def test_cancelled_order_is_ignored() -> None:
    order = sample("order") | {"cancelled_at": "2008-01-11T10:00:00-05:00"}
    outcome = SOURCE.handle("orders/updated", body_of(order))
    assert outcome.orders == []
    assert outcome.ignored == "order 1001 is cancelled: nothing to ship"


def test_order_without_shipping_address_is_ignored() -> None:
    order = {k: v for k, v in sample("order").items() if k != "shipping_address"}
    outcome = SOURCE.handle("orders/create", body_of(order))
    assert outcome.orders == []
    assert outcome.ignored == "order 1001 has no shipping address: nothing to ship"


def test_order_without_creation_time_is_invalid() -> None:
    order = {k: v for k, v in sample("order").items() if k != "created_at"}
    with pytest.raises(InvalidWebhook, match="shopify order 1001 created_at None is not an ISO"):
        SOURCE.handle("orders/create", body_of(order))


def test_order_time_without_offset_is_invalid() -> None:
    order = sample("order") | {"created_at": "2008-01-10T11:00:00"}
    with pytest.raises(InvalidWebhook, match="has no UTC offset"):
        SOURCE.handle("orders/create", body_of(order))


# Fulfillment topics


def test_fulfillment_topics_are_left_to_orders_updated() -> None:
    for topic in ("fulfillments/create", "fulfillments/update"):
        outcome = SOURCE.handle(topic, body_of(sample("fulfillment")))
        assert (outcome.orders, outcome.events) == ([], [])
        assert outcome.ignored == f"{topic} of order id 450789469 is handled through orders/updated"


def test_fulfillment_shipments_for_the_lead() -> None:
    fulfillment = sample("fulfillment") | {"tracking_company": "UPS"}
    assert fulfillment_shipments(body_of(fulfillment)) == [
        {
            "carrier": "ups",
            "tracking_number": "1Z2345",
            "shipped_at": "2013-11-01T20:06:08+00:00",
        }
    ]


def test_fulfillment_of_an_unsupported_company_has_no_shipments() -> None:
    assert fulfillment_shipments(body_of(sample("fulfillment"))) == []


# Privacy topics


def test_customer_redact_names_the_email() -> None:
    body = {
        "shop_id": 954889,
        "shop_domain": "snowdevil.myshopify.com",
        "customer": {"id": 191167, "email": "john@example.com", "phone": "555-625-1199"},
        "orders_to_redact": [299938, 280263, 220458],
    }
    outcome = SOURCE.handle("customers/redact", body_of(body))
    assert outcome.redact_emails == ["john@example.com"]
    assert (outcome.orders, outcome.redact_shop, outcome.data_request_emails) == ([], False, [])


def test_customer_data_request_names_the_email() -> None:
    body = {
        "shop_id": 954889,
        "shop_domain": "snowdevil.myshopify.com",
        "orders_requested": [299938, 280263, 220458],
        "customer": {"id": 191167, "email": "john@example.com", "phone": "555-625-1199"},
        "data_request": {"id": 9999},
    }
    outcome = SOURCE.handle("customers/data_request", body_of(body))
    assert outcome.data_request_emails == ["john@example.com"]
    assert outcome.redact_emails == []


def test_shop_redact_redacts_the_shop() -> None:
    body = {"shop_id": 954889, "shop_domain": "snowdevil.myshopify.com"}
    assert SOURCE.handle("shop/redact", body_of(body)).redact_shop


def test_privacy_request_without_email_is_reported() -> None:
    body = {"shop_id": 954889, "customer": {"id": 191167, "phone": "555-625-1199"}}
    outcome = SOURCE.handle("customers/redact", body_of(body))
    assert outcome.redact_emails == []
    assert outcome.ignored == "customers/redact names no customer e-mail to match"


# Anything else


def test_unknown_topic_is_ignored_without_reading_the_body() -> None:
    outcome = SOURCE.handle("products/update", b"not even json")
    assert outcome.ignored == "topic products/update is not used"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'{"id": 1,',
            "shopify body is not valid JSON: Expecting property name enclosed in "
            "double quotes at line 1 column 10",
        ),
        (b"", "shopify body is not valid JSON: Expecting value at line 1 column 1"),
        (b"[1, 2]", "shopify body must be a JSON object, not list"),
        (b"\xff\xfe\xfd", "shopify body is not UTF-8 text: byte 0 cannot be decoded"),
    ],
)
def test_malformed_body_is_invalid_with_a_precise_message(body: bytes, message: str) -> None:
    with pytest.raises(InvalidWebhook) as raised:
        SOURCE.handle("orders/create", body)
    assert str(raised.value).startswith(message)


def test_bad_quantity_names_the_line() -> None:
    order = copy.deepcopy(sample("order"))
    order["line_items"][1]["quantity"] = "two"
    with pytest.raises(InvalidWebhook, match=r"shopify order 1001 line_items\[1\]\.quantity"):
        SOURCE.handle("orders/create", body_of(order))


def test_source_matches_the_contract() -> None:
    assert (SOURCE.slug, SOURCE.name) == ("shopify", "Shopify")
    assert shopify.SOURCE is SOURCE
