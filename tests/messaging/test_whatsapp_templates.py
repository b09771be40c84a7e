"""WhatsApp messages go out as the shop's approved template, named after the message kind."""

import json

import httpx
import pytest

from conftest import NOW, ApiShop, order_payload
from parcelcare.integrations.channels.whatsapp import WhatsAppCloud, WhatsAppSettings
from parcelcare.messaging.models import OutboxMessage
from parcelcare.messaging.sender import send_one
from parcelcare.tracking.models import Shipment


@pytest.mark.django_db
def test_a_whatsapp_message_is_sent_as_its_kinds_template(api_shop: ApiShop) -> None:
    api_shop.post("orders", order_payload("7001", "3S7001NL"))
    shipment = Shipment.objects.get(tracking_number="3S7001NL")
    message = OutboxMessage.objects.create(
        shop=api_shop.shop,
        shipment=shipment,
        kind="delayed_1",
        channel="whatsapp",
        audience="customer",
        idempotency_key="wa-1",
        language="nl",
        payload={"level": 1, "promised_date": "2026-11-16"},
        send_at=NOW,
        created_at=NOW,
        status="sending",
    )
    seen: list[dict] = []

    def graph(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json={"messages": [{"id": "wamid.HBgL"}]})

    channel = WhatsAppCloud(
        WhatsAppSettings(access_token="EAAG", phone_number_id="1055"),
        transport=httpx.MockTransport(graph),
    )
    assert send_one(message, {"whatsapp": channel}, NOW) == "sent"
    (body,) = seen
    template = body["template"]
    assert (body["type"], template["name"]) == ("template", "parcelcare_delayed_1")
    assert template["language"] == {"code": "nl"}
    params = [p["text"] for p in template["components"][0]["parameters"]]
    assert params[:2] == ["Sanne", "7001"]
    assert params[2].endswith(f"/t/{shipment.public_token}")
    message.refresh_from_db()
    assert message.provider_message_id == "wamid.HBgL"
