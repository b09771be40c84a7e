"""The case API: open or join, list with filters, the action table, the dossier, tenancy."""

from typing import Any

import pytest
from parcels import DELIVERED, MOVING, NOW, Parcel, make_parcel

from conftest import ApiShop
from parcelcare import clock
from parcelcare.accounts.models import AuditEntry
from parcelcare.cases.models import Case
from parcelcare.ledger.models import RemedyEntry


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def delivered_parcel(api_shop: ApiShop) -> Parcel:
    """A parcel the carrier reports delivered."""
    return make_parcel(api_shop, "2001", DELIVERED)


@pytest.fixture
def moving_parcel(api_shop: ApiShop) -> Parcel:
    """A parcel still on its way."""
    return make_parcel(api_shop, "2002", MOVING)


def _open(api_shop: ApiShop, parcel: Parcel, kind: str = "not_received", **extra: Any) -> Any:
    body = {"order_number": parcel.order.order_number, "kind": kind, **extra}
    return api_shop.post("cases", body)


def _act(api_shop: ApiShop, case_id: int, action: str, **params: Any) -> Any:
    return api_shop.post(f"cases/{case_id}/actions", {"action": action, **params})


def test_opening_a_case_then_joining_it(api_shop: ApiShop, delivered_parcel: Parcel) -> None:
    first = _open(api_shop, delivered_parcel, summary="Niets ontvangen")
    assert first.status_code == 201
    case = first.json()
    assert case["reference"] == f"C-{case['id']}" and case["playbook"] == "B"
    assert case["status"] == "investigating" and case["kind"] == "not_received"
    assert case["tracking_number"] == delivered_parcel.shipment.tracking_number
    assert case["first_response_due"] and case["resolution_due"]
    assert case["steps"][0] == {**case["steps"][0], "key": "acknowledge", "state": "done"}
    assert all(step["due_at"] for step in case["steps"])
    assert case["recommendation"]["recommended"] and "score" in case["risk"]
    assert case["links"]["customer"].startswith("http") and "/c/" in case["links"]["customer"]
    assert case["links"]["dossier_pdf"] == f"/api/v1/cases/{case['id']}/dossier.pdf"
    again = _open(
        api_shop, delivered_parcel, tracking_number=delivered_parcel.shipment.tracking_number
    )
    assert again.status_code == 200 and again.json()["id"] == case["id"]
    opened = AuditEntry.objects.get(subject_type="case", subject_id=case["id"], action="open")
    assert (opened.actor_type, opened.actor) == ("integration", "default")


def test_bad_reports_get_precise_problems(api_shop: ApiShop, delivered_parcel: Parcel) -> None:
    unknown_order = api_shop.post("cases", {"order_number": "nope", "kind": "lost"})
    assert unknown_order.status_code == 404
    assert unknown_order["Content-Type"] == "application/problem+json"
    bad_kind = _open(api_shop, delivered_parcel, kind="stolen")
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["detail"]
    bad_parcel = _open(api_shop, delivered_parcel, tracking_number="XX000")
    assert bad_parcel.status_code == 422 and "XX000" in bad_parcel.json()["detail"]


def test_the_list_filters_and_pages(
    api_shop: ApiShop, delivered_parcel: Parcel, moving_parcel: Parcel
) -> None:
    b = _open(api_shop, delivered_parcel).json()
    a = _open(api_shop, moving_parcel, kind="order_status").json()
    assert a["playbook"] == "A"
    ids = lambda answer: [c["id"] for c in answer.json()["items"]]  # noqa: E731
    assert ids(api_shop.get("cases")) == [a["id"], b["id"]]
    assert ids(api_shop.get("cases", playbook="B")) == [b["id"]]
    assert ids(api_shop.get("cases", kind="order_status")) == [a["id"]]
    assert ids(api_shop.get("cases", status="waiting_on_carrier")) == [a["id"]]
    assert ids(api_shop.get("cases", open="false")) == []
    first = api_shop.get("cases", limit=1).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    rest = api_shop.get("cases", limit=1, cursor=first["next_cursor"]).json()
    assert [c["id"] for c in rest["items"]] == [b["id"]] and rest["next_cursor"] is None
    assert api_shop.get("cases", status="lost_in_space").status_code == 422
    assert api_shop.get("cases", cursor="garbage").status_code == 400


def test_the_action_table_walks_a_case_to_a_refund(
    api_shop: ApiShop, delivered_parcel: Parcel
) -> None:
    case_id = _open(api_shop, delivered_parcel).json()["id"]
    steps = [
        ("complete_step", {"step": "investigate_tracking", "data": {"checked": True}}),
        ("skip_step", {"step": "verify_address"}),
        ("note", {"body": "Buurvrouw gebeld"}),
        ("reply", {"body": "We kijken ernaar."}),
        ("request_pod", {}),
        ("record_pod", {"strength": "signature", "detail": "handtekening"}),
        ("assess", {}),
    ]
    for action, params in steps:
        answer = _act(api_shop, case_id, action, **params)
        assert answer.status_code == 200, (action, answer.json())
        assert answer.json()["action"] == action
    case = answer.json()["case"]
    states = {s["key"]: s["state"] for s in case["steps"]}
    assert states["investigate_tracking"] == "done" and states["verify_address"] == "skipped"
    assert states["request_pod"] == "done" and case["pod"]["strength"] == "signature"
    total = delivered_parcel.order.total
    refund = {"kind": "refund", "amount_minor": total, "idempotency_key": "r-1"}
    paid = _act(api_shop, case_id, "remedy", **refund)
    assert paid.status_code == 200 and paid.json()["result"]["created"] is True
    assert paid.json()["case"]["status"] == "resolved"
    replay = _act(api_shop, case_id, "remedy", **refund)
    assert replay.status_code == 200 and replay.json()["result"]["created"] is False
    assert _act(api_shop, case_id, "close").json()["case"]["status"] == "closed"
    reopened = _act(api_shop, case_id, "reopen", why="nieuwe informatie")
    assert reopened.json()["case"]["status"] != "closed"
    assert _act(api_shop, case_id, "deny", reason="handtekening").status_code == 200


def test_claims_through_the_api(api_shop: ApiShop, delivered_parcel: Parcel) -> None:
    case_id = _open(api_shop, delivered_parcel, kind="lost").json()["id"]
    early = _act(api_shop, case_id, "file_claim", reference="PNL-1")
    assert early.status_code == 422 and "claims from" in early.json()["detail"]
    assert _act(api_shop, case_id, "claim_outcome", accepted=True).status_code == 422


def test_unknown_actions_and_bad_parameters_are_422(
    api_shop: ApiShop, delivered_parcel: Parcel
) -> None:
    case_id = _open(api_shop, delivered_parcel).json()["id"]
    unknown = _act(api_shop, case_id, "teleport")
    assert unknown.status_code == 422 and unknown.json()["title"] == "Unknown action"
    assert "complete_step" in unknown.json()["actions"]
    missing = _act(api_shop, case_id, "complete_step")
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "step"
    wrong_step = _act(api_shop, case_id, "complete_step", step="dance")
    assert wrong_step.status_code == 422
    extra = _act(api_shop, case_id, "close", force=True)
    assert extra.status_code == 422 and "force" in extra.json()["detail"]
    float_money = _act(
        api_shop, case_id, "remedy", kind="refund", amount_minor=12.5, idempotency_key="f"
    )
    assert float_money.status_code == 422
    not_in_playbook = _act(api_shop, case_id, "complete_step", step="photos")
    assert not_in_playbook.status_code == 422 and "photos" in not_in_playbook.json()["detail"]
    blank = _act(api_shop, case_id, "note", body="   ")
    assert blank.status_code == 422


def test_a_refund_beyond_the_payment_is_a_409_with_what_is_left(
    api_shop: ApiShop, delivered_parcel: Parcel
) -> None:
    case_id = _open(api_shop, delivered_parcel).json()["id"]
    total = delivered_parcel.order.total
    partial = {"kind": "partial_refund", "amount_minor": 1000, "idempotency_key": "p-1"}
    assert _act(api_shop, case_id, "remedy", **partial).status_code == 200
    over = {"kind": "partial_refund", "amount_minor": total, "idempotency_key": "p-2"}
    answer = _act(api_shop, case_id, "remedy", **over)
    assert answer.status_code == 409
    problem = answer.json()
    assert problem["refundable_minor"] == total - 1000 and problem["currency"] == "EUR"
    assert answer["Content-Type"] == "application/problem+json"
    assert RemedyEntry.objects.filter(order=delivered_parcel.order).count() == 1


def test_the_dossier_endpoints(api_shop: ApiShop, delivered_parcel: Parcel) -> None:
    case_id = _open(api_shop, delivered_parcel).json()["id"]
    dossier = api_shop.get(f"cases/{case_id}/dossier.json").json()
    assert dossier["order"]["number"] == delivered_parcel.order.order_number
    assert dossier["case"]["id"] == case_id
    pdf = api_shop.get(f"cases/{case_id}/dossier.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"
    assert f"C-{case_id}" in pdf["Content-Disposition"]


def test_another_shops_case_is_not_found(
    api_shop: ApiShop, other_shop: ApiShop, delivered_parcel: Parcel
) -> None:
    case_id = _open(api_shop, delivered_parcel).json()["id"]
    for path in ("", "/dossier.json", "/dossier.pdf"):
        assert other_shop.get(f"cases/{case_id}{path}").status_code == 404
    assert _act(other_shop, case_id, "close").status_code == 404
    assert other_shop.get("cases").json()["items"] == []
    theirs = other_shop.post(
        "cases", {"order_number": delivered_parcel.order.order_number, "kind": "lost"}
    )
    assert theirs.status_code == 404
    assert Case.objects.filter(shop=other_shop.shop).count() == 0


def test_no_key_no_cases(api_shop: ApiShop, delivered_parcel: Parcel) -> None:
    assert api_shop.client.get("/api/v1/cases").status_code == 401
    answer = api_shop.client.post(
        "/api/v1/cases", {"order_number": "2001", "kind": "lost"}, content_type="application/json"
    )
    assert answer.status_code == 401
    wrong = api_shop.client.get("/api/v1/cases", headers={"Authorization": "Bearer pck_x_y"})
    assert wrong.status_code == 401
