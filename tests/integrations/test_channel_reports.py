"""Delivery reports: signatures checked good and bad per provider, statuses read as values."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from parcelcare.integrations.channels.bounces import parse_bounce
from parcelcare.integrations.channels.reports import (
    DeliveryReport,
    form_pairs,
    parse_bird,
    parse_twilio,
    parse_whatsapp,
    twilio_signature,
    verify_bird,
    verify_twilio,
    verify_whatsapp,
    whatsapp_challenge,
)
from parcelcare.integrations.webhooks import InvalidWebhook

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)

# Twilio ------------------------------------------------------------------------------------

# The request-validation example Twilio's own helper library tests against (twilio-python,
# tests/unit/test_request_validator.py): auth token 12345, this URL and these fields.
TWILIO_EXAMPLE_TOKEN = "12345"
TWILIO_EXAMPLE_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TWILIO_EXAMPLE_FIELDS = [
    ("CallSid", "CA1234567890ABCDE"),
    ("Digits", "1234"),
    ("From", "+14158675309"),
    ("To", "+18005551212"),
    ("Caller", "+14158675309"),
]
TWILIO_EXAMPLE_SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8="

STATUS_URL = "https://care.shop.example/hooks/twilio/status?shop=7"
TWILIO_TOKEN = "f3b1c2d4e5a6b7c8d9e0f1a2b3c4d5e6"
DELIVERED_BODY = (
    b"SmsSid=SM3f1c2d4e5a6b7c8d9e0f1a2b3c4d5e6f&SmsStatus=delivered"
    b"&MessageStatus=delivered&To=%2B31612345678"
    b"&MessageSid=SM3f1c2d4e5a6b7c8d9e0f1a2b3c4d5e6f"
    b"&AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B3197010000000"
    b"&ApiVersion=2010-04-01&RawDlrDoneDate=2611181205"
)
UNDELIVERED_BODY = (
    b"SmsSid=SM00aa&SmsStatus=undelivered&MessageStatus=undelivered&To=%2B31612345678"
    b"&MessageSid=SM00aa&AccountSid=AC0123456789abcdef0123456789abcdef"
    b"&From=%2B3197010000000&ApiVersion=2010-04-01&ErrorCode=30003"
)


def test_twilio_signature_matches_the_documented_example() -> None:
    signature = twilio_signature(TWILIO_EXAMPLE_TOKEN, TWILIO_EXAMPLE_URL, TWILIO_EXAMPLE_FIELDS)

    assert signature == TWILIO_EXAMPLE_SIGNATURE
    assert verify_twilio(
        [TWILIO_EXAMPLE_TOKEN], TWILIO_EXAMPLE_URL, TWILIO_EXAMPLE_FIELDS, signature
    )


def test_twilio_repeated_fields_sort_by_name_then_value() -> None:
    fields = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")]

    # The same helper library's expected value for repeated fields.
    expected = "IK+Dwps556ElfBT0I3Rgjkr1wJU="
    assert twilio_signature(TWILIO_EXAMPLE_TOKEN, TWILIO_EXAMPLE_URL, fields) == expected


@pytest.mark.parametrize(
    ("url", "signature"),
    [
        # Behind a proxy the URL may carry a port Twilio did not sign, or lack one it did.
        ("https://mycompany.com:1234/myapp.php?foo=1&bar=2", TWILIO_EXAMPLE_SIGNATURE),
        (TWILIO_EXAMPLE_URL, "kvajT1Ptam85bY51eRf/AJRuM3w="),
        ("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4="),
    ],
)
def test_twilio_port_variants_verify(url: str, signature: str) -> None:
    assert verify_twilio([TWILIO_EXAMPLE_TOKEN], url, TWILIO_EXAMPLE_FIELDS, signature)


@pytest.mark.parametrize(
    ("tokens", "url", "fields", "signature"),
    [
        (["54321"], TWILIO_EXAMPLE_URL, TWILIO_EXAMPLE_FIELDS, TWILIO_EXAMPLE_SIGNATURE),
        (
            [TWILIO_EXAMPLE_TOKEN],
            TWILIO_EXAMPLE_URL + "&baz=3",
            TWILIO_EXAMPLE_FIELDS,
            TWILIO_EXAMPLE_SIGNATURE,
        ),
        (
            [TWILIO_EXAMPLE_TOKEN],
            TWILIO_EXAMPLE_URL,
            [*TWILIO_EXAMPLE_FIELDS[:-1], ("Caller", "+14158675300")],
            TWILIO_EXAMPLE_SIGNATURE,
        ),
        ([TWILIO_EXAMPLE_TOKEN], TWILIO_EXAMPLE_URL, TWILIO_EXAMPLE_FIELDS, ""),
        ([""], TWILIO_EXAMPLE_URL, TWILIO_EXAMPLE_FIELDS, TWILIO_EXAMPLE_SIGNATURE),
    ],
    ids=["other-token", "other-url", "changed-field", "no-signature", "no-token"],
)
def test_twilio_bad_signatures_fail(
    tokens: list[str], url: str, fields: list[tuple[str, str]], signature: str
) -> None:
    assert not verify_twilio(tokens, url, fields, signature)


def test_twilio_status_callback_verifies_with_either_token_during_rotation() -> None:
    fields = form_pairs(DELIVERED_BODY)
    signature = twilio_signature(TWILIO_TOKEN, STATUS_URL, fields)

    assert verify_twilio(["old-token", TWILIO_TOKEN], STATUS_URL, fields, signature)
    assert not verify_twilio(["old-token"], STATUS_URL, fields, signature)


def test_twilio_delivered_and_undelivered_callbacks() -> None:
    delivered = parse_twilio(form_pairs(DELIVERED_BODY), now=NOW)
    undelivered = parse_twilio(form_pairs(UNDELIVERED_BODY), now=NOW)

    assert delivered == [DeliveryReport("SM3f1c2d4e5a6b7c8d9e0f1a2b3c4d5e6f", "delivered", "", NOW)]
    assert undelivered == [DeliveryReport("SM00aa", "failed", "30003", NOW)]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("queued", None),
        ("sending", None),
        ("accepted", None),
        ("sent", "sent"),
        ("read", "delivered"),
        ("failed", "failed"),
        ("canceled", "failed"),
    ],
)
def test_twilio_status_mapping(status: str, expected: str | None) -> None:
    reports = parse_twilio([("MessageSid", "SM1"), ("MessageStatus", status)], now=NOW)

    assert [report.status for report in reports] == ([expected] if expected else [])


def test_twilio_callback_without_sid_is_invalid() -> None:
    with pytest.raises(InvalidWebhook):
        parse_twilio([("MessageStatus", "delivered")], now=NOW)


# WhatsApp Cloud API ------------------------------------------------------------------------

APP_SECRET = "8a1f0c2e9b7d4a6c3e5f1b2d4c6a8e0f"
WAMID = "wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"


def whatsapp_notification(*statuses: dict[str, Any]) -> bytes:
    """A Cloud API `messages` webhook as Meta posts it, holding these statuses."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "31970100000", "phone_number_id": "106540352242922"},
        "statuses": list(statuses),
    }
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }
    return json.dumps(payload).encode()


def whatsapp_status(status: str, timestamp: str = "1795003200", **extra: Any) -> dict[str, Any]:
    return {
        "id": WAMID,
        "status": status,
        "timestamp": timestamp,
        "recipient_id": "31612345678",
        **extra,
    }


def hub_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_whatsapp_signature_good_and_bad() -> None:
    body = whatsapp_notification(whatsapp_status("delivered"))
    signature = hub_signature(APP_SECRET, body)

    assert verify_whatsapp([APP_SECRET], body, signature)
    assert verify_whatsapp(["retired-secret", APP_SECRET], body, signature)
    assert not verify_whatsapp(["another-secret"], body, signature)
    assert not verify_whatsapp([APP_SECRET], body + b" ", signature)
    assert not verify_whatsapp([APP_SECRET], body, signature.removeprefix("sha256="))
    assert not verify_whatsapp([APP_SECRET], body, "sha1=" + signature[7:])
    assert not verify_whatsapp([APP_SECRET], body, "")


def test_whatsapp_statuses_become_reports() -> None:
    failure = {
        "code": 131026,
        "title": "Message undeliverable",
        "message": "Message undeliverable",
        "error_data": {"details": "Message Undeliverable."},
    }
    pricing = {"billable": True, "pricing_model": "PMP", "category": "utility"}
    body = whatsapp_notification(
        whatsapp_status("sent", "1795003200", pricing=pricing),
        whatsapp_status("delivered", "1795003260"),
        whatsapp_status("read", "1795003320"),
        whatsapp_status("failed", "1795003380", errors=[failure]),
        whatsapp_status("deleted", "1795003440"),
    )

    reports = parse_whatsapp(body)

    at = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
    assert reports == [
        DeliveryReport(WAMID, "sent", "", at),
        DeliveryReport(WAMID, "delivered", "", at + timedelta(minutes=1)),
        DeliveryReport(WAMID, "delivered", "", at + timedelta(minutes=2)),
        DeliveryReport(WAMID, "failed", "131026", at + timedelta(minutes=3)),
    ]


def test_whatsapp_inbound_message_has_no_reports_and_foreign_bodies_are_invalid() -> None:
    inbound = json.loads(whatsapp_notification())
    value = inbound["entry"][0]["changes"][0]["value"]
    del value["statuses"]
    value["messages"] = [{"from": "31612345678", "id": "wamid.X", "type": "text"}]

    assert parse_whatsapp(json.dumps(inbound).encode()) == []
    with pytest.raises(InvalidWebhook):
        parse_whatsapp(b'{"object": "page", "entry": []}')
    with pytest.raises(InvalidWebhook):
        parse_whatsapp(b"not json")
    with pytest.raises(InvalidWebhook):
        parse_whatsapp(whatsapp_notification(whatsapp_status("delivered", "yesterday")))


def test_whatsapp_verification_challenge() -> None:
    asked = {"hub.mode": "subscribe", "hub.verify_token": "t0ken", "hub.challenge": "1158201444"}

    assert whatsapp_challenge(asked, "t0ken") == "1158201444"
    assert whatsapp_challenge(asked, "other") is None
    assert whatsapp_challenge(asked | {"hub.mode": "unsubscribe"}, "t0ken") is None
    assert whatsapp_challenge(asked, "") is None


# Bird (MessageBird) ------------------------------------------------------------------------

# Reference vectors from MessageBird's own SDK test data (messagebird-nodejs,
# lib/testdata/webhook-signature-jwt-reference.json): signing key, URL, body and the moment
# the request was received.
BIRD_KEY = "36efdd1aace2e26cd490f0d951138253bef2f7c6d34d18981da781555cc4cebb"
BIRD_RECEIVED = datetime.fromisoformat("2021-07-05T12:00:00+02:00")
BIRD_URL = "https://example.com/path?bar=1&foo=2"
BIRD_TOKEN_WITH_BODY = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZX"
    "hwIjoxNjI1NDc5MjYwLCJqdGkiOiI5M2U1NTAwNi1hMGU4LTQ1MjYtYTE5MC1mYTVmZjAwZWExMTYiLCJ1cmxfaGFz"
    "aCI6IjQxZjA1ZjBkZGQwYTIyYWIyMDlhYzQ2ZjQ3YzQ1NzJkOWNlZmEyNTdlZDc0YjI0MDA0YmFlNzUzZWNlNmMyNj"
    "AiLCJwYXlsb2FkX2hhc2giOiJkZmZkNjAyMWJiMmJkNWIwYWY2NzYyOTA4MDllYzNhNTMxOTFkZDgxYzdmNzBhNGIy"
    "ODY4OGEzNjIxODI5ODZmIn0._H--TOuYFLpeEH39-rg5E3IHVkjHozBcaKVWPRC5m9I"
)
BIRD_TOKEN_HS512 = (
    "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZX"
    "hwIjoxNjI1NDc5MjYwLCJqdGkiOiI1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFz"
    "aCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZD"
    "cifQ.rd6r0iMyNGnVPCwurETphE3Y8rpAyvvnUK0S8WvGUkt2E1QSRAZ7NZJZBHw1Y_Wb5W-sK9HJr_PRL2vz4jRT3Q"
)
BIRD_TOKEN_NONE = (
    "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpc3MiOiJNZXNzYWdlQmlyZCIsImlhdCI6MTYyNTQ3OTIwMCwiZXhw"
    "IjoxNjI1NDc5MjYwLCJqdGkiOiI1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFzaCI6"
    "IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ."
)

REPORT_URL = (
    "https://care.shop.example/hooks/bird/status?id=e8077d803532c0b5937c639b60216938"
    "&reference=outbox%3A42&recipient=31612345678&status=delivered"
    "&statusDatetime=2026-11-18T12%3A05%3A10%2B00%3A00"
)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def bird_token(key: str, url: str, issued: datetime, **claims: Any) -> str:
    """A MessageBird-Signature-JWT as Bird signs it: HS256 over issuer, window and URL hash."""
    payload = {
        "iss": "MessageBird",
        "nbf": int(issued.timestamp()),
        "exp": int(issued.timestamp()) + 60,
        "jti": "2f5e7c1a-93b4-4d2e-8f61-0c9d3a7b5e14",
        "url_hash": hashlib.sha256(url.encode()).hexdigest(),
    } | claims
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps(payload).encode())
    mac = hmac.new(key.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(mac)}"


def test_bird_reference_vectors_verify() -> None:
    body = b"Hello, World!"

    assert verify_bird([BIRD_KEY], BIRD_URL, body, BIRD_TOKEN_WITH_BODY, now=BIRD_RECEIVED)
    assert verify_bird([BIRD_KEY], "https://example.com/", b"", BIRD_TOKEN_HS512, now=BIRD_RECEIVED)


@pytest.mark.parametrize(
    ("url", "body", "token", "now"),
    [
        (
            "https://example.com/path?foo=2&bar=1",
            b"Hello, World!",
            BIRD_TOKEN_WITH_BODY,
            BIRD_RECEIVED,
        ),
        (BIRD_URL, b"Hello, World?", BIRD_TOKEN_WITH_BODY, BIRD_RECEIVED),
        (BIRD_URL, b"", BIRD_TOKEN_WITH_BODY, BIRD_RECEIVED),
        (BIRD_URL, b"Hello, World!", BIRD_TOKEN_WITH_BODY, BIRD_RECEIVED + timedelta(minutes=2)),
        (BIRD_URL, b"Hello, World!", BIRD_TOKEN_WITH_BODY, BIRD_RECEIVED - timedelta(minutes=1)),
        ("https://example.com/", b"", BIRD_TOKEN_NONE, BIRD_RECEIVED),
        (BIRD_URL, b"Hello, World!", BIRD_TOKEN_WITH_BODY[:-2] + "xx", BIRD_RECEIVED),
        (BIRD_URL, b"Hello, World!", "not.a.jwt", BIRD_RECEIVED),
    ],
    ids=[
        "other-url",
        "other-body",
        "body-removed",
        "expired",
        "not-yet-valid",
        "alg-none",
        "bad-mac",
        "garbage",
    ],
)
def test_bird_bad_signatures_fail(url: str, body: bytes, token: str, now: datetime) -> None:
    assert not verify_bird([BIRD_KEY], url, body, token, now=now)


def test_bird_status_report_request_verifies_with_the_right_key_only() -> None:
    token = bird_token("signing-key", REPORT_URL, NOW)

    assert verify_bird(["signing-key"], REPORT_URL, b"", token, now=NOW)
    assert verify_bird(["old-key", "signing-key"], REPORT_URL, b"", token, now=NOW)
    assert not verify_bird(["old-key"], REPORT_URL, b"", token, now=NOW)
    assert not verify_bird([], REPORT_URL, b"", token, now=NOW)
    forged = bird_token("signing-key", REPORT_URL, NOW, iss="Someone")
    assert not verify_bird(["signing-key"], REPORT_URL, b"", forged, now=NOW)


def test_bird_status_reports_become_reports() -> None:
    delivered = parse_bird(form_pairs(REPORT_URL.partition("?")[2]), now=NOW)
    failed = parse_bird(
        [
            ("id", "b1"),
            ("status", "delivery_failed"),
            ("statusErrorCode", "5"),
            ("statusDatetime", "2026-11-18T13:05:10+01:00"),
        ],
        now=NOW,
    )

    assert delivered == [
        DeliveryReport(
            "e8077d803532c0b5937c639b60216938",
            "delivered",
            "",
            datetime(2026, 11, 18, 12, 5, 10, tzinfo=UTC),
        )
    ]
    assert failed == [
        DeliveryReport("b1", "failed", "5", datetime(2026, 11, 18, 12, 5, 10, tzinfo=UTC))
    ]
    assert failed[0].occurred_at.tzinfo is UTC


@pytest.mark.parametrize(
    ("status", "expected"),
    [("scheduled", []), ("buffered", []), ("sent", ["sent"]), ("expired", ["failed"])],
)
def test_bird_status_mapping(status: str, expected: list[str]) -> None:
    reports = parse_bird([("id", "b1"), ("status", status)], now=NOW)

    assert [report.status for report in reports] == expected
    assert all(report.occurred_at == NOW for report in reports)


@pytest.mark.parametrize(
    "params",
    [[("status", "delivered")], [("id", "b1"), ("status", "delivered"), ("statusDatetime", "x")]],
)
def test_bird_invalid_reports(params: list[tuple[str, str]]) -> None:
    with pytest.raises(InvalidWebhook):
        parse_bird(params, now=NOW)


# E-mail bounces ----------------------------------------------------------------------------

ORIGINAL_ID = "<3f1c2d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d@shop.example>"


def dsn(action: str, status: str, original: str = "message/rfc822") -> bytes:
    """A delivery status notification as Postfix writes one."""
    returned = (
        f"From: Webshop Zonnig <zorg@shop.example>\r\nTo: jan@example.nl\r\n"
        f"Subject: Uw pakket\r\nMessage-ID: {ORIGINAL_ID}\r\n"
    )
    if original == "message/rfc822":
        returned += "Content-Type: text/plain\r\n\r\nUw pakket is vertraagd.\r\n"
    return (
        "From: MAILER-DAEMON@mx.shop.example (Mail Delivery System)\r\n"
        "To: bounces+42@shop.example\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Date: Wed, 18 Nov 2026 13:07:00 +0100\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B0UND"\r\n'
        "\r\n--B0UND\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
        "I'm sorry to have to inform you that your message could not be delivered.\r\n"
        "\r\n--B0UND\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.shop.example\r\n"
        "Arrival-Date: Wed, 18 Nov 2026 13:05:00 +0100\r\n"
        "\r\n"
        "Final-Recipient: rfc822; jan@example.nl\r\n"
        f"Action: {action}\r\n"
        f"Status: {status}\r\n"
        "Remote-MTA: dns; mx.example.nl\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <jan@example.nl>: Recipient address rejected\r\n"
        "Last-Attempt-Date: Wed, 18 Nov 2026 13:06:30 +0100\r\n"
        "\r\n--B0UND\r\n"
        f"Content-Type: {original}\r\n\r\n"
        f"{returned}"
        "\r\n--B0UND--\r\n"
    ).encode()


@pytest.mark.parametrize("original", ["message/rfc822", "text/rfc822-headers"])
def test_hard_bounce_names_the_original_message_id(original: str) -> None:
    reports = parse_bounce(dsn("failed", "5.1.1", original), now=NOW)

    attempt = datetime(2026, 11, 18, 12, 6, 30, tzinfo=UTC)
    assert reports == [DeliveryReport(ORIGINAL_ID, "bounced", "5.1.1", attempt)]


def test_delayed_mail_gives_no_report_and_ordinary_mail_is_invalid() -> None:
    assert parse_bounce(dsn("delayed", "4.4.1"), now=NOW) == []
    with pytest.raises(InvalidWebhook):
        parse_bounce(
            b"From: jan@example.nl\r\nSubject: Waar blijft mijn pakket?\r\n\r\nHoi", now=NOW
        )
