"""A "not received" claim end to end in a real headless Chromium: the customer reports it from
the tracking page and answers on the case page; an agent works the case to a reship."""

import pytest
from browser import (
    DESK,
    LATER,
    PASSWORD,
    PHONE,
    agent_logs_in,
    chromium,  # noqa: F401
    desk_shop_fixture,  # noqa: F401
    fits,
    shot,
)
from django.contrib.auth.models import User
from parcels import DELIVERED, MOVING, NOW, RETURNED, Parcel, make_parcel
from playwright.sync_api import Browser, Page

from conftest import ApiShop
from parcelcare.accounts.models import Membership
from parcelcare.cases.actors import SYSTEM
from parcelcare.cases.models import Case, Declaration
from parcelcare.cases.services import open_case
from parcelcare.domain.cases import CaseKind
from parcelcare.ledger.models import RemedyEntry


@pytest.fixture
def parcel(desk_shop: ApiShop) -> Parcel:
    """A delivered parcel, and two other open cases in the inbox."""
    others = (
        ("2002", MOVING, CaseKind.ORDER_STATUS, NOW),
        ("2003", RETURNED, CaseKind.UNDELIVERABLE, LATER),
    )
    for number, journey, kind, opened in others:
        order = make_parcel(desk_shop, number, journey).order
        open_case(
            shop=desk_shop.shop, order=order, kind=kind, source="proactive", who=SYSTEM, now=opened
        )
    return make_parcel(desk_shop, "2001", DELIVERED)


def customer_reports(page: Page, url: str, parcel: Parcel) -> Case:
    """From the tracking page to a signed declaration."""
    page.goto(f"{url}/t/{parcel.shipment.public_token}?lang=en")
    shot(page, "case-tracking-report-en")
    page.get_by_role("link", name="I did not receive it").click()
    page.fill("textarea[name=message]", "The app says delivered, but nothing is here.")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url("**/c/**done=report**")
    case = Case.objects.get(order=parcel.order)
    assert "Thank you, we have your report." in page.inner_text(".thanks")
    assert fits(page, PHONE["width"])
    shot(page, "case-customer-checks-en")
    for box in page.locator("input[name=checks]").all():
        box.check()
    page.get_by_role("button", name="I looked everywhere").click()
    page.wait_for_url("**done=checks**")
    assert "order 2001" in page.inner_text(".statement")
    page.fill("input[name=name]", "Sanne de Vries")
    page.get_by_label("I declare this is true").check()
    shot(page, "case-customer-declaration-en")
    page.get_by_role("button", name="Sign the declaration").click()
    page.wait_for_url("**done=declaration**")
    assert "Thank you, your declaration is signed." in page.inner_text(".thanks")
    shot(page, "case-customer-signed-en")
    return case


def agent_works_the_case(page: Page, case: Case) -> None:
    """Proof of delivery asked and received, the claim filed, a reship sent."""
    page.get_by_role("button", name="Request proof of delivery").click()
    assert "Proof of delivery requested" in page.inner_text(".flash")
    page.select_option("select[name=strength]", "scan_only")
    page.fill("input[name=detail]", "Scan at the door, no signature")
    page.get_by_role("button", name="Record proof").click()
    assert "Proof of delivery recorded" in page.inner_text(".flash")
    page.fill("input[name=reference]", "PNL-2026-1188")
    page.get_by_role("button", name="File claim").click()
    assert "Claim PNL-2026-1188 filed with the carrier." in page.inner_text(".flash")
    reship = page.locator("form.remedy:has(input[name=kind][value=reship])")
    reship.locator("input[name=tracking_number]").fill("3SREPLACE2001")
    reship.get_by_role("button").dblclick()
    page.wait_for_selector(".flash")


def test_a_not_received_claim_from_report_to_reship(
    live_server, parcel: Parcel, browser: Browser
) -> None:
    customer = browser.new_page(viewport=PHONE)
    case = customer_reports(customer, live_server.url, parcel)
    assert Declaration.objects.filter(case=case).exists()

    desk = browser.new_page(viewport=DESK, locale="en-GB")
    agent_logs_in(desk, live_server.url)
    desk.wait_for_selector("table.cases")
    assert case.reference in desk.inner_text("table.cases")
    shot(desk, "case-inbox-en")
    rows = desk.locator("table.cases .row-anchor").all_inner_texts()
    assert len(rows) == 3 and rows[0] != case.reference
    for _ in range(rows.index(case.reference) + 1):
        desk.keyboard.press("j")
    desk.keyboard.press("Enter")
    desk.wait_for_url(f"**/cases/{case.pk}/")
    assert "Declaration of non-receipt signed by Sanne de Vries" in desk.inner_text(".stream")
    desk.keyboard.press("r")
    assert desk.evaluate("document.activeElement.id") == "reply-body"
    agent_works_the_case(desk, case)

    assert RemedyEntry.objects.filter(case=case, kind="reship").count() == 1
    assert "Resolved" in desk.inner_text(".page-head")
    assert "3SREPLACE2001" in desk.inner_text("#remedies")
    assert fits(desk, DESK["width"])
    shot(desk, "case-page-en")

    customer.goto(f"{live_server.url}/c/{case.public_token}?lang=en")
    assert "We are sending you a new parcel." in customer.inner_text("h1")
    shot(customer, "case-customer-resolved-en")
    customer.get_by_role("link", name="Follow your new parcel →").click()
    assert "3SREPLACE2001" in customer.inner_text(".facts")


@pytest.mark.parametrize("language", ["nl", "de", "fr"])
def test_the_customer_pages_on_a_phone_in_other_languages(
    live_server, parcel: Parcel, browser: Browser, language: str
) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/t/{parcel.shipment.public_token}/report?lang={language}")
    assert page.locator("html").get_attribute("lang") == language
    page.locator("input[value=damaged]").check()
    page.locator("form.lookup button[type=submit]").click()
    page.wait_for_url("**/c/**")
    assert page.locator("html").get_attribute("lang") == language
    assert fits(page, PHONE["width"])
    shot(page, f"case-customer-photos-{language}")


def test_the_desk_in_dutch_for_a_viewer(live_server, parcel: Parcel, browser: Browser) -> None:
    viewer = User.objects.create_user("desk-viewer", password=PASSWORD)
    Membership.objects.create(user=viewer, shop=parcel.order.shop, role="viewer")
    case = Case.objects.filter(is_open=True).order_by("id").last()
    assert case is not None
    page = browser.new_page(viewport=DESK, locale="nl-NL")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.fill("input[name=username]", "desk-viewer")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert "Wat er gebeurde" in page.inner_text("main")
    assert page.locator("button", has_text="Antwoord versturen").count() == 0
    assert fits(page, DESK["width"])
    shot(page, "case-page-viewer-nl")
