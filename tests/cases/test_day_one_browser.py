"""What a shop owner checks on day one, in a real headless Chromium: a likely-lost parcel's
tracking page tells the truth and leads to the customer's choice."""

from browser import (
    LATER,
    PHONE,
    chromium,  # noqa: F401
    desk_shop_fixture,  # noqa: F401
    fits,
    shot,
)
from parcels import make_parcel
from playwright.sync_api import Browser

from conftest import ApiShop
from parcelcare.cases.follow import desk_pass
from parcelcare.cases.models import Case
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
