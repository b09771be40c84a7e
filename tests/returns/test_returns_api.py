"""The returns API: policy per shop (checked, audited), an order's payment, returns, feedback."""

import json

from returning import NOW, Bought, bought_order  # noqa: F401

from conftest import ApiShop
from parcelcare.accounts.models import AuditEntry
from parcelcare.domain.returns_policy import Pick
from parcelcare.ledger.models import OrderPayment
from parcelcare.returns import feedback, services
from parcelcare.returns.models import Feedback


def put(api: ApiShop, path: str, body: dict):
    return api.client.put(
        f"/api/v1/{path}",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.key}"},
    )


def test_policy_round_trip_refusal_and_tenancy(api_shop: ApiShop, other_shop: ApiShop):
    assert api_shop.get("returns/policy").json()["policy"]["window_days"] == 30
    answer = put(
        api_shop,
        "returns/policy",
        {
            "policy": {
                "window_days": 14,
                "keep_below_minor": 1500,
                "customer_pays": ["changed_mind"],
            },
            "return_address": "Postbus 12",
        },
    )
    assert answer.status_code == 200
    assert answer.json()["policy"]["keep_below_minor"] == 1500
    assert AuditEntry.objects.filter(action="returns.policy").count() == 1
    bad = put(api_shop, "returns/policy", {"policy": {"window_days": 0}})
    assert bad.status_code == 422 and "window_days" in bad.json()["detail"]
    assert api_shop.get("returns/policy").json()["policy"]["window_days"] == 14
    assert other_shop.get("returns/policy").json()["policy"]["window_days"] == 30


def test_payment_returns_and_feedback(api_shop: ApiShop, other_shop: ApiShop, bought: Bought):
    assert (
        put(
            api_shop, "orders/5001/payment", {"provider": "mollie", "reference": "tr_7UhSN1zuXS"}
        ).status_code
        == 200
    )
    assert OrderPayment.objects.get(order=bought.order).provider == "mollie"
    assert (
        put(api_shop, "orders/5001/payment", {"provider": "venmo", "reference": "x"}).status_code
        == 422
    )
    assert (
        put(other_shop, "orders/5001/payment", {"provider": "mollie", "reference": "x"}).status_code
        == 404
    )
    item = services.request_return(
        order=bought.order,
        picks=[Pick(bought.pot.pk, 1)],
        reason="damaged",
        resolution="refund",
        language="en",
        now=NOW,
    )
    listed = api_shop.get("returns", status="open").json()
    assert [r["rma"] for r in listed] == [item.rma]
    assert other_shop.get("returns").json() == []
    survey = feedback.ask_for_return(request=item, now=NOW)
    feedback.answer(token=survey.token, score=5, now=NOW)
    Feedback.objects.create(
        shop=api_shop.shop,
        reason="damaged",
        carrier="dhl",
        score=2,
        created_at=NOW,
        answered_at=NOW,
    )
    results = api_shop.get("feedback").json()
    assert results["reason"] == [{"key": "damaged", "answers": 2, "average": 3.5}]
    assert {r["key"] for r in results["carrier"]} == {"postnl", "dhl"}
    assert other_shop.get("feedback").json() == {"reason": [], "carrier": []}
