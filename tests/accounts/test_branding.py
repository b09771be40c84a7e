"""A shop's brand: validated fields, the owner-only settings page with audit, the tracking page."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import NOW, ApiShop, order_payload
from parcelcare import clock
from parcelcare.accounts.branding import DEFAULT_COLOUR, brand_of
from parcelcare.accounts.models import AuditEntry, Membership, Shop
from parcelcare.accounts.services import update_branding
from parcelcare.tracking.models import Shipment


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def login(shop: Shop, django_user_model, role: str, **client: bool) -> Client:
    """A client signed in as a member of the shop with `role`."""
    user = django_user_model.objects.create_user(f"{role}-1", f"{role}@shop.example", "pw")
    Membership.objects.create(user=user, shop=shop, role=role)
    browser = Client(**client)
    browser.force_login(user)
    return browser


BRAND = {
    "brand_colour": "#2f6f4f",
    "logo_url": "https://cdn.groenhuis.example/logo.svg",
    "sender_name": "Lisa van Groenhuis",
    "reply_to": "klantenservice@groenhuis.example",
    "signature": "Lisa\nTeam Groenhuis",
    "carrier_notifies": ["postnl", "dhl"],
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("brand_colour", "red"),
        ("brand_colour", "#12345"),
        ("brand_colour", "#fff;background:url(x)"),
        ("logo_url", "http://cdn.example/logo.png"),
        ("logo_url", "javascript:alert(1)"),
        ("reply_to", "not an address"),
        ("carrier_notifies", "postnl"),
    ],
)
def test_bad_brand_values_are_refused(api_shop: ApiShop, field: str, value: str) -> None:
    with pytest.raises(ValidationError) as refused:
        update_branding(shop=api_shop.shop, changes={field: value}, actor="t", now=NOW)
    assert field in refused.value.message_dict
    assert not AuditEntry.objects.filter(action="branding_changed").exists()


def test_branding_is_saved_with_an_audit_entry_of_what_changed(api_shop: ApiShop) -> None:
    shop = api_shop.shop
    assert shop.display_name == "Test Shop"
    changed = update_branding(shop=shop, changes=BRAND, actor="owner", now=NOW)
    assert sorted(changed) == sorted(BRAND)
    fresh = Shop.objects.get(pk=shop.pk)
    assert fresh.display_name == "Lisa van Groenhuis" and fresh.carrier_notifies == [
        "postnl",
        "dhl",
    ]
    entry = AuditEntry.objects.get(action="branding_changed")
    assert entry.before["brand_colour"] == "" and entry.after["brand_colour"] == "#2f6f4f"
    assert update_branding(shop=fresh, changes=BRAND, actor="owner", now=NOW) == []
    assert AuditEntry.objects.filter(action="branding_changed").count() == 1


def test_the_brand_falls_back_to_the_neutral_look(api_shop: ApiShop) -> None:
    plain = brand_of(api_shop.shop)
    assert (plain.colour, plain.logo_url, plain.custom) == (DEFAULT_COLOUR, "", False)
    api_shop.shop.brand_colour, api_shop.shop.logo_url = "#ffd700", "https://x.example/l.png"
    light = brand_of(api_shop.shop)
    assert light.custom and light.ink == "#111111" and light.logo_url.startswith("https://")


def test_the_owner_edits_the_branding_page(api_shop: ApiShop, django_user_model) -> None:
    owner = login(api_shop.shop, django_user_model, "owner")
    page = owner.get("/settings/branding/", headers={"Accept-Language": "nl"}).content.decode()
    assert "Huisstijl" in page and 'name="brand_colour"' in page and "PostNL" in page
    answer = owner.post("/settings/branding/", BRAND)
    assert answer.status_code == 302
    shop = Shop.objects.get(pk=api_shop.shop.pk)
    assert shop.brand_colour == "#2f6f4f" and shop.reply_to == "klantenservice@groenhuis.example"
    assert AuditEntry.objects.get(action="branding_changed").actor == "owner-1"


def test_a_bad_colour_is_shown_and_nothing_is_saved(api_shop: ApiShop, django_user_model) -> None:
    owner = login(api_shop.shop, django_user_model, "owner")
    answer = owner.post("/settings/branding/", {**BRAND, "brand_colour": "groen"})
    assert answer.status_code == 400
    assert "#rrggbb" in answer.content.decode()
    assert Shop.objects.get(pk=api_shop.shop.pk).brand_colour == ""


@pytest.mark.parametrize("role", ["agent", "viewer"])
def test_agents_and_viewers_read_but_cannot_save(
    api_shop: ApiShop, django_user_model, role: str
) -> None:
    member = login(api_shop.shop, django_user_model, role)
    page = member.get("/settings/branding/").content.decode()
    assert "disabled" in page and "Only the shop" in page
    assert member.post("/settings/branding/", BRAND).status_code == 403
    assert Shop.objects.get(pk=api_shop.shop.pk).brand_colour == ""


def test_the_form_needs_its_csrf_token(api_shop: ApiShop, django_user_model) -> None:
    owner = login(api_shop.shop, django_user_model, "owner", enforce_csrf_checks=True)
    assert owner.post("/settings/branding/", BRAND).status_code == 403
    page = owner.get("/settings/branding/")
    token = page.cookies["csrftoken"].value
    assert (
        owner.post("/settings/branding/", {**BRAND, "csrfmiddlewaretoken": token}).status_code
        == 302
    )


def test_the_tracking_page_wears_the_shop_brand(api_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload())
    token = Shipment.objects.get().public_token
    plain = Client().get(f"/t/{token}").content.decode()
    assert "--brand:" not in plain and "shop-logo" not in plain and "Test Shop" in plain
    update_branding(shop=api_shop.shop, changes=BRAND, actor="owner", now=NOW)
    page = Client().get(f"/t/{token}").content.decode()
    assert "--brand: #2f6f4f; --brand-ink: #ffffff;" in page
    assert 'class="shop-logo" src="https://cdn.groenhuis.example/logo.svg" alt="Test Shop"' in page
    lookup = Client().get(f"/track/{api_shop.shop.id}").content.decode()
    assert "--brand: #2f6f4f" in lookup
