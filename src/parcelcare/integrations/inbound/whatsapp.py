"""WhatsApp Cloud inbound messages: the `messages` of a signed `whatsapp_business_account`
notification (the same callback also carries delivery `statuses`)."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class InboundChat:
    """One customer message: Meta's id (wamid), the sender's number in E.164, the text."""

    message_id: str
    sender: str
    text: str


def _values(payload: Any) -> list[dict[str, Any]]:
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        raise ValueError("whatsapp: not a whatsapp_business_account notification")
    entries = [e for e in payload.get("entry") or [] if isinstance(e, dict)]
    changes = [c for e in entries for c in e.get("changes") or [] if isinstance(c, dict)]
    return [c["value"] for c in changes if isinstance(c.get("value"), dict)]


def has_statuses(payload: Any) -> bool:
    """Whether the notification also carries delivery reports."""
    return any(value.get("statuses") for value in _values(payload))


def messages(payload: Any) -> list[InboundChat]:
    """The text messages in a notification; other kinds (images, reactions) are skipped."""
    found = []
    for value in _values(payload):
        for item in value.get("messages") or []:
            if not isinstance(item, dict) or item.get("type") != "text":
                continue
            body = (item.get("text") or {}).get("body", "")
            sender = str(item.get("from", ""))
            if item.get("id") and body and sender:
                number = sender if sender.startswith("+") else f"+{sender}"
                found.append(InboundChat(str(item["id"]), number, str(body)))
    return found
