"""Playbooks A, C, D and E walked to their remedy in a real headless Chromium, as the shop's
agent and the customer would: the customer on a phone, the agent at a desk (B is in
test_desk_browser.py). Each walk saves test-artifacts/playbook-<letter>-*.png."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import (
    DESK,
    LATER,
    PHONE,
    agent_logs_in,
    chromium,  # noqa: F401
    desk_shop_fixture,  # noqa: F401
    fits,
    freeze,
    shot,
)
from parcels import DELIVERED, MOVING, NOW, RETURNED, make_parcel
from PIL import Image
from playwright.sync_api import Browser, Page

from conftest import ApiShop, event
from parcelcare.cases.follow import desk_pass
from parcelcare.cases.models import Case
from parcelcare.ledger.models import RemedyEntry
from parcelcare.messaging.models import OutboxMessage
from parcelcare.tracking.models import Shipment
from parcelcare.tracking.review import review_due

DELIVERY_PASS = LATER + timedelta(hours=3)
"""Friday 20 November, 16:00 in Amsterdam: the desk's pass after the afternoon's delivery."""
QUIET_UNTIL = NOW + timedelta(days=6)
"""Tuesday 24 November: eleven days (seven business days) after the MOVING parcel's last scan,
so the review finds it likely lost."""
LOADED = "img => img.complete && img.naturalWidth > 0"


def customer_opens(page: Page, url: str, message: OutboxMessage) -> None:
    """Follow the case link of a message to the customer, on the live server, in English."""
    page.goto(f"{url}{urlsplit(message.payload['case_url']).path}?lang=en")


def agent_opens(page: Page, url: str, case: Case) -> None:
    """From the inbox to the case, by its reference."""
    agent_logs_in(page, url)
    page.get_by_role("link", name=case.reference, exact=True).click()
    page.wait_for_url(f"**/cases/{case.pk}/")


def remedy(page: Page, kind: str) -> None:
    """Press the button of one remedy form and wait for what the desk says about it."""
    form = page.locator(f"form.remedy:has(input[name=kind][value={kind}])")
    form.get_by_role("button").click()
    page.wait_for_selector(".flash")


def photo(folder: Path) -> Path:
    """A small JPEG, as a phone camera would send it."""
    path = folder / "dented-box.jpg"
    Image.new("RGB", (320, 240), (181, 101, 29)).save(path, "JPEG", quality=80)
    return path


def test_c_a_quiet_parcel_is_refunded_as_the_customer_chose(
    live_server, desk_shop: ApiShop, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, QUIET_UNTIL)
    parcel = make_parcel(desk_shop, "3001", MOVING)
    review_due(QUIET_UNTIL)
    assert desk_pass(QUIET_UNTIL).opened == 1
    case = Case.objects.get(order=parcel.order)
    assert (case.source, case.kind, case.playbook) == ("proactive", "lost", "C")
    ask = OutboxMessage.objects.get(kind="case_request", shipment=parcel.shipment)
    assert (ask.detail, ask.payload["step"]) == ("customer_choice", "customer_choice")

    customer = browser.new_page(viewport=PHONE)
    customer_opens(customer, live_server.url, ask)
    assert "A new parcel, or your money back?" in customer.inner_text("#ask")
    assert fits(customer, PHONE["width"])
    shot(customer, "playbook-c-customer-choice")
    customer.get_by_label("Refund my money").check()
    customer.get_by_role("button", name="Confirm my choice").click()
    customer.wait_for_url("**done=choice**")
    assert "Thank you, we have your choice." in customer.inner_text(".thanks")
    shot(customer, "playbook-c-customer-chose")

    desk = browser.new_page(viewport=DESK, locale="en-GB")
    agent_opens(desk, live_server.url, case)
    assert "Recommended: Full refund" in desk.inner_text(".advice-pick")
    assert "The customer chose: full refund." in desk.inner_text(".reasons")
    shot(desk, "playbook-c-desk-recommends")
    remedy(desk, "refund")
    assert "Resolved" in desk.inner_text(".page-head")
    refunds = RemedyEntry.objects.filter(case=case)
    assert [(r.kind, r.amount) for r in refunds] == [("refund", parcel.order.total)]
    assert fits(desk, DESK["width"])
    shot(desk, "playbook-c-desk-resolved")

    customer_opens(customer, live_server.url, ask)
    assert "We are refunding your order in full." in customer.inner_text("h1")
    shot(customer, "playbook-c-customer-resolved")


def test_d_a_returned_parcel_goes_out_again_to_the_corrected_address(
    live_server, desk_shop: ApiShop, browser: Browser
) -> None:
    parcel = make_parcel(desk_shop, "4001", RETURNED)
    review_due(LATER)
    assert desk_pass(LATER).opened == 1
    case = Case.objects.get(order=parcel.order)
    assert (case.source, case.kind, case.playbook) == ("proactive", "undeliverable", "D")

    desk = browser.new_page(viewport=DESK, locale="en-GB")
    agent_opens(desk, live_server.url, case)
    shot(desk, "playbook-d-desk-opened")
    verify = desk.locator("li.check", has_text="Verify the delivery address")
    verify.get_by_role("button", name="Mark done").click()
    assert "Step marked done." in desk.inner_text(".flash")
    ask = OutboxMessage.objects.get(kind="case_request", shipment=parcel.shipment)
    assert ask.payload["step"] == "confirm_address"

    customer = browser.new_page(viewport=PHONE)
    customer_opens(customer, live_server.url, ask)
    assert "Is your address right?" in customer.inner_text("#ask")
    shot(customer, "playbook-d-customer-address")
    customer.get_by_label("Use this address instead:").check()
    customer.fill("textarea[name=new_address]", "Lindenlaan 21, 3511 AB Utrecht")
    customer.get_by_role("button", name="Send my answer").click()
    customer.wait_for_url("**done=address**")
    assert "Thank you, we have your answer." in customer.inner_text(".thanks")
    assert fits(customer, PHONE["width"])
    shot(customer, "playbook-d-customer-answered")

    desk.reload()
    answered = desk.locator("li.check", has_text="Customer confirms the address")
    assert answered.locator(".check-answer").inner_text() == "Lindenlaan 21, 3511 AB Utrecht"
    advice = desk.locator("section[aria-labelledby=advice-title]").inner_text()
    assert "Recommended: Reship" in advice
    assert "The customer pays 50% of the reship." in advice
    shot(desk, "playbook-d-desk-recommends")
    reship = desk.locator("form.remedy:has(input[name=kind][value=reship])")
    reship.locator("input[name=tracking_number]").fill("3SRESHIP4001")
    remedy(desk, "reship")
    assert "Resolved" in desk.inner_text(".page-head")
    entry = RemedyEntry.objects.get(case=case)
    assert (entry.kind, entry.customer_share_percent) == ("reship", 50)
    new = Shipment.objects.get(order=parcel.order, tracking_number="3SRESHIP4001")
    assert entry.shipment == new
    booked = desk.inner_text("ul.ledger")
    assert "3SRESHIP4001" in booked and "The customer pays 50% of the reship." in booked
    shot(desk, "playbook-d-desk-resolved")

    customer_opens(customer, live_server.url, ask)
    assert "We are sending you a new parcel." in customer.inner_text("h1")
    shot(customer, "playbook-d-customer-resolved")


def test_e_a_damaged_parcel_is_claimed_and_reshipped(
    live_server, desk_shop: ApiShop, browser: Browser, tmp_path: Path
) -> None:
    parcel = make_parcel(desk_shop, "5001", DELIVERED)
    customer = browser.new_page(viewport=PHONE)
    customer.goto(f"{live_server.url}/t/{parcel.shipment.public_token}?lang=en")
    customer.get_by_role("link", name="It arrived damaged").click()
    customer.wait_for_url("**/report**")
    assert customer.locator("input[name=problem][value=damaged]").is_checked()
    customer.fill("textarea[name=message]", "The box was crushed and one pot is broken.")
    customer.set_input_files("input[name=photos]", photo(tmp_path))
    shot(customer, "playbook-e-customer-report")
    customer.get_by_role("button", name="Send report").click()
    customer.wait_for_url("**/c/**done=report**")
    case = Case.objects.get(order=parcel.order)
    assert (case.kind, case.playbook) == ("damaged_or_wrong_item", "E")
    assert "Photos received: 1" in customer.inner_text("main")
    assert fits(customer, PHONE["width"])
    shot(customer, "playbook-e-customer-reported")

    desk = browser.new_page(viewport=DESK, locale="en-GB")
    agent_opens(desk, live_server.url, case)
    report = desk.locator(".stream > li.item-report")
    assert "The box was crushed" in report.inner_text()
    assert report.locator("xpath=following-sibling::li[1]").get_attribute("class") == (
        "item item-photos"
    )
    thumb = desk.locator(".thumbs img").first
    thumb.scroll_into_view_if_needed()  # the thumbnails load lazily
    desk.wait_for_function(LOADED, arg=thumb.element_handle())
    assert thumb.evaluate("img => img.naturalWidth") == 320
    desk.fill("input[name=reference]", "PNL-DMG-5001")
    desk.get_by_role("button", name="File claim").click()
    assert "Claim PNL-DMG-5001 filed with the carrier." in desk.inner_text(".flash")
    shot(desk, "playbook-e-desk-claimed")
    reship = desk.locator("form.remedy:has(input[name=kind][value=reship])")
    reship.locator("input[name=tracking_number]").fill("3SRESHIP5001")
    remedy(desk, "reship")
    assert "Resolved" in desk.inner_text(".page-head")
    assert case.claims.get().status == "filed"
    assert RemedyEntry.objects.filter(case=case, kind="reship").count() == 1
    shot(desk, "playbook-e-desk-resolved")


def test_a_a_late_parcel_case_closes_itself_on_delivery(
    live_server, desk_shop: ApiShop, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    parcel = make_parcel(desk_shop, "6001", MOVING)
    customer = browser.new_page(viewport=PHONE)
    customer.goto(f"{live_server.url}/t/{parcel.shipment.public_token}?lang=en")
    shot(customer, "playbook-a-customer-tracking")
    # Promised for Monday: four working days late, so "not received" is offered already.
    customer.get_by_role("link", name="I did not receive it").click()
    customer.fill("textarea[name=message]", "It was due on Monday and still is not here.")
    customer.get_by_role("button", name="Send report").click()
    customer.wait_for_url("**/c/**done=report**")
    case = Case.objects.get(order=parcel.order)
    assert (case.kind, case.playbook) == ("not_received", "A")
    shot(customer, "playbook-a-customer-reported")

    desk = browser.new_page(viewport=DESK, locale="en-GB")
    agent_opens(desk, live_server.url, case)
    shot(desk, "playbook-a-desk-following")

    # That afternoon the carrier scans it delivered, and the desk's next pass sees it.
    freeze(monkeypatch, DELIVERY_PASS)
    tracking = parcel.shipment.tracking_number
    item = event(tracking, at="2026-11-20T15:30:00+01:00", code="I01", status="delivered")
    assert desk_shop.post("tracking-events", {"events": [item]}).status_code == 200
    assert desk_pass(DELIVERY_PASS).closed_delivered == 1
    desk.reload()
    assert "Closed" in desk.inner_text(".page-head")
    assert "Delivered after all" in desk.inner_text("#remedies")
    follow = desk.locator("li.check", has_text="Follow the parcel until it is delivered")
    assert "Done" in follow.inner_text()
    shot(desk, "playbook-a-desk-closed")
    # The customer hears "delivered" once: from the tracking notice or else from the case.
    notices = OutboxMessage.objects.filter(kind="delivered", shipment=parcel.shipment).count()
    closing = OutboxMessage.objects.filter(
        kind="case_resolved", detail="delivered", shipment=parcel.shipment
    ).count()
    assert notices + closing == 1

    customer.goto(f"{live_server.url}/c/{case.public_token}?lang=en")
    assert "Your parcel has been delivered." in customer.inner_text("h1")
    shot(customer, "playbook-a-customer-delivered")
