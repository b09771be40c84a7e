"""The message text editor in a real headless Chromium: typing a draft updates the live preview."""

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from headless import launch
from parcelcare import clock
from parcelcare.accounts.models import Membership
from parcelcare.accounts.services import create_shop, update_branding

ARTEFACTS = Path(__file__).parent.parent.parent / "test-artifacts"
DRAFT = (
    "Subject: Nog even geduld, {{ first_name }}\n\n"
    "Hoi {{ first_name }},\n\n"
    "Je pakket van {{ carrier }} is onderweg, maar later dan gepland.\n\n"
    "Volg je pakket: {{ tracking_url }}\n\n"
    "{{ signature }}"
)


@pytest.fixture
def owner(transactional_db: None, django_user_model, monkeypatch: pytest.MonkeyPatch) -> None:
    """A shop with a brand and an owner who can sign in."""
    # Playwright's sync API keeps an event loop in this thread; the ORM calls here are sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    shop, _key = create_shop(name="Groenhuis Wonen & Tuin", language="nl")
    brand = {"brand_colour": "#2f6f4f", "signature": "Lisa\nTeam Groenhuis"}
    update_branding(shop=shop, changes=brand, actor="owner", now=clock.now())
    user = django_user_model.objects.create_user(
        "shop-owner", "eigenaar@groenhuis.example", "a long password"
    )
    Membership.objects.create(user=user, shop=shop, role="owner")


def test_typing_a_draft_updates_the_live_preview(live_server, owner: None) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(locale="nl", viewport={"width": 1400, "height": 1000})
        page.goto(f"{live_server.url}/settings/messages/delayed_1/email/nl/")
        page.fill("input[name=username]", "shop-owner")
        page.fill("input[name=password]", "a long password")
        page.press("input[name=password]", "Enter")
        preview = page.locator("#preview")
        expect(preview).to_contain_text("Sanne")  # our text, rendered with the sample customer
        page.fill("textarea[name=source]", DRAFT)
        expect(preview).to_contain_text("Nog even geduld, Sanne", timeout=10_000)
        expect(preview).to_contain_text("later dan gepland")
        frame = page.frame_locator("#preview iframe")
        expect(frame.locator("body")).to_contain_text("Lisa")
        # The test e-mail goes out through htmx: the page stays, the editor keeps the draft.
        page.get_by_role("button", name="Stuur mij een test").click()
        expect(page.locator("#test-result")).to_contain_text("eigenaar@groenhuis.example")
        assert "Nog even geduld" in page.input_value("textarea[name=source]")
        page.screenshot(path=str(ARTEFACTS / "override-editor.png"), full_page=True)
        # A mistake shows where it is, live, before anything is saved.
        page.fill("textarea[name=source]", DRAFT + "\n{{ voornaam }}")
        expect(preview).to_contain_text("Line 10: unknown variable {{ voornaam }}")
        page.screenshot(path=str(ARTEFACTS / "override-editor-error.png"), full_page=True)
        browser.close()
