"""Mailgun inbound routes (action `forward`): the signed form fields of one received e-mail.

Mailgun signs each POST with `timestamp`, `token` and `signature` = hex HMAC-SHA256 of
timestamp + token under the account's HTTP webhook signing key."""

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import datetime
from email.utils import parseaddr

from parcelcare.domain.asks import automated_mail

from .mail import ROBOT_HEADERS, InboundEmail, message_ids, new_text

MAX_AGE_SECONDS = 15 * 60
"""A signature older than this is refused, so a captured request cannot be replayed later."""


def verify(fields: Mapping[str, str], keys: Sequence[str], now: datetime) -> bool:
    """True when a live signing key signed this timestamp and token, recently."""
    timestamp, token = fields.get("timestamp", ""), fields.get("token", "")
    signature = fields.get("signature", "").strip().lower()
    if not (timestamp.isdigit() and token and signature):
        return False
    if abs(now.timestamp() - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    signed = (timestamp + token).encode()
    found = False
    for key in keys:
        if key:
            expected = hmac.new(key.encode(), signed, hashlib.sha256).hexdigest()
            found |= hmac.compare_digest(expected, signature)
    return found


def parse(fields: Mapping[str, str]) -> InboundEmail:
    """The e-mail in a Mailgun inbound POST; ValueError when it lacks a Message-Id or body."""
    message_id = fields.get("Message-Id", "").strip()
    text = fields.get("stripped-text") or new_text(fields.get("body-plain", ""))
    if not message_id or not text.strip():
        raise ValueError("mailgun: a message needs a Message-Id and a plain-text body")
    headers = {name.lower(): value for name, value in _headers(fields)}
    # Mailgun also posts some headers as fields of their own; either place counts.
    for name, value in fields.items():
        if name.lower() in ROBOT_HEADERS:
            headers.setdefault(name.lower(), value)
    auto = headers.get("auto-submitted", "no").lower() != "no"
    sender = parseaddr(fields.get("from") or fields.get("sender", ""))[1].lower()
    return InboundEmail(
        message_id=message_id,
        sender=sender,
        subject=fields.get("subject", ""),
        text=text.strip(),
        thread_ids=message_ids(fields.get("In-Reply-To", ""), fields.get("References", "")),
        auto_submitted=auto,
        automated=auto or automated_mail(headers, sender),
    )


def _headers(fields: Mapping[str, str]) -> list[tuple[str, str]]:
    """`message-headers`: a JSON list of [name, value] pairs."""
    import json

    try:
        pairs = json.loads(fields.get("message-headers") or "[]")
    except ValueError:
        return []
    return [(str(p[0]), str(p[1])) for p in pairs if isinstance(p, list) and len(p) == 2]
