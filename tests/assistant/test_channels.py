"""Inbound channels: Mailgun (signed), WhatsApp Cloud (handshake + signature), the tracking
page's contact form, IMAP polling with the UIDVALIDITY + UID cursor, replies threaded."""

import hashlib
import hmac
import json
from email.message import EmailMessage

import pytest
from django.test import Client
from tests.assistant.imap_server import Store, imap_server
from tests.cases.parcels import MOVING, Parcel, make_parcel

from conftest import NOW, ApiShop
from parcelcare import clock
from parcelcare.accounts.models import Connection
from parcelcare.assistant.inbox import process_due
from parcelcare.assistant.mailboxes import poll_mailbox
from parcelcare.assistant.models import InboundMessage, Mailbox
from parcelcare.assistant.respond import handle
from parcelcare.integrations.channels.email import message_id
from parcelcare.messaging.models import OutboxMessage

KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"
APP_SECRET = "6f1c2e0b9a"


@pytest.fixture
def moving(api_shop: ApiShop) -> Parcel:
    return make_parcel(api_shop, "2002", MOVING)


def mailgun_fields(**extra: str) -> dict[str, str]:
    """A Mailgun `forward` route POST as Mailgun sends it, signed with KEY at NOW."""
    timestamp, token = str(int(NOW.timestamp())), "c4d8f6e2a1b3957d0e6f4a2b8c1d3e5f7a9b0c2d4e6f8a1b"
    signature = hmac.new(KEY.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    fields = {
        "recipient": "service@groenhuis.example",
        "sender": "c2002@example.com",
        "from": "Sanne de Vries <c2002@example.com>",
        "subject": "Re: Je pakket is onderweg",
        "body-plain": "Waar blijft mijn pakket? bestelling 2002\n\nOp 16 nov. schreef Shop:\n> oud",
        "stripped-text": "Waar blijft mijn pakket? bestelling 2002",
        "Message-Id": "<CAF=Ufz9x2@mail.example.com>",
        "In-Reply-To": "<abc123@parcelcare.example>",
        "References": "<abc123@parcelcare.example>",
        "message-headers": json.dumps([["Subject", "Re: Je pakket is onderweg"]]),
        "timestamp": timestamp,
        "token": token,
        "signature": signature,
    }
    return fields | extra


def test_mailgun_signed_mail_is_stored_once_and_answered(
    api_shop: ApiShop, moving: Parcel, django_capture_on_commit_callbacks
) -> None:
    Connection.objects.create(shop=api_shop.shop, source="mailgun", secret=KEY)
    url = f"/webhooks/inbound/mailgun/{api_shop.shop.pk}"
    client = Client()
    assert client.post(url, mailgun_fields(signature="0" * 64)).status_code == 406
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, mailgun_fields())
    assert first.status_code == 200 and first.json()["duplicate"] is False
    assert client.post(url, mailgun_fields()).json()["duplicate"] is True
    message = InboundMessage.objects.get(shop=api_shop.shop)
    assert message.body == "Waar blijft mijn pakket? bestelling 2002"
    assert message.thread_ids == ["<abc123@parcelcare.example>"]
    # On commit the worker was woken (immediately, in tests) and answered.
    assert message.outcome == "auto_sent" and message.intent == "order_status"


def test_reply_to_our_notification_is_threaded_to_its_parcel(
    api_shop: ApiShop, moving: Parcel
) -> None:
    notice = OutboxMessage.objects.filter(shipment=moving.shipment).first()
    assert notice is not None
    # What the SMTP channel records as the provider id when it sends the notification.
    sent_id = message_id(notice.idempotency_key, "groenhuis.example")
    OutboxMessage.objects.filter(pk=notice.pk).update(provider_message_id=sent_id)
    notice.refresh_from_db()
    Connection.objects.create(shop=api_shop.shop, source="mailgun", secret=KEY)
    fields = mailgun_fields(
        **{
            "stripped-text": "wanneer komt hij?",
            "In-Reply-To": notice.provider_message_id,
            "References": notice.provider_message_id,
        }
    )
    Client().post(f"/webhooks/inbound/mailgun/{api_shop.shop.pk}", fields)
    process_due(handle, clock.now())
    message = InboundMessage.objects.get(shop=api_shop.shop)
    assert message.shipment_id == moving.shipment.pk and message.verified


def whatsapp_payload(text: str, wamid: str = "wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQUYx") -> bytes:
    """A WhatsApp Cloud `messages` notification as Meta sends it."""
    return json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "102290129340398",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "31201234567",
                                    "phone_number_id": "106540352242922",
                                },
                                "contacts": [
                                    {"profile": {"name": "Sanne"}, "wa_id": "31612345678"}
                                ],
                                "messages": [
                                    {
                                        "from": "31612345678",
                                        "id": wamid,
                                        "timestamp": "1763467200",
                                        "text": {"body": text},
                                        "type": "text",
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()


def test_whatsapp_handshake_signature_and_message(api_shop: ApiShop, moving: Parcel) -> None:
    Connection.objects.create(
        shop=api_shop.shop,
        source="whatsapp",
        secret=APP_SECRET,
        settings={"verify_token": "groen-verify-7"},
    )
    url = f"/webhooks/inbound/whatsapp/{api_shop.shop.pk}"
    client = Client()
    shake = client.get(
        url,
        {
            "hub.mode": "subscribe",
            "hub.verify_token": "groen-verify-7",
            "hub.challenge": "1158201444",
        },
    )
    assert shake.status_code == 200 and shake.content == b"1158201444"
    refused = client.get(
        url, {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"}
    )
    assert refused.status_code == 403
    body = whatsapp_payload("waar is mijn bestelling 2002")
    bad = client.post(
        url,
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": "sha256=" + "0" * 64},
    )
    assert bad.status_code == 401
    signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    good = client.post(
        url, body, content_type="application/json", headers={"X-Hub-Signature-256": signature}
    )
    process_due(handle, clock.now())
    assert good.status_code == 200 and len(good.json()["received"]) == 1
    message = InboundMessage.objects.get(shop=api_shop.shop, channel="whatsapp")
    assert message.sender == "+31612345678" and message.verified  # the order's phone
    row = OutboxMessage.objects.get(pk=message.outbox_id)
    assert row.channel == "whatsapp" and row.payload["in_session"] is True


def test_contact_form_on_the_tracking_page(api_shop: ApiShop, moving: Parcel) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/t/{moving.shipment.public_token}")
    assert f"/t/{moving.shipment.public_token}/ask" in page.content.decode()
    url = f"/t/{moving.shipment.public_token}/ask?lang=en"
    form = client.get(url)
    assert form.status_code == 200
    token = form.cookies["csrftoken"].value
    sent = client.post(url, {"message": "when will it arrive?", "csrfmiddlewaretoken": token})
    assert sent.status_code == 200 and b"on its way" in sent.content
    process_due(handle, clock.now())
    message = InboundMessage.objects.get(shop=api_shop.shop, channel="form")
    assert message.verified and message.shipment_id == moving.shipment.pk
    assert message.outcome == "auto_sent"
    assert OutboxMessage.objects.get(pk=message.outbox_id).channel == "email"


def raw_mail(message_id: str, text: str, sender: str = "c2002@example.com") -> bytes:
    mail = EmailMessage()
    mail["From"] = f"Sanne <{sender}>"
    mail["To"] = "service@groenhuis.example"
    mail["Subject"] = "vraag"
    mail["Message-ID"] = message_id
    mail.set_content(text)
    return mail.as_bytes()


def test_imap_polling_follows_the_uid_cursor(api_shop: ApiShop, moving: Parcel) -> None:
    store = Store()
    store.add(raw_mail("<m1@mail.example>", "waar blijft mijn pakket? bestelling 2002"))
    with imap_server(store) as port:
        mailbox = Mailbox.objects.create(
            shop=api_shop.shop,
            host="127.0.0.1",
            port=port,
            security="plain",
            username=store.user,
            password=store.password,
        )
        assert poll_mailbox(mailbox, NOW) == 1
        mailbox.refresh_from_db()
        assert (mailbox.uidvalidity, mailbox.last_uid) == (store.uidvalidity, 1)
        assert poll_mailbox(mailbox, NOW) == 0  # nothing new past the cursor
        store.add(raw_mail("<m2@mail.example>", "I want to cancel my order 2002"))
        assert poll_mailbox(mailbox, NOW) == 1
        mailbox.refresh_from_db()
        assert mailbox.last_uid == 2
        # The server renumbered its UIDs: read again, and dedupe keeps each mail once.
        store.uidvalidity += 1
        assert poll_mailbox(mailbox, NOW) == 0
        mailbox.refresh_from_db()
        assert mailbox.uidvalidity == store.uidvalidity and mailbox.last_uid == 2
        store.password = "changed"
        assert poll_mailbox(mailbox, NOW) == 0
        mailbox.refresh_from_db()
        assert "login" in mailbox.last_error and mailbox.last_uid == 2
    process_due(handle, clock.now())
    intents = sorted(InboundMessage.objects.values_list("intent", flat=True))
    assert intents == ["cancel_order", "order_status"]
