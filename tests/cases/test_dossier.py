"""The dispute dossier: every section filled from the case's records, as JSON, HTML and PDF."""

import json
from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from PIL import Image

from conftest import NOW, ApiShop, event, order_payload
from parcelcare.accounts.models import Membership
from parcelcare.cases.actors import CUSTOMER, Who
from parcelcare.cases.carrier import file_claim, record_pod, request_pod
from parcelcare.cases.customer import Upload, add_photos, confirm_checks, sign_declaration
from parcelcare.cases.dossier import build_dossier
from parcelcare.cases.dossier_pdf import render_html, render_pdf
from parcelcare.cases.models import Case
from parcelcare.cases.notes import add_note, reply
from parcelcare.cases.outcomes import record_remedy
from parcelcare.cases.services import complete_step, open_case
from parcelcare.domain.cases import CaseKind
from parcelcare.domain.money import RemedyKind
from parcelcare.domain.risk import PodStrength
from parcelcare.tracking.models import Order

AGENT = Who("agent", "anna")
ORIGIN, LAST_MILE = "LP00698765432101", "3SLASTMILE0042"
LATER = NOW + timedelta(days=7)


def _photo() -> bytes:
    out = BytesIO()
    Image.new("RGB", (320, 200), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def _dropship_order(api_shop: ApiShop) -> Order:
    body = order_payload("3001", ORIGIN, carrier="cainiao", promised="2026-11-16")
    body["shipments"][0]["legs"] = [{"carrier": "postnl", "tracking_number": LAST_MILE}]
    assert api_shop.post("orders", body).status_code == 201
    events = [
        event(ORIGIN, carrier="cainiao", at="2026-11-05T09:00:00+08:00", code="C1"),
        event(LAST_MILE, at="2026-11-13T08:00:00+01:00", code="A1", status="in_transit"),
        event(
            LAST_MILE,
            at="2026-11-14T14:10:00+01:00",
            code="I01",
            status="delivered",
            description="Bezorgd bij de voordeur",
            location="3511 AB Utrecht",
        ),
    ]
    assert api_shop.post("tracking-events", {"events": events}).status_code == 200
    return Order.objects.get(shop=api_shop.shop, order_number="3001")


def _work(case: Case) -> None:
    """Walk playbook B: checks, declaration, proof of delivery, photos, claim, refund."""
    add_note(case=case, body="Er lag niets bij de deur.", who=CUSTOMER, now=NOW, inbound=True)
    add_note(case=case, body="Klant belde, klinkt eerlijk.", who=AGENT, now=NOW)
    reply(case=case, body="We zoeken het voor je uit.", who=AGENT, now=NOW)
    for key in ("investigate_tracking", "verify_address"):
        complete_step(case=case, key=key, who=AGENT, now=NOW)
    checks = ["household", "neighbours", "safe_place", "mailbox", "pickup_point"]
    confirm_checks(case=case, checked=checks, now=NOW)
    sign_declaration(
        case=case,
        name="Sanne de Vries",
        statement="Ik verklaar dat ik het pakket niet heb ontvangen.",
        agreed=True,
        now=NOW,
        ip="203.0.113.9",
        user_agent="test",
    )
    add_photos(case=case, uploads=[Upload("voordeur.png", _photo())], now=NOW, settle=False)
    request_pod(case=case, who=AGENT, now=NOW)
    record_pod(case=case, strength=PodStrength.PHOTO, detail="foto", who=AGENT, now=NOW)
    file_claim(case=case, reference="PNL-CLAIM-77", who=AGENT, now=LATER)
    record_remedy(
        case=case,
        kind=RemedyKind.REFUND,
        amount=case.order.total,
        who=AGENT,
        now=LATER,
        idempotency_key="refund-3001",
        reason="not received",
    )


@pytest.fixture
def disputed(api_shop: ApiShop) -> Case:
    """A delivered-not-received case worked to a refund, with every kind of evidence."""
    order = _dropship_order(api_shop)
    case, _ = open_case(
        shop=api_shop.shop,
        order=order,
        kind=CaseKind.NOT_RECEIVED,
        source=Case.Source.CUSTOMER,
        who=CUSTOMER,
        now=NOW,
        summary="Niets ontvangen",
    )
    _work(case)
    case.refresh_from_db()
    return case


def test_the_json_dossier_has_every_section_with_real_values(disputed: Case) -> None:
    d = build_dossier(disputed, now=LATER)
    json.dumps(d)  # JSON-ready as it is
    assert d["language"] == "nl" and d["shop"]["name"] == "Test Shop"
    assert d["case"]["reference"] == disputed.reference and d["case"]["playbook"] == "B"
    assert d["case"]["outcome"] == "refund" and d["case"]["resolved_at"]
    assert d["order"]["number"] == "3001" and d["order"]["total"]["minor"] == 2990
    assert "29,90" in d["order"]["total"]["text"] and d["order"]["lines"][0]["quantity"] == 2
    assert d["customer"] == {"name": "Sanne de Vries", "email": "c3001@example.com"}
    assert d["addresses"]["shipping"]["postcode"] == "3511 AB"
    assert d["addresses"]["billing"] is None and d["addresses"]["match"] == "unknown"
    parcel = d["tracking"][0]
    assert parcel["disputed"] and parcel["tracking_numbers"] == [ORIGIN, LAST_MILE]
    assert parcel["last_mile"] == {"carrier": "postnl", "tracking_number": LAST_MILE}
    assert [e["status"] for e in parcel["events"]][-1] == "delivered"
    assert d["proof_of_delivery"]["strength"] == "photo"
    assert d["proof_of_delivery"]["delivery_scan"]["location"] == "3511 AB Utrecht"
    directions = {m["direction"] for m in d["messages"]}
    assert directions == {"in", "out"}
    assert any("We zoeken het voor je uit." in m["text"] for m in d["messages"])
    assert d["declarations"][0]["name"] == "Sanne de Vries"
    assert d["declarations"][0]["ip"] == "203.0.113.9"
    assert d["photos"][0]["filename"] == "voordeur.png" and len(d["photos"][0]["sha256"]) == 64
    assert d["claims"][0]["reference"] == "PNL-CLAIM-77"
    assert d["remedy"]["outcome"] == "refund" and d["remedy"]["recommended"]
    assert d["ledger"]["entries"][0]["kind"] == "refund"
    assert d["ledger"]["refundable"]["minor"] == 0
    actions = [a["action"] for a in d["audit"]]
    assert actions[0] == "open" and "remedy" in actions and "resolve" in actions


def test_internal_notes_stay_out_of_the_evidence(disputed: Case) -> None:
    d = build_dossier(disputed, now=LATER)
    assert all("eerlijk" not in m["text"] for m in d["messages"])
    assert [n["text"] for n in d["internal"]["notes"]] == ["Klant belde, klinkt eerlijk."]
    assert "eerlijk" not in render_html(d)


def test_the_html_is_in_the_shops_language_with_its_header(disputed: Case) -> None:
    html = render_html(build_dossier(disputed, now=LATER))
    assert "Test Shop" in html and "3001" in html and LAST_MILE in html
    assert "Sanne de Vries" in html and "data:image/jpeg;base64," in html
    assert "Bezorgd" in html


def test_the_dossier_can_be_asked_in_english_for_the_payment_provider(disputed: Case) -> None:
    html = render_html(build_dossier(disputed, now=LATER, language="en"))
    assert '<html lang="en">' in html and "Dispute dossier" in html and "Geschildossier" not in html
    unknown = build_dossier(disputed, now=LATER, language="xx")
    assert unknown["language"] == "nl"


def _pdf_text(pdf: bytes, html: str) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:
        from weasyprint import HTML

        assert HTML(string=html).render().pages  # laid out; the text checks use the HTML
        return html
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_the_pdf_holds_the_order_tracking_number_and_declaration(disputed: Case) -> None:
    d = build_dossier(disputed, now=LATER)
    pdf = render_pdf(d)
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, render_html(d))
    assert "3001" in text and ORIGIN in text and "Sanne de Vries" in text


def test_an_agent_of_the_shop_downloads_the_pdf_and_others_get_404(
    disputed: Case, other_shop: ApiShop
) -> None:
    users = get_user_model().objects
    viewer = users.create_user(username="viewer", password="a-long-password-1")
    Membership.objects.create(user=viewer, shop=disputed.shop, role="viewer")
    stranger = users.create_user(username="stranger", password="a-long-password-1")
    Membership.objects.create(user=stranger, shop=other_shop.shop, role="owner")
    client = Client()
    url = f"/cases/{disputed.pk}/dossier.pdf"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(viewer)
    answer = client.get(url)
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert answer["Content-Type"] == "application/pdf"
    client.force_login(stranger)
    assert client.get(url).status_code == 404
