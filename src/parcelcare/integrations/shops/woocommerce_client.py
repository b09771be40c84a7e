"""WooCommerce REST API v3 catch-up poll: the orders modified since a time, page by page.

WooCommerce never retries a failed webhook delivery and disables the hook after repeated
failures, so a scheduled poll reconciles; each order goes through `woocommerce.order_outcome`.
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx

from parcelcare import jsontext

ORDERS_PATH = "/wp-json/wc/v3/orders"
MAX_PER_PAGE = 100
"""The WordPress REST API refuses a larger per_page."""


class WooCommerceApiError(Exception):
    """A failed call: the HTTP status (None when unreached) and whether a later retry can help."""

    def __init__(self, message: str, *, status: int | None, retryable: bool) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable


def fetch_orders_modified_since(
    base_url: str,
    key: str,
    secret: str,
    since: datetime,
    *,
    client: httpx.Client,
    per_page: int = MAX_PER_PAGE,
) -> Iterator[dict[str, Any]]:
    """Every order modified after `since`, lowest id first; the caller sets timeouts on `client`."""
    if since.tzinfo is None:
        raise ValueError("since must be a timezone-aware datetime")
    if not base_url.lower().startswith("https://"):
        # WooCommerce takes the key as basic auth over HTTPS only; over HTTP it would leak.
        raise ValueError("base_url must start with https://")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError(f"per_page must be between 1 and {MAX_PER_PAGE}")
    url = base_url.rstrip("/") + ORDERS_PATH
    params: dict[str, str | int] = {
        # dates_are_gmt makes WooCommerce compare the UTC modification time, sent without offset.
        "modified_after": since.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        "dates_are_gmt": "true",
        # Ids do not move while orders change during the walk, so no order slips between pages.
        "orderby": "id",
        "order": "asc",
        "per_page": per_page,
    }
    page = 1
    while True:
        response = _get(client, url, {**params, "page": page}, httpx.BasicAuth(key, secret))
        orders = _orders(response, page)
        yield from orders
        total = _total_pages(response)
        last = page >= total if total is not None else len(orders) < per_page
        if last or not orders:
            return
        page += 1


def _get(
    client: httpx.Client, url: str, params: dict[str, str | int], auth: httpx.BasicAuth
) -> httpx.Response:
    host = httpx.URL(url).host
    try:
        response = client.get(url, params=params, auth=auth)
    except httpx.TimeoutException as error:
        raise WooCommerceApiError(
            f"WooCommerce at {host} did not answer in time ({type(error).__name__})",
            status=None,
            retryable=True,
        ) from error
    except httpx.TransportError as error:
        raise WooCommerceApiError(
            f"WooCommerce at {host} could not be reached ({type(error).__name__})",
            status=None,
            retryable=True,
        ) from error
    if response.status_code != 200:
        raise _status_error(response, url)
    return response


def _status_error(response: httpx.Response, url: str) -> WooCommerceApiError:
    """A clear error for a non-200 answer, with WooCommerce's error code when it gave one."""
    status = response.status_code
    code = _error_code(response)
    suffix = f" [{code}]" if code else ""
    if status == 401:
        message = "WooCommerce refused the consumer key and secret (401): check both"
    elif status == 403:
        message = "the WooCommerce key may not read orders (403): give it Read permission"
    elif status == 404:
        message = (
            f"no WooCommerce REST API at {url} (404): check the shop URL, that WooCommerce "
            "is active and that permalinks are not set to Plain"
        )
    elif status == 429 or status >= 500:
        message = f"WooCommerce answered {status}: try again later"
    else:
        message = f"WooCommerce answered {status} to the orders request"
    retryable = status == 429 or status >= 500
    return WooCommerceApiError(message + suffix, status=status, retryable=retryable)


def _error_code(response: httpx.Response) -> str:
    try:
        body = jsontext.loads(response.content)
    except ValueError:
        return ""
    code = body.get("code") if isinstance(body, dict) else None
    return code[:80] if isinstance(code, str) else ""


def _orders(response: httpx.Response, page: int) -> list[dict[str, Any]]:
    try:
        # Exact decimals: prices must not pass through binary floats on their way to cents.
        orders = jsontext.loads(response.content, parse_float=Decimal)
    except ValueError:
        orders = None
    if not isinstance(orders, list) or not all(isinstance(o, dict) for o in orders):
        raise WooCommerceApiError(
            f"page {page} of the WooCommerce orders is not a JSON list of orders",
            status=response.status_code,
            retryable=False,
        )
    return orders


def _total_pages(response: httpx.Response) -> int | None:
    value = response.headers.get("x-wp-totalpages", "").strip()
    return int(value) if value.isdigit() else None
