"""A customer answers our e-mail; the answer is matched to its parcel by Message-ID and our
reply, sent through a real SMTP server, threads under theirs (In-Reply-To, References)."""

from django.test import Client
from tests.assistant.test_channels import KEY, mailgun_fields
from tests.cases.parcels import MOVING, make_parcel

from conftest import ApiShop
from parcelcare import clock
from parcelcare.accounts.models import Connection
from parcelcare.assistant.inbox import process_due
from parcelcare.assistant.models import InboundMessage
from parcelcare.assistant.respond import handle
from parcelcare.messaging.models import OutboxMessage
from parcelcare.messaging.sender import send_due


def test_reply_threads_both_ways(api_shop: ApiShop, smtp, settings) -> None:
    inbox, channel = smtp
    settings.MAIL_FROM = "winkel@example.com"
    parcel = make_parcel(api_shop, "2002", MOVING)
    assert send_due({"email": channel}, clock.now()).get("sent")
    notice = OutboxMessage.objects.filter(shipment=parcel.shipment, status="sent").first()
    assert notice is not None and notice.provider_message_id.startswith("<")
    Connection.objects.create(shop=api_shop.shop, source="mailgun", secret=KEY)
    customer_id = "<CAF=reply-77@mail.example.com>"
    fields = mailgun_fields(
        **{
            "stripped-text": "wanneer komt mijn pakket?",
            "Message-Id": customer_id,
            "In-Reply-To": notice.provider_message_id,
            "References": notice.provider_message_id,
        }
    )
    assert Client().post(f"/webhooks/inbound/mailgun/{api_shop.shop.pk}", fields).status_code == 200
    process_due(handle, clock.now())
    message = InboundMessage.objects.get(shop=api_shop.shop)
    assert message.shipment_id == parcel.shipment.pk and message.outcome == "auto_sent"
    before = len(inbox.messages)
    assert send_due({"email": channel}, clock.now()) == {"sent": 1}
    (reply,) = inbox.messages[before:]
    assert reply["In-Reply-To"] == customer_id and reply["References"] == customer_id
    assert reply["To"] == "c2002@example.com"
    assert f"/t/{parcel.shipment.public_token}" in reply.get_body(("plain",)).get_content()
