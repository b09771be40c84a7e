"""What a shop owner checks on day one, in a real headless Chromium: a likely-lost parcel's
tracking page tells the truth and leads to the customer's choice; the inbox pages through every
case; a passed claim deadline and a finished case read right."""

from datetime import timedelta

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
from parcels import MOVING, make_parcel
from playwright.sync_api import Browser

from conftest import ApiShop
from parcelcare.cases import inbox_paging
from parcelcare.cases.actors import SYSTEM
from parcelcare.cases.follow import desk_pass
from parcelcare.cases.models import Case
from parcelcare.cases.services import open_case
from parcelcare.domain.cases import CaseKind
from parcelcare.tracking.review import review_due

QUIET = [{"at": "2026-11-02T08:00:00+01:00", "code": "A1", "status": "in_transit"}]


def test_a_likely_lost_parcel_leads_from_tracking_to_the_choice(
    live_server, desk_shop: ApiShop, browser: Browser
) -> None:
    parcel = make_parcel(desk_shop, "2201", QUIET)
    review_due(LATER)
    desk_pass(LATER)
    case = Case.objects.get(shipment=parcel.shipment)
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/t/{parcel.shipment.public_token}?lang=nl")
    assert page.inner_text("h1") == "Het spijt ons: je pakket lijkt zoekgeraakt"
    assert "onderweg is zoekgeraakt" in page.inner_text(".status")
    assert page.locator(".steps").count() == 0
    assert fits(page, PHONE["width"])
    shot(page, "day-one-lost-tracking-nl")
    page.click("text=Kies een nieuw pakket of je geld terug")
    page.wait_for_url(f"**/c/{case.public_token}?lang=nl")
    assert page.locator("input[name=choice][value=reship]").count() == 1
    shot(page, "day-one-lost-choice-nl")


def test_the_inbox_pages_through_every_case_with_htmx(
    live_server, desk_shop: ApiShop, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbox_paging, "PAGE_SIZE", 2)
    references = []
    for n in range(3):
        order = make_parcel(desk_shop, f"221{n}", MOVING).order
        case, _ = open_case(
            shop=desk_shop.shop,
            order=order,
            kind=CaseKind.ORDER_STATUS,
            source="agent",
            who=SYSTEM,
            now=LATER,
        )
        references.append(case.reference)
    page = browser.new_page(viewport=DESK)
    agent_logs_in(page, live_server.url)
    page.goto(f"{live_server.url}/cases/?kind=order_status")
    assert "Cases 1\u20132 of 3" in page.inner_text(".page-count")
    first = page.locator("a.row-anchor").all_inner_texts()
    page.click("a[rel=next]")
    page.wait_for_selector("text=Case 3 of 3")
    assert "cursor=" in page.url and "kind=order_status" in page.url
    assert page.locator("#f-kind").input_value() == "order_status"
    second = page.locator("a.row-anchor").all_inner_texts()
    assert sorted(first + second) == sorted(references)
    assert fits(page, DESK["width"])
    shot(page, "day-one-inbox-page-2")


def test_a_passed_claim_deadline_on_the_case_page(
    live_server, desk_shop: ApiShop, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    late = LATER + timedelta(days=26)
    freeze(monkeypatch, late)
    parcel = make_parcel(desk_shop, "2220", MOVING)
    case, _ = open_case(
        shop=desk_shop.shop,
        order=parcel.order,
        kind=CaseKind.LOST,
        source="agent",
        who=SYSTEM,
        now=late,
    )
    page = browser.new_page(viewport=DESK)
    agent_logs_in(page, live_server.url, f"/cases/{case.pk}/")
    bar = page.inner_text(".case-bar")
    assert "Deadline passed" in bar and "deadline passed 2 days ago" in bar
    assert page.locator("button", has_text="File claim").count() == 0
    shot(page, "day-one-claim-deadline-passed")
