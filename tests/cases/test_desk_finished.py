"""What the case page says once a claim's deadline passed, and once a case is finished."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from parcels import DELIVERED, MOVING, NOW, make_parcel, member, open_for

from conftest import ApiShop
from parcelcare import clock
from parcelcare.cases.actors import SYSTEM
from parcelcare.cases.follow import desk_pass, remind_claims
from parcelcare.cases.outcomes import close_delivered
from parcelcare.domain.cases import CaseKind

LATE = NOW + timedelta(days=28)
"""Wednesday 16 December: PostNL's loss deadline (30 days from 13 November) passed on the 13th."""


def text_of(html: str) -> str:
    """The visible text, tags dropped and whitespace squeezed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def agent(api_shop: ApiShop) -> Client:
    return member(api_shop, "anna", "agent")


def test_a_passed_claim_deadline_says_so_everywhere(
    agent: Client, api_shop: ApiShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda: LATE)
    lost = open_for(make_parcel(api_shop, "2101", MOVING), CaseKind.LOST, now=LATE)
    assert lost.playbook == "C"
    desk_pass(LATE)
    claim = lost.claims.get()
    assert claim.deadline_at is not None and claim.deadline_at < LATE
    assert claim.reminders_sent == 0 and remind_claims(LATE + timedelta(hours=1)) == 0
    html = agent.get(f"/cases/{lost.pk}/").content.decode()
    bar = text_of(html.split('class="card case-bar"', 1)[1].split("</section>", 1)[0])
    assert "Carrier claim Deadline passed" in bar and "deadline passed 2 days ago" in bar
    page = text_of(html)
    assert "Deadline passed" in page
    assert "deadline passed 2 days ago" in page
    assert "(in " not in page.split("Carrier claim", 1)[1].split("Recommendation")[0]
    step = page.split("File the carrier claim", 1)[1].split("Decide the remedy")[0]
    assert "deadline passed 2 days ago" in step and "due in" not in step
    assert "File claim" not in step
    inbox = text_of(agent.get("/cases/").content.decode())
    assert "Claim: Deadline passed" in inbox
    agent.cookies["django_language"] = "nl"
    dutch = text_of(agent.get(f"/cases/{lost.pk}/").content.decode())
    assert "deadline 2 dagen geleden verstreken" in dutch and "over 1 dag" not in dutch


def test_an_open_claim_window_still_shows_its_deadline_ahead(
    agent: Client, api_shop: ApiShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = NOW + timedelta(days=2)
    monkeypatch.setattr(clock, "now", lambda: later)
    lost = open_for(make_parcel(api_shop, "2102", MOVING), CaseKind.LOST, now=later)
    page = text_of(agent.get(f"/cases/{lost.pk}/").content.decode())
    assert "Not filed yet" in page and "deadline passed" not in page
    assert "File claim" in page
    assert "Claim:" not in text_of(agent.get("/cases/").content.decode())


def test_a_finished_case_shows_the_decision_not_to_dos(
    agent: Client, api_shop: ApiShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    case = open_for(make_parcel(api_shop, "2103", DELIVERED), CaseKind.NOT_RECEIVED, now=NOW)
    before = text_of(agent.get(f"/cases/{case.pk}/").content.decode())
    assert "Recommendation" in before and "Carrier claim" in before
    close_delivered(case=case, who=SYSTEM, now=NOW)
    page = text_of(agent.get(f"/cases/{case.pk}/").content.decode())
    assert "Decision" in page and "Outcome: Delivered after all" in page
    for gone in ("Recommendation", "Recommended:", "Carrier claim", "Not filed yet", "due in"):
        assert gone not in page, gone
    assert "Not needed" in page and "File claim" not in page
    found = api_shop.get(f"cases/{case.pk}").json()
    assert found["outcome"] and found["recommendation"] == {}


def test_a_refunded_case_offers_the_claim_only_as_an_optional_recovery(
    agent: Client, api_shop: ApiShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = NOW + timedelta(days=2)
    monkeypatch.setattr(clock, "now", lambda: later)
    case = open_for(make_parcel(api_shop, "2104", DELIVERED), CaseKind.NOT_RECEIVED, now=later)
    html = agent.get(f"/cases/{case.pk}/").content.decode()
    amount = re.search(r'name="amount_minor" value="(\d+)"', html)
    assert amount is not None
    response = agent.post(
        f"/cases/{case.pk}/remedy", {"kind": "refund", "key": "k", "amount_minor": amount[1]}
    )
    assert response.status_code == 303
    page = text_of(agent.get(f"/cases/{case.pk}/").content.decode())
    assert "Outcome: Full refund" in page and "Recommendation" not in page
    assert "Not filed (optional)" in page and "Not filed yet" not in page
    assert "File claim" in page
