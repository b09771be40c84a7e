"""The agent's page of drafts: read, edit and send through the outbox, or close; settings."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from tests.cases.parcels import MOVING, Parcel, make_parcel

from conftest import NOW, ApiShop
from parcelcare.accounts.models import AuditEntry, Membership
from parcelcare.assistant.inbox import process_due, receive
from parcelcare.assistant.models import AssistantSettings, InboundMessage
from parcelcare.assistant.respond import handle
from parcelcare.messaging.models import OutboxMessage


@pytest.fixture
def moving(api_shop: ApiShop) -> Parcel:
    return make_parcel(api_shop, "2002", MOVING)


def person(api_shop: ApiShop, role: str) -> Client:
    user = User.objects.create_user(f"{role}-1", password="correct horse")
    Membership.objects.create(user=user, shop=api_shop.shop, role=role)
    client = Client()
    client.force_login(user)
    return client


def draft(api_shop: ApiShop, text: str, ident: str = "d1") -> InboundMessage:
    receive(
        shop_id=api_shop.shop.pk,
        channel="email",
        external_id=ident,
        sender="stranger@example.org",
        body=text,
        now=NOW,
        wake=False,
    )
    process_due(handle, NOW)
    return InboundMessage.objects.get(external_id=ident)


def test_agent_edits_and_sends_a_draft(api_shop: ApiShop, moving: Parcel) -> None:
    message = draft(api_shop, "where is my order 2002? it is late")
    assert message.outcome == "draft"
    agent = person(api_shop, "agent")
    page = agent.get("/assistant/")
    html = page.content.decode()
    assert page.status_code == 200 and "where is my order 2002" in html
    assert "sender not matched to the order" in html
    answer = "Hello, your parcel is on its way and should arrive tomorrow."
    sent = agent.post(f"/assistant/{message.pk}/", {"action": "send", "reply": answer})
    assert sent.status_code == 302
    message.refresh_from_db()
    assert message.outcome == "sent_by_agent" and message.handled_by is not None
    row = OutboxMessage.objects.get(pk=message.outbox_id)
    # The answer goes to the order's customer, never to the unverified sender.
    assert (
        row.payload["body"] == answer and row.shipment.order.customer.email == "c2002@example.com"
    )
    assert AuditEntry.objects.filter(
        subject_type="inbound_message", subject_id=message.pk, action="assistant.sent_by_agent"
    ).exists()
    again = agent.post(
        f"/assistant/{message.pk}/", {"action": "send", "reply": answer}, follow=True
    )
    assert "not waiting for an answer" in again.content.decode()


def test_viewer_reads_but_cannot_act(api_shop: ApiShop, moving: Parcel) -> None:
    message = draft(api_shop, "where is my order 2002?")
    viewer = person(api_shop, "viewer")
    assert viewer.get("/assistant/").status_code == 200
    assert viewer.post(f"/assistant/{message.pk}/", {"action": "dismiss"}).status_code == 403
    agent = person(api_shop, "agent")
    agent.post(f"/assistant/{message.pk}/", {"action": "dismiss"})
    message.refresh_from_db()
    assert message.outcome == "dismissed"


def test_owner_switches_intents(api_shop: ApiShop, other_shop: ApiShop) -> None:
    owner = person(api_shop, "owner")
    assert owner.get("/assistant/settings/").status_code == 200
    saved = owner.post(
        "/assistant/settings/",
        {
            "enabled": "on",
            "intents": ["order_status"],
            "returns_url": "https://shop.example/returns",
        },
    )
    assert saved.status_code == 302
    config = AssistantSettings.objects.get(shop=api_shop.shop)
    assert config.auto_intents == ["order_status"] and config.returns_url.endswith("/returns")
    assert not AssistantSettings.objects.filter(shop=other_shop.shop).exists()
    agent = person(api_shop, "agent")
    assert agent.post("/assistant/settings/", {"intents": []}).status_code == 403


def test_pages_speak_the_agents_language(api_shop: ApiShop, moving: Parcel) -> None:
    """What a message asks, how sure, in which language and from whom: in words, never codes."""
    draft(api_shop, "waar blijft mijn bestelling 2002? hij is te laat")
    owner = person(api_shop, "owner")
    owner.cookies["django_language"] = "de"
    html = owner.get("/assistant/").content.decode()
    assert "Von stranger@example.org" in html and "Wo ist meine Bestellung" in html
    assert "Niederländisch" in html and "% sicher" in html
    assert "order_status" not in html.replace('value="order_status"', "")
    settings_page = owner.get("/assistant/settings/").content.decode()
    for words in ("Wo ist meine Bestellung", "Nicht erhalten", "Stornierung", "Adressänderung"):
        assert words in settings_page
    assert ">order_status<" not in settings_page and ">cancel_order<" not in settings_page
