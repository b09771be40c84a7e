"""Headless Chromium for the case desk's browser tests (import the fixtures into a module).

`desk_shop` stops the clock on a Friday and gives the shop an agent who signs in; `chromium`
is Debian's Chromium driven by Playwright. Screenshots go to test-artifacts/."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from conftest import NOW, ApiShop
from headless import launch
from parcelcare import clock
from parcelcare.accounts.models import Membership

ARTEFACTS = Path(__file__).parent.parent.parent / "test-artifacts"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESK: ViewportSize = {"width": 1366, "height": 900}
LATER = NOW + timedelta(days=2)
"""Friday 20 November: the carrier takes loss claims from the 19th on."""
AGENT, PASSWORD = "desk-agent", "a long password"


def freeze(monkeypatch: pytest.MonkeyPatch, moment: object) -> None:
    """Stop the clock the pages and services read (the live server runs in this process)."""
    monkeypatch.setattr(clock, "now", lambda: moment)


@pytest.fixture(name="desk_shop")
def desk_shop_fixture(
    transactional_db: None, api_shop: ApiShop, monkeypatch: pytest.MonkeyPatch
) -> ApiShop:
    """The shop under test with a contact address and an agent, the clock stopped at LATER."""
    # Playwright's sync API keeps an event loop in this thread; the ORM calls here are sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    freeze(monkeypatch, LATER)
    cache.clear()
    api_shop.shop.contact_email = "klantenservice@tuin.example"
    api_shop.shop.save()
    user = User.objects.create_user(AGENT, password=PASSWORD)
    Membership.objects.create(user=user, shop=api_shop.shop, role="agent")
    return api_shop


@pytest.fixture(name="browser")
def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed after the test."""
    with sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


def shot(page: Page, name: str) -> None:
    """A full-page screenshot in test-artifacts/<name>.png."""
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def fits(page: Page, width: int) -> bool:
    """Nothing sticks out sideways."""
    return bool(page.evaluate("document.documentElement.scrollWidth") <= width)


def agent_logs_in(page: Page, url: str, next_path: str = "/cases/") -> None:
    """Sign in as the shop's agent on the way to `next_path`."""
    page.goto(f"{url}{next_path}")
    page.fill("input[name=username]", AGENT)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(lambda address: urlsplit(address).path == next_path)
