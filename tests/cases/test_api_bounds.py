"""Case actions and the order behind a case: amounts past their bounds are a 422, and an order
re-posted after a refund cannot be changed into one its ledger contradicts."""

from typing import Any

import pytest
from parcels import DELIVERED, NOW, Parcel, make_parcel

from conftest import ApiShop, order_payload
from parcelcare import clock
from parcelcare.ledger.models import RemedyEntry

HUGE = 2**70


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def case_id(api_shop: ApiShop) -> int:
    """An open "not received" case on a delivered parcel (order 2001, paid 2990)."""
    parcel: Parcel = make_parcel(api_shop, "2001", DELIVERED)
    body = {"order_number": parcel.order.order_number, "kind": "not_received"}
    return int(api_shop.post("cases", body).json()["id"])


def act(api: ApiShop, case_id: int, action: str, **params: Any) -> Any:
    api.client.raise_request_exception = False
    return api.post(f"cases/{case_id}/actions", {"action": action, **params})


@pytest.mark.parametrize(
    ("action", "params", "field"),
    [
        ("remedy", {"kind": "voucher", "amount_minor": HUGE, "idempotency_key": "v"}, "amount"),
        ("remedy", {"kind": "refund", "amount_minor": 10**11 + 1, "idempotency_key": "r"}, "am"),
        ("remedy", {"kind": "reship", "amount_minor": -1, "idempotency_key": "s"}, "amount"),
        ("claim_outcome", {"accepted": True, "payout_minor": HUGE}, "payout_minor"),
    ],
)
def test_amounts_past_their_bounds_are_a_422(
    api_shop: ApiShop, case_id: int, action: str, params: dict[str, Any], field: str
) -> None:
    answer = act(api_shop, case_id, action, **params)
    assert answer.status_code == 422, answer.content[:300]
    assert answer["Content-Type"] == "application/problem+json"
    assert field in answer.json()["detail"]
    assert not RemedyEntry.objects.exists()


def test_the_largest_amount_is_refused_by_the_ledger_not_by_a_crash(
    api_shop: ApiShop, case_id: int
) -> None:
    params = {"kind": "partial_refund", "amount_minor": 10**11, "idempotency_key": "max"}
    answer = act(api_shop, case_id, "remedy", **params)
    assert answer.status_code == 409 and answer.json()["refundable_minor"] == 2990


def test_a_refunded_order_cannot_be_reposted_cheaper_and_its_dossier_still_answers(
    api_shop: ApiShop, case_id: int
) -> None:
    refund = {"kind": "partial_refund", "amount_minor": 2500, "idempotency_key": "p-1"}
    assert act(api_shop, case_id, "remedy", **refund).status_code == 200
    cheaper = order_payload("2001", "3S2001NL")
    cheaper["lines"][0]["quantity"] = 1
    answer = api_shop.post("orders", cheaper)
    assert answer.status_code == 409, answer.content
    assert "1495 is below the 2500" in answer.json()["detail"]
    dossier = api_shop.get(f"cases/{case_id}/dossier.json")
    assert dossier.status_code == 200, dossier.content[:300]
