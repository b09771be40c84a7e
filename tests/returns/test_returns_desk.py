"""The agent's returns desk and the ledger page: inbox, actions, photos, CSV export and the JSON
API, scoped by shop; viewers only read."""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.test import Client
from returning import NOW, Bought, booked, bought_order, png  # noqa: F401

from conftest import ApiShop
from parcelcare import clock
from parcelcare.accounts.models import Membership
from parcelcare.domain.returns_policy import Pick
from parcelcare.ledger.models import RemedyEntry
from parcelcare.returns import services
from parcelcare.returns.models import ReturnRequest


@pytest.fixture(autouse=True)
def stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def agent(shop, role: str = "agent", name: str = "eva") -> Client:
    user = User.objects.create_user(name, password="a long password")
    Membership.objects.create(user=user, shop=shop, role=role)
    client = Client()
    client.force_login(user)
    return client


def requested(bought: Bought) -> ReturnRequest:
    return services.request_return(
        order=bought.order,
        picks=[Pick(bought.pot.pk, 1)],
        reason="damaged",
        resolution="refund",
        language="nl",
        now=NOW,
        photos=[png()],
    )


def test_desk_walks_a_return_to_a_refund(api_shop: ApiShop, bought: Bought):
    item = requested(bought)
    client = agent(api_shop.shop)
    inbox = client.get("/returns/").content.decode()
    assert item.rma in inbox and "Feedback per carrier" in inbox
    page = client.get(f"/returns/{item.pk}/").content.decode()
    assert 'id="approve"' in page
    photo = item.photos.get()
    shown = client.get(f"/returns/{item.pk}/photos/{photo.pk}")
    assert shown["Content-Type"] == "image/png" and shown.content == png()
    for action, data in [
        ("approve", {}),
        ("received", {}),
        ("inspect", {"deduction": "2,95"}),
        ("resolve", {"kind": "refund"}),
    ]:
        answer = client.post(f"/returns/{item.pk}/{action}", data)
        assert answer.status_code == 302, action
    item.refresh_from_db()
    assert (item.status, item.refund_minor) == ("resolved", 1200)
    entry = RemedyEntry.objects.get(return_request=item)
    assert (entry.kind, entry.amount, entry.actor) == ("partial_refund", 1200, "eva")
    page = client.get(f"/returns/{item.pk}/").content.decode()
    assert "partial_refund" in page and "resolved" in page


def test_refused_actions_say_why_and_viewers_cannot_act(api_shop, other_shop, bought: Bought):
    item = requested(bought)
    client = agent(api_shop.shop)
    answer = client.post(f"/returns/{item.pk}/resolve", {"kind": "refund"}, follow=True)
    assert "inspect it first" in answer.content.decode()
    answer = client.post(f"/returns/{item.pk}/inspect", {"deduction": "abc"}, follow=True)
    assert "12.50" in answer.content.decode()
    viewer = agent(api_shop.shop, role="viewer", name="vic")
    assert viewer.post(f"/returns/{item.pk}/approve").status_code == 403
    stranger = agent(other_shop.shop, name="otto")
    assert stranger.get(f"/returns/{item.pk}/").status_code == 404
    assert stranger.post(f"/returns/{item.pk}/approve").status_code == 404
    assert item.rma not in stranger.get("/returns/?status=all").content.decode()


def test_ledger_page_totals_csv_and_api(api_shop: ApiShop, other_shop: ApiShop, bought: Bought):
    item = requested(bought)
    services.approve(request=item, who=services.SYSTEM, now=NOW)
    services.mark_received(request=item, who=services.SYSTEM, now=NOW)
    services.inspect(request=item, who=services.SYSTEM, now=NOW)
    services.resolve(request=item, kind="refund", who=services.SYSTEM, now=NOW)
    booked(bought, "voucher", 500, "v1", reason="=HYPERLINK(evil)")
    booked(bought, "carrier_claim_recovery", 300, "c1")
    client = agent(api_shop.shop)
    page = client.get("/ledger/?from=2026-11&to=2026-11").content.decode()
    assert "2026-11" in page and "damaged" in page
    assert "€16.95" in page  # out: 14.95 refund + 5.00 voucher - 3.00 in
    assert client.get("/ledger/?from=november").status_code == 400
    assert (
        "voucher"
        not in client.get("/ledger/?kind=partial_refund").content.decode().split('id="entries"')[1]
    )
    export = client.get("/ledger/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][:3] == ["date", "entry", "order"]
    amounts = {row[5]: (row[8], row[10], row[6]) for row in rows[1:]}
    assert amounts["partial_refund"] == ("14.95", "recorded", "damaged")
    assert amounts["carrier_claim_recovery"] == ("3.00", "recorded", "other")
    assert any(row[7] == "'=HYPERLINK(evil)" for row in rows[1:])
    api = api_shop.get("ledger", month_from="2026-11", limit=2)
    body = api.json()
    assert len(body["items"]) == 2 and body["next_cursor"]
    assert body["totals"]["month"][0]["net_cost"] == 1495 + 500 - 300
    second = api_shop.get("ledger", month_from="2026-11", cursor=body["next_cursor"]).json()
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    assert api_shop.get("ledger", kind="gift").status_code == 422
    assert other_shop.get("ledger").json()["items"] == []


def test_owner_sets_the_policy_agents_only_read(api_shop: ApiShop, other_shop: ApiShop):
    from parcelcare.accounts.models import AuditEntry
    from parcelcare.returns.services import policy_of

    owner = agent(api_shop.shop, role="owner", name="olga")
    page = owner.get("/settings/returns/").content.decode()
    assert 'value="30"' in page and "id_return_address" in page
    form = {
        "window_days": "14",
        "customer_pays": ["changed_mind", "wrong_size"],
        "return_shipping": "4,95",
        "restocking_fee_percent": "10",
        "resolutions": ["refund", "exchange"],
        "non_returnable_skus": "GIFT, SALE-1",
        "keep_below": "5.00",
        "keep_skus": "",
        "conditions": "Unworn, with tags.",
        "return_address": "Postbus 12",
    }
    assert owner.post("/settings/returns/", form).status_code == 302
    policy = policy_of(api_shop.shop.pk)
    assert (policy.window_days, policy.return_shipping_minor, policy.keep_below_minor) == (
        14,
        495,
        500,
    )
    assert policy.non_returnable_skus == {"GIFT", "SALE-1"}
    assert AuditEntry.objects.filter(action="returns.policy", actor="olga").count() == 1
    bad = owner.post("/settings/returns/", form | {"resolutions": []})
    assert bad.status_code == 400
    wrong = owner.post("/settings/returns/", form | {"return_shipping": "4.9.5"})
    assert wrong.status_code == 400 and "4.95" in wrong.content.decode()
    assert policy_of(api_shop.shop.pk).window_days == 14
    viewer = agent(api_shop.shop, role="agent", name="eva")
    assert viewer.post("/settings/returns/", form | {"window_days": "20"}).status_code == 403
    assert policy_of(api_shop.shop.pk).window_days == 14
    assert policy_of(other_shop.shop.pk).window_days == 30
