"""Who did what, in the reader's language: audit actors on the case page and in the dossier, and
the demo's texts in the shop's language."""

import re

import pytest
from django.test import Client
from django.utils import translation
from parcels import DELIVERED, NOW, Parcel, make_parcel, member, open_for

from conftest import ApiShop
from parcelcare import clock
from parcelcare.accounts.models import AuditEntry
from parcelcare.cases import labels
from parcelcare.cases.actors import SYSTEM, Who
from parcelcare.cases.customer import confirm_checks
from parcelcare.cases.customer_page import statement
from parcelcare.cases.dossier import build_dossier
from parcelcare.cases.dossier_pdf import render_html
from parcelcare.cases.models import Case
from parcelcare.cases.notes import add_note
from parcelcare.cases.services import complete_step
from parcelcare.demo import cases as demo_cases


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def parcel(api_shop: ApiShop) -> Parcel:
    return make_parcel(api_shop, "2401", DELIVERED)


@pytest.fixture
def case(parcel: Parcel) -> Case:
    """A case touched by the customer, parcelcare, an integration and an agent."""
    opened = open_for(parcel)
    complete_step(
        case=opened, key="investigate_tracking", who=Who("integration", "shopify-app"), now=NOW
    )
    complete_step(case=opened, key="verify_address", who=Who("agent", "anna"), now=NOW)
    confirm_checks(case=opened, checked=demo_cases.CHECKS, now=NOW)
    add_note(case=opened, body="Buren gevraagd.", who=SYSTEM, now=NOW)
    return opened


@pytest.fixture
def agent(api_shop: ApiShop) -> Client:
    browser = member(api_shop, "anna", "agent")
    browser.cookies["django_language"] = "nl"
    return browser


@pytest.mark.parametrize(
    ("kind", "name", "nl"),
    [
        ("customer", "", "Klant"),
        ("system", "desk", "Systeem"),
        ("integration", "shopify-app", "Koppeling shopify-app"),
        ("integration:shopify-app", "", "Koppeling shopify-app"),
        ("agent", "anna", "anna"),
        ("agent:anna", "", "anna"),
        ("carrier", "", "Vervoerder"),
    ],
)
def test_actor_words(kind: str, name: str, nl: str) -> None:
    with translation.override("nl"):
        assert labels.actor_words(kind, name) == nl


def test_the_case_history_names_actors_in_the_agents_language(agent: Client, case: Case) -> None:
    html = agent.get(f"/cases/{case.pk}/").content.decode()
    who = re.findall(r'class="item-who">· ([^<]+)<', html)
    assert {"Klant", "Systeem", "Koppeling shopify-app", "anna"} <= set(who)
    assert not {"customer", "desk", "system", "integration", "shopify-app"} & set(who)
    done_by = re.findall(r"Gedaan · ([^<\n]+)", html)
    assert "Klant" in done_by and "Systeem" in done_by and "customer" not in done_by
    assert "Systeemnotitie" in html or "System note" in html
    assert "Interne notitie door desk" not in html


def test_the_dossier_names_actors_in_its_language_and_keeps_them_in_its_data(
    case: Case,
) -> None:
    data = build_dossier(case, now=NOW, language="nl")
    actors = {entry["actor"] for entry in data["audit"]}
    assert {"customer", "system:desk", "integration:shopify-app", "agent:anna"} <= actors
    with translation.override("nl"):
        html = render_html(data)
    assert "Koppeling shopify-app" in html and "integration:shopify-app" not in html
    assert "system:desk" not in html


def test_the_demo_writes_the_shops_language_and_the_real_declaration(api_shop: ApiShop) -> None:
    parcel = make_parcel(api_shop, "2402", DELIVERED)
    demo_case = open_for(parcel)
    demo_cases._walk_b(demo_case, 2, NOW)
    declaration = demo_case.declarations.get()
    with translation.override(demo_case.language):
        assert declaration.statement == statement(demo_case, demo_case.language)
    assert declaration.statement.startswith("Ik verklaar")
    assert api_shop.shop.default_language == "nl"
    demo_cases._finish(demo_case, "deny", NOW)
    denied = AuditEntry.objects.get(subject_type="case", subject_id=demo_case.pk, action="deny")
    assert "Getekend bezorgbewijs aan de deur." in str(denied.after)
