"""SMS through Twilio Programmable Messaging (the 2010-04-01 REST API)."""

from dataclasses import dataclass
from urllib.parse import quote

import httpx

from parcelcare.integrations.channels import http
from parcelcare.integrations.channels.base import (
    ChannelError,
    OutgoingMessage,
    SendResult,
    SendStatus,
)

MESSAGES_URL = "https://api.twilio.com/2010-04-01/Accounts/{account_sid}/Messages.json"

SENT_STATUSES = frozenset({"sent", "delivered"})
"""Twilio statuses at creation that mean the message already left; others are still queued."""


@dataclass(frozen=True)
class TwilioSettings:
    """An account's credentials and sender: a Messaging Service or a From number."""

    account_sid: str
    auth_token: str
    from_number: str = ""
    messaging_service_sid: str = ""
    status_callback: str = ""
    timeout: float = http.DEFAULT_TIMEOUT


class TwilioSms:
    """Sends SMS with Twilio; the message SID is the provider message id."""

    def __init__(
        self, settings: TwilioSettings, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.settings = settings
        self.transport = transport

    def form(self, message: OutgoingMessage) -> dict[str, str]:
        """The form fields of the create-message request."""
        settings = self.settings
        fields = {"To": message.to, "Body": message.text}
        if settings.messaging_service_sid:
            fields["MessagingServiceSid"] = settings.messaging_service_sid
        elif message.sender or settings.from_number:
            fields["From"] = message.sender or settings.from_number
        else:
            raise ChannelError("twilio: neither a From number nor a Messaging Service", False)
        if settings.status_callback:
            fields["StatusCallback"] = settings.status_callback
        return fields

    def send(self, message: OutgoingMessage) -> SendResult:
        """Create one message; ChannelError with Twilio's error code when it is refused."""
        settings = self.settings
        response = http.post(
            "twilio",
            MESSAGES_URL.format(account_sid=quote(settings.account_sid, safe="")),
            timeout=settings.timeout,
            transport=self.transport,
            data=self.form(message),
            auth=(settings.account_sid, settings.auth_token),
            headers={"Accept": "application/json"},
        )
        body = http.json_object(response)
        if response.status_code in (200, 201) and isinstance(body.get("sid"), str):
            status: SendStatus = "sent" if body.get("status") in SENT_STATUSES else "queued"
            return SendResult(body["sid"], status)
        raise error(response, body)


def error(response: httpx.Response, body: dict[str, object]) -> ChannelError:
    """Twilio's error answer as a ChannelError: 429 and 5xx are worth a retry."""
    status = response.status_code
    code = str(body["code"]) if body.get("code") is not None else None
    return ChannelError(
        f"twilio: HTTP {status}" + (f", error {code}" if code else ""),
        http.retryable_status(status),
        status,
        code=code,
        retry_after=http.retry_after(response),
    )
