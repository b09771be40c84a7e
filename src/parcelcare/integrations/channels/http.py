"""The HTTP calls the SMS and WhatsApp channels share: one POST, errors as ChannelError."""

import hashlib
from typing import Any

import httpx

from parcelcare.integrations.channels.base import ChannelError

DEFAULT_TIMEOUT = 10.0
"""Seconds for each provider request (connect, read, write and pool alike)."""


def retryable_status(status: int) -> bool:
    """Whether a provider answering `status` may take the same request later."""
    return status in {408, 425, 429} or status >= 500


def retry_after(response: httpx.Response) -> float | None:
    """The Retry-After header in seconds, when the provider sent one as a number."""
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else None


def post(
    provider: str,
    url: str,
    *,
    timeout: float,
    transport: httpx.BaseTransport | None = None,
    **request: Any,
) -> httpx.Response:
    """POST once; a timeout or broken connection is a retryable ChannelError.

    A timeout after the provider took the message can make the retry a duplicate: sending is
    at-least-once, and none of these providers accepts an idempotency key on send."""
    try:
        with httpx.Client(timeout=httpx.Timeout(timeout), transport=transport) as client:
            return client.post(url, **request)
    except httpx.TimeoutException:
        raise ChannelError(f"{provider}: timeout", True) from None
    except httpx.TransportError as error:
        raise ChannelError(f"{provider}: connection error: {type(error).__name__}", True) from None


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The response body as a JSON object; an empty dict when it is anything else."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def client_reference(idempotency_key: str, limit: int) -> str:
    """The idempotency key as a provider reference, or its SHA-256 hex when it is too long."""
    if len(idempotency_key) <= limit:
        return idempotency_key
    return hashlib.sha256(idempotency_key.encode()).hexdigest()[:limit]
