"""Shopify SMS consent: the customer's sms_marketing_consent or the checkout's
buyer_accepts_sms_marketing becomes "sms"; anything else keeps what was agreed before."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import NOW, ApiShop
from parcelcare.integrations.shops.shopify import SOURCE
from parcelcare.tracking.models import Customer
from parcelcare.tracking.orders import upsert_orders
from parcelcare.tracking.schemas import OrderIn

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "webhooks" / "shopify" / "order.json"

SUBSCRIBED = {
    "state": "subscribed",
    "opt_in_level": "single_opt_in",
    "consent_updated_at": "2026-11-12T10:02:11-05:00",
    "consent_collected_from": "SHOPIFY",
}
"""A Shopify REST customer's `sms_marketing_consent`, as documented for the Customer resource."""


def order(**changes: Any) -> dict[str, Any]:
    """The real sample order (api version 2023 shape) with changes to the order or customer."""
    resource = copy.deepcopy(json.loads(SAMPLE.read_text(encoding="utf-8"))["order"])
    resource["customer"].update(changes.pop("customer", {}))
    return resource | changes


def mapped_consent(resource: dict[str, Any]) -> list[str] | None:
    outcome = SOURCE.handle("orders/create", json.dumps(resource).encode())
    return OrderIn.model_validate(outcome.orders[0]).customer.consent


@pytest.mark.parametrize(
    ("changes", "consent"),
    [
        ({}, None),
        ({"customer": {"sms_marketing_consent": SUBSCRIBED}}, ["sms"]),
        ({"customer": {"sms_marketing_consent": SUBSCRIBED | {"state": "SUBSCRIBED"}}}, ["sms"]),
        ({"customer": {"sms_marketing_consent": SUBSCRIBED | {"state": "unsubscribed"}}}, None),
        ({"customer": {"sms_marketing_consent": SUBSCRIBED | {"state": "pending"}}}, None),
        ({"customer": {"sms_marketing_consent": None}}, None),
        ({"buyer_accepts_sms_marketing": True}, ["sms"]),
        ({"buyer_accepts_sms_marketing": False}, None),
        ({"buyer_accepts_sms_marketing": "yes"}, None),
        ({"buyer_accepts_marketing": True}, None),  # e-mail marketing says nothing about SMS
    ],
)
def test_sms_consent_mapping(changes: dict[str, Any], consent: list[str] | None) -> None:
    assert mapped_consent(order(**changes)) == consent


def test_the_checkout_sms_number_is_used_when_no_other_phone_is_known() -> None:
    resource = order(buyer_accepts_sms_marketing=True, sms_marketing_phone="+31612345678")
    resource["shipping_address"]["phone"] = None
    outcome = SOURCE.handle("orders/create", json.dumps(resource).encode())
    assert outcome.orders[0]["customer"]["phone"] == "+31612345678"


def test_a_later_order_without_consent_keeps_it(api_shop: ApiShop) -> None:
    def store(resource: dict[str, Any]) -> None:
        outcome = SOURCE.handle("orders/updated", json.dumps(resource).encode())
        batch = [OrderIn.model_validate(outcome.orders[0])]
        result = upsert_orders(
            shop_id=api_shop.shop.id, default_language="nl", batch=batch, now=NOW
        )
        assert not result.errors

    store(order(customer={"sms_marketing_consent": SUBSCRIBED}))
    assert Customer.objects.get().consent == ["sms"]
    store(order(customer={"sms_marketing_consent": SUBSCRIBED | {"state": "unsubscribed"}}))
    assert Customer.objects.get().consent == ["sms"]
