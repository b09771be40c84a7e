"""Return fixtures (import them into a test module): a delivered order with two lines, a return
ready to resolve, and ledger entries booked by an agent."""

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

import pytest
from aiosmtpd.controller import Controller
from PIL import Image

from conftest import NOW, ApiShop, event, order_payload
from parcelcare.domain.returns_policy import Pick
from parcelcare.integrations.channels.email import SmtpEmail
from parcelcare.ledger.book import book
from parcelcare.ledger.models import RemedyEntry
from parcelcare.messaging.channels import smtp_settings
from parcelcare.returns import services
from parcelcare.returns.models import ReturnRequest
from parcelcare.tracking.models import Order, OrderLine

LINES = [
    {
        "sku": "POT-30",
        "name": "Terracotta pot 30 cm",
        "quantity": 2,
        "unit_price": 1495,
        "currency": "EUR",
    },
    {"sku": "SEEDS", "name": "Seed box", "quantity": 3, "unit_price": 299, "currency": "EUR"},
]
DELIVERED = [
    {"at": "2026-11-13T08:00:00+01:00", "code": "A1", "status": "in_transit"},
    {"at": "2026-11-14T14:10:00+01:00", "code": "I01", "status": "delivered"},
]


@dataclass
class Bought:
    """A delivered order and its two lines."""

    order: Order
    pot: OrderLine
    seeds: OrderLine


def buy(api_shop: ApiShop, number: str = "5001", journey: list | None = None) -> Bought:
    """Post an order with two lines and its carrier events through the API."""
    tracking = f"3S{number}NL"
    body = order_payload(number, tracking, lines=LINES)
    assert api_shop.post("orders", body).status_code in (200, 201)
    items = [
        event(tracking, at=step["at"], code=step["code"], status=step["status"])
        for step in (DELIVERED if journey is None else journey)
    ]
    if items:
        assert api_shop.post("tracking-events", {"events": items}).status_code == 200
    order = Order.objects.get(shop=api_shop.shop, order_number=number)
    return Bought(order, order.lines.get(sku="POT-30"), order.lines.get(sku="SEEDS"))


@pytest.fixture(name="bought")
def bought_order(api_shop: ApiShop) -> Bought:
    """An order of 2 pots and 3 seed boxes (38.87 EUR), delivered Saturday 14 November."""
    return buy(api_shop)


def inspected(bought: Bought, pots: int) -> ReturnRequest:
    """A refund return of `pots` damaged pots, approved, received and inspected at NOW."""
    item = services.request_return(
        order=bought.order,
        picks=[Pick(bought.pot.pk, pots)],
        reason="damaged",
        resolution="refund",
        language="en",
        now=NOW,
    )
    for step in (services.approve, services.mark_received, services.inspect):
        step(request=item, who=services.SYSTEM, now=NOW)
    return item


def booked(bought: Bought, kind: str, amount: int, key: str, reason: str = "") -> RemedyEntry:
    """A ledger entry on the order, booked by agent eva at NOW."""
    entry, _ = book(
        order_id=bought.order.pk,
        shop_id=bought.order.shop_id,
        kind=kind,
        amount=amount,
        idempotency_key=key,
        actor_type="agent",
        actor="eva",
        now=NOW,
        reason=reason,
    )
    return entry


def png() -> bytes:
    """A small real PNG photo."""
    out = BytesIO()
    Image.new("RGB", (8, 8), (200, 80, 40)).save(out, format="PNG")
    return out.getvalue()


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


@pytest.fixture(name="smtp")
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def branded_mail(bought: Bought, port: int, settings) -> dict[str, SmtpEmail]:
    """The shop in its own colour and name, and an e-mail sender to the test SMTP server."""
    settings.MAIL_FROM = "winkel@example.com"
    shop = bought.order.shop
    shop.brand_colour, shop.name = "#0b6e4f", "Groenhuis"
    shop.save()
    url = f"smtp+plain://127.0.0.1:{port}"
    return {"email": SmtpEmail(smtp_settings(url, "winkel@example.com"))}


__all__ = ["NOW", "Bought", "Inbox", "branded_mail", "buy", "png", "smtp_server"]
