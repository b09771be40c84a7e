"""The customer's return portal: lookup, form, refusals, status page and survey, in four
languages, rate-limited, and never another shop's order."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from returning import NOW, Bought, bought_order, buy, png  # noqa: F401

from conftest import ApiShop
from parcelcare import clock
from parcelcare.returns.models import Feedback, ReturnRequest, ReturnSettings


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock stopped, and no rate-limit counts left from another test."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    cache.clear()


def found(client: Client, shop_id: int, number: str, secret: str, lang: str = "en"):
    return client.post(
        f"/r/{shop_id}?lang={lang}", {"order_number": number, "postcode_or_email": secret}
    )


@pytest.mark.parametrize("secret", ["3511ab", "C5001@example.com"])
def test_lookup_by_postcode_or_email_opens_the_form(api_shop: ApiShop, bought: Bought, secret):
    client = Client()
    answer = found(client, api_shop.shop.pk, "#5001", secret)
    assert answer.status_code == 303 and answer["Location"].endswith("/new?lang=en")
    form = client.get(answer["Location"])
    assert form.status_code == 200 and b"Terracotta pot 30 cm" in form.content
    assert form["Cache-Control"] == "no-store"


def test_wrong_guess_and_other_shop_learn_nothing(api_shop, other_shop, bought: Bought):
    client = Client()
    assert b"could not find" in found(client, api_shop.shop.pk, "5001", "9999ZZ").content
    assert b"could not find" in found(client, other_shop.shop.pk, "5001", "3511AB").content
    assert client.get(f"/r/{other_shop.shop.pk}/new").status_code == 303
    for _ in range(10):
        found(client, api_shop.shop.pk, "5001", "0000AA")
    assert found(client, api_shop.shop.pk, "5001", "3511AB").status_code == 429


def submit(client: Client, token: str, lang: str, **fields):
    return client.post(f"/t/{token}/return?lang={lang}", fields)


@pytest.mark.parametrize(
    ("lang", "closed", "quantity"),
    [
        ("en", "closed on Monday, December 14 2026", "at most 2 of POT-30"),
        ("nl", "gesloten op maandag 14 december 2026", "maximaal 2 van POT-30"),
        ("de", "am Montag, 14. Dezember 2026 geendet", "höchstens 2 von POT-30"),
        ("fr", "a pris fin le lundi 14 décembre 2026", "au maximum 2 de POT-30"),
    ],
)
def test_refusals_in_four_languages(api_shop, bought: Bought, monkeypatch, lang, closed, quantity):
    token = bought.order.shipments.get().public_token
    client = Client()
    too_many = submit(
        client,
        token,
        lang,
        **{f"qty_{bought.pot.pk}": "3", "reason": "wrong_size", "resolution": "refund"},
    )
    assert too_many.status_code == 400
    assert quantity in too_many.content.decode()
    later = NOW.replace(month=12, day=20)
    monkeypatch.setattr(clock, "now", lambda: later)
    late = submit(
        client,
        token,
        lang,
        **{f"qty_{bought.pot.pk}": "1", "reason": "wrong_size", "resolution": "refund"},
    )
    assert late.status_code == 400
    assert closed in late.content.decode()
    assert not ReturnRequest.objects.exists()


def test_submit_with_photo_then_status_page_and_survey(api_shop: ApiShop, bought: Bought):
    ReturnSettings.objects.create(
        shop=api_shop.shop, return_address="Groenhuis Retouren\nPostbus 12\n3500 AA Utrecht"
    )
    token = bought.order.shipments.get().public_token
    client = Client()
    tracking = client.get(f"/t/{token}?lang=de")
    assert f"/t/{token}/return?lang=de" in tracking.content.decode()
    photo = SimpleUploadedFile("kapot.png", png(), content_type="image/png")
    fields = {
        f"qty_{bought.seeds.pk}": "2",
        "reason": "damaged",
        "resolution": "refund",
        "comment": "Doos kapot",
        "photos": photo,
    }
    answer = client.post(f"/t/{token}/return?lang=de", fields)
    assert answer.status_code == 303
    item = ReturnRequest.objects.get()
    assert (item.language, item.refund_minor, item.photos.count()) == ("de", 598, 1)
    page = client.get(answer["Location"]).content.decode()
    assert "Rücksendung beantragt" in page and item.rma in page
    item.status = "approved"
    item.save()
    page = client.get(answer["Location"]).content.decode()
    assert "Postbus 12" in page and "Sendungsnummer Ihres" in page
    saved = client.post(answer["Location"], {"tracking_number": "3sback1", "carrier": "dhl"})
    assert saved.status_code == 303
    item.refresh_from_db()
    assert (item.status, item.return_tracking_number) == ("in_transit", "3SBACK1")
    survey = Feedback.objects.create(
        shop=api_shop.shop, request=item, language="de", reason="damaged", created_at=NOW
    )
    clicked = client.get(f"/f/{survey.token}?score=4")
    assert clicked.status_code == 200 and "4" in clicked.content.decode()
    client.post(f"/f/{survey.token}", {"score": "4", "comment": "Schnell erledigt"})
    survey.refresh_from_db()
    assert (survey.score, survey.comment, survey.answered_at) == (4, "Schnell erledigt", NOW)
    assert client.get(f"/f/{survey.token}?score=9").status_code == 200
    survey.refresh_from_db()
    assert survey.score == 4


def test_unknown_links_are_404(db: None):
    client = Client()
    for path in ("/rs/nope-nope-nope", "/f/nope-nope-nope", "/t/nope-nope-nope/return", "/r/999"):
        assert client.get(path).status_code == 404


def test_status_page_shows_no_personal_data(api_shop: ApiShop, bought: Bought):
    token = bought.order.shipments.get().public_token
    client = Client()
    answer = submit(
        client,
        token,
        "en",
        **{f"qty_{bought.pot.pk}": "1", "reason": "wrong_size", "resolution": "refund"},
    )
    page = client.get(answer["Location"]).content.decode()
    assert "Sanne" not in page and "Lindenlaan" not in page and "@example.com" not in page
    assert re.search(r"RMA-[A-Z0-9]{4}-[A-Z0-9]{4}", page)


def test_the_tracking_page_offers_a_return_only_once_delivered(api_shop: ApiShop) -> None:
    moving = buy(
        api_shop,
        "5002",
        journey=[{"at": "2026-11-17T08:00:00+01:00", "code": "X1", "status": "in_transit"}],
    )
    delivered = buy(api_shop, "5003")
    client = Client()
    for bought, offered in ((moving, False), (delivered, True)):
        token = bought.order.shipments.get().public_token
        page = client.get(f"/t/{token}?lang=en").content.decode()
        assert ('id="return-link"' in page) is offered
