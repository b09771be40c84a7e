"""SMS and WhatsApp consent: API field (validated, never erased), CSV and JSONL columns, the
tracking page's opt-in (CSRF, same-origin page, rate limit, audit) and the opt-out link."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from conftest import NOW, ApiShop, order_payload
from parcelcare import clock
from parcelcare.accounts.models import AuditEntry
from parcelcare.tracking.imports import import_orders
from parcelcare.tracking.models import Customer, Shipment
from parcelcare.tracking.public_consent import UPDATES

PHONE, EMAIL = "+31612345678", "c1001@example.com"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture(autouse=True)
def fresh_limits() -> None:
    """Rate-limit counters live in the process-wide cache; every test starts from zero."""
    cache.clear()


def with_consent(consent: Any, number: str = "1001", **customer: Any) -> dict[str, Any]:
    """An order whose customer (always c1001@example.com) gives `consent` (None: no field)."""
    body = order_payload(number=number, tracking=f"3STEST{number}")
    body["customer"] |= {"email": EMAIL, **customer}
    if consent is not None:
        body["customer"]["consent"] = consent
    return body


def customer() -> Customer:
    return Customer.objects.get(email=EMAIL)


# --- the orders API ----------------------------------------------------------------------------


def test_api_consent_is_stored_with_its_time_and_shown(api_shop: ApiShop) -> None:
    response = api_shop.post("orders", with_consent(["SMS", "sms"]))
    assert response.status_code == 201, response.content
    assert customer().consent == ["sms"]
    assert customer().consent_at == {"sms": NOW.isoformat()}
    assert api_shop.get("orders/1001").json()["customer"]["consent"] == ["sms"]
    entry = AuditEntry.objects.get(action="consent_given")
    assert entry.actor_type == "integration"
    assert entry.after == {"channels": ["sms"], "source": "order"}


def test_an_unknown_channel_is_a_422_that_names_it(api_shop: ApiShop) -> None:
    response = api_shop.post("orders", with_consent(["sms", "fax"]))
    assert response.status_code == 422
    assert "customer.consent" in response.json()["detail"]
    assert "'fax'" in response.json()["detail"]
    assert not Customer.objects.exists()


def test_a_later_order_without_the_field_keeps_consent(api_shop: ApiShop) -> None:
    api_shop.post("orders", with_consent(["sms"]))
    assert api_shop.post("orders", with_consent(None, number="1002")).status_code == 201
    assert api_shop.post("orders", with_consent([], number="1003")).status_code == 201
    assert customer().consent == ["sms"]
    api_shop.post("orders", with_consent(["whatsapp"], number="1004"))
    assert customer().consent == ["sms", "whatsapp"]
    assert customer().consent_at["sms"] == NOW.isoformat()
    assert AuditEntry.objects.filter(action="consent_given").count() == 2


def test_an_opt_out_wins_over_consent_from_the_shop(api_shop: ApiShop) -> None:
    api_shop.post("orders", with_consent(None))
    Customer.objects.update(opted_out=["sms"])
    api_shop.post("orders", with_consent(["sms", "whatsapp"], number="1002"))
    assert customer().consent == ["whatsapp"]
    assert api_shop.get("orders/1001").json()["customer"]["consent"] == ["whatsapp"]


def test_one_batch_with_the_same_customer_twice_stores_consent_once(api_shop: ApiShop) -> None:
    from parcelcare.tracking.orders import upsert_orders
    from parcelcare.tracking.schemas import OrderIn

    batch = [OrderIn.model_validate(with_consent(["sms"], number=n)) for n in ("7", "8")]
    upsert_orders(shop_id=api_shop.shop.id, default_language="nl", batch=batch, now=NOW)
    assert customer().consent == ["sms"]
    assert AuditEntry.objects.filter(action="consent_given").count() == 1


# --- CSV and JSON Lines imports ----------------------------------------------------------------

HEADER = (
    "order_number,placed_at,currency,email,phone,consent,ship_name,country,carrier,tracking_number"
)


def test_csv_consent_column_takes_commas_or_spaces(api_shop: ApiShop, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        f"{HEADER}\n"
        'C-1,2026-11-10T10:00:00+01:00,EUR,a@example.com,+31611111111,"sms, whatsapp",A,NL,'
        "postnl,3SCSV0001\n"
        "C-2,2026-11-10T10:00:00+01:00,EUR,b@example.com,+31622222222,sms whatsapp,B,NL,"
        "postnl,3SCSV0002\n"
        "C-3,2026-11-10T10:00:00+01:00,EUR,c@example.com,+31633333333,,C,NL,postnl,3SCSV0003\n"
        "C-4,2026-11-10T10:00:00+01:00,EUR,d@example.com,+31644444444,pigeon,D,NL,postnl,3SCSV0004\n"
    )
    report = import_orders(shop_id=api_shop.shop.id, path=path, now=NOW)
    assert report.imported == 3
    assert len(report.errors) == 1
    line, error = report.errors[0]
    assert line == 5 and "customer.consent" in error and "'pigeon'" in error
    consent = dict(Customer.objects.values_list("email", "consent"))
    assert consent == {
        "a@example.com": ["sms", "whatsapp"],
        "b@example.com": ["sms", "whatsapp"],
        "c@example.com": [],
    }


def test_jsonl_consent_as_a_list_or_as_text(api_shop: ApiShop, tmp_path: Path) -> None:
    first = with_consent(["whatsapp"], number="J1")
    second = with_consent("sms", number="J2")
    path = tmp_path / "orders.jsonl"
    path.write_text(f"{json.dumps(first)}\n{json.dumps(second)}\n")
    report = import_orders(shop_id=api_shop.shop.id, path=path, now=NOW)
    assert report.errors == [] and report.imported == 2
    assert customer().consent == ["sms", "whatsapp"]


# --- the tracking page's opt-in ----------------------------------------------------------------


def token_of(api_shop: ApiShop, consent: Any = None, **customer: Any) -> str:
    api_shop.post("orders", with_consent(consent, **customer))
    return Shipment.objects.get().public_token


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "the form carries a CSRF token"
    return found.group(1)


def test_the_tracking_page_invites_to_a_same_origin_page(api_shop: ApiShop) -> None:
    token = token_of(api_shop)
    page = Client().get(f"/t/{token}?lang=en")
    assert page.headers["Referrer-Policy"] == "no-referrer"
    html = page.content.decode()
    assert "Get updates by SMS or WhatsApp" in html
    assert f"/t/{token}/updates?lang=en" in html
    assert "<form" not in html.split("Get updates by SMS or WhatsApp")[1].split("</section>")[0]
    updates = Client().get(f"/t/{token}/updates?lang=en")
    assert updates.status_code == 200
    assert updates.headers["Referrer-Policy"] == "same-origin"
    body = updates.content.decode()
    assert "By ticking a box you agree that Test Shop sends short messages" in body
    assert PHONE not in body and PHONE not in html


def test_the_opt_in_is_saved_with_a_csrf_token_and_audited(api_shop: ApiShop) -> None:
    token = token_of(api_shop)
    client = Client(enforce_csrf_checks=True)
    url = f"/t/{token}/updates"
    refused = client.post(url, {"channels": ["sms"]})
    assert refused.status_code == 403
    secret = csrf_of(client.get(url).content.decode())
    null_origin = client.post(
        url, {"channels": ["sms"], "csrfmiddlewaretoken": secret}, headers={"Origin": "null"}
    )
    assert null_origin.status_code == 403  # why the form lives on its own same-origin page
    saved = client.post(
        url,
        {"channels": ["sms", "whatsapp"], "csrfmiddlewaretoken": secret},
        headers={"Origin": "http://testserver"},
    )
    assert saved.status_code == 303 and saved.headers["Location"] == f"{url}?done=1"
    assert customer().consent == ["sms", "whatsapp"]
    entry = AuditEntry.objects.get(action="consent_given")
    assert (entry.actor_type, entry.subject_id) == ("customer", customer().pk)
    assert entry.after == {"channels": ["sms", "whatsapp"], "source": "tracking_page"}
    assert PHONE not in json.dumps(entry.after) and EMAIL not in json.dumps(entry.after)
    thanks = client.get(f"{url}?done=1").content.decode()
    assert "Dank je, je keuze is opgeslagen." in thanks  # the customer's language, Dutch
    tracking = Client().get(f"/t/{token}?lang=en").content.decode()
    assert "Get updates by SMS or WhatsApp" not in tracking
    assert "You get delivery updates by text message." in tracking


def test_unticking_withdraws_consent(api_shop: ApiShop) -> None:
    token = token_of(api_shop, consent=["sms", "whatsapp"])
    response = Client().post(f"/t/{token}/updates?lang=fr", {"channels": ["whatsapp"]})
    assert response.headers["Location"].endswith("?done=1&lang=fr")
    assert customer().consent == ["whatsapp"] and list(customer().consent_at) == ["whatsapp"]
    entry = AuditEntry.objects.get(action="consent_withdrawn")
    assert entry.after == {"channels": ["sms"], "source": "tracking_page"}


def test_the_opt_in_is_rate_limited(api_shop: ApiShop) -> None:
    token = token_of(api_shop)
    client = Client()
    for _ in range(UPDATES.limit):
        assert client.post(f"/t/{token}/updates", {"channels": ["sms"]}).status_code == 303
    refused = client.post(f"/t/{token}/updates?lang=en", {"channels": []})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many attempts" in refused.content.decode()
    assert customer().consent == ["sms"]


def test_no_invitation_without_a_phone_or_after_an_opt_out(api_shop: ApiShop) -> None:
    token = token_of(api_shop, phone="")
    assert "Get updates by SMS" not in Client().get(f"/t/{token}?lang=en").content.decode()
    Client().post(f"/t/{token}/updates", {"channels": ["sms"]})
    assert customer().consent == []
    Customer.objects.update(phone=PHONE, opted_out=["sms", "whatsapp"])
    assert "Get updates by SMS" not in Client().get(f"/t/{token}?lang=en").content.decode()
    page = Client().get(f"/t/{token}/updates?lang=en").content.decode()
    assert "You asked not to get messages this way" in page and "<form" not in page
    Customer.objects.update(opted_out=["sms"])
    Client().post(f"/t/{token}/updates", {"channels": ["sms", "whatsapp"]})
    assert customer().consent == ["whatsapp"]


def test_unknown_link_or_channel(api_shop: ApiShop) -> None:
    assert Client().get("/t/not-a-real-token/updates").status_code == 404
    token = token_of(api_shop)
    assert Client().post(f"/t/{token}/updates", {"channels": ["fax"]}).status_code == 400
    assert customer().consent == []


def test_the_opt_out_link_removes_consent_for_its_channel(api_shop: ApiShop) -> None:
    token_of(api_shop, consent=["sms", "whatsapp"])
    link = f"/u/{customer().unsubscribe_token}?channel=sms"
    assert Client().post(link).status_code == 200
    assert customer().opted_out == ["sms"]
    assert customer().consent == ["whatsapp"] and "sms" not in customer().consent_at
