"""Sending with the shop's brand: its own text, sender name, Reply-To, signature and colour reach
a real SMTP server; carriers that notify customers themselves keep parcelcare quiet."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from test_sending import late_parcel, smtp_server  # noqa: F401 (the SMTP server fixture)

from conftest import NOW, ApiShop, event, order_payload
from parcelcare import clock
from parcelcare.accounts.services import update_branding
from parcelcare.domain.notify_policy import Channel, MessageKind
from parcelcare.integrations.channels.email import SmtpEmail
from parcelcare.integrations.channels.memory import MemoryChannel
from parcelcare.messaging.channels import smtp_settings
from parcelcare.messaging.gate import PACE
from parcelcare.messaging.models import OutboxMessage, TemplateOverride
from parcelcare.messaging.overrides import Slot, save_override
from parcelcare.messaging.sender import send_due

OWN_TEXT = (
    "Subject: Even geduld met bestelling {{ order_number }}\n\n"
    "Hoi {{ first_name }},\n\n"
    "Onze eigen tekst: {{ carrier }} is wat later dan beloofd.\n\n"
    "Volg je pakket: {{ tracking_url }}\n\n"
    "{{ signature }}"
)
BRAND = {
    "brand_colour": "#2f6f4f",
    "logo_url": "https://cdn.groenhuis.example/logo.png",
    "sender_name": "Groenhuis, Wonen & Tuin",
    "reply_to": "klantenservice@groenhuis.example",
    "signature": "Lisa\nTeam Groenhuis",
}


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def own_text(api: ApiShop, django_user_model) -> None:
    owner = django_user_model.objects.create_user("owner", "", "pw")
    slot = Slot(MessageKind.DELAYED_1, Channel.EMAIL, "nl")
    assert save_override(shop=api.shop, slot=slot, source=OWN_TEXT, user=owner, now=NOW) is None


def test_the_shops_own_text_and_brand_reach_the_inbox(
    api_shop: ApiShop,
    smtp_server,  # noqa: F811
    settings,
    django_user_model,
) -> None:
    inbox, port = smtp_server
    settings.MAIL_FROM = "zorg@parcelcare.example"
    update_branding(shop=api_shop.shop, changes=BRAND, actor="owner", now=NOW)
    own_text(api_shop, django_user_model)
    late_parcel(api_shop)
    sender = SmtpEmail(smtp_settings(f"smtp+plain://127.0.0.1:{port}", settings.MAIL_FROM))
    assert send_due({"email": sender}, NOW) == {"sent": 1, "later": 1}
    assert send_due({"email": sender}, NOW + PACE.min_gap) == {"sent": 1}
    by_subject = {str(m["Subject"]): m for m in inbox.messages}
    received = by_subject["Even geduld met bestelling 1001"]
    assert received["From"].addresses[0].display_name == "Groenhuis, Wonen & Tuin"
    assert received["From"].addresses[0].addr_spec == "zorg@parcelcare.example"
    assert str(received["Reply-To"]) == "klantenservice@groenhuis.example"
    text = received.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = received.get_body(("html",)).get_content()
    assert "Hoi Sanne," in text and "Onze eigen tekst: PostNL" in text
    assert "Lisa\nTeam Groenhuis" in text
    assert "#2f6f4f" in html and "https://cdn.groenhuis.example/logo.png" in html
    # The other message (shipped) has no own text: ours, but with the same brand.
    shipped = next(m for m in inbox.messages if m is not received)
    assert "Onze eigen tekst" not in shipped.get_body(("plain",)).get_content()
    assert str(shipped["Reply-To"]) == "klantenservice@groenhuis.example"


def test_overrides_are_read_once_per_batch(api_shop: ApiShop, django_user_model) -> None:
    own_text(api_shop, django_user_model)
    for n in range(3):
        number = f"10{n}"
        api_shop.post(
            "orders", order_payload(number=number, tracking=f"3S{n}", promised="2026-11-17")
        )
        api_shop.post(
            "tracking-events",
            {"events": [event(tracking=f"3S{n}", at="2026-11-17T08:00:00+01:00")]},
        )
    channel = MemoryChannel("email")
    with CaptureQueriesContext(connection) as queries:
        # Three customers: each gets their delay message now, shipped after the minimum gap.
        assert send_due({"email": channel}, NOW) == {"sent": 3, "later": 3}
    reads = [q["sql"] for q in queries if "messaging_templateoverride" in q["sql"]]
    assert len(reads) == 1
    assert sum("Onze eigen tekst" in m.text for m in channel.sent) == 3


def test_a_text_that_stopped_rendering_falls_back_to_ours(
    api_shop: ApiShop, django_user_model
) -> None:
    own_text(api_shop, django_user_model)
    # Saved texts are checked; this one broke later (say, a variable renamed in an upgrade).
    TemplateOverride.objects.update(source="no subject line any more")
    late_parcel(api_shop)
    channel = MemoryChannel("email")
    assert send_due({"email": channel}, NOW) == {"sent": 1, "later": 1}
    assert send_due({"email": channel}, NOW + PACE.min_gap) == {"sent": 1}
    assert all(message.subject for message in channel.sent)


def out_for_delivery(api: ApiShop, carrier: str, tracking: str) -> None:
    api.post("orders", order_payload(number=tracking, tracking=tracking, carrier=carrier))
    at = (NOW - timedelta(hours=2)).isoformat()
    api.post(
        "tracking-events",
        {"events": [event(tracking=tracking, carrier=carrier, at=at, status="out_for_delivery")]},
    )


def test_carriers_that_notify_themselves_keep_parcelcare_quiet(api_shop: ApiShop) -> None:
    update_branding(
        shop=api_shop.shop, changes={"carrier_notifies": ["postnl"]}, actor="owner", now=NOW
    )
    out_for_delivery(api_shop, "postnl", "3SQUIET1")
    out_for_delivery(api_shop, "dhl", "JJD0001")
    told = set(
        OutboxMessage.objects.filter(kind="out_for_delivery").values_list(
            "shipment__tracking_number", flat=True
        )
    )
    assert told == {"JJD0001"}
