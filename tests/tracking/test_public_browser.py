"""The customer's tracking page in a real headless Chromium at a phone's size, in four languages."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, ViewportSize, sync_playwright

from headless import launch
from parcelcare import clock
from parcelcare.accounts.models import Shop
from parcelcare.tracking.models import Customer, Finding, Order, Shipment, TrackingEvent

ARTEFACTS = Path(__file__).parent.parent.parent / "test-artifacts"
PHONE: ViewportSize = {"width": 390, "height": 844}
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
HEADLINES = {
    "nl": "Je pakket is onderweg",
    "de": "Ihr Paket ist unterwegs",
    "en": "Your parcel is on its way",
    "fr": "Votre colis est en route",
}
ESTIMATES = {
    "nl": "donderdag 19 november",
    "de": "Donnerstag, 19. November",
    "en": "Thursday, November 19",
    "fr": "jeudi 19 novembre",
}
EVENTS = [
    (datetime(2026, 11, 16, 14, 10, tzinfo=UTC), "info_received", "Zending is aangemeld", ""),
    (
        datetime(2026, 11, 16, 18, 40, tzinfo=UTC),
        "in_transit",
        "Zending is ontvangen",
        "Nieuwegein",
    ),
    (
        datetime(2026, 11, 17, 3, 15, tzinfo=UTC),
        "in_transit",
        "Zending is gesorteerd",
        "Nieuwegein",
    ),
    (datetime(2026, 11, 18, 5, 30, tzinfo=UTC), "in_transit", "Onderweg naar depot", "Utrecht"),
]


@pytest.fixture
def parcel(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Shipment:
    """One parcel on its way, with a carrier timeline, and the clock stopped on a Wednesday."""
    # Playwright's sync API keeps an event loop in this thread; the ORM calls here are sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setattr(clock, "now", lambda: NOW)
    cache.clear()
    shop = Shop.objects.create(
        name="Tuincentrum De Linde", timezone="Europe/Amsterdam", default_language="nl"
    )
    person = Customer.objects.create(shop=shop, email="s@example.com", name="Sanne de Vries")
    order = Order.objects.create(
        shop=shop,
        order_number="1001",
        customer=person,
        placed_at=NOW,
        currency="EUR",
        ship_name="Sanne de Vries",
        ship_line1="Lindenlaan 12",
        ship_postcode="3511 AB",
        created_at=NOW,
        updated_at=NOW,
    )
    shipment = Shipment.objects.create(
        shop=shop,
        order=order,
        carrier="postnl",
        tracking_number="3SDEVC1234567",
        status="in_transit",
        promised_date=date(2026, 11, 19),
        last_event_at=EVENTS[-1][0],
        created_at=NOW,
        updated_at=NOW,
    )
    for at, status, text, place in EVENTS:
        TrackingEvent.objects.create(
            shop=shop,
            shipment=shipment,
            carrier="postnl",
            tracking_number=shipment.tracking_number,
            occurred_at=at,
            code=f"A{at.hour}",
            status=status,
            description=text,
            location=place,
            received_at=at,
        )
    return shipment


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def test_the_page_reads_well_on_a_phone_in_every_language(
    live_server, parcel: Shipment, browser: Browser
) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport=PHONE)
    for language, headline in HEADLINES.items():
        page.goto(f"{live_server.url}/t/{parcel.public_token}?lang={language}")
        assert page.inner_text("h1") == headline
        assert ESTIMATES[language] in page.inner_text(".estimate")
        assert page.locator("html").get_attribute("lang") == language
        # Nothing sticks out sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert "Sanne" not in page.content()
        page.screenshot(path=str(ARTEFACTS / f"public-{language}.png"), full_page=True)


def test_the_lookup_form_leads_to_the_page(live_server, parcel: Shipment, browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/track/{parcel.shop_id}?lang=en")
    page.fill("input[name=order_number]", "1001")
    page.fill("input[name=postcode]", "3511ac")
    page.click("button[type=submit]")
    assert "We could not find an order with these details." in page.inner_text("[role=alert]")
    page.screenshot(path=str(ARTEFACTS / "public-lookup-en.png"), full_page=True)
    page.fill("input[name=postcode]", "3511ab")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/t/{parcel.public_token}?lang=en")
    assert page.inner_text("h1") == HEADLINES["en"]


def test_a_parcel_that_needs_the_customer_shows_what_to_do(
    live_server, parcel: Shipment, browser: Browser
) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    Shipment.objects.filter(pk=parcel.pk).update(status="available_for_pickup", status_since=NOW)
    Finding.objects.create(
        shop_id=parcel.shop_id,
        shipment=parcel,
        kind="awaiting_pickup",
        evidence={"deadline": "2026-11-25", "days_left": 7},
        opened_at=NOW,
    )
    TrackingEvent.objects.create(
        shop_id=parcel.shop_id,
        shipment=parcel,
        carrier="postnl",
        tracking_number=parcel.tracking_number,
        occurred_at=NOW,
        code="B01",
        status="available_for_pickup",
        description="Zending ligt klaar bij het PostNL-punt",
        location="Primera Oudegracht, Utrecht",
        received_at=NOW,
    )
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/t/{parcel.public_token}?lang=nl")
    assert page.inner_text("h1") == "Je pakket ligt klaar om op te halen"
    todo = page.inner_text(".actions")
    assert "Haal het uiterlijk woensdag 25 november op (nog 7 dagen)." in todo
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTEFACTS / "public-pickup-nl.png"), full_page=True)


def test_a_late_parcel_says_so_on_a_phone(live_server, parcel: Shipment, browser: Browser) -> None:
    Shipment.objects.filter(pk=parcel.pk).update(promised_date=date(2026, 11, 16))
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/t/{parcel.public_token}?lang=fr")
    assert "Nouvelle estimation" in page.inner_text(".estimate")
    assert "jeudi 19 novembre" in page.inner_text(".estimate")
    assert "il était attendu le lundi 16 novembre" in page.inner_text(".status")
    page.screenshot(path=str(ARTEFACTS / "public-late-fr.png"), full_page=True)


def test_the_sms_opt_in_works_in_a_real_browser(
    live_server, parcel: Shipment, browser: Browser
) -> None:
    """Chromium posts the choice from its own same-origin page and the CSRF check accepts it."""
    Customer.objects.filter(orders=parcel.order_id).update(phone="+31612345678")
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/t/{parcel.public_token}?lang=en")
    page.locator("section:has(#updates-title)").screenshot(
        path=str(ARTEFACTS / "public-invite-en.png")
    )
    page.click("text=Choose SMS or WhatsApp updates")
    page.check("input[value=sms]")
    page.screenshot(path=str(ARTEFACTS / "public-updates-en.png"), full_page=True)
    page.click("button[type=submit]")
    assert "Thank you, your choice has been saved." in page.inner_text("[role=status]")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert Customer.objects.get(orders=parcel.order_id).consent == ["sms"]
    page.goto(f"{live_server.url}/t/{parcel.public_token}?lang=en")
    assert "You get delivery updates by text message." in page.content()
