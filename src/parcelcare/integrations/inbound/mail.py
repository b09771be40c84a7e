"""One received e-mail as plain values, read from RFC 5322 bytes (IMAP) or provider fields."""

import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr

from parcelcare.domain.asks import automated_mail

ROBOT_HEADERS = ("auto-submitted", "precedence", "x-autoreply", "x-autorespond", "list-id")
"""The headers kept to tell mail no person wrote."""

MESSAGE_ID = re.compile(r"<[^<>\s]+>")
QUOTE_START = re.compile(
    r"^\s*(?:>"
    # Attribution lines of mail clients, which may wrap onto a second line.
    r"|On .+(?:\n.+)? wrote:|Op .+(?:\n.+)? schreef .+:|Am .+(?:\n.+)? schrieb .+:"
    r"|Le .+(?:\n.+)? a écrit\s?:"
    # "-----Original Message-----" and its Dutch, German and French forms.
    r"|-{2,}\s*(?:Original|Oorspronkelijk|Origineel|Ursprüngliche"
    r"|Message d.origine|Message original)"
    # Outlook's header block: From / Sent (Van / Verzonden, Von / Gesendet, De / Envoyé).
    r"|(?:From|Van|Von|De)\s?:\s.+\n(?:.+\n){0,3}?\s*(?:Sent|Verzonden|Gesendet|Envoyé)\s?:)",
    re.MULTILINE | re.IGNORECASE,
)


@dataclass(frozen=True)
class InboundEmail:
    """What the assistant needs of an e-mail: who, what, and which messages it answers."""

    message_id: str
    sender: str
    subject: str
    text: str
    thread_ids: list[str] = field(default_factory=list)
    auto_submitted: bool = False
    """An auto-reply or bounce: never answered, or two robots would talk forever."""
    automated: bool = False
    """No person wrote it (auto-reply, bounce, list, bulk, no-reply sender): kept for agents,
    but never asked anything back (`domain.asks.automated_mail`)."""


def message_ids(*headers: str) -> list[str]:
    """Every <id@host> in In-Reply-To and References headers, newest first."""
    found: list[str] = []
    for header in headers:
        found.extend(MESSAGE_ID.findall(header or ""))
    return list(dict.fromkeys(reversed(found)))


def new_text(text: str) -> str:
    """The customer's own words, without the quoted message they answer."""
    match = QUOTE_START.search(text)
    return (text[: match.start()] if match else text).strip()


def _plain(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_type() == "text/html":
        content = re.sub(r"<[^>]+>", " ", content)
    return str(content)


def parse_rfc822(raw: bytes) -> InboundEmail:
    """An e-mail from its raw bytes (as an IMAP server returns it)."""
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    auto = str(message.get("Auto-Submitted", "no")).lower() != "no" or bool(
        message.get("X-Autoreply") or message.get("X-Autorespond")
    )
    sender = parseaddr(str(message.get("From", "")))[1].lower()
    headers = {name: str(message.get(name, "")) for name in ROBOT_HEADERS}
    return InboundEmail(
        message_id=str(message.get("Message-ID", "")).strip(),
        sender=sender,
        subject=str(message.get("Subject", "")),
        text=new_text(_plain(message)),
        thread_ids=message_ids(
            str(message.get("In-Reply-To", "")), str(message.get("References", ""))
        ),
        auto_submitted=auto,
        automated=auto or automated_mail(headers, sender),
    )
