"""A shop's own message texts: refused with the line when broken, saved with audit by owners
only, previewed live, sent as a test to the owner, and listed on the overview."""

import pytest
from django.test import Client

from conftest import NOW, ApiShop
from parcelcare import clock
from parcelcare.accounts.models import AuditEntry, Membership, Shop
from parcelcare.domain.notify_policy import Channel, MessageKind
from parcelcare.messaging import channels
from parcelcare.messaging.models import TemplateOverride
from parcelcare.messaging.overrides import (
    Slot,
    default_source,
    render_draft,
    reset_override,
    save_override,
    slots,
)

EDIT = "/settings/messages/delayed_1/email/nl/"
GOOD = (
    "Subject: Je bestelling {{ order_number }} komt later\n\n"
    "Hoi {{ first_name }},\n\n"
    "Sorry! {{ carrier }} heeft wat meer tijd nodig voor bestelling {{ order_number }}.\n\n"
    "Volg je pakket: {{ tracking_url }}\n\n"
    "Groet,\n{{ signature }}"
)
UNKNOWN_ON_LINE_3 = "Subject: Vertraging\n\nHoi {{ voornaam }},\nJe pakket komt later."
UNCLOSED_ON_LINE_3 = "Subject: Vertraging\n\n{% if first_name %}Hoi {{ first_name }},\nTot snel."
SLOT = Slot(MessageKind.DELAYED_1, Channel.EMAIL, "nl")


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture(autouse=True)
def memory_mail(settings) -> None:
    settings.SMTP_URL = ""
    channels.memory().clear()


def member(shop: Shop, django_user_model, role: str, email: str = "", **options: bool) -> Client:
    """A client signed in as a member of the shop with `role`."""
    user = django_user_model.objects.create_user(f"{role}-{shop.id}", email, "pw")
    Membership.objects.create(user=user, shop=shop, role=role)
    client = Client(**options)
    client.force_login(user)
    return client


def test_slots_cover_every_kind_with_a_text_in_each_language() -> None:
    assert SLOT in slots()
    assert Slot(MessageKind.NOT_SHIPPED_MERCHANT, Channel.EMAIL, "de") in slots()
    assert Slot.parse("not_shipped_merchant", "sms", "nl") is None  # merchants get e-mail only
    assert Slot.parse("delayed_1", "whatsapp", "nl") is None  # WhatsApp reads the SMS text
    assert Slot.parse("delayed_1", "email", "es") is None
    assert Slot.parse("agent_followup", "email", "nl") is None
    assert default_source(SLOT).startswith("Subject:")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (UNKNOWN_ON_LINE_3, "Line 3: unknown variable {{ voornaam }}"),
        (UNCLOSED_ON_LINE_3, "Line 3: Unclosed tag"),
        ("Hoi {{ first_name }}", "Line 1: an e-mail template starts with a line 'Subject: …'"),
        ("Subject: X\n\n{% include 'secrets.txt' %}", "Line 3: the tag {% include %}"),
    ],
)
def test_a_broken_text_is_refused_with_its_line(
    api_shop: ApiShop, django_user_model, source: str, expected: str
) -> None:
    user = django_user_model.objects.create_user("o", "", "pw")
    error = save_override(shop=api_shop.shop, slot=SLOT, source=source, user=user, now=NOW)
    assert error is not None and error.startswith(expected)
    assert not TemplateOverride.objects.exists()
    assert not AuditEntry.objects.filter(subject_type="template_override").exists()


def test_saving_and_resetting_are_audited(api_shop: ApiShop, django_user_model) -> None:
    user = django_user_model.objects.create_user("owner-x", "", "pw")
    assert save_override(shop=api_shop.shop, slot=SLOT, source=GOOD, user=user, now=NOW) is None
    changed = GOOD.replace("Sorry!", "Excuses!")
    assert save_override(shop=api_shop.shop, slot=SLOT, source=changed, user=user, now=NOW) is None
    saved = TemplateOverride.objects.get()
    assert (saved.source, saved.updated_by, saved.language) == (changed, user, "nl")
    entries = AuditEntry.objects.filter(subject_type="template_override").order_by("id")
    assert [e.action for e in entries] == ["template_override_saved"] * 2
    assert entries[0].before is None and entries[1].before["source"] == GOOD
    assert entries[1].after == {"kind": "delayed_1", "channel": "email", "language": "nl",
                                "source": changed}  # fmt: skip
    assert reset_override(shop=api_shop.shop, slot=SLOT, user=user, now=NOW)
    assert not TemplateOverride.objects.exists()
    assert AuditEntry.objects.filter(action="template_override_removed").count() == 1
    assert not reset_override(shop=api_shop.shop, slot=SLOT, user=user, now=NOW)


def test_the_draft_renders_with_a_sample_in_the_shops_brand(api_shop: ApiShop) -> None:
    shop = api_shop.shop
    shop.brand_colour, shop.signature = "#2f6f4f", "Lisa\nTeam Test Shop"
    rendered = render_draft(shop, SLOT, GOOD, NOW)
    assert rendered.subject == "Je bestelling 1042 komt later"
    assert "Hoi Sanne," in rendered.text and "Lisa\nTeam Test Shop" in rendered.text
    assert "#2f6f4f" in rendered.html and "PostNL" in rendered.text


def test_the_owner_saves_a_text_through_the_page(api_shop: ApiShop, django_user_model) -> None:
    owner = member(api_shop.shop, django_user_model, "owner")
    page = owner.get(EDIT, headers={"Accept-Language": "de"}).content.decode()
    assert "Vorschau" in page and "Subject:" in page and "srcdoc=" in page
    answer = owner.post(EDIT, {"source": GOOD})
    assert answer.status_code == 302
    assert TemplateOverride.objects.get().source == GOOD
    entry = AuditEntry.objects.get(action="template_override_saved")
    assert entry.actor == f"owner-{api_shop.shop.id}" and entry.after["source"] == GOOD
    overview = owner.get("/settings/messages/", headers={"Accept-Language": "nl"}).content
    assert "Eigen tekst" in overview.decode() and "Berichtteksten" in overview.decode()


def test_the_page_refuses_a_broken_text_with_its_line(api_shop: ApiShop, django_user_model) -> None:
    owner = member(api_shop.shop, django_user_model, "owner")
    answer = owner.post(EDIT, {"source": UNKNOWN_ON_LINE_3}, headers={"Accept-Language": "nl"})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Niet opgeslagen: Line 3: unknown variable {{ voornaam }}" in page
    assert UNKNOWN_ON_LINE_3.split("\n")[2] in page  # the draft stays in the editor
    assert not TemplateOverride.objects.exists()


@pytest.mark.parametrize("role", ["agent", "viewer"])
def test_agents_and_viewers_cannot_save_test_or_reset(
    api_shop: ApiShop, django_user_model, role: str
) -> None:
    client = member(api_shop.shop, django_user_model, role, email="me@shop.example")
    page = client.get(EDIT).content.decode()
    assert "readonly" in page and "Only the shop" in page
    assert client.post(EDIT, {"source": GOOD}).status_code == 403
    assert client.post(f"{EDIT}test", {"source": GOOD}).status_code == 403
    assert client.post(EDIT, {"reset": "1"}).status_code == 403
    assert not TemplateOverride.objects.exists() and not channels.memory().sent
    assert client.post(f"{EDIT}preview", {"source": GOOD}).status_code == 200


def test_forms_need_the_csrf_token(api_shop: ApiShop, django_user_model) -> None:
    owner = member(api_shop.shop, django_user_model, "owner", enforce_csrf_checks=True)
    assert owner.post(EDIT, {"source": GOOD}).status_code == 403
    assert owner.post(f"{EDIT}preview", {"source": GOOD}).status_code == 403
    token = owner.get(EDIT).cookies["csrftoken"].value
    assert owner.post(EDIT, {"source": GOOD, "csrfmiddlewaretoken": token}).status_code == 302


def test_the_live_preview_follows_the_draft(api_shop: ApiShop, django_user_model) -> None:
    owner = member(api_shop.shop, django_user_model, "owner")
    headers = {"HX-Request": "true"}
    good = owner.post(f"{EDIT}preview", {"source": GOOD}, headers=headers).content.decode()
    assert "Je bestelling 1042 komt later" in good and "<iframe" in good and "sandbox" in good
    assert "<html" not in good  # a fragment for htmx, not a page
    bad = owner.post(f"{EDIT}preview", {"source": UNCLOSED_ON_LINE_3}, headers=headers)
    assert bad.status_code == 200 and "Line 3" in bad.content.decode()
    sms = owner.post(
        "/settings/messages/delayed_3/sms/fr/preview", {"source": "{{ shop_name }}: {{ level }}"}
    ).content.decode()
    assert "Test Shop: 3" in sms and "<iframe" not in sms


def test_send_test_mails_the_draft_to_the_owner(api_shop: ApiShop, django_user_model) -> None:
    owner = member(api_shop.shop, django_user_model, "owner", email="eigenaar@shop.example")
    answer = owner.post(f"{EDIT}test", {"source": GOOD}, headers={"HX-Request": "true"})
    assert "eigenaar@shop.example" in answer.content.decode()
    (sent,) = channels.memory().sent
    assert (
        sent.to == "eigenaar@shop.example"
        and sent.subject == "[Test] Je bestelling 1042 komt later"
    )
    assert "Test Shop" in sent.sender and sent.html
    assert not TemplateOverride.objects.exists()  # a test is not a save
    broken = owner.post(f"{EDIT}test", {"source": UNKNOWN_ON_LINE_3})
    assert "Line 3" in broken.content.decode() and len(channels.memory().sent) == 1


def test_send_test_without_an_address_says_so(api_shop: ApiShop, django_user_model) -> None:
    owner = member(api_shop.shop, django_user_model, "owner")
    answer = owner.post(f"{EDIT}test", {"source": GOOD}, headers={"HX-Request": "true"})
    assert "no e-mail address" in answer.content.decode() and not channels.memory().sent


def test_unknown_texts_are_404_and_other_shops_overrides_stay_apart(
    api_shop: ApiShop, other_shop: ApiShop, django_user_model
) -> None:
    owner = member(api_shop.shop, django_user_model, "owner")
    assert owner.get("/settings/messages/agent_followup/email/nl/").status_code == 404
    assert owner.get("/settings/messages/delayed_1/fax/nl/").status_code == 404
    other = member(other_shop.shop, django_user_model, "owner")
    assert other.post(EDIT, {"source": GOOD}).status_code == 302
    assert (
        "Eigen tekst"
        not in owner.get("/settings/messages/", headers={"Accept-Language": "nl"}).content.decode()
    )
    assert TemplateOverride.objects.get().shop == other_shop.shop
