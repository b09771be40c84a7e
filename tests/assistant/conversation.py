"""A customer's message stored and decided on by the assistant, as the worker does it."""

from datetime import datetime

from conftest import NOW
from parcelcare.assistant.inbox import process_due, receive
from parcelcare.assistant.models import InboundMessage
from parcelcare.assistant.respond import handle


def answered(
    shop_id: int,
    text: str,
    sender: str,
    ident: str = "m1",
    *,
    channel: str = "email",
    now: datetime = NOW,
    **extra: object,
) -> InboundMessage:
    """Store a message received at `now` and let the worker decide on it."""
    receive(
        shop_id=shop_id,
        channel=channel,
        external_id=ident,
        sender=sender,
        body=text,
        now=now,
        wake=False,
        **extra,  # type: ignore[arg-type]
    )
    process_due(handle, now)
    return InboundMessage.objects.get(shop_id=shop_id, channel=channel, external_id=ident)
