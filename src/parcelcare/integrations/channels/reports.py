"""Delivery reports coming back by webhook, verified over the raw request and read as values.

Twilio status callbacks (form POST, X-Twilio-Signature), WhatsApp Cloud API webhooks
(X-Hub-Signature-256) and Bird (MessageBird) SMS status reports (GET with query parameters,
MessageBird-Signature-JWT). E-mail bounces come back as DSN messages: see bounces.py.
Intermediate states (queued, accepted, buffered …) give no report.
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote_to_bytes, urlsplit, urlunsplit

from parcelcare.integrations.webhooks import InvalidWebhook

ReportStatus = Literal["delivered", "failed", "bounced", "sent"]
Pairs = Sequence[tuple[str, str]]

TWILIO_SIGNATURE_HEADER = "x-twilio-signature"
WHATSAPP_SIGNATURE_HEADER = "x-hub-signature-256"
BIRD_SIGNATURE_HEADER = "messagebird-signature-jwt"

TWILIO_STATUSES: dict[str, ReportStatus] = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "delivered",
    "undelivered": "failed",
    "failed": "failed",
    "canceled": "failed",
}
WHATSAPP_STATUSES: dict[str, ReportStatus] = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "delivered",
    "failed": "failed",
}
BIRD_STATUSES: dict[str, ReportStatus] = {
    "sent": "sent",
    "delivered": "delivered",
    "expired": "failed",
    "delivery_failed": "failed",
}
"""Provider status -> report status; a status missing here is intermediate and ignored."""

DEFAULT_PORTS = {"https": 443, "http": 80}
JWT_HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
JWT_LEEWAY = timedelta(seconds=1)


@dataclass(frozen=True)
class DeliveryReport:
    """What a provider says became of one sent message, and when."""

    provider_message_id: str
    status: ReportStatus
    error_code: str
    occurred_at: datetime


def form_pairs(body: bytes | str) -> list[tuple[str, str]]:
    """The fields of a form-encoded body or a query string, in order, blanks kept;
    UnicodeDecodeError when its bytes or its %-escapes are not UTF-8."""
    text = body.decode() if isinstance(body, bytes) else body
    return parse_qsl(text, keep_blank_values=True, errors="strict")


def _matches(expected: str, presented: str) -> bool:
    return bool(presented) and hmac.compare_digest(expected.encode(), presented.strip().encode())


# Twilio ------------------------------------------------------------------------------------


def twilio_signature(auth_token: str, url: str, params: Pairs) -> str:
    """Base64 HMAC-SHA1 of the URL followed by each POST field as name+value, sorted by name."""
    data = url + "".join(name + value for name, value in sorted(params))
    return _twilio_digest(auth_token, data.encode())


def _port_variants(url: str) -> Iterator[str]:
    """The URL as given, without its port and with the scheme's default port: Twilio signs the
    URL it called, and proxies disagree on whether the default port is part of it."""
    yield url
    parts = urlsplit(url)
    host = parts.hostname or ""
    userinfo = parts.netloc.rpartition("@")[0]
    prefix = f"{userinfo}@" if userinfo else ""
    yield urlunsplit(parts._replace(netloc=prefix + host))
    if parts.port is None and parts.scheme in DEFAULT_PORTS:
        port = DEFAULT_PORTS[parts.scheme]
        yield urlunsplit(parts._replace(netloc=f"{prefix}{host}:{port}"))


def verify_twilio(auth_tokens: Sequence[str], url: str, params: Pairs, signature: str) -> bool:
    """True when X-Twilio-Signature matches the full request URL and form fields."""
    return any(
        _matches(twilio_signature(token, variant, params), signature)
        for token in auth_tokens
        if token
        for variant in _port_variants(url)
    )


def verify_twilio_body(auth_tokens: Sequence[str], url: str, body: bytes, signature: str) -> bool:
    """verify_twilio over the raw form body: fields are split and unquoted as bytes, never
    decoded, so a body that is not UTF-8 is checked (and refused) like any other."""
    signed = b"".join(name + value for name, value in sorted(raw_form_pairs(body)))
    return any(
        _matches(_twilio_digest(token, variant.encode() + signed), signature)
        for token in auth_tokens
        if token
        for variant in _port_variants(url)
    )


def raw_form_pairs(body: bytes) -> list[tuple[bytes, bytes]]:
    """The fields of a form-encoded body as bytes, unquoted but not decoded, blanks kept."""
    pairs = []
    for field in body.split(b"&"):
        if field:
            name, _, value = field.replace(b"+", b" ").partition(b"=")
            pairs.append((unquote_to_bytes(name), unquote_to_bytes(value)))
    return pairs


def _twilio_digest(auth_token: str, data: bytes) -> str:
    digest = hmac.new(auth_token.encode(), data, hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def parse_twilio(params: Pairs, *, now: datetime) -> list[DeliveryReport]:
    """A status callback's report, timed at `now`: Twilio sends no time of the change."""
    fields = dict(params)
    sid = fields.get("MessageSid") or fields.get("SmsSid") or ""
    if not sid:
        raise InvalidWebhook("twilio: the MessageSid field is missing")
    status = TWILIO_STATUSES.get(fields.get("MessageStatus") or fields.get("SmsStatus") or "")
    if status is None:
        return []
    return [DeliveryReport(sid, status, fields.get("ErrorCode", ""), now)]


# WhatsApp Cloud API ------------------------------------------------------------------------


def verify_whatsapp(app_secrets: Sequence[str], body: bytes, signature: str) -> bool:
    """True when X-Hub-Signature-256 is `sha256=` + hex HMAC-SHA256 of the raw body."""
    presented = signature.strip()
    if not presented.startswith("sha256="):
        return False
    return any(
        _matches(hmac.new(secret.encode(), body, hashlib.sha256).hexdigest(), presented[7:].lower())
        for secret in app_secrets
        if secret
    )


def whatsapp_challenge(params: Mapping[str, str], verify_token: str) -> str | None:
    """The `hub.challenge` to echo when Meta verifies the webhook URL with our token."""
    if params.get("hub.mode") != "subscribe" or not verify_token:
        return None
    if not _matches(verify_token, params.get("hub.verify_token", "")):
        return None
    return params.get("hub.challenge")


def _whatsapp_statuses(payload: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        raise InvalidWebhook("whatsapp: not a whatsapp_business_account notification")
    entries = [entry for entry in payload.get("entry") or [] if isinstance(entry, dict)]
    changes = [change for entry in entries for change in entry.get("changes") or []]
    values = [change.get("value") for change in changes if isinstance(change, dict)]
    for value in values:
        statuses = value.get("statuses") if isinstance(value, dict) else None
        yield from (item for item in statuses or [] if isinstance(item, dict))


def _whatsapp_report(item: dict[str, Any]) -> DeliveryReport | None:
    status = WHATSAPP_STATUSES.get(str(item.get("status", "")))
    if status is None:
        return None
    identifier, stamp = item.get("id"), str(item.get("timestamp", ""))
    if not isinstance(identifier, str) or not identifier or not stamp.isdigit():
        raise InvalidWebhook("whatsapp: a status without id or numeric timestamp")
    errors = item.get("errors")
    first = errors[0] if isinstance(errors, list) and errors else {}
    code = first.get("code") if isinstance(first, dict) else None
    occurred_at = datetime.fromtimestamp(int(stamp), UTC)
    return DeliveryReport(identifier, status, "" if code is None else str(code), occurred_at)


def parse_whatsapp(body: bytes) -> list[DeliveryReport]:
    """The reports in a notification's `entry[].changes[].value.statuses[]`."""
    try:
        payload = json.loads(body)
    except ValueError:
        raise InvalidWebhook("whatsapp: the body is not JSON") from None
    reports = (_whatsapp_report(item) for item in _whatsapp_statuses(payload))
    return [report for report in reports if report is not None]


# Bird (MessageBird) ------------------------------------------------------------------------


def _b64url(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _jwt_claims(token: str, key: str) -> dict[str, Any] | None:
    """The claims of an HS256/384/512 JWT signed with `key`; None when it is not one."""
    try:
        header_part, claims_part, signature_part = token.strip().split(".")
        header = json.loads(_b64url(header_part))
        digest = JWT_HASHES[header["alg"]]
        signed = f"{header_part}.{claims_part}".encode("ascii")
        expected = hmac.new(key.encode(), signed, digest).digest()
        if not hmac.compare_digest(expected, _b64url(signature_part)):
            return None
        claims = json.loads(_b64url(claims_part))
    except (ValueError, KeyError, TypeError):
        return None
    return claims if isinstance(claims, dict) else None


def _bird_claims_fit(claims: dict[str, Any], url: str, body: bytes, now: datetime) -> bool:
    """Issuer, validity window (1 s leeway), URL hash and body hash of a verified token."""
    nbf, exp = claims.get("nbf"), claims.get("exp")
    if claims.get("iss") != "MessageBird" or not isinstance(nbf, int) or not isinstance(exp, int):
        return False
    if not (nbf - JWT_LEEWAY.total_seconds() <= now.timestamp() < exp + JWT_LEEWAY.total_seconds()):
        return False
    if not _matches(hashlib.sha256(url.encode()).hexdigest(), str(claims.get("url_hash", ""))):
        return False
    payload_hash = claims.get("payload_hash")
    if not body:
        return payload_hash is None
    return isinstance(payload_hash, str) and _matches(
        hashlib.sha256(body).hexdigest(), payload_hash
    )


def verify_bird(
    signing_keys: Sequence[str], url: str, body: bytes, token: str, *, now: datetime
) -> bool:
    """True when MessageBird-Signature-JWT was signed with a key for this exact URL and body."""
    for key in signing_keys:
        claims = _jwt_claims(token, key) if key else None
        if claims is not None:
            return _bird_claims_fit(claims, url, body, now)
    return False


def _bird_time(value: str, now: datetime) -> datetime:
    if not value:
        return now
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidWebhook("bird: statusDatetime is not an RFC 3339 time") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_bird(params: Pairs, *, now: datetime) -> list[DeliveryReport]:
    """A status report's query parameters: id, status, statusDatetime, statusErrorCode."""
    fields = dict(params)
    identifier = fields.get("id", "")
    if not identifier:
        raise InvalidWebhook("bird: the id parameter is missing")
    status = BIRD_STATUSES.get(fields.get("status", ""))
    if status is None:
        return []
    occurred_at = _bird_time(fields.get("statusDatetime", ""), now)
    return [DeliveryReport(identifier, status, fields.get("statusErrorCode", ""), occurred_at)]
