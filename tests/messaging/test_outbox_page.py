"""The outbox page lists the shop's messages and previews one as the customer gets it."""

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation

from conftest import NOW, ApiShop, event, order_payload
from parcelcare import clock
from parcelcare.accounts.models import Membership
from parcelcare.messaging.models import OutboxMessage


@pytest.fixture(autouse=True)
def language_reset() -> Iterator[None]:
    """A page asked for in French leaves French active in this thread; later tests need none."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def agent_client(api_shop: ApiShop, django_user_model) -> Client:
    agent = django_user_model.objects.create_user("outbox-agent", password="pw")
    Membership.objects.create(user=agent, shop=api_shop.shop)
    client = Client()
    client.force_login(agent)
    return client


def test_outbox_lists_and_previews_in_the_customers_language(
    api_shop: ApiShop, other_shop: ApiShop, agent_client: Client
) -> None:
    api_shop.post("orders", order_payload(promised="2026-11-17"))
    api_shop.post("tracking-events", {"events": [event(at="2026-11-17T08:00:00+01:00")]})
    page = agent_client.get("/outbox/", headers={"Accept-Language": "de"}).content.decode()
    assert "Postausgang" in page and "delayed_1" in page
    message = OutboxMessage.objects.get(kind="delayed_1")
    preview = agent_client.get(f"/outbox/{message.id}/").content.decode()
    assert "1001" in preview and "/t/" in preview and "srcdoc" in preview
    other_shop.post("orders", order_payload(number="9", tracking="3SOTHER9", promised="2026-11-17"))
    other_shop.post(
        "tracking-events", {"events": [event(tracking="3SOTHER9", at="2026-11-17T08:00:00+01:00")]}
    )
    other_message = OutboxMessage.objects.exclude(shop=api_shop.shop).first()
    assert other_message is not None
    assert agent_client.get(f"/outbox/{other_message.id}/").status_code == 404
    assert "3SOTHER9" not in agent_client.get("/outbox/").content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ("Vertraagd", "Klant", "Nederlands", "E-mail")),
        ("de", ("Verspätet", "Kunde", "Niederländisch", "E-Mail")),
        ("en", ("Delayed, 1st notice", "Customer", "Dutch", "E-mail")),
        ("fr", ("Retard", "Client", "Néerlandais", "E-mail")),
    ],
)
def test_outbox_shows_kind_audience_and_language_in_words(
    api_shop: ApiShop, agent_client: Client, language: str, words: tuple[str, ...]
) -> None:
    api_shop.post("orders", order_payload(promised="2026-11-17"))
    api_shop.post("tracking-events", {"events": [event(at="2026-11-17T08:00:00+01:00")]})
    message = OutboxMessage.objects.get(kind="delayed_1", audience="customer")
    headers = {"Accept-Language": language}
    for url in ("/outbox/", f"/outbox/{message.id}/"):
        page = agent_client.get(url, headers=headers).content.decode()
        shown = page.replace('title="delayed_1"', "")
        assert "delayed_1" not in shown and "customer ·" not in shown and "· nl" not in shown
        for word in words:
            assert word in page, (url, word)


def test_every_message_kind_audience_and_language_has_a_label() -> None:
    """No code shows raw; test_translations checks each label is translated in nl, de and fr."""
    from parcelcare.domain.notify_policy import Audience, MessageKind
    from parcelcare.domain.vocabulary import LANGUAGES
    from parcelcare.messaging import labels

    assert set(MessageKind) <= set(labels.KIND_LABELS)
    assert set(Audience) <= set(labels.AUDIENCE_LABELS)
    assert (
        labels.sent_channel_label("sms") == "SMS" and labels.sent_channel_label("email") == "E-mail"
    )
    assert set(LANGUAGES) <= set(labels.LANGUAGE_LABELS)


def test_a_withdrawn_message_says_why_in_the_agents_language(
    api_shop: ApiShop, agent_client: Client
) -> None:
    api_shop.post("orders", order_payload(promised="2026-11-17"))
    api_shop.post("tracking-events", {"events": [event(at="2026-11-17T08:00:00+01:00")]})
    message = OutboxMessage.objects.get(kind="delayed_1")
    OutboxMessage.objects.filter(id=message.id).update(
        status="withdrawn", withdrawn_reason="no longer true: shipment delivered"
    )
    page = agent_client.get(
        "/outbox/?status=withdrawn", headers={"Accept-Language": "nl"}
    ).content.decode()
    assert "Niet meer waar op het moment van versturen" in page and "Bezorgd" in page
    detail = agent_client.get(
        f"/outbox/{message.id}/", headers={"Accept-Language": "de"}
    ).content.decode()
    assert "Beim Versand nicht mehr zutreffend" in detail
