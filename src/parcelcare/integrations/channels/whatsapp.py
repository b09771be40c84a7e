"""WhatsApp through Meta's Cloud API: free text inside the 24-hour window, templates outside."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from parcelcare.integrations.channels import http
from parcelcare.integrations.channels.base import ChannelError, OutgoingMessage, SendResult

MESSAGES_URL = "https://graph.facebook.com/v{version}/{phone_number_id}/messages"

RETRYABLE_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004})
"""Graph API error codes that pass with time: unknown or temporary service errors, call and
throughput rate limits (130429) and the per-recipient pair rate limit (131056)."""

REENGAGEMENT_CODE = 131047
"""Free text sent after the 24-hour window closed; only a template reaches the customer now."""


@dataclass(frozen=True)
class WhatsAppSettings:
    """A system-user access token, the business phone number id and the Graph API version."""

    access_token: str
    phone_number_id: str
    api_version: str = "23.0"
    timeout: float = http.DEFAULT_TIMEOUT


def template_body(message: OutgoingMessage) -> dict[str, Any]:
    """The `template` object: name, language and the body's positional text parameters."""
    if not message.template_name or not message.template_language:
        raise ChannelError(
            "whatsapp: outside the 24-hour window a template name and language are required",
            False,
        )
    template: dict[str, Any] = {
        "name": message.template_name,
        "language": {"code": message.template_language},
    }
    if message.template_params:
        parameters = [{"type": "text", "text": value} for value in message.template_params]
        template["components"] = [{"type": "body", "parameters": parameters}]
    return template


def request_body(message: OutgoingMessage) -> dict[str, Any]:
    """A session text when the customer wrote in the last 24 hours, otherwise a template."""
    body: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": message.to,
    }
    if message.within_session_window and message.text:
        return body | {"type": "text", "text": {"preview_url": False, "body": message.text}}
    return body | {"type": "template", "template": template_body(message)}


class WhatsAppCloud:
    """Sends WhatsApp messages; the `wamid` Meta returns is the provider message id."""

    def __init__(
        self, settings: WhatsAppSettings, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.settings = settings
        self.transport = transport

    def send(self, message: OutgoingMessage) -> SendResult:
        """Send one message; ChannelError with the Graph API error code when it is refused."""
        settings = self.settings
        url = MESSAGES_URL.format(
            version=settings.api_version.removeprefix("v"),
            phone_number_id=quote(settings.phone_number_id, safe=""),
        )
        response = http.post(
            "whatsapp",
            url,
            timeout=settings.timeout,
            transport=self.transport,
            json=request_body(message),
            headers={"Authorization": f"Bearer {settings.access_token}"},
        )
        answer = http.json_object(response)
        if response.status_code == 200 and (message_id := first_message_id(answer)):
            return SendResult(message_id, "queued")
        raise error(response, answer)


def first_message_id(answer: dict[str, Any]) -> str:
    """`messages[0].id` of a send answer, or an empty string."""
    messages = answer.get("messages")
    first = messages[0] if isinstance(messages, list) and messages else None
    identifier = first.get("id") if isinstance(first, dict) else None
    return identifier if isinstance(identifier, str) else ""


def error(response: httpx.Response, answer: dict[str, Any]) -> ChannelError:
    """A Graph API error object as a ChannelError; rate limits and outages are retryable."""
    status = response.status_code
    details = answer.get("error")
    code = details.get("code") if isinstance(details, dict) else None
    retryable = http.retryable_status(status) or code in RETRYABLE_CODES
    detail = f"whatsapp: HTTP {status}" + (f", error {code}" if code is not None else "")
    if code == REENGAGEMENT_CODE:
        detail += " (the 24-hour window is closed: send a template)"
    return ChannelError(
        detail,
        retryable,
        status,
        code=str(code) if code is not None else None,
        retry_after=http.retry_after(response),
    )
