"""parcelcare's own httpx clients for carrier tracking APIs that only answer on request.

They return each carrier's raw answer, so the carrier's parser and code table apply unchanged.
"""

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import quote

import httpx

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
"""Seconds for each carrier request (connect, read, write and pool alike)."""

POSTNL_URL = "https://api.postnl.nl/shipment/v2/status/barcode/{barcode}"
DHL_URL = "https://api-eu.dhl.com/track/shipments"

RETRY_STATUSES = frozenset({408, 425, 429})
"""Client errors that pass with time; every 5xx is retryable too."""
AUTH_STATUSES = frozenset({401, 403})


class PollError(Exception):
    """A failed poll: carrier, HTTP status (None without an answer), whether a retry can help."""

    def __init__(
        self,
        carrier: str,
        status: int | None,
        retryable: bool,
        detail: str = "",
        retry_after: float | None = None,
    ) -> None:
        self.carrier = carrier
        self.status = status
        self.retryable = retryable
        # Never a response body: carriers' answers may quote names and addresses.
        self.detail = detail or (f"HTTP {status}" if status else "no answer")
        self.retry_after = retry_after
        super().__init__(f"{carrier}: {self.detail}")


def retryable(status: int) -> bool:
    """Whether a carrier answering `status` may answer differently later."""
    return status in RETRY_STATUSES or status >= 500


def stops_batch(error: PollError) -> bool:
    """Whether an error concerns the credentials or the carrier rather than one number."""
    return error.retryable or error.status is None or error.status in AUTH_STATUSES


def credential(carrier: str, credentials: Mapping[str, Any], key: str = "api_key") -> str:
    """One credential from a shop's polling settings; a missing one is a permanent error."""
    value = credentials.get(key)
    if not isinstance(value, str) or not value:
        raise PollError(carrier, None, False, f"no {key} in the polling settings")
    return value


def postnl_request(number: str, credentials: Mapping[str, Any]) -> httpx.Request:
    """PostNL ShippingStatus by barcode, with every event (`detail=true`)."""
    return httpx.Request(
        "GET",
        POSTNL_URL.format(barcode=quote(number, safe="")),
        params={"detail": "true"},
        headers={"apikey": credential("postnl", credentials), "Accept": "application/json"},
    )


def dhl_request(number: str, credentials: Mapping[str, Any]) -> httpx.Request:
    """DHL Shipment Tracking - Unified for one tracking number."""
    return httpx.Request(
        "GET",
        DHL_URL,
        params={"trackingNumber": number},
        headers={"DHL-API-Key": credential("dhl", credentials), "Accept": "application/json"},
    )


Builder = Callable[[str, Mapping[str, Any]], httpx.Request]

ENDPOINTS: dict[str, tuple[Builder, frozenset[int]]] = {
    "postnl": (postnl_request, frozenset({200})),
    # DHL answers an unknown number with 404 problem details, which the parser reads as
    # "no events yet".
    "dhl": (dhl_request, frozenset({200, 404})),
}
"""Carrier slug -> (request builder, HTTP statuses whose body is an answer to parse)."""


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.strip().isdigit() else None


def track(carrier: str, number: str, credentials: Mapping[str, Any], client: httpx.Client) -> bytes:
    """The carrier's raw answer for one tracking number; a PollError when there is none."""
    build, answers = ENDPOINTS[carrier]
    request = build(number, credentials)
    try:
        response = client.send(request)
    except httpx.TimeoutException:
        raise PollError(carrier, None, True, "timeout") from None
    except httpx.TransportError as error:
        raise PollError(carrier, None, True, f"connection error: {type(error).__name__}") from None
    if response.status_code in answers:
        return response.content
    status = response.status_code
    raise PollError(carrier, status, retryable(status), retry_after=_retry_after(response))


def fetch(
    carrier: str,
    tracking_numbers: Iterable[str],
    credentials: Mapping[str, Any],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, bytes | str]:
    """Raw answers per tracking number, one request each; refused numbers are left out."""
    # An error about the credentials or the carrier (401, 403, 429, 5xx, timeouts) ends the
    # batch with a PollError; a number the carrier refuses on its own (400, 404 …) is only left
    # out, so the caller backs off that one shipment and not the whole shop.
    if carrier not in ENDPOINTS:
        raise PollError(carrier, None, False, "no HTTP client for this carrier")
    found: dict[str, bytes | str] = {}
    with httpx.Client(timeout=httpx.Timeout(timeout), transport=transport) as client:
        for number in tracking_numbers:
            try:
                found[number] = track(carrier, number, credentials, client)
            except PollError as error:
                if stops_batch(error):
                    raise
                log.warning("%s refused one tracking number with HTTP %s", carrier, error.status)
    return found
