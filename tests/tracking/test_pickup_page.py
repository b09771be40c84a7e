"""A parcel at a pickup point: its name, address and hours on the tracking page and in the
pickup messages, or plainly that the carrier did not provide them."""

import html
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import translation

from parcelcare import clock
from parcelcare.accounts.models import Shop
from parcelcare.domain.notify_policy import Channel, MessageKind
from parcelcare.messaging.context import MessageContext
from parcelcare.messaging.render import render
from parcelcare.tracking.models import Customer, Order, Shipment

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
POINT = {"name": "Primera Utrecht Centrum", "address": "Oudegracht 12a, 3511 AB Utrecht",
         "hours": "Mon-Sat 09:00-18:00"}  # fmt: skip


@pytest.fixture(autouse=True)
def language_reset() -> Iterator[None]:
    """A page asked for in French leaves French active in this thread; later tests need none."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def waiting_parcel(db: None, point: dict[str, str]) -> Shipment:
    shop = Shop.objects.create(name="De Linde", timezone="Europe/Amsterdam", country="NL")
    customer = Customer.objects.create(shop=shop, email="s@example.com", name="Sanne de Vries")
    order = Order.objects.create(
        shop=shop, order_number="1001", customer=customer, placed_at=NOW - timedelta(days=4),
        currency="EUR", created_at=NOW, updated_at=NOW,
    )  # fmt: skip
    return Shipment.objects.create(
        shop=shop, order=order, carrier="postnl", tracking_number="3SPICK1",
        status="available_for_pickup", status_since=NOW - timedelta(hours=2),
        last_event_at=NOW - timedelta(hours=2), pickup_point=point,
        created_at=NOW, updated_at=NOW,
    )  # fmt: skip


def page(shipment: Shipment, lang: str) -> str:
    body = Client().get(f"/t/{shipment.public_token}?lang={lang}").content.decode()
    return html.unescape(re.sub(r"\s+", " ", body))


def test_the_tracking_page_shows_the_pickup_point(db: None) -> None:
    text = page(waiting_parcel(db, POINT), "en")
    for value in POINT.values():
        assert value in text
    assert "Opening hours" in text and "not provided by the carrier" not in text


@pytest.mark.parametrize(
    ("lang", "missing"),
    [
        ("en", "Pickup point details not provided by the carrier."),
        ("nl", "De vervoerder heeft geen gegevens van het afhaalpunt doorgegeven."),
        ("de", "Der Paketdienst hat keine Angaben zur Abholstelle übermittelt."),
        ("fr", "Le transporteur n\u2019a pas communiqué les coordonnées du point relais."),
    ],
)
def test_the_tracking_page_says_when_the_carrier_named_no_pickup_point(
    db: None, lang: str, missing: str
) -> None:
    assert missing in page(waiting_parcel(db, {}), lang)


BASE = MessageContext(
    shop_name="De Linde", language="en", order_number="1001", carrier_name="PostNL",
    tracking_url="https://example.com/t/x", customer_name="Sanne de Vries",
)  # fmt: skip


@pytest.mark.parametrize("kind", [MessageKind.AWAITING_PICKUP, MessageKind.PICKUP_REMINDER])
@pytest.mark.parametrize(
    ("lang", "named", "missing"),
    [
        ("en", "Pickup point: Primera", "Pickup point details not provided by the carrier"),
        ("nl", "Afhaalpunt: Primera", "geen gegevens van het afhaalpunt"),
        ("de", "Abholstelle: Primera", "keine Angaben zur Abholstelle"),
        ("fr", "Point relais : Primera", "coordonnées du point relais"),
    ],
)
def test_pickup_messages_name_the_point_or_say_it_is_missing(
    kind: MessageKind, lang: str, named: str, missing: str
) -> None:
    with_point = replace(
        BASE,
        language=lang,
        pickup_name=POINT["name"],
        pickup_address=POINT["address"],
        pickup_hours=POINT["hours"],
    )
    text = render(kind, Channel.EMAIL, with_point).text
    assert named in text and POINT["address"] in text and POINT["hours"] in text
    assert missing not in text
    assert missing in render(kind, Channel.EMAIL, replace(BASE, language=lang)).text


def test_the_sender_writes_the_stored_pickup_point_into_the_message(db: None) -> None:
    from parcelcare.messaging.models import OutboxMessage
    from parcelcare.messaging.sender import preview

    shipment = waiting_parcel(db, POINT)
    message = OutboxMessage.objects.create(
        shop=shipment.shop, shipment=shipment, kind="awaiting_pickup", channel="email",
        audience="customer", idempotency_key="k", language="en",
        payload={"deadline": "2026-11-25", "days_left": 7}, send_at=NOW, created_at=NOW,
    )  # fmt: skip
    text = preview(message).text
    assert f"Pickup point: {POINT['name']}, {POINT['address']}." in text
    assert POINT["hours"] in text
