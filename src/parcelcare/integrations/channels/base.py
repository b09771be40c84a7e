"""The contract every channel keeps: one rendered message in, the provider's message id out."""

from dataclasses import dataclass, field
from typing import Literal, Protocol

SendStatus = Literal["sent", "queued"]


@dataclass(frozen=True, kw_only=True)
class OutgoingMessage:
    """One message to one recipient, rendered and ready for a provider.

    `idempotency_key` is the outbox row's key: the e-mail channel derives its Message-ID from it
    and the SMS channels pass a digest of it as the provider's client reference. `template_*`
    serve WhatsApp outside the 24-hour customer service window, where free text is refused."""

    channel: str
    to: str
    idempotency_key: str
    subject: str = ""
    text: str = ""
    html: str = ""
    sender: str = ""
    reply_to: str = ""
    unsubscribe_url: str = ""
    unsubscribe_mailto: str = ""
    template_name: str = ""
    template_language: str = ""
    template_params: list[str] = field(default_factory=list)
    within_session_window: bool = False
    in_reply_to: str = ""
    """The Message-ID of the customer's e-mail this one answers, so mail clients thread it."""


@dataclass(frozen=True)
class SendResult:
    """What a provider said when it took a message: its id and whether it already left."""

    provider_message_id: str
    status: SendStatus


class ChannelError(Exception):
    """A message a provider did not take: whether a later retry can succeed, the HTTP or SMTP
    status (None without an answer) and the provider's own error code.

    The text never carries a provider's free-text answer: those often quote the recipient."""

    def __init__(
        self,
        message: str,
        retryable: bool,
        status: int | None = None,
        *,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.status = status
        self.code = code
        self.retry_after = retry_after


class Channel(Protocol):
    """A way to reach a customer; raises ChannelError when the provider does not take it."""

    def send(self, message: OutgoingMessage) -> SendResult:
        """Hand one message to the provider."""
        ...
