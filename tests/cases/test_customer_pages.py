"""The customer's side of a case: reporting from the tracking page, then the case page with its
questions, declaration, photos, choices and messages, in four languages and rate-limited."""

import importlib.util
import re
from io import BytesIO
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from parcels import DELIVERED, MOVING, NOW, RETURNED, Parcel, make_parcel, open_for
from PIL import Image

from conftest import ApiShop
from parcelcare import clock
from parcelcare.cases import customer
from parcelcare.cases.actors import CaseError
from parcelcare.cases.customer import CHECKS
from parcelcare.cases.follow import desk_pass
from parcelcare.cases.models import Case, Declaration
from parcelcare.domain.cases import CaseKind
from parcelcare.messaging.models import OutboxMessage
from parcelcare.tracking.review import review_due

LATE_NOT_YET = [{"at": "2026-11-17T08:00:00+01:00", "code": "A1", "status": "in_transit"}]


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock stopped on a Wednesday, and no rate-limit counts left from another test."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    cache.clear()


@pytest.fixture
def parcel(api_shop: ApiShop) -> Parcel:
    """A parcel the carrier reports delivered on Saturday 14 November."""
    return make_parcel(api_shop, "2001", DELIVERED)


def png(name: str = "doos.png") -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def text_of(html: str) -> str:
    """The visible text, tags dropped and whitespace squeezed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def report(browser: Client, parcel: Parcel, **data: object) -> Any:
    return browser.post(f"/t/{parcel.shipment.public_token}/report?lang=en", data)


# --- the tracking page -------------------------------------------------------------------------


def test_the_tracking_page_offers_to_report_a_problem(parcel: Parcel) -> None:
    shop = parcel.order.shop
    shop.contact_email = "help@tuin.example"
    shop.save()
    html = Client().get(f"/t/{parcel.shipment.public_token}?lang=en").content.decode()
    assert "Report a problem" in html
    for problem in ("not_received", "damaged", "wrong_item"):
        assert f"/report?problem={problem}&amp;lang=en" in html
    assert 'href="mailto:help@tuin.example"' in html and "Contact the shop" in html


def test_not_received_is_offered_only_once_the_parcel_should_be_there(
    api_shop: ApiShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW.replace(day=16, hour=6))
    moving = make_parcel(api_shop, "2005", LATE_NOT_YET)
    html = Client().get(f"/t/{moving.shipment.public_token}").content.decode()
    assert "problem=damaged" not in html and "problem=not_received" not in html
    assert "mailto:" not in html
    refused = report(Client(), moving, problem="not_received", message="waar is het?")
    assert refused.status_code == 400
    assert not Case.objects.exists()


def test_damage_and_wrong_item_wait_until_the_parcel_is_delivered(api_shop: ApiShop) -> None:
    late = make_parcel(api_shop, "2008", MOVING)
    token = late.shipment.public_token
    html = Client().get(f"/t/{token}?lang=en").content.decode()
    assert "problem=not_received" in html
    assert "problem=damaged" not in html and "problem=wrong_item" not in html
    assert "Once your parcel is delivered you can report damage or a wrong item here." in html
    form = Client().get(f"/t/{token}/report?lang=en").content.decode()
    assert 'value="not_received"' in form and 'value="damaged"' not in form
    for problem in ("damaged", "wrong_item"):
        assert report(Client(), late, problem=problem, message="kapot").status_code == 400
    assert not Case.objects.exists()
    with pytest.raises(CaseError, match="once the parcel is delivered"):
        customer.report(
            shipment=late.shipment,
            kind=CaseKind.DAMAGED_OR_WRONG_ITEM,
            summary="",
            uploads=[],
            now=NOW,
        )
    assert not Case.objects.exists()


def test_a_late_parcel_can_be_reported_missing(api_shop: ApiShop) -> None:
    late = make_parcel(api_shop, "2006", MOVING)
    assert (
        "problem=not_received" in Client().get(f"/t/{late.shipment.public_token}").content.decode()
    )


def test_a_lost_parcel_case_does_not_say_the_parcel_is_on_its_way(api_shop: ApiShop) -> None:
    quiet = make_parcel(api_shop, "2007", MOVING)
    case = open_for(quiet, CaseKind.LOST)
    assert case.playbook == "C"
    text = text_of(Client().get(f"/c/{case.public_token}?lang=en").content.decode())
    assert "The carrier has not reported your parcel for some time" in text
    assert "Your parcel is on its way" not in text


def test_a_likely_lost_parcels_tracking_page_links_to_the_customers_choice(
    api_shop: ApiShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Known since its last scan, so its going quiet is news (imported history would be silent).
    monkeypatch.setattr(clock, "now", lambda: NOW.replace(day=2, hour=9))
    quiet = make_parcel(
        api_shop,
        "2009",
        [{"at": "2026-11-02T08:00:00+01:00", "code": "A1", "status": "in_transit"}],
    )
    monkeypatch.setattr(clock, "now", lambda: NOW)
    review_due(NOW)
    desk_pass(NOW)
    case = Case.objects.get(shipment=quiet.shipment)
    assert case.playbook == "C" and case.steps.get(key="customer_choice").state == "open"
    mail = OutboxMessage.objects.get(kind="likely_lost", shipment=quiet.shipment, channel="email")
    assert mail.status == "queued"
    html = Client().get(f"/t/{quiet.shipment.public_token}?lang=en").content.decode()
    text = text_of(html)
    assert "We are sorry: your parcel seems to be lost" in text
    assert "Your parcel is on its way" not in text
    assert "A new parcel, or your money back?" in text
    assert f'href="/c/{case.public_token}?lang=en">Choose a new parcel or a refund</a>' in html
    dutch = text_of(Client().get(f"/t/{quiet.shipment.public_token}?lang=nl").content.decode())
    assert "Kies een nieuw pakket of je geld terug" in dutch
    Case.objects.filter(pk=case.pk).update(is_open=False, status="resolved")
    after = Client().get(f"/t/{quiet.shipment.public_token}?lang=en").content.decode()
    assert f"/c/{case.public_token}" not in after


# --- reporting ---------------------------------------------------------------------------------


def test_the_report_form_in_the_customers_language(parcel: Parcel) -> None:
    page = Client().get(f"/t/{parcel.shipment.public_token}/report?problem=not_received")
    html = page.content.decode()
    assert page.status_code == 200 and '<html lang="nl">' in html
    assert "Een probleem melden" in html
    assert 'value="not_received" required checked' in html
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cache-Control"] == "no-store"


def test_reporting_not_received_opens_a_case_and_shows_it(parcel: Parcel) -> None:
    response = report(Client(), parcel, problem="not_received", message="Niets gevonden.")
    case = Case.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/c/{case.public_token}?done=report&lang=en"
    assert (case.kind, case.source, case.playbook) == ("not_received", "customer", "B")
    assert case.summary.endswith("Niets gevonden.")


def test_a_damage_report_with_photos_settles_the_photo_step(parcel: Parcel) -> None:
    response = report(
        Client(), parcel, problem="damaged", message="Deuk", photos=[png("a.png"), png("b.png")]
    )
    case = Case.objects.get()
    assert response.status_code == 303
    assert (case.kind, case.playbook) == ("damaged_or_wrong_item", "E")
    assert case.attachments.count() == 2
    assert case.steps.get(key="photos").state == "done"


def test_a_file_that_is_no_photo_leaves_no_case(parcel: Parcel) -> None:
    fake = SimpleUploadedFile("virus.png", b"MZ not an image", content_type="image/png")
    response = report(Client(), parcel, problem="wrong_item", photos=[fake])
    assert response.status_code == 400
    assert not Case.objects.exists()
    assert "Photos must be JPEG, PNG, WebP or HEIF" in text_of(response.content.decode())


def test_reports_are_rate_limited(parcel: Parcel) -> None:
    browser = Client()
    statuses = [report(browser, parcel, problem="bogus").status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]


def test_an_unknown_link_is_not_found(db: None) -> None:
    assert Client().get("/t/not-a-real-token-at-all/report").status_code == 404
    assert Client().get("/c/not-a-real-token-at-all").status_code == 404
    assert Client().post("/c/not-a-real-token-at-all/message", {"body": "x"}).status_code == 404


# --- the case page: playbook B -----------------------------------------------------------------


def test_the_case_page_asks_for_the_checks_first(parcel: Parcel) -> None:
    case = open_for(parcel, CaseKind.NOT_RECEIVED)
    response = Client().get(f"/c/{case.public_token}?lang=en")
    html = text_of(response.content.decode())
    assert response.status_code == 200
    assert "We need a little help from you" in html
    assert "Your parcel has been delivered" in html
    assert "Did you check these places?" in html
    assert "I asked my neighbours whether they accepted it for me." in html
    assert "Questions left: 2" in html
    assert response["Referrer-Policy"] == "same-origin"


def test_checks_then_declaration(parcel: Parcel) -> None:
    case = open_for(parcel, CaseKind.NOT_RECEIVED)
    browser, base = Client(), f"/c/{case.public_token}"
    missing = browser.post(f"{base}/checks?lang=en", {"checks": ["household"]})
    assert missing.status_code == 400
    assert "Please tick every place you checked." in missing.content.decode()
    done = browser.post(f"{base}/checks?lang=en", {"checks": list(CHECKS), "note": "Ook de schuur"})
    assert done.status_code == 303 and done["Location"] == f"{base}?done=checks&lang=en"
    page = text_of(browser.get(done["Location"]).content.decode())
    assert "Thank you for checking." in page
    assert "Declaration of non-receipt" in page
    assert "I declare that I did not receive the parcel of order 2001 from Test Shop" in page
    assert "Saturday, November 14" in page
    signed = browser.post(
        f"{base}/declaration?lang=en",
        {"name": "Sanne de Vries", "agree": "on"},
        HTTP_USER_AGENT="Mozilla/5.0 (Test)",
        REMOTE_ADDR="203.0.113.9",
    )
    assert signed.status_code == 303
    declaration = Declaration.objects.get(case=case)
    assert declaration.name == "Sanne de Vries" and "2001" in declaration.statement
    assert (declaration.ip, declaration.user_agent) == ("203.0.113.9", "Mozilla/5.0 (Test)")
    after = text_of(browser.get(signed["Location"]).content.decode())
    assert "Thank you, your declaration is signed." in after
    assert "We are looking into your report" in after


def test_signing_needs_the_box_ticked(parcel: Parcel) -> None:
    case = open_for(parcel, CaseKind.NOT_RECEIVED)
    case.steps.filter(key="customer_checks").update(state="done")
    response = Client().post(f"/c/{case.public_token}/declaration", {"name": "Sanne"})
    assert response.status_code == 400
    assert not Declaration.objects.exists()


def test_a_step_sent_twice_is_explained_not_a_500(parcel: Parcel) -> None:
    case = open_for(parcel, CaseKind.NOT_RECEIVED)
    case.steps.filter(key="customer_checks").update(state="done")
    response = Client().post(f"/c/{case.public_token}/checks?lang=en", {"checks": list(CHECKS)})
    assert response.status_code == 400
    assert "cannot be sent again" in text_of(response.content.decode())


def test_the_customer_writes_to_the_shop(parcel: Parcel) -> None:
    case = open_for(parcel, CaseKind.NOT_RECEIVED)
    response = Client().post(f"/c/{case.public_token}/message", {"body": "Ik ben thuis vanaf 5."})
    assert response.status_code == 303
    note = case.notes.get(direction="in")
    assert note.body == "Ik ben thuis vanaf 5."
    page = Client().get(f"/c/{case.public_token}").content.decode()
    assert "Ik ben thuis vanaf 5." in page


def test_extra_photos_can_be_added(parcel: Parcel) -> None:
    case = open_for(parcel, CaseKind.NOT_RECEIVED)
    response = Client().post(f"/c/{case.public_token}/photos", {"photos": [png()]})
    assert response.status_code == 303
    assert case.attachments.count() == 1


def test_case_answers_are_rate_limited(parcel: Parcel) -> None:
    case = open_for(parcel, CaseKind.NOT_RECEIVED)
    browser = Client()
    statuses = [
        browser.post(f"/c/{case.public_token}/message", {"body": ""}).status_code for _ in range(21)
    ]
    assert statuses[-1] == 429 and set(statuses[:-1]) == {400}


def test_customer_posts_need_the_csrf_token(parcel: Parcel) -> None:
    case = open_for(parcel, CaseKind.NOT_RECEIVED)
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(f"/c/{case.public_token}/message", {"body": "hoi"}).status_code == 403
    browser.get(f"/c/{case.public_token}")
    token = browser.cookies["csrftoken"].value
    sent = browser.post(
        f"/c/{case.public_token}/message", {"body": "hoi", "csrfmiddlewaretoken": token}
    )
    assert sent.status_code == 303


def test_the_page_shows_no_personal_data_the_customer_did_not_give(parcel: Parcel) -> None:
    case = open_for(parcel, CaseKind.NOT_RECEIVED)
    html = Client().get(f"/c/{case.public_token}").content.decode()
    for private in ("Lindenlaan", "c2001@example.com", "+31612345678", "de Vries"):
        assert private not in html


# --- the case page: playbooks C, D and E -------------------------------------------------------


def test_a_lost_parcel_asks_reship_or_refund(api_shop: ApiShop) -> None:
    case = open_for(make_parcel(api_shop, "2007", MOVING), CaseKind.LOST)
    assert case.playbook == "C"
    page = text_of(Client().get(f"/c/{case.public_token}?lang=en").content.decode())
    assert "A new parcel, or your money back?" in page
    response = Client().post(f"/c/{case.public_token}/choice", {"choice": "refund"})
    case.refresh_from_db()
    assert response.status_code == 303 and case.customer_choice == "refund"
    assert case.recommendation["recommended"] == "refund"


def test_a_returned_parcel_asks_for_the_address(api_shop: ApiShop) -> None:
    case = open_for(make_parcel(api_shop, "2008", RETURNED), CaseKind.UNDELIVERABLE)
    case.steps.filter(key="verify_address").update(state="done")
    page = text_of(Client().get(f"/c/{case.public_token}?lang=en").content.decode())
    assert "Is your address right?" in page
    empty = Client().post(f"/c/{case.public_token}/address?lang=en", {"answer": "new"})
    assert empty.status_code == 400 and "Write the right address." in empty.content.decode()
    data = {"answer": "new", "new_address": "Lindenlaan 14, 3511 AB Utrecht"}
    assert Client().post(f"/c/{case.public_token}/address", data).status_code == 303
    step = case.steps.get(key="confirm_address")
    assert step.state == "done" and step.data["customer_error"] is True


def test_a_resolved_case_says_what_was_decided(parcel: Parcel) -> None:
    from parcelcare.cases.actors import Who
    from parcelcare.cases.outcomes import record_remedy
    from parcelcare.domain.money import RemedyKind

    case = open_for(parcel, CaseKind.NOT_RECEIVED)
    record_remedy(
        case=case,
        kind=RemedyKind.RESHIP,
        amount=0,
        who=Who("agent", "a"),
        now=NOW,
        idempotency_key="r1",
    )
    html = Client().get(f"/c/{case.public_token}?lang=en").content.decode()
    assert "We are sending you a new parcel." in text_of(html)
    assert "Follow your new parcel" in html
    assert "/message" not in html


# --- languages ---------------------------------------------------------------------------------

KEY_STRINGS = (
    "What we know",
    "What happens next",
    "Did you check these places?",
    "I asked my neighbours whether they accepted it for me.",
    "Write to",
    "Send message",
    "We need a little help from you",
    "Your parcel has been delivered",
)
EXPECTED = {
    "nl": "Wat we weten",
    "de": "Was wir wissen",
    "fr": "Ce que nous savons",
    "en": "What we know",
}


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_the_case_page_in_four_languages(parcel: Parcel, lang: str) -> None:
    case = open_for(parcel, CaseKind.NOT_RECEIVED)
    response = Client().get(f"/c/{case.public_token}?lang={lang}")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html and response["Content-Language"] == lang
    assert EXPECTED[lang] in html
    if lang != "en":
        text = text_of(html)
        left = [english for english in KEY_STRINGS if english in text]
        assert not left, f"untranslated on the {lang} page: {left}"


def test_the_dutch_declaration_is_in_dutch(parcel: Parcel) -> None:
    case = open_for(parcel, CaseKind.NOT_RECEIVED)
    case.steps.filter(key="customer_checks").update(state="done")
    text = text_of(Client().get(f"/c/{case.public_token}?lang=nl").content.decode())
    assert "Ik verklaar" in text and "2001" in text and "zaterdag 14 november" in text
    assert "I declare" not in text


def _translations_helpers() -> ModuleType:
    """The template and Python string extractors of the tracking pages' catalog test."""
    path = Path(__file__).parents[1] / "tracking" / "test_translations.py"
    spec = importlib.util.spec_from_file_location("tracking_translations", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DESK_MODULES = (
    "labels",
    "stream",
    "desk_page",
    "views",
    "action_views",
    "forms",
    "customer_page",
    "customer_views",
    "settings_forms",
    "settings_views",
)


@pytest.mark.parametrize("lang", ["nl", "de", "fr"])
def test_every_case_desk_string_is_in_the_catalog(lang: str) -> None:
    helpers = _translations_helpers()
    src = Path(__file__).parents[2] / "src" / "parcelcare" / "cases"
    found: set[object] = set()
    for folder in ("cases", "public_case"):
        for path in (src / "templates" / folder).rglob("*.html"):
            found.update(helpers.template_msgids(path))
    for name in DESK_MODULES:
        found.update(helpers.python_msgids(src / f"{name}.py"))
    catalog = {message.id for message in helpers.load_po(lang) if message.id}
    assert not sorted(str(m) for m in found - catalog)
