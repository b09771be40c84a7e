"""The return portal in a real headless Chromium at a phone's size: from the tracking page to
the status page, and from the lookup by order number and e-mail; in Dutch and French."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright
from returning import NOW, Bought, buy, png

from conftest import ApiShop
from headless import launch
from parcelcare import clock
from parcelcare.returns.models import ReturnRequest, ReturnSettings

ARTEFACTS = Path(__file__).parent.parent.parent / "test-artifacts"
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(name="shop_order")
def shop_order_fixture(
    transactional_db: None, api_shop: ApiShop, monkeypatch: pytest.MonkeyPatch
) -> Bought:
    """A delivered order, the shop's return address, the clock stopped."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setattr(clock, "now", lambda: NOW)
    cache.clear()
    ReturnSettings.objects.create(
        shop=api_shop.shop,
        return_address="Groenhuis Retouren\nPostbus 12\n3500 AA Utrecht",
        policy={"return_shipping_minor": 495},
    )
    return buy(api_shop)


@pytest.fixture(name="browser")
def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed after the test."""
    with sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


def shot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def fits(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"])


def test_return_from_tracking_page_in_dutch(
    shop_order: Bought, live_server, browser: Browser, tmp_path: Path
):
    photo = tmp_path / "doos.png"
    photo.write_bytes(png())
    page = browser.new_page(viewport=PHONE, locale="nl-NL")
    token = shop_order.order.shipments.get().public_token
    page.goto(f"{live_server.url}/t/{token}?lang=nl")
    page.click("#return-link")
    page.wait_for_selector("h1:has-text('Artikelen retourneren')")
    assert "Je kunt artikelen retourneren tot en met" in page.inner_text("main")
    page.fill(f"#qty_{shop_order.pot.pk}", "3")
    page.select_option("#id_reason", "wrong_size")
    page.click("button[type=submit]")  # the browser itself refuses more than bought
    assert page.eval_on_selector(f"#qty_{shop_order.pot.pk}", "el => el.validity.rangeOverflow")
    assert not ReturnRequest.objects.exists()
    page.fill(f"#qty_{shop_order.pot.pk}", "1")
    page.check("input[name=resolution][value=store_credit]")
    page.set_input_files("#id_photos", str(photo))
    page.fill("#id_comment", "Te klein")
    assert fits(page)
    shot(page, "returns-form-nl")
    page.click("button[type=submit]")
    page.wait_for_selector("#rma")
    item = ReturnRequest.objects.get()
    assert page.inner_text("#rma") == item.rma
    assert "Retour aangevraagd" in page.inner_text("h1")
    assert page.inner_text("#refund-amount").replace("\xa0", " ") == "€ 10,00"
    assert (item.reason, item.resolution, item.photos.count()) == ("wrong_size", "store_credit", 1)
    item.status = "approved"
    item.save()
    page.reload()
    assert "Postbus 12" in page.inner_text("main")
    page.fill("#id_tracking", "3SBACK42")
    page.click("text=Trackingcode opslaan")
    page.wait_for_selector("text=Retourpakket onderweg")
    assert fits(page)
    shot(page, "returns-status-nl")


def test_lookup_by_email_in_french(shop_order: Bought, live_server, browser: Browser):
    page = browser.new_page(viewport=PHONE, locale="fr-FR")
    shop_id = shop_order.order.shop_id
    page.goto(f"{live_server.url}/r/{shop_id}?lang=fr")
    page.fill("#id_order_number", "5001")
    page.fill("#id_postcode_or_email", "nobody@example.com")
    page.click("button[type=submit]")
    assert "Vérifiez les deux champs" in page.inner_text("main")
    page.fill("#id_postcode_or_email", "c5001@example.com")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Retourner des articles')")
    page.fill(f"#qty_{shop_order.seeds.pk}", "1")
    page.select_option("#id_reason", "damaged")
    page.click("button[type=submit]")
    page.wait_for_selector("#rma")
    assert "Retour demandé" in page.inner_text("h1")
    assert fits(page)


def test_agent_walks_a_return_to_the_ledger(shop_order: Bought, live_server, browser: Browser):
    from urllib.parse import urlsplit

    from django.contrib.auth.models import User

    from parcelcare.accounts.models import Membership
    from parcelcare.domain.returns_policy import Pick
    from parcelcare.returns.services import request_return

    user = User.objects.create_user("desk-agent", password="a long password")
    Membership.objects.create(user=user, shop=shop_order.order.shop, role="agent")
    item = request_return(
        order=shop_order.order,
        picks=[Pick(shop_order.pot.pk, 2)],
        reason="damaged",
        resolution="refund",
        language="nl",
        now=NOW,
    )
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
    page.goto(f"{live_server.url}/returns/")
    page.fill("input[name=username]", "desk-agent")
    page.fill("input[name=password]", "a long password")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(lambda address: urlsplit(address).path == "/returns/")
    page.click(f"text={item.rma}")
    page.click("#approve")
    page.wait_for_selector("text=Return approved.")
    page.click("#received")
    page.fill("#deduction", "4.90")
    page.click("#inspected")
    page.wait_for_selector("text=Inspection saved.")
    assert page.inner_text("#refund-due") == "€25.00"
    page.click("#resolve")
    page.wait_for_selector("text=Return resolved.")
    assert "Partial refund" in page.inner_text("#entries")
    shot(page, "returns-desk")
    page.click("nav >> text=Ledger")
    page.wait_for_selector("#per-reason")
    assert "Arrived damaged" in page.inner_text("#per-reason")
    assert "€25.00" in page.inner_text("#entries")
    with page.expect_download() as download:
        page.click("#export")
    csv_text = Path(download.value.path()).read_text()
    assert csv_text.startswith("date,entry,order") and ",25.00,EUR," in csv_text
