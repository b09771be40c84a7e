"""Twilio and Bird SMS channels against respx, with answers shaped like the providers' own."""

import base64
import json
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
import respx

from parcelcare.integrations.channels.base import ChannelError, OutgoingMessage
from parcelcare.integrations.channels.sms_bird import BirdSettings, BirdSms, msisdn
from parcelcare.integrations.channels.sms_twilio import TwilioSettings, TwilioSms

ACCOUNT = "AC0123456789abcdef0123456789abcdef"
TOKEN = "twilio-auth-token"
TWILIO_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
BIRD_URL = "https://rest.messagebird.com/messages"
BIRD_KEY = "live_0123456789abcdefABCDEF"
TEXT = "Zonnig: uw pakket 3SABC123 is vertraagd, nieuwe verwachting vrijdag. Grüße, à bientôt"


def sms(key: str = "outbox:42:delayed:2:sms", **changes: Any) -> OutgoingMessage:
    values: dict[str, Any] = {
        "channel": "sms",
        "to": "+31612345678",
        "idempotency_key": key,
        "text": TEXT,
    }
    return OutgoingMessage(**(values | changes))


def twilio(**changes: Any) -> TwilioSms:
    values: dict[str, Any] = {
        "account_sid": ACCOUNT,
        "auth_token": TOKEN,
        "from_number": "+3197010000000",
        "status_callback": "https://care.shop.example/hooks/twilio/status",
    }
    return TwilioSms(TwilioSettings(**(values | changes)))


def bird(**changes: Any) -> BirdSms:
    values: dict[str, Any] = {
        "access_key": BIRD_KEY,
        "originator": "Zonnig",
        "report_url": "https://care.shop.example/hooks/bird/status",
    }
    return BirdSms(BirdSettings(**(values | changes)))


def twilio_created(status: str = "queued") -> dict[str, Any]:
    """The 201 answer of Twilio's create-message call."""
    sid = "SM3f1c2d4e5a6b7c8d9e0f1a2b3c4d5e6f"
    return {
        "account_sid": ACCOUNT,
        "api_version": "2010-04-01",
        "body": TEXT,
        "date_created": "Wed, 18 Nov 2026 12:00:00 +0000",
        "date_sent": None,
        "date_updated": "Wed, 18 Nov 2026 12:00:00 +0000",
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": "+3197010000000",
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": "1",
        "price": None,
        "price_unit": "EUR",
        "sid": sid,
        "status": status,
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{ACCOUNT}/Messages/{sid}/Media.json"},
        "to": "+31612345678",
        "uri": f"/2010-04-01/Accounts/{ACCOUNT}/Messages/{sid}.json",
    }


def twilio_error(code: int, message: str, status: int) -> httpx.Response:
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return httpx.Response(status, json=body)


def bird_created(status: str = "sent") -> dict[str, Any]:
    """The 201 answer of Bird's create-message call."""
    identifier = "e8077d803532c0b5937c639b60216938"
    return {
        "id": identifier,
        "href": f"https://rest.messagebird.com/messages/{identifier}",
        "direction": "mt",
        "type": "sms",
        "originator": "Zonnig",
        "body": TEXT,
        "reference": "outbox:42:delayed:2:sms",
        "validity": None,
        "gateway": 10,
        "typeDetails": {},
        "datacoding": "unicode",
        "mclass": 1,
        "scheduledDatetime": None,
        "createdDatetime": "2026-11-18T12:00:00+00:00",
        "recipients": {
            "totalCount": 1,
            "totalSentCount": 1,
            "totalDeliveredCount": 0,
            "totalDeliveryFailedCount": 0,
            "items": [
                {
                    "recipient": 31612345678,
                    "status": status,
                    "statusDatetime": "2026-11-18T12:00:00+00:00",
                    "messagePartCount": 1,
                }
            ],
        },
    }


def bird_error(code: int, description: str, parameter: str, status: int) -> httpx.Response:
    body = {"errors": [{"code": code, "description": description, "parameter": parameter}]}
    return httpx.Response(status, json=body)


# Twilio -------------------------------------------------------------------------------------


@respx.mock
def test_twilio_sends_form_with_basic_auth_and_returns_the_sid() -> None:
    route = respx.post(TWILIO_URL).mock(return_value=httpx.Response(201, json=twilio_created()))

    result = twilio().send(sms())

    request = route.calls.last.request
    expected_auth = base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {expected_auth}"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qsl(request.content.decode(), keep_blank_values=True) == [
        ("To", "+31612345678"),
        ("Body", TEXT),
        ("From", "+3197010000000"),
        ("StatusCallback", "https://care.shop.example/hooks/twilio/status"),
    ]
    assert result.provider_message_id == "SM3f1c2d4e5a6b7c8d9e0f1a2b3c4d5e6f"
    assert result.status == "queued"


@respx.mock
def test_twilio_messaging_service_replaces_the_from_number() -> None:
    created = twilio_created("accepted")
    route = respx.post(TWILIO_URL).mock(return_value=httpx.Response(201, json=created))

    twilio(messaging_service_sid="MG0123456789abcdef0123456789abcdef", status_callback="").send(
        sms()
    )

    assert dict(parse_qsl(route.calls.last.request.content.decode())) == {
        "To": "+31612345678",
        "Body": TEXT,
        "MessagingServiceSid": "MG0123456789abcdef0123456789abcdef",
    }


def test_twilio_without_any_sender_refuses_before_calling() -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(TWILIO_URL)
        with pytest.raises(ChannelError) as refused:
            twilio(from_number="").send(sms())

    assert not refused.value.retryable
    assert not route.called


@pytest.mark.parametrize(
    ("response", "retryable", "code"),
    [
        (
            twilio_error(21211, "The 'To' number +31612345678 is not a valid phone number.", 400),
            False,
            "21211",
        ),
        (twilio_error(20003, "Authenticate", 401), False, "20003"),
        (twilio_error(20429, "Too Many Requests", 429), True, "20429"),
        (httpx.Response(503, text="<html>Service Unavailable</html>"), True, None),
    ],
)
@respx.mock
def test_twilio_errors(response: httpx.Response, retryable: bool, code: str | None) -> None:
    respx.post(TWILIO_URL).mock(return_value=response)

    with pytest.raises(ChannelError) as refused:
        twilio().send(sms())

    assert refused.value.retryable is retryable
    assert refused.value.status == response.status_code
    assert refused.value.code == code
    assert "31612345678" not in str(refused.value)


@pytest.mark.parametrize("timeout", [httpx.ConnectTimeout, httpx.ReadTimeout])
@respx.mock
def test_twilio_timeout_is_retryable(timeout: type[Exception]) -> None:
    respx.post(TWILIO_URL).mock(side_effect=timeout)

    with pytest.raises(ChannelError) as failed:
        twilio().send(sms())

    assert failed.value.retryable
    assert failed.value.status is None


# Bird ---------------------------------------------------------------------------------------


@respx.mock
def test_bird_sends_json_with_access_key_and_returns_the_id() -> None:
    route = respx.post(BIRD_URL).mock(return_value=httpx.Response(201, json=bird_created()))

    result = bird().send(sms())

    request = route.calls.last.request
    assert request.headers["Authorization"] == f"AccessKey {BIRD_KEY}"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {
        "recipients": ["31612345678"],
        "originator": "Zonnig",
        "body": TEXT,
        "reference": "outbox:42:delayed:2:sms",
        "reportUrl": "https://care.shop.example/hooks/bird/status",
    }
    assert result.provider_message_id == "e8077d803532c0b5937c639b60216938"
    assert result.status == "sent"


@respx.mock
def test_bird_long_key_becomes_a_digest_reference_and_scheduled_is_queued() -> None:
    answer = bird_created("scheduled")
    route = respx.post(BIRD_URL).mock(return_value=httpx.Response(201, json=answer))

    result = bird(report_url="").send(sms("k" * 200, sender="Zonnig NL"))

    body = json.loads(route.calls.last.request.content)
    assert len(body["reference"]) == 64
    assert body["originator"] == "Zonnig NL"
    assert "reportUrl" not in body
    assert result.status == "queued"


@pytest.mark.parametrize(
    ("number", "expected"),
    [("+31612345678", "31612345678"), ("0049 151 2345 6789", "4915123456789")],
)
def test_bird_recipients_are_digits_with_country_code(number: str, expected: str) -> None:
    assert msisdn(number) == expected


@pytest.mark.parametrize(
    ("response", "retryable", "code"),
    [
        (
            bird_error(2, "Request not allowed (incorrect access_key)", "access_key", 401),
            False,
            "2",
        ),
        (bird_error(9, "no (correct) recipients found", "recipients", 422), False, "9"),
        (httpx.Response(429, headers={"Retry-After": "3"}), True, None),
        (
            httpx.Response(500, json={"errors": [{"code": 99, "description": "Internal error"}]}),
            True,
            "99",
        ),
    ],
)
@respx.mock
def test_bird_errors(response: httpx.Response, retryable: bool, code: str | None) -> None:
    respx.post(BIRD_URL).mock(return_value=response)

    with pytest.raises(ChannelError) as refused:
        bird().send(sms())

    assert refused.value.retryable is retryable
    assert refused.value.status == response.status_code
    assert refused.value.code == code


@respx.mock
def test_bird_rate_limit_carries_retry_after_and_names_the_parameter() -> None:
    respx.post(BIRD_URL).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "3"}),
            bird_error(9, "no (correct) recipients found", "recipients", 422),
        ]
    )

    with pytest.raises(ChannelError) as limited:
        bird().send(sms())
    with pytest.raises(ChannelError) as refused:
        bird().send(sms())

    assert limited.value.retry_after == 3.0
    assert str(refused.value) == "bird: HTTP 422, error 9 on recipients"


@respx.mock
def test_bird_timeout_and_broken_connection_are_retryable() -> None:
    respx.post(BIRD_URL).mock(side_effect=[httpx.ReadTimeout("slow"), httpx.ConnectError("down")])

    for _ in range(2):
        with pytest.raises(ChannelError) as failed:
            bird().send(sms())
        assert failed.value.retryable
