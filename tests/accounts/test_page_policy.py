"""Every page under the Content-Security-Policy in a real headless Chromium: no violations.

An agent walks the agent pages (htmx filters, the e-mail preview frame, the live text preview,
the settings pages, the API docs); a customer walks the tracking, report, case, lookup and
opt-out pages of a shop with its own colour and logo."""

import base64
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from tests.cases.browser import chromium  # noqa: F401  (the browser fixture)

from parcelcare import clock
from parcelcare.accounts.models import Membership, Shop
from parcelcare.cases.models import Case
from parcelcare.demo.seed import seed_demo
from parcelcare.messaging.models import OutboxMessage
from parcelcare.tracking.models import Shipment

AGENT, PASSWORD = "policy-owner", "a long password"
LOGO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture(name="demo")
def demo_fixture(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A small demo shop with its own colour and logo, and an owner who signs in."""
    # Playwright's sync API keeps an event loop in this thread; the ORM calls here are sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    summary = seed_demo(orders=120, seed=5, now=clock.now())
    Shop.objects.filter(pk=summary["shop_id"]).update(
        brand_colour="#7c2d12", logo_url="https://logo.example/shop.png"
    )
    owner = User.objects.create_superuser(AGENT, password=PASSWORD)
    Membership.objects.create(user=owner, shop_id=summary["shop_id"], role="owner")
    return {**summary, "owner_id": owner.pk}


class Watched:
    """A page whose policy violations and console errors are collected."""

    def __init__(self, browser: Browser, base: str) -> None:
        self.base = base
        self.page: Page = browser.new_page(locale="nl")
        self.page.add_init_script(WATCH)
        self.page.route(
            "https://logo.example/**",
            lambda route: route.fulfill(body=LOGO, content_type="image/png"),
        )
        self.console: list[str] = []
        self.page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.console.append(message.text)

    def visit(self, path: str) -> Page:
        """Open a page, check it carries the policy, and wait until it settled."""
        response = self.page.goto(f"{self.base}{path}")
        assert response is not None and response.ok, (path, response and response.status)
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        self.page.wait_for_load_state("networkidle")
        return self.page

    def violations(self) -> list[str]:
        """The violations reported in this document and on the console (any frame) so far."""
        found = list(self.page.evaluate("window.__violations || []"))
        return found + self.console


def test_agent_pages_keep_to_the_policy(live_server: Any, demo: dict[str, Any], browser) -> None:
    watched = Watched(browser, live_server.url)
    page = watched.visit("/login/")
    page.fill("input[name=username]", AGENT)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/shipments/")
    assert watched.violations() == []

    # htmx swaps the table; its indicator style carries the nonce.
    page.select_option("select[name=finding]", "delayed")
    page.wait_for_url("**finding=delayed**")
    assert page.locator("table tbody tr").count() > 0
    shipment = Shipment.objects.filter(shop_id=demo["shop_id"]).first()
    assert shipment is not None
    case = Case.objects.filter(shop_id=demo["shop_id"]).first()
    assert case is not None
    mail = OutboxMessage.objects.filter(shop_id=demo["shop_id"], channel="email").first()
    assert mail is not None
    for path in (
        f"/shipments/{shipment.id}/",
        "/cases/",
        f"/cases/{case.id}/",
        "/inbox/",
        "/outbox/",
        "/settings/messages/",
        "/settings/branding/",
        "/settings/desk/",
        "/cases/new",
        "/api/v1/docs",
        "/admin/",
        f"/admin/auth/user/{demo['owner_id']}/change/",
    ):
        watched.visit(path)
        assert watched.violations() == [], path

    # The stored e-mail in its sandboxed frame keeps its inline styling.
    page = watched.visit(f"/outbox/{mail.id}/")
    frame = page.frame_locator("iframe.preview-mail")
    colour = frame.locator("body").evaluate("b => getComputedStyle(b).backgroundColor")
    assert colour == "rgb(243, 244, 246)"
    assert watched.violations() == []

    # The live preview of a shop's own text arrives through htmx and still renders.
    page = watched.visit("/settings/messages/")
    edit = page.locator("a[href*='/email/nl/']").first.get_attribute("href")
    assert edit
    page = watched.visit(edit)
    page.locator("textarea[name=source]").press("End")
    page.locator("textarea[name=source]").type(" Extra.")
    expect(page.locator("#preview iframe")).to_have_attribute("srcdoc", re.compile("Extra\\."))
    assert watched.violations() == []

    # The API docs render from the bundled Swagger UI.
    page = watched.visit("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=10_000)
    assert watched.violations() == []


def test_customer_pages_keep_to_the_policy(live_server: Any, demo: dict[str, Any], browser) -> None:
    watched = Watched(browser, live_server.url)
    case = Case.objects.filter(shop_id=demo["shop_id"]).select_related("shipment").first()
    assert case is not None
    shipment = Shipment.objects.filter(shop_id=demo["shop_id"]).select_related("order").first()
    assert shipment is not None
    customer = shipment.order.customer
    texted = Shipment.objects.filter(shop_id=demo["shop_id"], order__customer__phone__gt="").first()
    assert texted is not None
    for path in (
        f"/t/{texted.public_token}/updates",
        f"/t/{shipment.public_token}",
        f"/t/{shipment.public_token}/report",
        f"/c/{case.public_token}",
        f"/track/{demo['shop_id']}",
        f"/u/{customer.unsubscribe_token}",
        "/admin/login/",
    ):
        page = watched.visit(path)
        assert watched.violations() == [], path
    page = watched.visit(f"/t/{shipment.public_token}")
    # The shop's colour arrives through the nonce-carrying style block.
    brand = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--brand')")
    assert brand.strip() == "#7c2d12"
    assert page.locator("img.shop-logo").evaluate("i => i.naturalWidth") == 1


def test_a_stray_inline_script_is_blocked(live_server: Any, demo: dict[str, Any], browser):
    """The policy really blocks: an inline script added to a page is refused and reported."""
    watched = Watched(browser, live_server.url)
    page = watched.visit("/login/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.head.appendChild(s); }"
    )
    assert page.evaluate("window.__ran === true") is False
    assert any("script-src" in v for v in watched.violations())
