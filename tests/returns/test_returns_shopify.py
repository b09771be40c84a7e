"""Returns of Shopify orders opened in Shopify (returnCreate) and refunded by returnProcess;
GraphQL answers are shaped like the Admin API's published examples (respx)."""

import json

import httpx
import pytest
import respx
from returning import NOW, Bought, bought_order  # noqa: F401

from parcelcare import clock
from parcelcare.accounts.models import AuditEntry
from parcelcare.domain.returns_policy import Pick
from parcelcare.ledger import payouts
from parcelcare.ledger.models import OrderPayment, Payout, PayoutAccount
from parcelcare.ledger.shopify_returns import open_in_shopify
from parcelcare.returns import services

URL = "https://groenhuis.myshopify.com/admin/api/2026-04/graphql.json"
POT_LINE = "gid://shopify/FulfillmentLineItem/4451162431"
RETURN = "gid://shopify/Return/945000961"
RETURN_LINE = "gid://shopify/ReturnLineItem/677614678"
TRANSACTIONS = {
    "data": {
        "order": {
            "transactions": [
                {
                    "id": "gid://shopify/OrderTransaction/801038806",
                    "kind": "SALE",
                    "status": "SUCCESS",
                    "gateway": "shopify_payments",
                }
            ]
        }
    }
}


def returnable(sku: str = "POT-30") -> dict:
    item = {"quantity": 2, "fulfillmentLineItem": {"id": POT_LINE, "lineItem": {"sku": sku}}}
    nodes = [{"returnableFulfillmentLineItems": {"nodes": [item]}}]
    return {"data": {"returnableFulfillments": {"nodes": nodes}}}


CREATED = {
    "data": {
        "returnCreate": {
            "return": {
                "id": RETURN,
                "status": "OPEN",
                "returnLineItems": {
                    "nodes": [
                        {"id": RETURN_LINE, "quantity": 1, "fulfillmentLineItem": {"id": POT_LINE}}
                    ]
                },
            },
            "userErrors": [],
        }
    }
}
PROCESSED = {
    "data": {
        "returnProcess": {
            "return": {
                "id": RETURN,
                "status": "CLOSED",
                "refunds": {"nodes": [{"id": "gid://shopify/Refund/929361465"}]},
            },
            "userErrors": [],
        }
    }
}


@pytest.fixture(autouse=True)
def by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    """Payouts run when the test says; the clock stands still."""
    monkeypatch.setattr(payouts, "_pay_soon", lambda: None)
    monkeypatch.setattr(clock, "now", lambda: NOW)


def shopify_order(bought: Bought) -> None:
    shop_id = bought.order.shop_id
    OrderPayment.objects.create(
        shop_id=shop_id, order=bought.order, provider="shopify", reference="450789469"
    )
    PayoutAccount.objects.create(
        shop_id=shop_id,
        provider="shopify",
        secret="shpat_x",
        settings={"store_domain": "groenhuis.myshopify.com"},
    )


def approved(bought: Bought):
    item = services.request_return(
        order=bought.order,
        picks=[Pick(bought.pot.pk, 1)],
        reason="damaged",
        resolution="refund",
        language="en",
        now=NOW,
    )
    services.approve(request=item, who=services.SYSTEM, now=NOW)
    return item


def actions(item) -> list[tuple[str, object]]:
    rows = AuditEntry.objects.filter(subject_type="return", subject_id=item.pk, actor="shopify")
    return list(rows.order_by("id").values_list("action", "after"))


def sent(route: respx.Route) -> list[dict]:
    return [json.loads(call.request.content) for call in route.calls]


@respx.mock
def test_approval_opens_the_return_and_the_refund_processes_it(api_shop, bought: Bought):
    shopify_order(bought)
    route = respx.post(URL).mock(
        side_effect=[
            httpx.Response(200, json=returnable()),
            httpx.Response(200, json=CREATED),
            httpx.Response(200, json=TRANSACTIONS),
            httpx.Response(200, json=PROCESSED),
        ]
    )
    item = approved(bought)
    create = sent(route)[1]
    assert "returnCreate(returnInput: $input)" in create["query"]
    assert create["variables"]["input"] == {
        "orderId": "gid://shopify/Order/450789469",
        "notifyCustomer": False,
        "returnLineItems": [
            {"fulfillmentLineItemId": POT_LINE, "quantity": 1, "returnReason": "DEFECTIVE"}
        ],
    }
    assert actions(item) == [
        ("shopify_return_created", {"return_id": RETURN, "lines": [[RETURN_LINE, 1]]})
    ]
    again = open_in_shopify(shop_id=item.shop_id, request_id=item.pk, now=NOW)
    assert again == "skipped" and route.call_count == 2  # opened once
    for step in (services.mark_received, services.inspect):
        step(request=item, who=services.SYSTEM, now=NOW)
    entry = services.resolve(request=item, kind="refund", who=services.SYSTEM, now=NOW)
    assert payouts.pay_due(NOW) == {"succeeded": 1}
    process = sent(route)[3]
    assert "@idempotent(key: $key)" in process["query"] and "returnProcess" in process["query"]
    assert process["variables"]["key"] == Payout.objects.get(entry=entry).idempotency_key
    transfer = process["variables"]["input"]["financialTransfer"]["issueRefund"]
    assert transfer["orderTransactions"] == [
        {
            "parentId": "gid://shopify/OrderTransaction/801038806",
            "transactionAmount": {"amount": "14.95", "currencyCode": "EUR"},
        }
    ]
    assert process["variables"]["input"]["returnLineItems"] == [{"id": RETURN_LINE, "quantity": 1}]
    entry.refresh_from_db()
    assert (entry.status, entry.reference) == ("paid", "gid://shopify/Refund/929361465")
    assert route.call_count == 4


@respx.mock
def test_an_unmapped_sku_is_recorded_on_the_return_and_the_refund_uses_refund_create(
    api_shop, bought: Bought
):
    shopify_order(bought)
    refund = {
        "data": {
            "refundCreate": {
                "refund": {"id": "gid://shopify/Refund/1", "createdAt": "2026-11-18T12:00:00Z"},
                "userErrors": [],
            }
        }
    }
    route = respx.post(URL).mock(
        side_effect=[
            httpx.Response(200, json=returnable(sku="OTHER-SKU")),
            httpx.Response(200, json=TRANSACTIONS),
            httpx.Response(200, json=refund),
        ]
    )
    item = approved(bought)
    item.refresh_from_db()
    assert item.status == "approved"  # the return goes on without Shopify
    assert actions(item) == [
        (
            "shopify_return_failed",
            {"error": "no returnable Shopify fulfillment line for SKU POT-30"},
        )
    ]
    for step in (services.mark_received, services.inspect):
        step(request=item, who=services.SYSTEM, now=NOW)
    services.resolve(request=item, kind="refund", who=services.SYSTEM, now=NOW)
    assert payouts.pay_due(NOW) == {"succeeded": 1}
    assert "refundCreate" in sent(route)[-1]["query"] and route.call_count == 3


@respx.mock
def test_return_create_user_errors_are_recorded_not_raised(api_shop, bought: Bought):
    shopify_order(bought)
    refused = {
        "data": {
            "returnCreate": {
                "return": None,
                "userErrors": [
                    {
                        "field": ["returnInput", "returnLineItems", "0", "quantity"],
                        "message": "Quantity is not available for return.",
                    }
                ],
            }
        }
    }
    respx.post(URL).mock(
        side_effect=[httpx.Response(200, json=returnable()), httpx.Response(200, json=refused)]
    )
    item = approved(bought)
    ((action, after),) = actions(item)
    assert action == "shopify_return_failed"
    assert "Quantity is not available for return." in after["error"]


def test_orders_not_paid_through_shopify_are_left_alone(api_shop, bought: Bought):
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(URL)
        item = approved(bought)
        assert route.call_count == 0 and actions(item) == []
