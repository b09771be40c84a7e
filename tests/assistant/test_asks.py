"""Senders parcelcare cannot verify get an instant ask for their order number and postcode:
stored first, sent once per address and shop a day, never to robots, never revealing an order."""

import json
from datetime import timedelta
from email.message import EmailMessage

import httpx
import pytest
import respx
from django.test import Client
from tests.assistant.conversation import answered
from tests.assistant.test_channels import KEY, mailgun_fields
from tests.assistant.test_drafts_page import person
from tests.cases.parcels import MOVING, Parcel, make_parcel

from conftest import NOW, ApiShop
from parcelcare import clock
from parcelcare.accounts.models import AuditEntry, Connection
from parcelcare.assistant.asks import send_due_asks
from parcelcare.assistant.inbox import process_due, receive
from parcelcare.assistant.models import InboundMessage, SenderAsk
from parcelcare.assistant.respond import handle, settings_of
from parcelcare.integrations.channels.base import ChannelError
from parcelcare.integrations.channels.memory import MemoryChannel
from parcelcare.integrations.channels.whatsapp import WhatsAppCloud, WhatsAppSettings
from parcelcare.integrations.inbound.mail import parse_rfc822
from parcelcare.messaging.sender import send_due

GRAPH = "https://graph.facebook.com/v23.0/106540352242922/messages"


@pytest.fixture
def moving(api_shop: ApiShop) -> Parcel:
    return make_parcel(api_shop, "2002", MOVING)


def decision(message: InboundMessage) -> dict:
    entry = AuditEntry.objects.get(subject_type="inbound_message", subject_id=message.pk)
    return entry.after


def test_a_stranger_is_asked_and_learns_nothing_not_even_whether_the_order_exists(
    api_shop: ApiShop, moving: Parcel
) -> None:
    shop = api_shop.shop.pk
    known = answered(shop, "where is my order 2002? it is late", "anna@example.org", "<a1@x>")
    unknown = answered(shop, "where is my order 9999? it is late", "bert@example.org", "<b1@x>")
    assert known.order_id == moving.order.pk and unknown.order_id is None
    for message in (known, unknown):
        # The message stays a draft for the agent, with the ask recorded beside it.
        assert message.outcome == "draft" and "sender_not_verified" in message.reasons
        assert decision(message)["ask"] == message.ask.pk
    channel = MemoryChannel("email")
    assert send_due_asks({"email": channel}, NOW) == {"sent": 2}
    (to_anna,) = channel.to("anna@example.org")
    (to_bert,) = channel.to("bert@example.org")
    assert (to_anna.subject, to_anna.text) == (to_bert.subject, to_bert.text)
    assert to_anna.html == to_bert.html
    for shown in (to_anna.subject, to_anna.text, to_anna.html):
        assert "2002" not in shown and "c2002" not in shown and "3511" not in shown
    assert "order number and the postcode" in to_anna.text
    assert "A member of our team will also read your message." in to_anna.text
    assert to_anna.in_reply_to == "<a1@x>" and to_anna.sender and not to_anna.unsubscribe_url
    assert not channel.to("c2002@example.com")  # the order's customer hears nothing of it
    ask = SenderAsk.objects.get(inbound=known)
    assert (ask.status, ask.attempts, ask.language) == ("sent", 1, "en")
    assert send_due_asks({"email": channel}, NOW + timedelta(hours=1)) == {}


def test_one_ask_per_sender_address_and_shop_a_day(
    api_shop: ApiShop, other_shop: ApiShop, moving: Parcel
) -> None:
    shop = api_shop.shop.pk
    first = answered(shop, "where is my parcel? order 4711", "Anna@Example.org", "m1")
    again = answered(shop, "still waiting for my parcel, order 4711", "anna@example.org", "m2")
    assert first.ask.pk and not SenderAsk.objects.filter(inbound=again).exists()
    assert decision(again)["no_ask"] == ["asked_recently"]
    # Another shop keeps its own count; the next day the first shop may ask again.
    elsewhere = answered(
        other_shop.shop.pk, "where is my parcel? order 4711", "anna@example.org", "m3"
    )
    assert SenderAsk.objects.filter(inbound=elsewhere).exists()
    later = NOW + timedelta(hours=24, minutes=1)
    next_day = answered(shop, "where is my parcel? order 4711", "anna@example.org", "m4", now=later)
    assert SenderAsk.objects.filter(inbound=next_day, shop_id=shop).exists()
    assert SenderAsk.objects.filter(shop_id=shop).count() == 2


def test_verified_other_and_human_and_switched_off_get_no_ask(
    api_shop: ApiShop, moving: Parcel
) -> None:
    shop = api_shop.shop.pk
    verified = answered(shop, "waar blijft mijn pakket? bestelling 2002", "c2002@example.com", "v")
    assert verified.outcome == "auto_sent" and decision(verified)["no_ask"] == ["verified"]
    other = answered(shop, "hebben jullie deze tafel ook in het zwart", "x@example.org", "o")
    assert other.intent == "other" and "intent_other" in decision(other)["no_ask"]
    human = answered(shop, "where is my order 2002? I want a real person", "y@example.org", "h")
    assert "human_asked" in decision(human)["no_ask"]
    config = settings_of(shop)
    config.enabled = False
    config.save()
    off = answered(shop, "where is my order 2002?", "z@example.org", "f")
    assert decision(off)["no_ask"] == ["assistant_off"]
    config.enabled = True
    config.save()
    api_shop.shop.reply_to = "Service@Groenhuis.example"
    api_shop.shop.save()
    own = answered(shop, "where is my order 2002?", "service@groenhuis.example", "s")
    assert decision(own)["no_ask"] == ["own_address"]
    assert not SenderAsk.objects.exists()
    assert InboundMessage.objects.filter(outcome="draft").count() == 4


@pytest.mark.parametrize(
    "extra",
    [
        {"message-headers": json.dumps([["Precedence", "bulk"]])},
        {"message-headers": json.dumps([["List-Id", "<news.example.org>"]])},
        {"X-Autoreply": "yes"},
        {"from": "Shop <noreply@example.org>", "sender": "noreply@example.org"},
        {"from": "MAILER-DAEMON@mx.example.org", "sender": "MAILER-DAEMON@mx.example.org"},
    ],
)
def test_mail_no_person_wrote_is_kept_for_agents_but_never_asked(
    api_shop: ApiShop, moving: Parcel, extra: dict[str, str]
) -> None:
    Connection.objects.create(shop=api_shop.shop, source="mailgun", secret=KEY)
    fields = mailgun_fields(
        **{"from": "robot@example.org", "sender": "robot@example.org", "In-Reply-To": ""}
        | {"References": "", "stripped-text": "where is my order 2002?"}
        | extra
    )
    answer = Client().post(f"/webhooks/inbound/mailgun/{api_shop.shop.pk}", fields)
    assert answer.status_code == 200 and "received" in answer.json()
    process_due(handle, clock.now())
    message = InboundMessage.objects.get(shop=api_shop.shop)
    assert message.automated and message.outcome == "draft"
    assert "automated" in decision(message)["no_ask"]
    assert not SenderAsk.objects.exists()


def test_imap_mail_keeps_what_tells_a_robot() -> None:
    mail = EmailMessage()
    mail["From"] = "Nieuws <news@example.org>"
    mail["Message-ID"] = "<n1@example.org>"
    mail["List-Id"] = "Nieuwsbrief <nieuws.example.org>"
    mail.set_content("waar is mijn bestelling")
    parsed = parse_rfc822(mail.as_bytes())
    assert parsed.automated and not parsed.auto_submitted  # kept, but never asked
    del mail["List-Id"]
    assert not parse_rfc822(mail.as_bytes()).automated


def test_a_failed_ask_is_retried_with_the_same_key_and_a_refused_one_is_dead(
    api_shop: ApiShop,
) -> None:
    shop = api_shop.shop.pk
    answered(shop, "where is my order 2002?", "anna@example.org", "r1")
    answered(shop, "where is my order 2003?", "bert@example.org", "r2")
    channel = MemoryChannel("email")
    channel.fail_next(ChannelError("smtp 451", True))
    channel.fail_next(ChannelError("smtp 550", False))
    assert send_due_asks({"email": channel}, NOW) == {"failed": 1, "dead": 1}
    assert send_due_asks({"email": channel}, NOW + timedelta(seconds=10)) == {}
    assert send_due_asks({"email": channel}, NOW + timedelta(seconds=31)) == {"sent": 1}
    retried = SenderAsk.objects.get(status="sent")
    assert retried.attempts == 2 and channel.sent[0].idempotency_key == retried.idempotency_key
    dead = SenderAsk.objects.get(status="dead")
    assert dead.last_error == "smtp 550"


@respx.mock
def test_whatsapp_ask_goes_out_as_session_text_only_inside_the_window(api_shop: ApiShop) -> None:
    route = respx.post(GRAPH).mock(
        return_value=httpx.Response(
            200,
            json={
                "messaging_product": "whatsapp",
                "contacts": [{"input": "+31687654321", "wa_id": "31687654321"}],
                "messages": [
                    {"id": "wamid.HBgLMzE2ODc2NTQzMjEVAgARGBI5", "message_status": "accepted"}
                ],
            },
        )
    )
    whatsapp = WhatsAppCloud(
        WhatsAppSettings(access_token="EAAJB0token", phone_number_id="106540352242922")
    )
    shop = api_shop.shop.pk
    answered(
        shop, "waar blijft mijn pakket? bestelling 3003", "+31687654321", "w1", channel="whatsapp"
    )
    assert send_due_asks({"whatsapp": whatsapp}, NOW) == {"sent": 1}
    sent = json.loads(route.calls.last.request.content)
    assert sent["type"] == "text" and sent["to"] == "+31687654321"
    assert "bestelnummer en de postcode" in sent["text"]["body"]
    # Read late (a day after it came): outside the window no ask is queued at all, ...
    stale = NOW - timedelta(hours=25)
    receive(
        shop_id=shop,
        channel="whatsapp",
        external_id="w2",
        sender="+31611112222",
        body="waar blijft mijn pakket?",
        now=stale,
        wake=False,
    )
    process_due(handle, NOW)
    assert "session_closed" in decision(InboundMessage.objects.get(external_id="w2"))["no_ask"]
    # ... and one queued in time but not sent before the window closed is withdrawn.
    answered(shop, "waar blijft mijn pakket?", "+31633334444", "w3", channel="whatsapp")
    late = NOW + timedelta(hours=24)
    assert send_due_asks({"whatsapp": whatsapp}, late) == {"withdrawn": 1}
    assert route.call_count == 1


def test_agents_see_that_the_customer_was_asked(api_shop: ApiShop, moving: Parcel) -> None:
    answered(api_shop.shop.pk, "where is my order 2002?", "anna@example.org", "d1")
    agent = person(api_shop, "agent")
    assert "Asked the sender for their order number and postcode" in (
        agent.get("/assistant/").content.decode()
    )
    agent.cookies["django_language"] = "nl"
    assert "Afzender gevraagd om bestelnummer en postcode" in (
        agent.get("/assistant/").content.decode()
    )
    # The outbox page lists every message parcelcare sends, asks included.
    outbox = agent.get("/outbox/").content.decode().split('id="asks"')[1]
    assert "anna@example.org" in outbox and "Engels" in outbox and "In de wachtrij" in outbox


def test_asked_customer_answers_with_number_and_postcode_and_gets_the_real_answer(
    api_shop: ApiShop, moving: Parcel, smtp, settings
) -> None:
    inbox, channel = smtp
    settings.MAIL_FROM = "winkel@example.com"
    Connection.objects.create(shop=api_shop.shop, source="mailgun", secret=KEY)
    url = f"/webhooks/inbound/mailgun/{api_shop.shop.pk}"
    stranger = {"from": "Anna <anna@example.org>", "sender": "anna@example.org"}
    first = mailgun_fields(
        **stranger
        | {"Message-Id": "<q1@mail.example.org>", "In-Reply-To": "", "References": ""}
        | {"subject": "Waar blijft mijn pakket?", "stripped-text": "Waar blijft mijn pakket?"}
    )
    assert Client().post(url, first).status_code == 200
    process_due(handle, clock.now())
    question = InboundMessage.objects.get(external_id="<q1@mail.example.org>")
    assert question.outcome == "draft" and question.order_id is None
    assert send_due_asks({"email": channel}, clock.now()) == {"sent": 1}
    (asked,) = inbox.messages
    assert asked["To"] == "anna@example.org" and "Test Shop" in asked["From"]
    assert asked["In-Reply-To"] == "<q1@mail.example.org>"
    text = asked.get_body(("plain",)).get_content()
    assert "bestelnummer en de postcode" in text and "2002" not in text
    html = asked.get_body(("html",)).get_content()
    assert "Test Shop" in html and "Iemand van ons team leest je bericht ook." in html
    # Anna answers the ask (threaded under it) with the order number and the postcode.
    reply = mailgun_fields(
        **stranger
        | {"Message-Id": "<q2@mail.example.org>"}
        | {"In-Reply-To": asked["Message-ID"], "References": asked["Message-ID"]}
        | {"stripped-text": "Waar blijft mijn pakket? Bestelling 2002, postcode 3511 AB"}
    )
    assert Client().post(url, reply).status_code == 200
    process_due(handle, clock.now())
    answered = InboundMessage.objects.get(external_id="<q2@mail.example.org>")
    assert answered.verified and answered.outcome == "auto_sent", answered.reasons
    assert decision(answered)["proof"] == "order_number_and_postcode"
    assert not SenderAsk.objects.filter(inbound=answered).exists()
    assert send_due({"email": channel}, clock.now()).get("sent")
    answer = inbox.messages[-1]
    # The facts go to the order's own address, as every verified answer does.
    assert answer["To"] == "c2002@example.com"
    assert f"/t/{moving.shipment.public_token}" in answer.get_body(("plain",)).get_content()
