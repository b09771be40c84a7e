"""The agent pages in a real headless Chromium: log in, filter with htmx, open a shipment."""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from headless import launch
from parcelcare.accounts.models import Membership
from parcelcare.demo.seed import seed_demo
from parcelcare.tracking.models import Shipment

ARTEFACTS = Path(__file__).parent.parent.parent / "test-artifacts"
LANGUAGES = {"nl": "Zendingen", "de": "Sendungen", "en": "Shipments", "fr": "Expéditions"}


@pytest.fixture
def demo(transactional_db: None, django_user_model, monkeypatch: pytest.MonkeyPatch):
    """A small demo shop and an agent who belongs to it."""
    # Playwright's sync API keeps an event loop in this thread; the ORM calls here are sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from parcelcare import clock

    summary = seed_demo(orders=300, seed=5, now=clock.now())
    agent = django_user_model.objects.create_user("browser-agent", password="a long password")
    Membership.objects.create(user=agent, shop_id=summary["shop_id"], role="agent")
    return summary


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_agent_walks_the_shipment_pages(live_server, demo, language: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    late = Shipment.objects.filter(findings__kind="delayed", findings__closed_at=None).first()
    assert late is not None
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(locale=language, viewport={"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/shipments/")
        page.fill("input[name=username]", "browser-agent")
        page.fill("input[name=password]", "a long password")
        page.press("input[name=password]", "Enter")
        page.wait_for_selector("table")
        assert LANGUAGES[language] in page.inner_text("h1")
        page.screenshot(path=str(ARTEFACTS / f"shipments-{language}.png"))
        # Filtering by a finding swaps only the table (htmx) and keeps the URL shareable.
        page.select_option("select[name=finding]", "delayed")
        page.wait_for_url("**finding=delayed**")
        rows = page.locator("table tbody tr")
        assert rows.count() > 0
        page.goto(f"{live_server.url}/shipments/{late.id}/")
        assert late.tracking_number in page.content()
        page.screenshot(path=str(ARTEFACTS / f"shipment-{language}.png"), full_page=True)
        browser.close()
