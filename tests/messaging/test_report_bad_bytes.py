"""Delivery reports whose bytes are not what they should be: signature first, then a 4xx."""

import base64
import hashlib
import hmac
from typing import Any
from urllib.parse import unquote_to_bytes

import pytest
from django.test import Client

from conftest import ApiShop
from parcelcare.accounts.models import Shop
from parcelcare.accounts.services import connect_source
from parcelcare.integrations.channels.reports import (
    form_pairs,
    twilio_signature,
    verify_twilio_body,
)
from parcelcare.tracking.models import InboxItem

SECRET = "f3b1c2d4e5a6b7c8d9e0f1a2b3c4d5e6"
SID = "SM3f1c2d4e5a6b7c8d9e0f1a2b3c4d5e6f"
LATIN1 = b"MessageSid=" + SID.encode() + b"&MessageStatus=delivered&To=%2B316\xe9\xff"
RAW_LATIN1 = b"MessageSid=" + SID.encode() + b"&MessageStatus=delivered&Body=Caf%E9"


@pytest.fixture
def shop(api_shop: ApiShop) -> Shop:
    for source in ("twilio", "whatsapp"):
        connect_source(shop=api_shop.shop, source=source, secret=SECRET)
    return api_shop.shop


def signed_like_twilio(token: str, url: str, body: bytes) -> str:
    """Twilio's scheme written out over bytes: URL, then each field name+value sorted."""
    fields = []
    for field in body.split(b"&"):
        name, _, value = field.replace(b"+", b" ").partition(b"=")
        fields.append((unquote_to_bytes(name), unquote_to_bytes(value)))
    data = url.encode() + b"".join(name + value for name, value in sorted(fields))
    return base64.b64encode(hmac.new(token.encode(), data, hashlib.sha1).digest()).decode()


def post(shop_id: int, provider: str, body: bytes, headers: dict[str, str]) -> Any:
    client = Client(raise_request_exception=False)
    kind = "application/json" if provider == "whatsapp" else "application/x-www-form-urlencoded"
    return client.post(
        f"/webhooks/reports/{provider}/{shop_id}", body, content_type=kind, headers=headers
    )


@pytest.mark.parametrize("body", [LATIN1, RAW_LATIN1], ids=["raw-bytes", "percent-escaped"])
def test_a_signed_twilio_report_that_is_not_utf8_is_a_400(shop: Shop, body: bytes) -> None:
    url = f"http://testserver/webhooks/reports/twilio/{shop.id}"
    answer = post(
        shop.id, "twilio", body, {"X-Twilio-Signature": signed_like_twilio(SECRET, url, body)}
    )
    assert answer.status_code == 400, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    assert "twilio: the report is not UTF-8 text" in answer.json()["detail"]
    assert not InboxItem.objects.exists()


@pytest.mark.parametrize("body", [LATIN1, RAW_LATIN1])
def test_an_unsigned_twilio_report_with_bad_bytes_is_a_401(shop: Shop, body: bytes) -> None:
    answer = post(shop.id, "twilio", body, {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"})
    assert answer.status_code == 401, answer.content
    assert "signature" in answer.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        b"MessageSid=SM1&MessageStatus=delivered",
        b"MessageSid=SM1&MessageStatus=delivered&Body=Caf%C3%A9+%26+th%C3%A9&Empty=",
        "MessageSid=SM1&Body=één&To=+31".encode(),
    ],
)
def test_the_byte_signature_equals_the_text_signature_on_utf8(body: bytes) -> None:
    url = "https://care.example/webhooks/reports/twilio/1"
    text = twilio_signature(SECRET, url, form_pairs(body))
    assert text == signed_like_twilio(SECRET, url, body)
    assert verify_twilio_body([SECRET], url, body, text)
    assert not verify_twilio_body(["other"], url, body, text)
    assert not verify_twilio_body([SECRET], url, body + b"&x=1", text)


def hub(body: bytes) -> str:
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b'{"entry": "\xff"}', "whatsapp: the body is not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "whatsapp: the report is nested too deeply"),
    ],
    ids=["latin1", "deep"],
)
def test_a_signed_whatsapp_report_that_cannot_be_read_is_a_400(
    shop: Shop, body: bytes, words: str
) -> None:
    answer = post(shop.id, "whatsapp", body, {"X-Hub-Signature-256": hub(body)})
    assert answer.status_code == 400, answer.content[:300]
    assert words in answer.json()["detail"]
