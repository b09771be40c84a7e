"""The payout interface every provider implements, its results and errors, and money formats.

PaymentDeclined  the provider refused for good (already refunded, unknown payment): fail it
PaymentRetry     worth another try later (network, 5xx, 429, insufficient balance); the same
                 idempotency key goes with every try, so a retry never pays twice
"""

import base64
from dataclasses import dataclass
from typing import Literal, Protocol

import httpx

State = Literal["succeeded", "pending", "failed"]
ZERO_DECIMALS = frozenset({"JPY", "KRW", "CLP", "ISK", "HUF", "TWD", "VND", "XAF", "XOF"})
RETRY_WORDS = ("balance", "insufficient", "funds", "temporar", "try again", "rate limit")
TIMEOUT = httpx.Timeout(15.0, connect=5.0)


class PaymentDeclined(Exception):
    """The provider refused the refund for good; the message is safe to show an agent."""


class PaymentRetry(Exception):
    """The refund could not be made now; the message says why, it is worth trying again."""


@dataclass(frozen=True, slots=True)
class RefundOrder:
    """What to pay back: the provider's payment id, minor units, currency, idempotency key."""

    payment_reference: str
    amount: int
    currency: str
    idempotency_key: str
    reason: str = ""
    return_id: str = ""
    """A return opened at the provider (Shopify), refunded by processing it."""
    return_lines: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class RefundResult:
    """The provider's answer: its refund id and where the refund stands."""

    refund_id: str
    state: State
    detail: str = ""


class PayoutProvider(Protocol):
    """Pay a refund back through the provider, and ask where an earlier one stands."""

    name: str

    def refund(self, order: RefundOrder) -> RefundResult:
        """Create the refund, idempotent on `order.idempotency_key`."""
        ...

    def status(self, *, payment_reference: str, refund_id: str) -> RefundResult:
        """Where the refund with this id stands now."""
        ...


def to_decimal(amount: int, currency: str) -> str:
    """Minor units as the decimal string providers want: 1250 EUR -> '12.50', 1250 JPY -> '1250'."""
    if currency.upper() in ZERO_DECIMALS:
        return str(amount)
    return f"{amount // 100}.{amount % 100:02d}"


def basic_auth(user: str, password: str) -> dict[str, str]:
    """An Authorization header for HTTP Basic authentication."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def worth_retrying(message: str) -> bool:
    """Whether an error text says the refund may work later (balance, funds, rate limits)."""
    lowered = message.lower()
    return any(word in lowered for word in RETRY_WORDS)


def raise_for(response: httpx.Response, message: str) -> None:
    """Turn a failed HTTP answer into PaymentRetry or PaymentDeclined with the provider's words."""
    if response.is_success:
        return
    text = f"{response.status_code}: {message}"[:280]
    if response.status_code >= 500 or response.status_code in (408, 409, 425, 429):
        raise PaymentRetry(text)
    if worth_retrying(message):
        raise PaymentRetry(text)
    raise PaymentDeclined(text)


def send(client: httpx.Client, request: httpx.Request) -> httpx.Response:
    """Send one request; a network failure is worth a retry, never a decline."""
    try:
        return client.send(request)
    except httpx.HTTPError as error:
        raise PaymentRetry(f"network: {type(error).__name__}") from error


def json_of(response: httpx.Response) -> dict:
    """The body as a JSON object, or an empty one when it is not JSON."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
