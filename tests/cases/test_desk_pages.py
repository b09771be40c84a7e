"""The case desk's agent pages: inbox, new case, the case page and every action, with roles,
CSRF, tenancy and the ledger's refusals shown as messages."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.auth.models import User
from django.test import Client
from parcels import DELIVERED, MOVING, NOW, Parcel, make_parcel, member, open_for
from PIL import Image

from conftest import ApiShop
from parcelcare import clock
from parcelcare.accounts.models import AuditEntry, Membership
from parcelcare.cases.actors import CUSTOMER
from parcelcare.cases.customer import Upload, add_photos
from parcelcare.cases.models import CarrierClaim, Case
from parcelcare.cases.services import open_case
from parcelcare.domain.cases import CaseKind
from parcelcare.ledger.models import RemedyEntry
from parcelcare.tracking.models import Shipment


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def parcel(api_shop: ApiShop) -> Parcel:
    """A parcel the carrier reports delivered."""
    return make_parcel(api_shop, "2001", DELIVERED)


@pytest.fixture
def case(parcel: Parcel) -> Case:
    """A customer's "not received" claim on the delivered parcel (playbook B)."""
    return open_for(parcel, summary="Niets ontvangen, ook niet bij de buren.")


@pytest.fixture
def agent(api_shop: ApiShop) -> Client:
    return member(api_shop, "anna", "agent")


@pytest.fixture
def viewer(api_shop: ApiShop) -> Client:
    return member(api_shop, "victor", "viewer")


def act(browser: Client, case: Case, action: str, **data: str) -> str:
    """POST one case action, follow the redirect and return the case page's messages."""
    response = browser.post(f"/cases/{case.pk}/{action}", data)
    assert response.status_code == 303, response.content[:300]
    page = browser.get(response["Location"]).content.decode()
    return " ".join(re.findall(r'class="notice[^"]*"[^>]*>(.*?)</p>', page, re.S))


def png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return out.getvalue()


# --- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/cases/", "/cases/new", "/cases/1/"])
def test_desk_pages_require_login(db: None, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_viewer_reads_but_every_action_is_refused(viewer: Client, case: Case) -> None:
    page = viewer.get(f"/cases/{case.pk}/").content.decode()
    assert case.reference in page
    assert "Send reply" not in page and "Mark done" not in page
    assert viewer.get("/cases/new").status_code == 403
    for action in ("assign", "step", "reply", "note", "remedy", "deny", "close", "pod-request"):
        assert viewer.post(f"/cases/{case.pk}/{action}", {"body": "x"}).status_code == 403
    audit = AuditEntry.objects.filter(subject_type="case", subject_id=case.pk)
    assert not audit.filter(actor_type="agent").exists()


def test_another_shops_case_is_not_found(
    case: Case, other_shop: ApiShop, api_shop: ApiShop
) -> None:
    stranger = User.objects.create_user("otto", password="a long password")
    Membership.objects.create(user=stranger, shop=other_shop.shop, role="owner")
    browser = Client()
    browser.force_login(stranger)
    assert browser.get(f"/cases/{case.pk}/").status_code == 404
    assert browser.post(f"/cases/{case.pk}/reply", {"body": "hallo"}).status_code == 404
    assert browser.get(f"/cases/{case.pk}/photos/1").status_code == 404
    assert case.reference not in browser.get("/cases/").content.decode()


def test_actions_need_the_csrf_token(api_shop: ApiShop, case: Case) -> None:
    user = User.objects.create_user("carla", password="a long password")
    Membership.objects.create(user=user, shop=api_shop.shop, role="agent")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    refused = browser.post(f"/cases/{case.pk}/note", {"body": "zonder token"})
    assert refused.status_code == 403
    browser.get(f"/cases/{case.pk}/")
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        f"/cases/{case.pk}/note", {"body": "met token", "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 303
    assert case.notes.filter(body="met token").exists()


# --- the inbox ---------------------------------------------------------------------------------


def test_inbox_lists_open_cases_due_first(agent: Client, api_shop: ApiShop, case: Case) -> None:
    moving = make_parcel(api_shop, "2002", MOVING)
    later, _ = open_case(
        shop=api_shop.shop,
        order=moving.order,
        kind=CaseKind.ORDER_STATUS,
        source=Case.Source.AGENT,
        who=CUSTOMER,
        now=NOW,
    )
    Case.objects.filter(pk=later.pk).update(resolution_due=case.resolution_due.replace(year=2027))
    html = agent.get("/cases/").content.decode()
    assert html.index(case.reference) < html.index(later.reference)
    assert "Sanne" in html and "de Vries" not in html
    assert "B · Delivered, not received" in html
    assert "Not received" in html and "2001" in html
    assert "Investigating" in html
    assert re.search(r"badge tone-\w+\">(Low|Medium|High) risk", html)
    assert "Resolution" in html and "in " in html


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("kind=not_received", True),
        ("kind=lost", False),
        ("playbook=B", True),
        ("playbook=A", False),
        ("status=investigating", True),
        ("status=waiting_on_carrier", False),
        ("sla=breached", False),
        ("mine=1", False),
    ],
)
def test_inbox_filters(agent: Client, case: Case, query: str, shown: bool) -> None:
    html = agent.get(f"/cases/?{query}").content.decode()
    assert (case.reference in html) is shown


def test_inbox_shows_breached_cases_and_mine(agent: Client, case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(resolution_due=NOW.replace(day=17))
    assert case.reference in agent.get("/cases/?sla=breached").content.decode()
    act(agent, case, "assign")
    assert case.reference in agent.get("/cases/?mine=1").content.decode()


def test_htmx_filtering_returns_the_table_alone(agent: Client, case: Case) -> None:
    response = agent.get("/cases/?kind=not_received", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and case.reference in html
    assert "HX-Request" in response["Vary"]


def test_a_bad_filter_is_a_400_with_a_way_back(agent: Client) -> None:
    response = agent.get("/cases/?status=nonsense")
    assert response.status_code == 400
    assert "This filter cannot be applied." in response.content.decode()


def test_the_inbox_speaks_dutch(agent: Client, case: Case) -> None:
    agent.cookies["django_language"] = "nl"
    html = agent.get("/cases/").content.decode()
    assert "Zaken" in html and "Niet ontvangen" in html


# --- opening a case ----------------------------------------------------------------------------


def test_an_agent_opens_a_case_for_an_order_number(agent: Client, parcel: Parcel) -> None:
    form = agent.get("/cases/new?order=2001").content.decode()
    assert 'value="2001"' in form
    response = agent.post("/cases/new", {"order_number": "2001", "kind": "not_received"})
    case = Case.objects.get(order=parcel.order)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert (case.source, case.playbook) == ("agent", "B")


def test_an_unknown_order_number_is_explained(agent: Client, parcel: Parcel) -> None:
    response = agent.post("/cases/new", {"order_number": "9999", "kind": "lost"})
    assert response.status_code == 400
    assert "There is no order with this number in your shop." in response.content.decode()
    assert not Case.objects.exists()


# --- the case page -----------------------------------------------------------------------------


def test_the_case_page_shows_the_whole_story(agent: Client, case: Case) -> None:
    add_photos(case=case, uploads=[Upload("brievenbus.png", png())], now=NOW)
    html = agent.get(f"/cases/{case.pk}/").content.decode()
    assert "Niets ontvangen, ook niet bij de buren." in html
    assert "Zending is onderweg" in html
    assert "Case opened: Not received, playbook B · Delivered, not received" in html
    assert "Customer signs the declaration of non-receipt" in html
    assert "First response" in html and "Met" in html
    assert "Risk score" in html and "/100" in html
    photo = case.attachments.get()
    assert f"/cases/{case.pk}/photos/{photo.pk}" in html
    assert f"/cases/{case.pk}/dossier.pdf" in html
    assert 'id="reply-body"' in html
    assert "Request proof of delivery" in html


def test_risk_factors_and_reasons_are_sentences_with_numbers(agent: Client, case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(
        risk={
            "score": 55,
            "band": "medium",
            "factors": [
                {"key": "earlier_claims_by_customer", "weight": 30, "detail": {"claims": 2}},
                {"key": "late_claim", "weight": 10, "detail": {"days": 20}},
                {"key": "loyal_customer", "weight": -15, "detail": {"orders": 4}},
            ],
        },
        recommendation={
            "offered": ["reship", "refund", "deny"],
            "recommended": "reship",
            "reasons": [
                {"key": "goodwill_reship_once", "detail": {}},
                {"key": "repeated_claims", "detail": {"claims": 2, "limit": 2}},
            ],
            "cost_share_percent": 0,
            "voucher_percent": 10,
        },
    )
    html = agent.get(f"/cases/{case.pk}/").content.decode()
    assert "Earlier claims by this customer: 2" in html and "+30" in html
    assert "Reported 20 days after delivery" in html
    assert "Loyal customer: 4 earlier orders delivered without a claim" in html and "-15" in html
    assert "A goodwill reship, once per order." in html
    assert "2 claims in the last 365 days; the policy denies from 2." in html
    assert "Medium risk" in html and "55" in html


def test_photos_are_served_to_the_shop_only(agent: Client, case: Case) -> None:
    photo = add_photos(case=case, uploads=[Upload("doos.png", png())], now=NOW)[0]
    response = agent.get(f"/cases/{case.pk}/photos/{photo.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == png()
    assert Client().get(f"/cases/{case.pk}/photos/{photo.pk}").status_code == 302


# --- actions -----------------------------------------------------------------------------------


def test_steps_are_marked_done_or_skipped(agent: Client, case: Case) -> None:
    assert "Step marked done." in act(agent, case, "step", key="investigate_tracking")
    assert "Step skipped." in act(agent, case, "step", key="verify_address", skip="1")
    states = dict(case.steps.values_list("key", "state"))
    assert states["investigate_tracking"] == "done"
    assert states["verify_address"] == "skipped"


def test_an_unknown_step_is_a_message_not_a_500(agent: Client, case: Case) -> None:
    assert "That did not work" in act(agent, case, "step", key="photos")


def test_proof_of_delivery_and_the_claim(
    agent: Client, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "Proof of delivery requested" in act(agent, case, "pod-request")
    case.refresh_from_db()
    assert case.pod["requested_at"] == NOW.isoformat()
    message = act(agent, case, "pod-record", strength="signature", detail="Handtekening: S.")
    assert "Proof of delivery recorded" in message
    case.refresh_from_db()
    assert case.pod["strength"] == "signature"
    html = agent.get(f"/cases/{case.pk}/").content.decode()
    assert "Carrier claim" in html and "Window opens" in html and "Deadline" in html
    early = act(agent, case, "claim-file", reference="PNL-123")
    assert "the carrier takes loss claims from 2026-11-19 on" in early
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=2))
    assert "Claim PNL-123 filed" in act(agent, case, "claim-file", reference="PNL-123")
    claim = CarrierClaim.objects.get(case=case)
    assert (claim.status, claim.reference) == ("filed", "PNL-123")
    assert "answer is recorded" in act(agent, case, "claim-outcome", accepted="yes", payout="29,90")
    claim.refresh_from_db()
    assert (claim.status, claim.payout_minor) == ("paid", 2990)
    recovery = RemedyEntry.objects.get(case=case, kind="carrier_claim_recovery")
    assert recovery.amount == 2990


def test_a_double_click_on_a_remedy_books_it_once(agent: Client, case: Case) -> None:
    form = {"kind": "reship", "key": "desk:double-click", "carrier": "dhl", "tracking_number": ""}
    assert "Remedy recorded" in act(agent, case, "remedy", **form)
    assert "already recorded" in act(agent, case, "remedy", **form)
    assert RemedyEntry.objects.filter(case=case).count() == 1
    entry = RemedyEntry.objects.get(case=case)
    assert entry.kind == "reship" and entry.shipment is not None
    case.refresh_from_db()
    assert case.status == "resolved"
    html = agent.get(f"/cases/{case.pk}/").content.decode()
    assert entry.shipment.tracking_number in html


def test_every_rendered_remedy_form_has_its_own_key(agent: Client, case: Case) -> None:
    html = agent.get(f"/cases/{case.pk}/").content.decode()
    keys = re.findall(r'name="key" value="(desk:[^"]+)"', html)
    assert len(keys) >= 3 and len(set(keys)) == len(keys)
    again = re.findall(r'value="(desk:[^"]+)"', agent.get(f"/cases/{case.pk}/").content.decode())
    assert not set(keys) & set(again)


def test_a_refund_above_the_order_total_is_refused_with_a_message(
    agent: Client, case: Case
) -> None:
    form = {"kind": "partial_refund", "key": "desk:too-much", "amount": "999,00"}
    message = act(agent, case, "remedy", **form)
    assert "That did not work" in message and "exceeds" in message
    assert not RemedyEntry.objects.filter(case=case).exists()


def test_a_full_refund_uses_the_rendered_amount(agent: Client, case: Case) -> None:
    html = agent.get(f"/cases/{case.pk}/").content.decode()
    amount = re.search(r'name="amount_minor" value="(\d+)"', html)
    assert amount is not None
    act(agent, case, "remedy", kind="refund", key="desk:full", amount_minor=amount.group(1))
    entry = RemedyEntry.objects.get(case=case)
    assert (entry.kind, entry.amount) == ("refund", case.order.total)


def test_a_partial_refund_without_amount_is_explained(agent: Client, case: Case) -> None:
    assert "Enter the amount." in act(agent, case, "remedy", kind="partial_refund", key="k1")


def test_deny_close_and_reopen(agent: Client, case: Case) -> None:
    assert "That did not work" in act(agent, case, "close")
    assert "denied" in act(agent, case, "deny", reason="third claim this year")
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("resolved", "deny")
    assert "Case closed." in act(agent, case, "close")
    assert "Case reopened." in act(agent, case, "reopen", why="customer sent a photo")
    case.refresh_from_db()
    assert case.status != "closed" and case.is_open


def test_replies_and_internal_notes(agent: Client, case: Case) -> None:
    assert "Reply sent to the customer." in act(agent, case, "reply", body="We zoeken het uit.")
    assert "Internal note added." in act(agent, case, "note", body="Buren bellen")
    assert "That did not work" not in act(agent, case, "assign")
    case.refresh_from_db()
    assert case.assignee is not None and case.assignee.get_username() == "anna"
    html = agent.get(f"/cases/{case.pk}/").content.decode()
    assert "Internal note by anna" in html and "Buren bellen" in html
    assert "Assigned to anna" in html and "Reply sent to the customer" in html


def test_an_empty_reply_is_explained(agent: Client, case: Case) -> None:
    assert "This field is required." in act(agent, case, "reply", body="  ")


def test_an_unknown_action_is_not_found(agent: Client, case: Case) -> None:
    assert agent.post(f"/cases/{case.pk}/explode").status_code == 404
    assert agent.get(f"/cases/{case.pk}/reply").status_code == 405


def test_the_reship_gets_a_tracking_number_when_none_is_given(agent: Client, case: Case) -> None:
    act(agent, case, "remedy", kind="reship", key="desk:r1")
    new = Shipment.objects.exclude(pk=case.shipment_id).get(order=case.order)
    assert new.tracking_number == "2001-R1"
