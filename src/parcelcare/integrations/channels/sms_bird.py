"""SMS through Bird's classic MessageBird REST API (`rest.messagebird.com/messages`).

Bird's newer Channels API (`api.bird.com/workspaces/{id}/channels/{id}/messages`) takes another
body and other credentials; this module speaks the documented classic one.
"""

from dataclasses import dataclass

import httpx

from parcelcare.integrations.channels import http
from parcelcare.integrations.channels.base import ChannelError, OutgoingMessage, SendResult

MESSAGES_URL = "https://rest.messagebird.com/messages"

REFERENCE_LIMIT = 128
"""Bird sends status reports only for messages with a client reference, of at most this length."""


@dataclass(frozen=True)
class BirdSettings:
    """An access key, the default originator and the URL status reports go to."""

    access_key: str
    originator: str = ""
    report_url: str = ""
    timeout: float = http.DEFAULT_TIMEOUT


def msisdn(number: str) -> str:
    """A phone number as Bird's recipients want it: digits with the country code, no + or 00."""
    digits = "".join(character for character in number if character.isdigit())
    if number.strip().startswith("00"):
        digits = digits[2:]
    return digits


class BirdSms:
    """Sends SMS with Bird (MessageBird); the message id is the provider message id."""

    def __init__(
        self, settings: BirdSettings, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.settings = settings
        self.transport = transport

    def body(self, message: OutgoingMessage) -> dict[str, object]:
        """The JSON body of the create-message request."""
        originator = message.sender or self.settings.originator
        if not originator:
            raise ChannelError("bird: no originator", False)
        body: dict[str, object] = {
            "recipients": [msisdn(message.to)],
            "originator": originator,
            "body": message.text,
            "reference": http.client_reference(message.idempotency_key, REFERENCE_LIMIT),
        }
        if self.settings.report_url:
            body["reportUrl"] = self.settings.report_url
        return body

    def send(self, message: OutgoingMessage) -> SendResult:
        """Create one message; ChannelError with Bird's first error code when it is refused."""
        response = http.post(
            "bird",
            MESSAGES_URL,
            timeout=self.settings.timeout,
            transport=self.transport,
            json=self.body(message),
            headers={
                "Authorization": f"AccessKey {self.settings.access_key}",
                "Accept": "application/json",
            },
        )
        answer = http.json_object(response)
        if response.status_code in (200, 201) and isinstance(answer.get("id"), str):
            return SendResult(answer["id"], "sent" if all_sent(answer) else "queued")
        raise error(response, answer)


def all_sent(answer: dict[str, object]) -> bool:
    """Whether every recipient in a create answer already has the status `sent`."""
    recipients = answer.get("recipients")
    items = recipients.get("items") if isinstance(recipients, dict) else None
    if not isinstance(items, list) or not items:
        return False
    return all(isinstance(item, dict) and item.get("status") == "sent" for item in items)


def error(response: httpx.Response, answer: dict[str, object]) -> ChannelError:
    """Bird's `errors[]` answer as a ChannelError naming the first code and parameter."""
    status = response.status_code
    errors = answer.get("errors")
    first = errors[0] if isinstance(errors, list) and errors else {}
    first = first if isinstance(first, dict) else {}
    code = str(first["code"]) if first.get("code") is not None else None
    detail = f"bird: HTTP {status}" + (f", error {code}" if code else "")
    if isinstance(first.get("parameter"), str):
        detail += f" on {first['parameter']}"
    return ChannelError(
        detail,
        http.retryable_status(status),
        status,
        code=code,
        retry_after=http.retry_after(response),
    )
