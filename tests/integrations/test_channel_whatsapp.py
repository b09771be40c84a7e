"""WhatsApp Cloud API channel against respx: template or session text, and Graph API errors."""

import json
from typing import Any

import httpx
import pytest
import respx

from parcelcare.integrations.channels.base import ChannelError, OutgoingMessage
from parcelcare.integrations.channels.whatsapp import WhatsAppCloud, WhatsAppSettings

PHONE_NUMBER_ID = "106540352242922"
URL = f"https://graph.facebook.com/v23.0/{PHONE_NUMBER_ID}/messages"
TOKEN = "EAAJB0123456789token"
WAMID = "wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"


def whatsapp(**changes: Any) -> WhatsAppCloud:
    values: dict[str, Any] = {"access_token": TOKEN, "phone_number_id": PHONE_NUMBER_ID}
    return WhatsAppCloud(WhatsAppSettings(**(values | changes)))


def message(**changes: Any) -> OutgoingMessage:
    values: dict[str, Any] = {
        "channel": "whatsapp",
        "to": "+31612345678",
        "idempotency_key": "outbox:42:delayed:2:whatsapp",
        "text": "Uw pakket is één dag vertraagd; nieuwe verwachting vrijdag.",
        "template_name": "shipment_delayed",
        "template_language": "nl",
        "template_params": ["Jan", "3SABC123", "vrijdag 20 november"],
    }
    return OutgoingMessage(**(values | changes))


def accepted() -> httpx.Response:
    """The 200 answer of a send: the contact and the new message's wamid."""
    body = {
        "messaging_product": "whatsapp",
        "contacts": [{"input": "+31612345678", "wa_id": "31612345678"}],
        "messages": [{"id": WAMID, "message_status": "accepted"}],
    }
    return httpx.Response(200, json=body)


def graph_error(status: int, code: int, text: str, details: str = "") -> httpx.Response:
    """A Graph API error object as Meta sends it."""
    error: dict[str, Any] = {
        "message": f"(#{code}) {text}",
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEfGhIjKlMnOp",
    }
    if details:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return httpx.Response(status, json={"error": error})


@respx.mock
def test_outside_the_window_a_template_with_body_parameters_is_sent() -> None:
    route = respx.post(URL).mock(return_value=accepted())

    result = whatsapp().send(message(within_session_window=False))

    request = route.calls.last.request
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "+31612345678",
        "type": "template",
        "template": {
            "name": "shipment_delayed",
            "language": {"code": "nl"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "Jan"},
                        {"type": "text", "text": "3SABC123"},
                        {"type": "text", "text": "vrijdag 20 november"},
                    ],
                }
            ],
        },
    }
    assert result.provider_message_id == WAMID
    assert result.status == "queued"


@respx.mock
def test_inside_the_window_free_text_is_sent() -> None:
    route = respx.post(URL).mock(return_value=accepted())

    whatsapp().send(message(within_session_window=True))

    assert json.loads(route.calls.last.request.content) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "+31612345678",
        "type": "text",
        "text": {
            "preview_url": False,
            "body": "Uw pakket is één dag vertraagd; nieuwe verwachting vrijdag.",
        },
    }


@respx.mock
def test_template_without_parameters_has_no_components_and_version_prefix_is_tolerated() -> None:
    route = respx.post(URL).mock(return_value=accepted())

    whatsapp(api_version="v23.0").send(message(template_params=[], template_language="de"))

    template = json.loads(route.calls.last.request.content)["template"]
    assert template == {"name": "shipment_delayed", "language": {"code": "de"}}


@respx.mock
def test_inside_the_window_without_text_the_template_is_used() -> None:
    route = respx.post(URL).mock(return_value=accepted())

    whatsapp().send(message(within_session_window=True, text=""))

    assert json.loads(route.calls.last.request.content)["type"] == "template"


@pytest.mark.parametrize("change", [{"template_name": ""}, {"template_language": ""}])
def test_outside_the_window_without_template_refuses_before_calling(
    change: dict[str, str],
) -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(URL)
        with pytest.raises(ChannelError) as refused:
            whatsapp().send(message(**change))

    assert not refused.value.retryable
    assert not route.called


@pytest.mark.parametrize(
    ("response", "retryable", "code"),
    [
        (graph_error(400, 130429, "Rate limit hit"), True, "130429"),
        (
            graph_error(400, 131056, "(Business Account, Consumer Account) pair rate limit hit"),
            True,
            "131056",
        ),
        (
            graph_error(
                400,
                131047,
                "Re-engagement message",
                "Message failed to send because more than 24 hours have passed since "
                "the customer last replied to this number.",
            ),
            False,
            "131047",
        ),
        (graph_error(401, 190, "Error validating access token: Session has expired"), False, "190"),
        (
            graph_error(400, 132001, "Template name does not exist in the translation"),
            False,
            "132001",
        ),
        (graph_error(503, 131016, "Service unavailable"), True, "131016"),
        (httpx.Response(502, text="Bad Gateway"), True, None),
        (httpx.Response(429, json={}), True, None),
    ],
)
@respx.mock
def test_graph_api_errors(response: httpx.Response, retryable: bool, code: str | None) -> None:
    respx.post(URL).mock(return_value=response)

    with pytest.raises(ChannelError) as refused:
        whatsapp().send(message())

    assert refused.value.retryable is retryable
    assert refused.value.status == response.status_code
    assert refused.value.code == code


@respx.mock
def test_closed_window_error_tells_to_send_a_template() -> None:
    respx.post(URL).mock(return_value=graph_error(400, 131047, "Re-engagement message"))

    with pytest.raises(ChannelError) as refused:
        whatsapp().send(message(within_session_window=True))

    assert "send a template" in str(refused.value)


@respx.mock
def test_timeout_is_retryable() -> None:
    respx.post(URL).mock(side_effect=httpx.ReadTimeout("slow"))

    with pytest.raises(ChannelError) as failed:
        whatsapp(timeout=0.5).send(message())

    assert failed.value.retryable
    assert failed.value.status is None


@respx.mock
def test_a_200_without_message_id_is_an_error() -> None:
    respx.post(URL).mock(return_value=httpx.Response(200, json={"messaging_product": "whatsapp"}))

    with pytest.raises(ChannelError) as failed:
        whatsapp().send(message())

    assert failed.value.status == 200
    assert not failed.value.retryable
