"""Agent pages: login, the shipment list with filters, chips, htmx and paging, detail, languages."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from parcelcare import clock
from parcelcare.accounts.models import Membership, Shop
from parcelcare.domain.vocabulary import FindingKind, IncidentReason, ShipmentStatus
from parcelcare.tracking import labels, views
from parcelcare.tracking.models import Customer, Finding, Order, Shipment, TrackingEvent
from parcelcare.tracking.queries import ShipmentFilter

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


# --- data --------------------------------------------------------------------------------------


def make_shop(name: str = "Tuincentrum De Linde", tz: str = "Europe/Amsterdam") -> Shop:
    return Shop.objects.create(name=name, timezone=tz)


def make_shipment(
    shop: Shop,
    number: str,
    tracking: str,
    *,
    carrier: str = "postnl",
    status: str = "in_transit",
    findings: tuple[dict[str, Any], ...] = (),
    customer: str = "Sanne de Vries",
    last_event_at: datetime | None = NOW - timedelta(hours=5),
) -> Shipment:
    """An order with one shipment and its open findings, written straight through the ORM."""
    person = Customer.objects.create(shop=shop, email=f"{number}@example.com", name=customer)
    order = Order.objects.create(
        shop=shop,
        order_number=number,
        customer=person,
        placed_at=NOW - timedelta(days=6),
        currency="EUR",
        created_at=NOW,
        updated_at=NOW,
    )
    shipment = Shipment.objects.create(
        shop=shop,
        order=order,
        carrier=carrier,
        tracking_number=tracking,
        status=status,
        promised_date=date(2026, 11, 16),
        last_event_at=last_event_at,
        next_review_at=NOW + timedelta(days=1),
        created_at=NOW,
        updated_at=NOW,
    )
    for finding in findings:
        Finding.objects.create(shop=shop, shipment=shipment, opened_at=NOW, **finding)
    return shipment


DELAYED_2 = {
    "kind": "delayed",
    "level": 2,
    "evidence": {"promised_date": "2026-11-16", "business_days_late": 2},
}
DELAYED_1 = {
    "kind": "delayed",
    "level": 1,
    "evidence": {"promised_date": "2026-11-17", "business_days_late": 1},
}
ATTEMPT_2 = {
    "kind": "failed_attempt",
    "attempt": 2,
    "reason": "recipient_unavailable",
    "evidence": {"attempted_at": "2026-11-17T09:12:00+00:00"},
}
PICKUP = {"kind": "awaiting_pickup", "evidence": {"deadline": "2026-11-21", "days_left": 3}}


@pytest.fixture(autouse=True)
def language_reset() -> Iterator[None]:
    """A page asked for in French leaves French active in this thread; later tests need none."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def shop(db: None) -> Shop:
    return make_shop()


@pytest.fixture
def agent(db: None) -> User:
    return User.objects.create_user("agent", password="correct horse")


@pytest.fixture
def client(agent: User, shop: Shop) -> Client:
    Membership.objects.create(user=agent, shop=shop, role="agent")
    logged_in = Client()
    logged_in.force_login(agent)
    return logged_in


@pytest.fixture
def fleet(shop: Shop) -> dict[str, Shipment]:
    """Four shipments of the shop, each with a different story."""
    return {
        "late": make_shipment(shop, "1001", "3SLATE0001", findings=(DELAYED_2,)),
        "late1": make_shipment(shop, "1002", "3SLATE0002", findings=(DELAYED_1,)),
        "attempt": make_shipment(
            shop,
            "1003",
            "JVGL0003",
            carrier="dhl",
            status="failed_attempt",
            findings=(ATTEMPT_2,),
        ),
        "pickup": make_shipment(
            shop, "2004", "3SPICK0004", status="available_for_pickup", findings=(PICKUP,)
        ),
        "fine": make_shipment(shop, "2005", "3SFINE0005", status="delivered"),
    }


def orders_on(html: str, fleet: dict[str, Shipment]) -> set[str]:
    """The order numbers of the fleet that a page links to."""
    return {s.order.order_number for s in fleet.values() if f"/shipments/{s.id}/" in html}


# --- access ------------------------------------------------------------------------------------


def test_home_redirects_to_the_shipment_list(db: None) -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == "/shipments/"


@pytest.mark.parametrize("path", ["/shipments/", "/shipments/1/"])
def test_pages_require_login(db: None, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


def test_login_page_logs_the_agent_in(agent: User, shop: Shop) -> None:
    Membership.objects.create(user=agent, shop=shop)
    browser = Client()
    page = browser.get("/login/")
    assert page.status_code == 200
    assert b'name="password"' in page.content
    response = browser.post("/login/", {"username": "agent", "password": "correct horse"})
    assert response.status_code == 302
    assert response["Location"] == "/shipments/"
    assert browser.get("/shipments/").status_code == 200


def test_logout_is_a_post(client: Client) -> None:
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/shipments/").status_code == 302


def test_a_user_without_a_shop_is_refused(db: None, shop: Shop) -> None:
    user = User.objects.create_user("nobody", password="x")
    browser = Client()
    browser.force_login(user)
    response = browser.get("/shipments/")
    assert response.status_code == 403
    assert b"not linked to a shop" in response.content


# --- the list ----------------------------------------------------------------------------------


def test_list_shows_each_shipment_with_its_findings_in_words(
    client: Client, fleet: dict[str, Shipment]
) -> None:
    response = client.get("/shipments/")
    html = response.content.decode()
    assert response.status_code == 200
    assert orders_on(html, fleet) == {"1001", "1002", "1003", "2004", "2005"}
    assert "Delayed · level 2 (2 business days late)" in html
    assert "Failed attempt #2 · recipient unavailable" in html
    assert "Awaiting pickup · 3 days left" in html
    assert 'class="badge tone-ok">Delivered<' in html
    assert "5 hours ago" in html
    assert "Nov 16, 2026" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "failed_attempt"}, {"1003"}),
        ({"status": "delivered"}, {"2005"}),
        ({"finding": "delayed"}, {"1001", "1002"}),
        ({"finding": "delayed", "level": "2"}, {"1001"}),
        ({"level": "1"}, {"1002"}),
        ({"finding": "awaiting_pickup"}, {"2004"}),
        ({"carrier": "dhl"}, {"1003"}),
        ({"q": "late000"}, {"1001", "1002"}),
        ({"q": "2004"}, {"2004"}),
        ({"q": "20", "status": "delivered"}, {"2005"}),
    ],
)
def test_filters_narrow_the_list(
    client: Client, fleet: dict[str, Shipment], query: dict[str, str], expected: set[str]
) -> None:
    response = client.get("/shipments/", query)
    assert response.status_code == 200
    assert orders_on(response.content.decode(), fleet) == expected


def test_filter_form_keeps_the_chosen_values(client: Client, fleet: dict[str, Shipment]) -> None:
    html = client.get("/shipments/", {"status": "delivered", "q": "20"}).content.decode()
    assert '<option value="delivered" selected>' in html
    assert 'name="q" value="20"' in html


def test_a_filter_that_matches_nothing_says_so(client: Client, fleet: dict[str, Shipment]) -> None:
    response = client.get("/shipments/", {"q": "nothing-like-this"})
    assert response.status_code == 200
    assert b"No shipments match these filters." in response.content


@pytest.mark.parametrize(
    "query", [{"status": "teleported"}, {"finding": "abducted"}, {"level": "9"}, {"cursor": "!!"}]
)
def test_a_bad_filter_is_a_clear_400(
    client: Client, fleet: dict[str, Shipment], query: dict[str, str]
) -> None:
    response = client.get("/shipments/", query)
    assert response.status_code == 400
    assert b"This filter cannot be applied." in response.content


def test_an_empty_shop_gets_an_empty_state(client: Client) -> None:
    html = client.get("/shipments/").content.decode()
    assert "No shipments yet." in html
    assert "No open findings: every shipment is on track." in html


# --- chips -------------------------------------------------------------------------------------


def test_finding_counts_are_one_query_grouped_by_kind_and_level(
    shop: Shop, fleet: dict[str, Shipment], django_assert_num_queries: Any
) -> None:
    make_shipment(shop, "3001", "3SLATE3001", findings=(DELAYED_2,))
    Finding.objects.create(  # closed findings do not count
        shop=shop,
        shipment=fleet["fine"],
        kind="stalled",
        evidence={},
        opened_at=NOW,
        closed_at=NOW,
    )
    with django_assert_num_queries(1):
        counts = views.finding_counts(shop.id)
    assert counts == {
        ("delayed", 2): 2,
        ("delayed", 1): 1,
        ("failed_attempt", None): 1,
        ("awaiting_pickup", None): 1,
    }


def test_chips_link_to_their_filter_and_show_counts(
    client: Client, fleet: dict[str, Shipment]
) -> None:
    html = client.get("/shipments/", {"finding": "delayed", "level": "2"}).content.decode()
    assert 'href="?finding=delayed&amp;level=1"' in html
    assert 'href="?finding=failed_attempt"' in html
    chips = views.count_chips(
        views.finding_counts(fleet["late"].shop_id), ShipmentFilter(finding="delayed", level=2)
    )
    with translation.override("en"):
        shown = [(c.text, c.count, c.active) for c in chips]
    assert shown[:2] == [("Delayed · level 1", 1, False), ("Delayed · level 2", 1, True)]
    assert ("Awaiting pickup", 1, False) in shown
    assert 'class="chip tone-warn is-active"' in html
    assert 'class="chip chip-all"' in html  # "All shipments" is not active while filtering
    assert 'class="chip chip-all is-active"' in client.get("/shipments/").content.decode()


def test_the_list_costs_the_same_queries_for_many_rows(
    client: Client, shop: Shop, fleet: dict[str, Shipment]
) -> None:
    with CaptureQueriesContext(connection) as few:
        client.get("/shipments/")
    for n in range(12):
        make_shipment(shop, f"90{n:02d}", f"3SMANY{n:04d}", findings=(DELAYED_1, PICKUP))
    with CaptureQueriesContext(connection) as many:
        client.get("/shipments/")
    assert len(many) == len(few)


# --- htmx and paging ---------------------------------------------------------------------------


def test_htmx_gets_only_the_table(client: Client, fleet: dict[str, Shipment]) -> None:
    response = client.get("/shipments/", {"finding": "delayed"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'class="filters"' not in html
    assert 'class="chips"' not in html
    assert '<table class="shipments">' in html
    assert orders_on(html, fleet) == {"1001", "1002"}
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(
    client: Client, fleet: dict[str, Shipment]
) -> None:
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    html = client.get("/shipments/", headers=headers).content.decode()
    assert "<html" in html
    assert 'hx-target="#results"' in html


def test_the_page_works_without_javascript(client: Client, fleet: dict[str, Shipment]) -> None:
    html = client.get("/shipments/").content.decode()
    assert '<form class="filters" method="get" action="/shipments/"' in html
    assert '<button type="submit" class="button">Apply filters</button>' in html
    assert 'id="results"' in html


def test_cursor_paging_follows_the_next_link(
    client: Client, fleet: dict[str, Shipment], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first = client.get("/shipments/", {"q": "3S"})
    html = first.content.decode()
    assert orders_on(html, fleet) == {"2005", "2004"}
    nxt = first.context["next_cursor"]
    assert f'href="?q=3S&amp;cursor={nxt}"' in html
    second = client.get("/shipments/", {"q": "3S", "cursor": nxt})
    assert orders_on(second.content.decode(), fleet) == {"1002", "1001"}
    assert "First page" in second.content.decode()
    assert second.context["next_cursor"] is None


# --- detail ------------------------------------------------------------------------------------


def add_event(
    shipment: Shipment, at: datetime, code: str, status: str | None, **extra: Any
) -> None:
    TrackingEvent.objects.create(
        shop_id=shipment.shop_id,
        shipment=shipment,
        carrier=shipment.carrier,
        tracking_number=shipment.tracking_number,
        occurred_at=at,
        code=code,
        status=status,
        received_at=at,
        **extra,
    )


def test_detail_shows_order_timeline_and_findings(
    client: Client, fleet: dict[str, Shipment]
) -> None:
    shipment = fleet["attempt"]
    add_event(
        shipment,
        datetime(2026, 11, 16, 8, 0, tzinfo=UTC),
        "A01",
        "in_transit",
        description="Zending is gesorteerd",
        location="Utrecht",
    )
    add_event(
        shipment,
        datetime(2026, 11, 17, 9, 12, tzinfo=UTC),
        "ZZ9",
        None,
        description="Mysterious new scan",
        location="Nieuwegein",
    )
    Shipment.objects.filter(id=shipment.id).update(unknown_codes=1)
    response = client.get(f"/shipments/{shipment.id}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Order 1003" in html
    assert "/cases/new?order=1003" in html
    assert "Sanne de Vries" in html
    assert "1003@example.com" not in html  # no more personal data than the page needs
    assert "Nov 16, 2026, 09:00" in html  # 08:00 UTC shown in Amsterdam time
    assert "In transit" in html and "<code>A01</code>" in html
    assert "“Zending is gesorteerd”" in html and "Utrecht" in html
    assert "<code>ZZ9</code>" in html and "Mysterious new scan" in html
    assert "unknown code, kept as received" in html
    assert "1 event has a carrier code we do not know yet" in html
    assert "Failed attempt #2 · recipient unavailable" in html
    assert "Delivery attempted: Nov 17, 2026, 10:12" in html
    assert "Next review" in html and "Nov 19, 2026, 13:00" in html
    assert html.index("ZZ9") < html.index("A01")  # newest first


def test_detail_without_events_has_an_empty_state(
    client: Client, fleet: dict[str, Shipment]
) -> None:
    html = client.get(f"/shipments/{fleet['fine'].id}/").content.decode()
    assert "The carrier has not reported anything for this shipment yet." in html
    assert "No open findings: nothing needs attention." in html


def test_another_shops_shipment_is_not_found(client: Client, shop: Shop) -> None:
    other = make_shop("Fahrradladen Berlin", "Europe/Berlin")
    mine = make_shipment(shop, "1001", "3SMINE0001")
    theirs = make_shipment(other, "7001", "00340434THEIRS")
    assert client.get(f"/shipments/{mine.id}/").status_code == 200
    assert client.get(f"/shipments/{theirs.id}/").status_code == 404
    listing = client.get("/shipments/", {"q": "7001"}).content.decode()
    assert f"/shipments/{theirs.id}/" not in listing
    Membership.objects.all().delete()
    Membership.objects.create(user=User.objects.get(username="agent"), shop=other)
    assert client.get(f"/shipments/{mine.id}/").status_code == 404
    assert client.get(f"/shipments/{theirs.id}/").status_code == 200


def test_a_person_without_a_shop_gets_no_data(client: Client, shop: Shop) -> None:
    make_shipment(shop, "1001", "3SMINE0001")
    Membership.objects.all().delete()
    response = client.get("/shipments/")
    assert response.status_code == 403
    assert "3SMINE0001" not in response.content.decode()


# --- languages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "nl",
            [
                "Zendingen",
                "Vertraagd · niveau 2 (2 werkdagen te laat)",
                "Filters toepassen",
                "2e bezorgpoging mislukt · ontvanger niet thuis",
                "Bezorgd",
                "5 uur geleden",
            ],
        ),
        (
            "de",
            [
                "Sendungen",
                "Verspätet · Stufe 2 (2 Werktage zu spät)",
                "Filter anwenden",
                "2. Zustellversuch fehlgeschlagen · Empfänger nicht angetroffen",
                "Zugestellt",
                "vor 5 Stunden",
            ],
        ),
        (
            "fr",
            [
                "Expéditions",
                "En retard · niveau 2 (2 jours ouvrés de retard)",
                "Appliquer les filtres",
                "destinataire absent",
                "Livré",
                "il y a 5 heures",
            ],
        ),
        ("en", ["Shipments", "Delayed · level 2 (2 business days late)", "Apply filters"]),
    ],
)
def test_list_speaks_the_agents_language(
    client: Client, fleet: dict[str, Shipment], lang: str, words: list[str]
) -> None:
    response = client.get("/shipments/", headers={"Accept-Language": lang})
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    for word in words:
        assert word in html, word


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "nl",
            [
                "Bestelling 1003",
                "Tijdlijn",
                "onbekende code, bewaard zoals ontvangen",
                "17 nov 2026, 13:00",
            ],
        ),
        (
            "de",
            [
                "Bestellung 1003",
                "Verlauf",
                "unbekannter Code, unverändert gespeichert",
                "17. Nov. 2026, 13:00",
            ],
        ),
        (
            "fr",
            [
                "Commande 1003",
                "Historique",
                "code inconnu, conservé tel que reçu",
                "17 nov. 2026, 13:00",
            ],
        ),
    ],
)
def test_detail_speaks_the_agents_language(
    client: Client, fleet: dict[str, Shipment], lang: str, words: list[str]
) -> None:
    shipment = fleet["attempt"]
    add_event(shipment, NOW - timedelta(days=1), "ZZ9", None)
    response = client.get(f"/shipments/{shipment.id}/", headers={"Accept-Language": lang})
    for word in words:
        assert word in response.content.decode(), word


def test_the_language_switcher_sticks(client: Client, fleet: dict[str, Shipment]) -> None:
    html = client.get("/shipments/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'name="language" value="fr"' in html
    # The switcher returns to the page it was used on, including filters htmx pushed.
    back = "http://testserver/shipments/?finding=delayed"
    response = client.post("/i18n/setlang/", {"language": "de"}, headers={"Referer": back})
    assert response.status_code == 302
    assert response["Location"] == back
    assert "Sendungen" in client.get("/shipments/").content.decode()


def test_the_login_page_is_translated(db: None) -> None:
    html = Client().get("/login/", headers={"Accept-Language": "nl"}).content.decode()
    assert "Inloggen" in html
    assert "Wachtwoord" in html  # Django's own catalog for the form labels


# --- labels ------------------------------------------------------------------------------------


def test_every_vocabulary_value_has_a_label_and_a_tone() -> None:
    assert set(labels.STATUS_LABELS) == set(ShipmentStatus)
    assert set(labels.STATUS_TONES) == set(ShipmentStatus)
    assert set(labels.FINDING_LABELS) == set(FindingKind)
    assert set(labels.FINDING_TONES) == set(FindingKind)
    assert set(labels.REASON_LABELS) == set(IncidentReason)


@pytest.mark.parametrize(
    ("finding", "words"),
    [
        (DELAYED_2, "Delayed · level 2 (2 business days late)"),
        (
            {"kind": "delayed", "level": 1, "evidence": {"business_days_late": 1}},
            "Delayed · level 1 (1 business day late)",
        ),
        (ATTEMPT_2, "Failed attempt #2 · recipient unavailable"),
        (PICKUP, "Awaiting pickup · 3 days left"),
        (
            {"kind": "awaiting_pickup", "evidence": {"days_left": 0}},
            "Awaiting pickup · last day to collect",
        ),
        (
            {"kind": "stalled", "evidence": {"quiet_business_days": 4}},
            "No movement · no scan for 4 business days",
        ),
        (
            {"kind": "likely_lost", "evidence": {"quiet_business_days": 8}},
            "Likely lost · no scan for 8 business days",
        ),
        (
            {"kind": "not_shipped", "evidence": {"business_days": 3}},
            "Not shipped · label created 3 business days ago",
        ),
        (
            {"kind": "carrier_exception", "reason": "customs_hold"},
            "Carrier exception · held at customs",
        ),
        (
            {"kind": "returned_to_sender", "reason": "refused"},
            "Returned to sender · refused by recipient",
        ),
        ({"kind": "delivered", "evidence": {}}, "Delivered"),
    ],
)
def test_finding_words(finding: dict[str, Any], words: str) -> None:
    with translation.override("en"):
        assert labels.finding_words(finding) == words


def test_evidence_words_show_unknown_fields_as_received() -> None:
    finding = {
        "kind": "delayed",
        "level": 3,
        "evidence": {"promised_date": "2026-11-10", "business_days_late": 6, "hub": "X"},
    }
    with translation.override("en"):
        assert labels.evidence_words(finding) == ["Promised date: Nov 10, 2026", "hub: X"]
    assert labels.finding_tone(finding) == "danger"


@pytest.mark.parametrize(
    ("delta", "en", "de"),
    [
        (timedelta(seconds=-20), "just now", "gerade eben"),
        (timedelta(minutes=-1), "1 minute ago", "vor 1 Minute"),
        (timedelta(hours=-5, minutes=-59), "5 hours ago", "vor 5 Stunden"),
        (timedelta(days=-2), "2 days ago", "vor 2 Tagen"),
        (timedelta(hours=3), "in 3 hours", "in 3 Stunden"),
        (timedelta(days=1), "in 1 day", "in 1 Tag"),
    ],
)
def test_relative_times(delta: timedelta, en: str, de: str) -> None:
    with translation.override("en"):
        assert labels.relative(NOW + delta, NOW) == en
    with translation.override("de"):
        assert labels.relative(NOW + delta, NOW) == de


# --- delivered is a good outcome, not a problem ------------------------------------------------

DELIVERED_FINDING = {"kind": "delivered", "evidence": {"delivered_at": "2026-11-17T10:00:00+00:00"}}


def test_delivered_is_the_status_not_a_problem(client: Client, shop: Shop) -> None:
    done = make_shipment(
        shop, "4001", "3SDONE4001", status="delivered", findings=(DELIVERED_FINDING,)
    )
    late = make_shipment(shop, "4002", "3SLATE4002", findings=(DELAYED_2,))
    assert views.finding_counts(shop.id) == {("delayed", 2): 1}
    html = client.get("/shipments/?lang=en").content.decode()
    assert 'href="?finding=delivered"' not in html
    assert '<option value="delivered"' in html  # the status filter still has it
    assert html.count('value="delivered"') == 1
    assert 'class="finding tone-ok">Delivered' not in html
    detail = client.get(f"/shipments/{done.id}/").content.decode()
    assert "No open findings: nothing needs attention." in detail
    assert "Delivered" in detail
    assert "No open findings" not in client.get(f"/shipments/{late.id}/").content.decode()
    # A delivered-only filter link from before still answers, for anyone who kept it.
    kept = client.get("/shipments/?finding=delivered").content.decode()
    assert f"/shipments/{done.id}/" in kept and f"/shipments/{late.id}/" not in kept


def test_the_api_keeps_delivered_as_an_informational_finding(shop: Shop) -> None:
    done = make_shipment(
        shop, "4003", "3SDONE4003", status="delivered", findings=(DELIVERED_FINDING,)
    )
    late = make_shipment(shop, "4004", "3SLATE4004", findings=(DELAYED_2,))
    from parcelcare.tracking.queries import shipment_detail

    found = shipment_detail(shop.id, done.id)
    assert found is not None
    assert [(f["kind"], f["informational"]) for f in found["findings"]] == [("delivered", True)]
    other = shipment_detail(shop.id, late.id)
    assert other is not None
    assert [(f["kind"], f["informational"]) for f in other["findings"]] == [("delayed", False)]


def test_carriers_are_shown_by_name_on_list_filter_and_detail(
    client: Client, fleet: dict[str, Shipment]
) -> None:
    listing = client.get("/shipments/").content.decode()
    assert ">PostNL<" in listing and ">DHL<" in listing
    assert ">postnl<" not in listing and ">dhl<" not in listing
    assert '<option value="dhl">DHL</option>' in listing
    detail = client.get(f"/shipments/{fleet['attempt'].id}/").content.decode()
    assert "DHL · " in detail and "dhl · " not in detail


@pytest.mark.parametrize(
    ("language", "zone"),
    [
        ("en", "All times: Amsterdam time (CET)"),
        ("nl", "Alle tijden: tijd van Amsterdam (CET)"),
        ("de", "Alle Zeiten: Ortszeit Amsterdam (MEZ)"),
        ("fr", "Toutes les heures : Amsterdam, heure locale (CET)"),
    ],
)
def test_the_shops_time_zone_reads_as_a_place_and_abbreviation(
    client: Client, fleet: dict[str, Shipment], language: str, zone: str
) -> None:
    for url in ("/shipments/", f"/shipments/{fleet['late'].id}/"):
        html = client.get(url, headers={"Accept-Language": language}).content.decode()
        assert zone in html.replace("&#x27;", "'") and "Europe/Amsterdam" not in html, url


def test_zone_label_follows_summer_time_and_falls_back_to_the_offset() -> None:
    from parcelcare.tracking.zone_words import zone_label

    summer = datetime(2026, 7, 1, 12, tzinfo=UTC)
    with translation.override("en"):
        assert zone_label("Europe/Amsterdam", now=summer) == "Amsterdam time (CEST)"
        assert zone_label("Asia/Dubai", now=summer) == "Dubai time (UTC+4)"
        assert zone_label("Asia/Kathmandu", now=summer) == "Kathmandu time (UTC+5:45)"
        assert zone_label("UTC", now=summer) == "UTC"
        assert zone_label("Not/AZone", now=summer) == "Not/AZone"
