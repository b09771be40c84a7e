"""The customer's tracking page and lookup: wording per status and language, estimates, privacy,
404s, lookup matching and normalisation, generic errors and the rate limit."""

import html
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from django.core.cache import cache
from django.test import Client

from parcelcare import clock
from parcelcare.accounts.models import Shop
from parcelcare.i18n import LOCALE_DIR
from parcelcare.tracking import public_format, public_lookup
from parcelcare.tracking.models import Customer, Finding, Order, Shipment, TrackingEvent
from parcelcare.tracking.public_views import LOOKUPS

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
"""A Wednesday; 13:00 in Amsterdam."""
SHOP = "Tuincentrum De Linde"
NAME, EMAIL, PHONE = "Sanne de Vries", "sanne.devries@example.com", "+31612345678"
STREET = "Lindenlaan 12"
SRC = Path(__file__).resolve().parents[2] / "src" / "parcelcare" / "tracking"


# --- data --------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture(autouse=True)
def fresh_limits() -> None:
    """Rate-limit counters live in the process-wide cache; every test starts from zero."""
    cache.clear()


@pytest.fixture
def shop(db: None) -> Shop:
    return Shop.objects.create(
        name=SHOP, timezone="Europe/Amsterdam", country="NL", default_language="nl"
    )


def make_order(shop: Shop, number: str = "1001", language: str = "en") -> Order:
    """An order with a full set of personal data, none of which the page may show."""
    person = Customer.objects.create(
        shop=shop, email=f"{number}-{EMAIL}", name=NAME, phone=PHONE, language=language
    )
    return Order.objects.create(
        shop=shop,
        order_number=number,
        customer=person,
        placed_at=NOW - timedelta(days=6),
        currency="EUR",
        ship_name=NAME,
        ship_line1=STREET,
        ship_postcode="3511 AB",
        ship_city="Utrecht",
        ship_country="NL",
        created_at=NOW,
        updated_at=NOW,
    )


def make_shipment(
    shop: Shop,
    *,
    number: str = "1001",
    language: str = "en",
    status: str = "in_transit",
    reason: str = "",
    promised: date | None = date(2026, 11, 20),
    **fields: Any,
) -> Shipment:
    """One order with one shipment in the given state."""
    order = make_order(shop, number, language)
    return Shipment.objects.create(
        shop=shop,
        order=order,
        carrier="postnl",
        tracking_number=f"3S{number}NL",
        status=status,
        reason=reason,
        promised_date=promised,
        status_since=NOW - timedelta(hours=3),
        last_event_at=NOW - timedelta(hours=3),
        created_at=NOW,
        updated_at=NOW,
        **fields,
    )


def add_event(shipment: Shipment, at: datetime, status: str | None, text: str, place: str) -> None:
    TrackingEvent.objects.create(
        shop=shipment.shop,
        shipment=shipment,
        carrier=shipment.carrier,
        tracking_number=shipment.tracking_number,
        occurred_at=at,
        code=f"C{at.timestamp():.0f}",
        status=status,
        description=text,
        location=place,
        received_at=at,
    )


def add_finding(shipment: Shipment, kind: str, **fields: Any) -> None:
    Finding.objects.create(
        shop=shipment.shop, shipment=shipment, kind=kind, opened_at=NOW, **fields
    )


def text_of(response: Any) -> str:
    """The page's text with entities decoded and whitespace collapsed, for plain assertions."""
    body = html.unescape(response.content.decode())
    return re.sub(r"\s+", " ", body)


def headline_of(response: Any) -> str:
    found = re.search(r'<h1 id="headline">(.*?)</h1>', text_of(response))
    assert found, "no headline"
    return found.group(1)


def visit(shipment: Shipment, lang: str | None = None) -> Any:
    query = f"?lang={lang}" if lang else ""
    response = Client().get(f"/t/{shipment.public_token}{query}")
    assert response.status_code == 200
    return response


# --- wording per status, in every language -----------------------------------------------------

HEADLINES = {
    "pending": (
        "Your order is being prepared",
        "Je bestelling wordt klaargemaakt",
        "Ihre Bestellung wird vorbereitet",
        "Votre commande est en préparation",
    ),
    "info_received": (
        "Your parcel is ready to ship",
        "Je pakket staat klaar voor verzending",
        "Ihr Paket ist versandbereit",
        "Votre colis est prêt à être expédié",
    ),
    "in_transit": (
        "Your parcel is on its way",
        "Je pakket is onderweg",
        "Ihr Paket ist unterwegs",
        "Votre colis est en route",
    ),
    "out_for_delivery": (
        "Your parcel is out for delivery",
        "De bezorger is onderweg met je pakket",
        "Ihr Paket ist in Zustellung",
        "Votre colis est en cours de livraison",
    ),
    "failed_attempt": (
        "Your parcel could not be delivered",
        "Je pakket kon niet worden bezorgd",
        "Ihr Paket konnte nicht zugestellt werden",
        "Votre colis n\u2019a pas pu être livré",
    ),
    "available_for_pickup": (
        "Your parcel is ready for pickup",
        "Je pakket ligt klaar om op te halen",
        "Ihr Paket liegt zur Abholung bereit",
        "Votre colis vous attend au point de retrait",
    ),
    "delivered": (
        "Your parcel has been delivered",
        "Je pakket is bezorgd",
        "Ihr Paket wurde zugestellt",
        "Votre colis a été livré",
    ),
    "exception": (
        "There is a problem with your delivery",
        "Er is een probleem met de bezorging",
        "Bei der Zustellung gibt es ein Problem",
        "Un problème est survenu lors de la livraison",
    ),
    "returning": (
        f"Your parcel is on its way back to {SHOP}",
        f"Je pakket gaat terug naar {SHOP}",
        f"Ihr Paket geht zurück an {SHOP}",
        f"Votre colis est en retour vers {SHOP}",
    ),
    "returned": (
        f"Your parcel is back at {SHOP}",
        f"Je pakket is terug bij {SHOP}",
        f"Ihr Paket ist wieder bei {SHOP}",
        f"Votre colis est de retour chez {SHOP}",
    ),
    "expired": (
        "There are no new updates on your parcel",
        "Er zijn geen nieuwe updates over je pakket",
        "Es gibt keine neuen Informationen zu Ihrem Paket",
        "Aucune nouvelle information sur votre colis",
    ),
    "cancelled": (
        "This shipment has been cancelled",
        "Deze zending is geannuleerd",
        "Diese Sendung wurde storniert",
        "Cet envoi a été annulé",
    ),
}
LANGS = ("en", "nl", "de", "fr")
CASES = [
    (status, lang, words[i]) for status, words in HEADLINES.items() for i, lang in enumerate(LANGS)
]


@pytest.mark.parametrize(("status", "lang", "expected"), CASES)
def test_every_status_has_plain_words_in_every_language(
    shop: Shop, status: str, lang: str, expected: str
) -> None:
    shipment = make_shipment(shop, status=status, language=lang, delivered_at=NOW)
    response = visit(shipment)
    assert headline_of(response) == expected
    assert f'<html lang="{lang}">' in response.content.decode()
    assert response["Content-Language"] == lang


REASONS = {
    "address_issue": "The carrier could not deliver to the address as given.",
    "recipient_unavailable": "Nobody was available to receive the parcel.",
    "refused": "The parcel was refused at the delivery address.",
    "damaged": "The carrier reports that the parcel was damaged.",
    "lost": "The carrier cannot locate the parcel at the moment.",
    "customs_hold": "The parcel is being held at customs.",
    "carrier_delay": "The carrier is running behind schedule.",
    "weather": "Bad weather is slowing down deliveries.",
    "access_problem": "The driver could not reach the delivery address.",
    "held_at_depot": "The parcel is being held at the carrier's depot.",
    "missing_documents": "The carrier needs documents before it can deliver.",
    "other": "The carrier reported a problem with the delivery.",
}


@pytest.mark.parametrize(("reason", "sentence"), REASONS.items())
def test_a_carrier_exception_says_why_and_that_the_shop_is_on_it(
    shop: Shop, reason: str, sentence: str
) -> None:
    text = text_of(visit(make_shipment(shop, status="exception", reason=reason)))
    assert sentence in text
    assert f"{SHOP} is looking into it." in text
    assert "Expected delivery" not in text


# --- estimates ---------------------------------------------------------------------------------


def estimate_of(response: Any) -> tuple[str, str] | None:
    found = re.search(
        r'class="estimate-title">(.*?)</span>\s*<strong class="estimate-value">(.*?)</strong>',
        text_of(response),
    )
    return (found.group(1), found.group(2)) if found else None


def test_on_time_shows_the_promised_date(shop: Shop) -> None:
    response = visit(make_shipment(shop, promised=date(2026, 11, 20)))
    assert estimate_of(response) == ("Expected delivery", "Friday, November 20")
    assert "later than promised" not in text_of(response)


def test_promised_for_today_says_today(shop: Shop) -> None:
    response = visit(make_shipment(shop, promised=date(2026, 11, 18)))
    assert estimate_of(response) == ("Expected delivery", "Today")


@pytest.mark.parametrize(
    ("lang", "value", "due"),
    [
        ("en", "Thursday, November 19", "it was due on Monday, November 16."),
        ("nl", "donderdag 19 november", "het werd verwacht op maandag 16 november."),
        ("de", "Donnerstag, 19. November", "Die Zustellung war für Montag, 16. November geplant."),
        ("fr", "jeudi 19 novembre", "il était attendu le lundi 16 novembre."),
    ],
)
def test_late_in_transit_says_so_and_gives_the_next_business_day(
    shop: Shop, lang: str, value: str, due: str
) -> None:
    response = visit(make_shipment(shop, promised=date(2026, 11, 16), language=lang))
    assert estimate_of(response) is not None
    assert estimate_of(response)[1] == value  # type: ignore[index]
    assert due in text_of(response)


def test_the_new_estimate_skips_weekends_and_holidays(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Thursday 24 December: the 25th is Christmas, the 26th a Saturday, so Monday the 28th.
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 24, 10, 0, tzinfo=UTC))
    response = visit(make_shipment(shop, promised=date(2026, 12, 22)))
    assert estimate_of(response) == ("New estimate", "Monday, December 28")


def test_a_stalled_parcel_gets_no_estimate_but_a_reassurance(shop: Shop) -> None:
    shipment = make_shipment(shop, promised=date(2026, 11, 16))
    add_finding(shipment, "stalled", evidence={"quiet_business_days": 3})
    response = visit(shipment)
    text = text_of(response)
    assert estimate_of(response) is None
    assert "there is no reliable delivery date right now" in text
    assert f"{SHOP} is looking into it." in text


def test_a_likely_lost_parcel_is_called_lost_as_the_message_says(shop: Shop) -> None:
    shipment = make_shipment(shop)
    add_finding(shipment, "likely_lost", evidence={"quiet_business_days": 8})
    response = visit(shipment)
    text = text_of(response)
    assert "We are sorry: your parcel seems to be lost" in text
    assert "we are afraid it was lost on the way" in text
    assert f"{SHOP} is looking into it." in text
    assert "Your parcel is on its way" not in text and estimate_of(response) is None
    assert 'class="steps"' not in response.content.decode()


def test_late_before_the_carrier_has_it_promises_nothing(shop: Shop) -> None:
    response = visit(make_shipment(shop, status="info_received", promised=date(2026, 11, 16)))
    text = text_of(response)
    assert estimate_of(response) is None
    assert "Your parcel is later than promised" in text
    assert "The carrier has not collected it yet" in text


def test_out_for_delivery_is_expected_today(shop: Shop) -> None:
    response = visit(make_shipment(shop, status="out_for_delivery"))
    assert estimate_of(response) == ("Expected delivery", "Today")
    late = visit(
        make_shipment(shop, number="1002", status="out_for_delivery", promised=date(2026, 11, 17))
    )
    assert estimate_of(late) == ("New estimate", "Today")
    assert "it was due on Tuesday, November 17." in text_of(late)


def test_delivered_shows_when_in_the_shops_time_zone(shop: Shop) -> None:
    delivered = datetime(2026, 11, 16, 13, 5, tzinfo=UTC)
    response = visit(make_shipment(shop, status="delivered", delivered_at=delivered))
    assert estimate_of(response) == ("Delivered", "Monday, November 16 at 14:05")


def test_no_promised_date_no_estimate(shop: Shop) -> None:
    assert estimate_of(visit(make_shipment(shop, promised=None))) is None


# --- what to do now ----------------------------------------------------------------------------


def test_failed_attempt_explains_the_retry_and_the_address(shop: Shop) -> None:
    shipment = make_shipment(
        shop, status="failed_attempt", reason="address_issue", failed_attempts=2
    )
    text = text_of(visit(shipment))
    assert "What to do now" in text
    assert "The carrier usually tries again on the next working day" in text
    assert f"Contact {SHOP} to check your delivery address." in text
    assert "The carrier has tried 2 times." in text


def test_failed_attempt_when_nobody_was_home_needs_no_address_check(shop: Shop) -> None:
    shipment = make_shipment(shop, status="failed_attempt", reason="recipient_unavailable")
    text = text_of(visit(shipment))
    assert "Nobody was available to receive the parcel." in text
    assert "check your delivery address" not in text


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "Please collect it by Saturday, November 21 (3 days left)."),
        ("nl", "Haal het uiterlijk zaterdag 21 november op (nog 3 dagen)."),
        ("de", "Bitte holen Sie es bis Samstag, 21. November ab (noch 3 Tage)."),
        ("fr", "Retirez-le au plus tard le samedi 21 novembre (3 jours restants)."),
    ],
)
def test_pickup_gives_the_deadline_and_days_left(shop: Shop, lang: str, sentence: str) -> None:
    shipment = make_shipment(shop, status="available_for_pickup", language=lang)
    add_finding(shipment, "awaiting_pickup", evidence={"deadline": "2026-11-21", "days_left": 5})
    add_event(shipment, NOW - timedelta(hours=3), "available_for_pickup", "Ligt klaar", "Primera")
    response = visit(shipment)
    assert sentence in text_of(response)
    assert "Primera" in text_of(response)
    assert estimate_of(response) is not None


def test_pickup_on_the_last_day(shop: Shop) -> None:
    shipment = make_shipment(shop, status="available_for_pickup")
    add_finding(shipment, "awaiting_pickup", evidence={"deadline": "2026-11-18", "days_left": 0})
    response = visit(shipment)
    text = text_of(response)
    assert estimate_of(response) == ("Collect by", "Today")
    assert "Please collect it by Wednesday, November 18 (last day to collect)." in text
    assert f"After that, the parcel goes back to {SHOP}." in text


def test_pickup_after_the_deadline_asks_to_contact_the_shop(shop: Shop) -> None:
    shipment = make_shipment(shop, status="available_for_pickup")
    add_finding(shipment, "awaiting_pickup", evidence={"deadline": "2026-11-17", "days_left": 0})
    response = visit(shipment)
    assert estimate_of(response) is None
    assert f"Contact {SHOP} to arrange a new delivery or a refund." in text_of(response)
    assert "Please collect it by" not in text_of(response)


def test_returning_asks_to_confirm_the_address(shop: Shop) -> None:
    text = text_of(visit(make_shipment(shop, status="returning", reason="address_issue")))
    assert f"Contact {SHOP} to confirm your delivery address" in text


def test_delivered_tells_how_to_report_a_missing_parcel(shop: Shop) -> None:
    text = text_of(visit(make_shipment(shop, status="delivered", delivered_at=NOW)))
    assert "Not received it? Ask your neighbours" in text
    assert f"Contact {SHOP} to report a problem." in text


def test_no_controls_that_do_nothing(shop: Shop) -> None:
    body = visit(make_shipment(shop, status="delivered", delivered_at=NOW)).content.decode()
    assert "<button" not in body
    assert "mailto:" not in body
    assert "contact=" not in body


# --- timeline and privacy ----------------------------------------------------------------------


def test_timeline_uses_customer_words_and_the_shops_time_zone(shop: Shop) -> None:
    shipment = make_shipment(shop, language="de")
    add_event(shipment, datetime(2026, 11, 17, 7, 30, tzinfo=UTC), "info_received", "Label", "")
    add_event(
        shipment, datetime(2026, 11, 17, 18, 45, tzinfo=UTC), "in_transit", "Sorted", "Nieuwegein"
    )
    add_event(shipment, datetime(2026, 11, 18, 6, 0, tzinfo=UTC), None, "Code 99", "")
    text = text_of(visit(shipment))
    assert "Versandetikett erstellt" in text
    assert "Unterwegs" in text
    assert "Meldung des Paketdienstes" in text
    assert (
        '<time datetime="2026-11-17T18:45:00+00:00">17. Nov. 2026, 19:45</time> · Nieuwegein'
        in text
    )
    assert text.index("Code 99") < text.index("Sorted") < text.index("Label")
    assert "Alle Zeiten: Ortszeit Amsterdam (MEZ)" in text


def test_no_personal_data_on_the_page(shop: Shop) -> None:
    shipment = make_shipment(shop, status="delivered", delivered_at=NOW)
    add_event(shipment, NOW - timedelta(hours=2), "delivered", f"Signed by {NAME}", STREET)
    add_event(shipment, NOW - timedelta(hours=5), "out_for_delivery", "With the driver", "Utrecht")
    body = visit(shipment).content.decode()
    for private in (NAME, "Sanne", "Vries", EMAIL, STREET, "Lindenlaan", PHONE):
        assert private not in html.unescape(body), private
    assert "With the driver" in body
    assert "3S1001NL" in body


@pytest.mark.parametrize(
    ("customer", "query", "expected"),
    [
        ("de", "", "de"),
        ("", "", "nl"),
        ("fr-BE", "", "fr"),
        ("de", "?lang=fr", "fr"),
        ("de", "?lang=xx", "de"),
    ],
)
def test_language_follows_customer_then_shop_and_the_switch_wins(
    shop: Shop, customer: str, query: str, expected: str
) -> None:
    shipment = make_shipment(shop, language=customer)
    response = Client().get(f"/t/{shipment.public_token}{query}")
    assert f'<html lang="{expected}">' in response.content.decode()
    assert 'href="?lang=nl"' in response.content.decode()


def test_the_page_is_not_cached_indexed_or_leaked(shop: Shop) -> None:
    response = visit(make_shipment(shop))
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]


# --- unknown links -----------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["AAAAAAAAAAAAAAAAAAAAAA", "short", "x" * 40, "bad.token!"])
def test_unknown_token_is_a_plain_404(shop: Shop, token: str) -> None:
    make_shipment(shop)
    response = Client().get(f"/t/{token}")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    assert SHOP not in text_of(response)


def test_the_404_page_is_translated(db: None) -> None:
    response = Client().get("/t/AAAAAAAAAAAAAAAAAAAAAA?lang=de")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in text_of(response)
    browser = Client(headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert "Page introuvable" in text_of(browser.get("/t/AAAAAAAAAAAAAAAAAAAAAA"))


# --- the lookup --------------------------------------------------------------------------------


def lookup(shop_id: int, number: str, postcode: str, **extra: Any) -> Any:
    return Client(**extra).post(f"/track/{shop_id}", {"order_number": number, "postcode": postcode})


def test_the_lookup_form_is_per_shop(shop: Shop) -> None:
    response = Client().get(f"/track/{shop.id}")
    assert response.status_code == 200
    text = text_of(response)
    assert SHOP in text
    assert "Zoek je bestelling" in text  # the shop's default language
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert Client().get(f"/track/{shop.id + 999}").status_code == 404


@pytest.mark.parametrize(
    ("number", "postcode"),
    [("1001", "3511 AB"), ("1001", "3511ab"), (" #1001 ", " 3511  ab "), ("1001", "3511-AB")],
)
def test_lookup_finds_the_order_whatever_the_spacing_and_case(
    shop: Shop, number: str, postcode: str
) -> None:
    shipment = make_shipment(shop)
    response = lookup(shop.id, number, postcode)
    assert response.status_code == 303
    assert response["Location"] == f"/t/{shipment.public_token}"


def test_lookup_keeps_an_explicit_language(shop: Shop) -> None:
    shipment = make_shipment(shop)
    response = Client().post(
        f"/track/{shop.id}?lang=fr", {"order_number": "1001", "postcode": "3511AB"}
    )
    assert response["Location"] == f"/t/{shipment.public_token}?lang=fr"


def test_lookup_goes_to_the_first_shipment(shop: Shop) -> None:
    first = make_shipment(shop)
    Shipment.objects.create(
        shop=shop,
        order=first.order,
        carrier="dhl",
        tracking_number="JVGL2",
        created_at=NOW,
        updated_at=NOW,
    )
    assert lookup(shop.id, "1001", "3511AB")["Location"] == f"/t/{first.public_token}"


def _without_input_values(response: Any) -> str:
    return re.sub(r'value="[^"]*"', 'value=""', response.content.decode())


def test_wrong_number_and_wrong_postcode_get_the_same_answer(shop: Shop) -> None:
    make_shipment(shop)
    wrong_number = lookup(shop.id, "1002", "3511AB")
    wrong_postcode = lookup(shop.id, "1001", "3511AC")
    assert wrong_number.status_code == wrong_postcode.status_code == 200
    assert "We kunnen geen bestelling met deze gegevens vinden." in text_of(wrong_number)
    assert _without_input_values(wrong_number) == _without_input_values(wrong_postcode)


def test_lookup_never_crosses_shops(shop: Shop) -> None:
    other = Shop.objects.create(name="Andere Winkel", default_language="en")
    make_shipment(other)
    response = lookup(shop.id, "1001", "3511AB")
    assert response.status_code == 200
    assert "We kunnen geen bestelling met deze gegevens vinden." in text_of(response)


def test_an_order_whose_postcode_was_erased_cannot_be_looked_up(shop: Shop) -> None:
    shipment = make_shipment(shop)
    Order.objects.filter(pk=shipment.order_id).update(ship_postcode="")
    assert "We kunnen geen bestelling" in text_of(lookup(shop.id, "1001", " - "))
    assert public_lookup.find_order(shop_id=shop.id, order_number="1001", postcode="") == (
        public_lookup.Lookup(found=False)
    )


def test_empty_fields_are_asked_for_again(shop: Shop) -> None:
    response = lookup(shop.id, "", "")
    assert response.status_code == 400
    assert "Dit veld is verplicht." in text_of(response)


def test_an_order_not_yet_shipped_says_so(shop: Shop) -> None:
    make_order(shop, "3003")
    response = lookup(shop.id, "3003", "3511 AB")
    assert response.status_code == 200
    assert "We hebben je bestelling gevonden, maar deze is nog niet verzonden." in text_of(response)


def test_lookup_needs_the_csrf_token(shop: Shop) -> None:
    make_shipment(shop)
    response = lookup(shop.id, "1001", "3511AB", enforce_csrf_checks=True)
    assert response.status_code == 403


def test_too_many_lookups_are_refused_with_429(shop: Shop) -> None:
    shipment = make_shipment(shop)
    for _ in range(LOOKUPS.limit):
        assert lookup(shop.id, "9999", "0000XX").status_code == 200
    refused = lookup(shop.id, "1001", "3511AB")  # right this time, but failures counted
    assert refused.status_code == 429
    assert "Te veel pogingen" in text_of(refused)
    assert 0 < int(refused["Retry-After"]) <= LOOKUPS.window
    # Another client address, and the same address at another shop, have their own counts.
    other_ip = lookup(shop.id, "1001", "3511AB", REMOTE_ADDR="192.0.2.7")
    assert other_ip["Location"] == f"/t/{shipment.public_token}"
    other = Shop.objects.create(name="Andere Winkel")
    assert lookup(other.id, "1001", "3511AB").status_code == 200


def test_the_limit_opens_again_in_the_next_window(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_shipment(shop)
    for _ in range(LOOKUPS.limit + 1):
        lookup(shop.id, "9999", "0000XX")
    assert lookup(shop.id, "1001", "3511AB").status_code == 429
    later = NOW + timedelta(seconds=LOOKUPS.window)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert lookup(shop.id, "1001", "3511AB").status_code == 303


def test_429_is_translated(shop: Shop) -> None:
    for _ in range(LOOKUPS.limit):
        Client().post(f"/track/{shop.id}?lang=de", {"order_number": "x", "postcode": "y"})
    refused = Client().post(f"/track/{shop.id}?lang=de", {"order_number": "x", "postcode": "y"})
    assert refused.status_code == 429
    assert "Zu viele Versuche" in text_of(refused)


# --- units -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3511 ab", "3511AB"),
        ("  3511\tAB ", "3511AB"),
        ("sw1a 1aa", "SW1A1AA"),
        ("00-950", "00950"),
    ],
)
def test_postcode_normalisation(typed: str, expected: str) -> None:
    assert public_lookup.normalise_postcode(typed) == expected


@pytest.mark.parametrize(
    ("choices", "expected"),
    [(("de-AT",), "de"), ((None, "fr_FR"), "fr"), (("xx", ""), "en"), (("NL",), "nl")],
)
def test_page_language(choices: tuple[str | None, ...], expected: str) -> None:
    assert public_format.page_language(*choices) == expected


def test_public_strings_are_in_every_catalog() -> None:
    keywords = {"_": None, "gettext": None, "gettext_lazy": None, "ngettext": (1, 2)}
    found = set()
    modules = (
        "public_page.py",
        "page_wording.py",
        "public_words.py",
        "public_format.py",
        "public_views.py",
    )
    for name in modules:
        for _line, message, _comments, _context in extract_from_file(
            "python", str(SRC / name), keywords=keywords
        ):
            found.add(tuple(message) if isinstance(message, list | tuple) else message)
    assert "Your parcel is on its way" in found
    for lang in ("nl", "de", "fr"):
        with (LOCALE_DIR / lang / "LC_MESSAGES" / "django.po").open("rb") as po:
            catalog = read_po(po, locale=lang)
        known = {tuple(m.id) if isinstance(m.id, list | tuple) else m.id for m in catalog}
        assert not sorted(map(str, found - known)), lang


# --- carrier texts that come only in English ------------------------------------------------------


def add_coded_event(
    shipment: Shipment, at: datetime, code: str, text: str, place: str = "", carrier: str = ""
) -> None:
    TrackingEvent.objects.create(
        shop=shipment.shop,
        shipment=shipment,
        carrier=carrier or shipment.carrier,
        tracking_number=shipment.tracking_number,
        occurred_at=at,
        code=code,
        status="in_transit",
        description=text,
        location=place,
        received_at=at,
    )


@pytest.mark.parametrize(
    ("carrier", "lang", "expected"),
    [
        ("cainiao", "nl", ("Invoerinklaring afgerond", "Aangekomen in het land van bestemming")),
        ("cainiao", "de", ("Einfuhrabfertigung abgeschlossen", "Im Zielland angekommen")),
        (
            "cainiao",
            "fr",
            ("Dédouanement à l\u2019import terminé", "Arrivé dans le pays de destination"),
        ),
        ("cainiao", "en", ("Import customs clearance complete", "Arrived at destination country")),
        ("yunexpress", "de", ("Sendungsdaten erhalten", "Unterwegs")),
    ],
)
def test_english_only_carrier_texts_are_said_in_the_pages_language(
    shop: Shop, carrier: str, lang: str, expected: tuple[str, str]
) -> None:
    shipment = make_shipment(shop)
    shipment.carrier = carrier
    shipment.save(update_fields=["carrier"])
    first, second = ("CC_IM_SUCCESS", "LH_ARRIVE") if carrier == "cainiao" else ("10", "20")
    standard = {
        "cainiao": "Import customs clearance complete",
        "yunexpress": "Shipment information received",
    }
    add_coded_event(shipment, NOW - timedelta(hours=5), first, standard[carrier])
    # The carrier says more than the code: the city stays, in the carrier's words, beside ours.
    add_coded_event(
        shipment,
        NOW - timedelta(hours=4),
        second,
        "Arrived at destination country/region (AMS hub)"
        if carrier == "cainiao"
        else "Departed Shenzhen sort facility",
    )
    page = html.unescape(text_of(visit(shipment, lang)))
    for text in expected:
        assert text in page, text
    if lang != "en":
        assert standard[carrier] not in page
        assert "(AMS hub)" in page or "Shenzhen" in page
        assert "The carrier wrote:" not in page  # that sentence is translated too


def test_every_english_only_carrier_text_is_translated() -> None:
    from parcelcare.tracking.carrier_texts import STANDARD

    for lang in ("nl", "de", "fr"):
        with (LOCALE_DIR / lang / "LC_MESSAGES" / "django.po").open("rb") as handle:
            catalog = read_po(handle)
        missing = [t for t in set(STANDARD.values()) if not (catalog.get(t) and catalog[t].string)]
        assert not missing, f"{lang}: {missing}"


def test_an_english_only_carriers_text_relayed_by_an_aggregator_stays_beside_our_words(
    shop: Shop,
) -> None:
    shipment = make_shipment(shop)
    shipment.carrier = "yunexpress"
    shipment.save(update_fields=["carrier"])
    add_coded_event(
        shipment,
        NOW - timedelta(hours=4),
        "InTransit_001",
        "Departed from YunExpress facility",
        carrier="aftership",
    )
    french = html.unescape(text_of(visit(shipment, "fr")))
    assert "Le transporteur a écrit" in french and "Departed from YunExpress facility" in french
    english = html.unescape(text_of(visit(shipment, "en")))
    assert "Departed from YunExpress facility" in english and "The carrier wrote" not in english
