"""Delivery reports by webhook: verified per shop, kept in the inbox, applied to the outbox rows
they name in one UPDATE, unknown ids counted; bad signatures change nothing."""

import base64
import hashlib
import hmac
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from typer.testing import CliRunner

from conftest import NOW, ApiShop, order_payload
from parcelcare import clock
from parcelcare.accounts.models import Connection, Membership, Shop
from parcelcare.accounts.services import connect_source
from parcelcare.cli import app
from parcelcare.integrations.channels.report_sources import TWILIO
from parcelcare.integrations.channels.reports import form_pairs, twilio_signature
from parcelcare.integrations.sources import INBOX_SOURCES
from parcelcare.messaging.models import OutboxMessage
from parcelcare.tracking.inbox import process_due, receive
from parcelcare.tracking.models import InboxItem, Shipment

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
SECRET = "f3b1c2d4e5a6b7c8d9e0f1a2b3c4d5e6"
SMS_OK = "SM3f1c2d4e5a6b7c8d9e0f1a2b3c4d5e6f"
SMS_BAD = "SM9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"
WA_READ = "wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"
WA_FAILED = "wamid.HBgLMzE2ODc2NTQzMjEVAgARGBIwRjFFMkQzQzRCNUE2OTc4ODcA"
WA_UNKNOWN = "wamid.HBgLMzE2MDAwMDAwMDAVAgARGBI0NEU1RjZBN0I4QzlEMEUxRjIA"
BIRD_ID = "e8077d803532c0b5937c639b60216938"
MAIL_ID = "<5d41402abc4b2a76b9719d911017c592f0e1a2b3@parcelcare.example>"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def sent(api: ApiShop, channel: str, provider_id: str) -> OutboxMessage:
    """A message of the shop that went out with this provider id."""
    shop = api.shop
    if not Shipment.objects.filter(shop=shop).exists():
        api.post("orders", order_payload(number=f"R{shop.id}", tracking=f"3SR{shop.id}"))
    shipment = Shipment.objects.get(shop=shop)
    return OutboxMessage.objects.create(
        shop=shop,
        shipment=shipment,
        kind="delayed_1",
        channel=channel,
        audience="customer",
        idempotency_key=f"{shipment.id}:delayed_1:-:{channel}:{provider_id}",
        language="nl",
        send_at=NOW - timedelta(hours=1),
        status="sent",
        sent_at=NOW - timedelta(hours=1),
        provider_message_id=provider_id,
        created_at=NOW - timedelta(hours=2),
    )


@pytest.fixture
def shop(api_shop: ApiShop) -> Shop:
    """The shop with a secret for every report provider and one message per provider id."""
    for source in ("twilio", "whatsapp", "bird", "email-bounces"):
        connect_source(shop=api_shop.shop, source=source, secret=SECRET)
    for channel, provider_id in (
        ("sms", SMS_OK),
        ("sms", SMS_BAD),
        ("whatsapp", WA_READ),
        ("whatsapp", WA_FAILED),
        ("sms", BIRD_ID),
        ("email", MAIL_ID),
    ):
        sent(api_shop, channel, provider_id)
    return api_shop.shop


def state(provider_id: str, shop: Shop | None = None) -> tuple[str, str]:
    rows = OutboxMessage.objects.filter(provider_message_id=provider_id)
    row = (rows.filter(shop=shop) if shop else rows).get()
    return row.delivery_status, row.delivery_error


def url(provider: str, shop_id: int) -> str:
    return f"/webhooks/reports/{provider}/{shop_id}"


def post_twilio(
    shop_id: int, body: bytes, token: str = SECRET, base: str = "http://testserver"
) -> Any:
    signature = twilio_signature(token, base + url("twilio", shop_id), form_pairs(body))
    return Client().post(
        url("twilio", shop_id),
        body,
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": signature},
    )


def hub(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_twilio_callbacks_mark_the_messages(shop: Shop) -> None:
    delivered = post_twilio(shop.id, fixture("twilio_status_delivered.txt"))
    assert delivered.status_code == 200
    assert delivered.json() | {"received": 0} == {
        "received": 0,
        "reports": 1,
        "updated": 1,
        "unknown": 0,
        "unknown_ids": [],
        "ignored": 0,
    }
    failed = post_twilio(shop.id, fixture("twilio_status_undelivered.txt"))
    assert failed.json()["updated"] == 1
    assert state(SMS_OK) == ("delivered", "") and state(SMS_BAD) == ("failed", "30003")
    row = OutboxMessage.objects.get(provider_message_id=SMS_OK)
    assert row.delivery_updated_at == NOW and row.status == "sent"
    kept = InboxItem.objects.filter(source="twilio")
    assert kept.count() == 2 and {i.status for i in kept} == {"done"}
    assert "1 messages updated" in kept.first().last_error


def test_twilio_signed_for_the_public_address_verifies(shop: Shop, settings) -> None:
    settings.PUBLIC_URL = "https://care.shop.example"
    answer = post_twilio(shop.id, fixture("twilio_status_delivered.txt"), base=settings.PUBLIC_URL)
    assert answer.status_code == 200 and state(SMS_OK) == ("delivered", "")


def test_whatsapp_batch_is_one_update_and_unknown_ids_are_counted(shop: Shop) -> None:
    body = fixture("whatsapp_statuses.json")
    with CaptureQueriesContext(connection) as queries:
        answer = Client().post(
            url("whatsapp", shop.id),
            body,
            content_type="application/json",
            headers={"X-Hub-Signature-256": hub(body)},
        )
    assert answer.status_code == 200
    result = answer.json()
    assert (result["reports"], result["updated"], result["ignored"]) == (5, 2, 1)
    assert (result["unknown"], result["unknown_ids"]) == (1, [WA_UNKNOWN])
    assert state(WA_READ) == ("delivered", "") and state(WA_FAILED) == ("failed", "131026")
    updates = [q for q in queries if q["sql"].startswith("UPDATE") and "outboxmessage" in q["sql"]]
    assert len(updates) == 1


def test_whatsapp_verifies_the_address_with_the_shops_token(shop: Shop) -> None:
    connect_source(
        shop=shop, source="whatsapp", secret=SECRET, settings={"verify_token": "groenhuis-2026"}
    )
    assert Connection.objects.get(shop=shop, source="whatsapp").settings == {
        "verify_token": "groenhuis-2026"
    }
    asked = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}
    good = Client().get(url("whatsapp", shop.id), asked | {"hub.verify_token": "groenhuis-2026"})
    assert good.status_code == 200 and good.content == b"1158201444"
    bad = Client().get(url("whatsapp", shop.id), asked | {"hub.verify_token": "guess"})
    assert bad.status_code == 403


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def bird_token(key: str, signed_url: str) -> str:
    """MessageBird-Signature-JWT: HS256 over issuer, validity window and the URL's hash."""
    claims = {
        "iss": "MessageBird",
        "nbf": int(NOW.timestamp()),
        "exp": int(NOW.timestamp()) + 60,
        "jti": "2f5e7c1a-93b4-4d2e-8f61-0c9d3a7b5e14",
        "url_hash": hashlib.sha256(signed_url.encode()).hexdigest(),
    }
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps(claims).encode())
    mac = hmac.new(key.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(mac)}"


def test_bird_status_report_by_get(shop: Shop) -> None:
    path = f"{url('bird', shop.id)}?{fixture('bird_status_report.txt').decode()}"
    token = bird_token(SECRET, f"http://testserver{path}")
    answer = Client().get(path, headers={"MessageBird-Signature-JWT": token})
    assert answer.status_code == 200 and answer.json()["updated"] == 1
    assert state(BIRD_ID) == ("failed", "5")
    forged = bird_token("another-key", f"http://testserver{path}")
    again = Client().get(path + "&x=1", headers={"MessageBird-Signature-JWT": forged})
    assert again.status_code == 401


def test_an_email_bounce_marks_the_message_bounced(shop: Shop) -> None:
    body = fixture("bounce_postfix.eml")
    answer = Client().post(
        url("email-bounces", shop.id),
        body,
        content_type="message/rfc822",
        headers={"X-Signature-256": hub(body)},
    )
    assert answer.status_code == 200 and answer.json()["updated"] == 1
    assert state(MAIL_ID) == ("bounced", "5.1.1")


def signed_requests(shop_id: int) -> dict[str, Any]:
    body = fixture("whatsapp_statuses.json")
    bounce = fixture("bounce_postfix.eml")
    return {
        "whatsapp-other-secret": (url("whatsapp", shop_id), body, hub(body, "nope"), "x-hub"),
        "whatsapp-tampered": (url("whatsapp", shop_id), body + b" ", hub(body), "x-hub"),
        "whatsapp-unsigned": (url("whatsapp", shop_id), body, "", "x-hub"),
        "bounce-unsigned": (url("email-bounces", shop_id), bounce, "", "x-sig"),
        "unknown-shop": (url("whatsapp", 999999), body, hub(body), "x-hub"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "whatsapp-other-secret",
        "whatsapp-tampered",
        "whatsapp-unsigned",
        "bounce-unsigned",
        "unknown-shop",
        "twilio-other-token",
    ],
)
def test_bad_signatures_are_401_and_change_nothing(shop: Shop, case: str) -> None:
    if case == "twilio-other-token":
        answer = post_twilio(shop.id, fixture("twilio_status_delivered.txt"), token="other")
    else:
        path, body, signature, header = signed_requests(shop.id)[case]
        name = "X-Hub-Signature-256" if header == "x-hub" else "X-Signature-256"
        answer = Client().post(
            path, body, content_type="application/json", headers={name: signature}
        )
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/problem+json"
    assert not OutboxMessage.objects.exclude(delivery_status="").exists()
    assert not InboxItem.objects.exists()


def test_reports_stay_within_their_shop(shop: Shop, other_shop: ApiShop) -> None:
    connect_source(shop=other_shop.shop, source="twilio", secret="other-shop-token")
    sent(other_shop, "sms", SMS_OK)
    answer = post_twilio(
        other_shop.shop.id, fixture("twilio_status_delivered.txt"), token="other-shop-token"
    )
    assert answer.json()["updated"] == 1
    assert state(SMS_OK, other_shop.shop) == ("delivered", "")
    assert state(SMS_OK, shop) == ("", "")
    # Shop A's secret does not open shop B's address.
    assert (
        post_twilio(other_shop.shop.id, fixture("twilio_status_delivered.txt")).status_code == 401
    )


def test_a_repeated_report_is_acknowledged_once(shop: Shop) -> None:
    first = post_twilio(shop.id, fixture("twilio_status_delivered.txt"))
    again = post_twilio(shop.id, fixture("twilio_status_delivered.txt"))
    assert first.status_code == 200 and again.json() == {"duplicate": True}
    assert InboxItem.objects.count() == 1


def test_an_older_report_never_overwrites_a_newer_one(shop: Shop) -> None:
    OutboxMessage.objects.filter(provider_message_id=SMS_BAD).update(
        delivery_status="delivered", delivery_updated_at=NOW + timedelta(minutes=5)
    )
    answer = post_twilio(shop.id, fixture("twilio_status_undelivered.txt"))
    assert answer.json()["updated"] == 0 and state(SMS_BAD) == ("delivered", "")


def test_a_foreign_body_is_400_and_not_kept(shop: Shop) -> None:
    body = b'{"object": "page", "entry": []}'
    answer = Client().post(
        url("whatsapp", shop.id),
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": hub(body)},
    )
    assert answer.status_code == 400 and not InboxItem.objects.exists()
    assert Client().post(url("fax", shop.id), body, content_type="text/plain").status_code == 404


def test_a_kept_report_is_applied_by_the_worker(shop: Shop) -> None:
    body = fixture("twilio_status_undelivered.txt")
    receive(shop_id=shop.id, source=TWILIO, headers={}, body=body, now=NOW)
    assert process_due(INBOX_SOURCES, NOW) == {"done": 1}
    assert state(SMS_BAD) == ("failed", "30003")
    assert "1 messages updated" in InboxItem.objects.get().last_error


def test_the_outbox_page_shows_the_delivery_report(shop: Shop, django_user_model) -> None:
    post_twilio(shop.id, fixture("twilio_status_undelivered.txt"))
    agent = django_user_model.objects.create_user("report-agent", password="pw")
    Membership.objects.create(user=agent, shop=shop)
    client = Client()
    client.force_login(agent)
    page = client.get("/outbox/", headers={"Accept-Language": "nl"}).content.decode()
    assert "Afleverrapport" in page and "Niet afgeleverd · 30003" in page


def test_the_cli_connects_a_report_provider(api_shop: ApiShop) -> None:
    shop_id = str(api_shop.shop.id)
    args = ["shop", "connect", "--shop", shop_id, "--source", "whatsapp", "--secret", SECRET]
    result = CliRunner().invoke(app, [*args, "--verify-token", "groenhuis-2026"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["webhook_path"] == f"/webhooks/reports/whatsapp/{shop_id}"
    link = Connection.objects.get(shop=api_shop.shop, source="whatsapp")
    assert link.secret == SECRET and link.settings == {"verify_token": "groenhuis-2026"}
