"""The case desk's settings page: owners change hours, SLA, remedy policy and claim windows;
agents and viewers read; bad values are refused with the domain's words; new cases follow."""

from dataclasses import fields
from datetime import time, timedelta
from typing import Any

import pytest
from django.test import Client
from parcels import DELIVERED, NOW, make_parcel, open_for

from conftest import ApiShop
from parcelcare import clock
from parcelcare.accounts.models import AuditEntry, Membership, Shop
from parcelcare.cases.models import DeskPolicy
from parcelcare.cases.settings_views import DeskSettingsForm
from parcelcare.domain.remedy_policy import RemedyPolicy

URL = "/settings/desk/"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def login(shop: Shop, django_user_model: Any, role: str, **client: bool) -> Client:
    """A client signed in as a member of the shop with `role`."""
    user = django_user_model.objects.create_user(f"{role}-1", f"{role}@shop.example", "pw")
    Membership.objects.create(user=user, shop=shop, role=role)
    browser = Client(**client)
    browser.force_login(user)
    return browser


def filled(shop: Shop, **changes: Any) -> dict[str, Any]:
    """The form as the page prefills it for `shop`, with `changes` (by field name) typed in."""
    policy = DeskPolicy.objects.filter(shop=shop).first() or DeskPolicy(shop=shop)
    data: dict[str, Any] = {}
    for section in DeskSettingsForm.of(policy, currency=shop.currency).sections():
        for field in section:
            value = field.value()
            if value is True:
                data[field.html_name] = "on"
            elif value not in (False, None):
                data[field.html_name] = value
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def stored(shop: Shop) -> DeskPolicy:
    return DeskPolicy.objects.get_or_create(shop=shop)[0]


def test_the_page_shows_the_values_in_force(api_shop: ApiShop, django_user_model: Any) -> None:
    owner = login(api_shop.shop, django_user_model, "owner")
    answer = owner.get(URL)
    page = answer.content.decode()
    assert answer.status_code == 200 and not DeskPolicy.objects.exists()
    assert 'href="/settings/desk/" class="is-current" aria-current="page">Case desk' in page
    # Resolution of a "not received" case: 40 working hours; PostNL damage: 7 days.
    assert 'name="sla-not_received-resolution" value="40"' in page
    assert 'name="claims-postnl-damage-deadline_days" value="7"' in page
    assert 'name="claims-any-loss-opens_after_days" value="5"' in page
    assert 'name="remedy-voucher_percent" value="10"' in page and "Every other carrier" in page
    assert " disabled" not in page and ">Save</button>" in page
    assert all(f'name="remedy-{spec.name}"' in page for spec in fields(RemedyPolicy))


def test_the_page_speaks_dutch(api_shop: ApiShop, django_user_model: Any) -> None:
    owner = login(api_shop.shop, django_user_model, "owner")
    page = owner.get(URL, headers={"Accept-Language": "nl"}).content.decode()
    assert "Openingstijden" in page and "Claimtermijnen van vervoerders" in page


def test_the_owner_saves_and_new_cases_follow(api_shop: ApiShop, django_user_model: Any) -> None:
    shop = api_shop.shop
    owner = login(shop, django_user_model, "owner")
    form = filled(
        shop,
        **{
            "sla-not_received-first_response": 30,
            "sla-not_received-first_response-unit": "min",
            "remedy-prefer": "refund",
        },
    )
    answer = owner.post(URL, form)
    assert answer.status_code == 302 and answer["Location"] == URL
    policy = stored(shop)
    assert policy.sla == {"not_received": {"first_response": 30}}
    assert policy.remedy == {"prefer": "refund"} and policy.claim_windows == {}
    case = open_for(make_parcel(api_shop, "2001", DELIVERED))
    # Wednesday 13:00 in Amsterdam, inside the opening hours: 30 minutes of working time.
    assert case.first_response_due == NOW + timedelta(minutes=30)
    assert case.recommendation["recommended"] == "refund"
    assert case.recommendation["reasons"][0]["key"] == "shop_prefers_refund"
    page = owner.get(URL).content.decode()
    assert "Saved." in page and 'name="sla-not_received-first_response" value="30"' in page


def test_a_save_writes_one_audit_entry_of_what_changed(
    api_shop: ApiShop, django_user_model: Any
) -> None:
    shop = api_shop.shop
    owner = login(shop, django_user_model, "owner")
    changes = {
        "hours-opens_at": "08:30",
        "hours-proactive": False,
        "claims-postnl-loss-deadline_days": 45,
    }
    assert owner.post(URL, filled(shop, **changes)).status_code == 302
    entry = AuditEntry.objects.get(subject_type="desk_policy")
    assert (entry.actor, entry.action, entry.subject_id) == (
        "owner-1",
        "desk_policy_changed",
        stored(shop).pk,
    )
    assert entry.before == {"opens_at": "09:00:00", "proactive": True, "claim_windows": {}}
    assert entry.after == {
        "opens_at": "08:30:00",
        "proactive": False,
        "claim_windows": {"postnl": {"loss": {"deadline_days": 45}}},
    }
    policy = stored(shop)
    assert policy.opens_at == time(8, 30) and policy.proactive is False
    # Saving the same values again changes nothing, so nothing is recorded.
    assert owner.post(URL, filled(shop)).status_code == 302
    assert AuditEntry.objects.filter(subject_type="desk_policy").count() == 1


def test_remedy_fields_store_only_what_differs(api_shop: ApiShop, django_user_model: Any) -> None:
    shop = api_shop.shop
    owner = login(shop, django_user_model, "owner")
    changes = {
        "remedy-insured_above_minor": "250",
        "remedy-reship_goodwill_once": False,
        "remedy-voucher_percent": 10,
        "remedy-deny_after_claims": 3,
    }
    assert owner.post(URL, filled(shop, **changes)).status_code == 302
    expected = {"insured_above_minor": 25000, "reship_goodwill_once": False, "deny_after_claims": 3}
    assert stored(shop).remedy == expected
    assert 'name="remedy-insured_above_minor" value="250.00"' in owner.get(URL).content.decode()


def test_stored_overrides_the_page_does_not_show_are_kept(
    api_shop: ApiShop, django_user_model: Any
) -> None:
    shop = api_shop.shop
    delay = {"dhl": {"delay": {"deadline_days": 21}}}
    DeskPolicy.objects.create(shop=shop, claim_windows=delay)
    owner = login(shop, django_user_model, "owner")
    form = filled(shop, **{"claims-dhl-damage-deadline_days": 10})
    assert owner.post(URL, form).status_code == 302
    assert stored(shop).claim_windows == {
        "dhl": {"delay": {"deadline_days": 21}, "damage": {"deadline_days": 10}}
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "sla-not_received-first_response",
            0,
            "SLA override not_received.first_response must be 1 to 525600 minutes, got 0",
        ),
        ("sla-order_status-resolution", 10000, "must be 1 to 525600 minutes, got 600000"),
        ("hours-closes_at", "08:00", "Closing time must be after the opening time."),
        ("remedy-voucher_percent", 150, "voucher_percent must be within 0..100, got 150"),
        ("remedy-deny_after_claims", -1, "deny_after_claims cannot be negative"),
        ("claims-any-damage-deadline_days", 999, "claim override *.damage.deadline_days must be"),
        ("claims-ups-loss-opens_after_days", -2, "must be 0 to 730 days, got -2"),
    ],
)
def test_bad_values_are_shown_and_nothing_is_saved(
    api_shop: ApiShop, django_user_model: Any, field: str, value: Any, message: str
) -> None:
    shop = api_shop.shop
    owner = login(shop, django_user_model, "owner")
    form = filled(shop, **{field: value, "remedy-prefer": "refund", "hours-opens_at": "07:00"})
    if field == "hours-closes_at":
        form["hours-opens_at"] = "09:00"
    answer = owner.post(URL, form)
    page = answer.content.decode()
    assert answer.status_code == 400 and message in page and "Nothing was saved" in page
    assert f'name="{field}" value="{value}"' in page
    policy = stored(shop)
    assert (policy.sla, policy.remedy, policy.claim_windows) == ({}, {}, {})
    assert policy.opens_at == time(9)
    assert not AuditEntry.objects.filter(subject_type="desk_policy").exists()


@pytest.mark.parametrize("role", ["agent", "viewer"])
def test_agents_and_viewers_read_but_cannot_save(
    api_shop: ApiShop, django_user_model: Any, role: str
) -> None:
    shop = api_shop.shop
    member = login(shop, django_user_model, role)
    page = member.get(URL).content.decode()
    assert "Only the shop's owner can change the case desk settings." in page
    assert 'name="sla-not_received-first_response" value="1" class="num" min="1" disabled' in page
    assert ">Save</button>" not in page
    form = filled(shop, **{"remedy-prefer": "refund"})
    assert member.post(URL, form).status_code == 403
    assert stored(shop).remedy == {}
    assert not AuditEntry.objects.filter(subject_type="desk_policy").exists()


def test_the_form_needs_its_csrf_token(api_shop: ApiShop, django_user_model: Any) -> None:
    shop = api_shop.shop
    owner = login(shop, django_user_model, "owner", enforce_csrf_checks=True)
    form = filled(shop, **{"remedy-prefer": "refund"})
    assert owner.post(URL, form).status_code == 403
    assert stored(shop).remedy == {}
    token = owner.get(URL).cookies["csrftoken"].value
    assert owner.post(URL, {**form, "csrfmiddlewaretoken": token}).status_code == 302
    assert stored(shop).remedy == {"prefer": "refund"}


def test_signed_out_visitors_are_sent_to_log_in(db: None) -> None:
    answer = Client().get(URL)
    assert answer.status_code == 302 and "login" in answer["Location"]
