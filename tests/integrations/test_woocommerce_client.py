"""WooCommerce catch-up poll: paging, query, exact prices and clear errors, against respx."""

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from parcelcare.integrations.shops.woocommerce import order_outcome
from parcelcare.integrations.shops.woocommerce_client import (
    WooCommerceApiError,
    fetch_orders_modified_since,
)
from parcelcare.tracking.schemas import OrderIn

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "webhooks" / "woocommerce"
SHOP = "https://shop.example"
ORDERS = f"{SHOP}/wp-json/wc/v3/orders"
KEY = "ck_0123456789abcdef"
SECRET = "cs_fedcba9876543210"
SINCE = datetime(2026, 11, 18, 13, 0, tzinfo=timezone(timedelta(hours=1)))


def order(number: int) -> dict[str, Any]:
    body = json.loads((SAMPLE / "order_example.json").read_text(encoding="utf-8"))
    return body | {"id": number, "number": str(number)}


def page(orders: list[dict[str, Any]], total_pages: int | None) -> httpx.Response:
    """An answer shaped like WordPress's: the JSON list and its paging headers."""
    headers = {"Content-Type": "application/json; charset=UTF-8"}
    if total_pages is not None:
        headers |= {
            "X-WP-Total": str(len(orders) * total_pages),
            "X-WP-TotalPages": str(total_pages),
        }
    return httpx.Response(200, content=json.dumps(orders).encode(), headers=headers)


def error(status: int, code: str, message: str) -> httpx.Response:
    body = {"code": code, "message": message, "data": {"status": status}}
    return httpx.Response(status, json=body)


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=httpx.Timeout(5.0)) as session:
        yield session


def fetch(client: httpx.Client, **options: Any) -> list[dict[str, Any]]:
    return list(fetch_orders_modified_since(SHOP, KEY, SECRET, SINCE, client=client, **options))


def test_two_pages_are_read_in_order(api: respx.MockRouter, client: httpx.Client) -> None:
    first = api.get(ORDERS, params={"page": "1"}).mock(page([order(727), order(728)], 2))
    second = api.get(ORDERS, params={"page": "2"}).mock(page([order(729)], 2))
    orders = fetch(client, per_page=2)
    assert [o["number"] for o in orders] == ["727", "728", "729"]
    assert (first.call_count, second.call_count) == (1, 1)


def test_query_and_credentials(api: respx.MockRouter, client: httpx.Client) -> None:
    route = api.get(ORDERS).mock(page([order(727)], 1))
    fetch(client)
    request = route.calls.last.request
    assert dict(request.url.params) == {
        # 13:00 at +01:00 is 12:00 UTC; dates_are_gmt tells WooCommerce so.
        "modified_after": "2026-11-18T12:00:00",
        "dates_are_gmt": "true",
        "orderby": "id",
        "order": "asc",
        "per_page": "100",
        "page": "1",
    }
    expected = base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
    assert request.headers["authorization"] == f"Basic {expected}"


def test_prices_stay_exact_and_orders_map(api: respx.MockRouter, client: httpx.Client) -> None:
    item = order(727)
    item["line_items"][0]["price"] = 3.3333333333333335
    api.get(ORDERS).mock(page([item], 1))
    (fetched,) = fetch(client)
    assert fetched["line_items"][0]["price"] == Decimal("3.3333333333333335")
    mapped = OrderIn.model_validate(order_outcome(fetched).orders[0])
    assert mapped.lines[0].unit_price == 333


def test_without_paging_headers_a_short_page_is_the_last(
    api: respx.MockRouter, client: httpx.Client
) -> None:
    api.get(ORDERS, params={"page": "1"}).mock(page([order(1), order(2)], None))
    api.get(ORDERS, params={"page": "2"}).mock(page([order(3)], None))
    assert [o["id"] for o in fetch(client, per_page=2)] == [1, 2, 3]


def test_an_empty_page_ends_the_walk(api: respx.MockRouter, client: httpx.Client) -> None:
    route = api.get(ORDERS).mock(page([], 3))
    assert fetch(client) == []
    assert route.call_count == 1


def test_refused_key_is_a_clear_error(api: respx.MockRouter, client: httpx.Client) -> None:
    api.get(ORDERS).mock(
        error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
    )
    with pytest.raises(WooCommerceApiError) as raised:
        fetch(client)
    assert str(raised.value) == (
        "WooCommerce refused the consumer key and secret (401): check both "
        "[woocommerce_rest_cannot_view]"
    )
    assert (raised.value.status, raised.value.retryable) == (401, False)
    assert SECRET not in str(raised.value) and KEY not in str(raised.value)


def test_missing_api_is_a_clear_error(api: respx.MockRouter, client: httpx.Client) -> None:
    api.get(ORDERS).mock(error(404, "rest_no_route", "No route was found."))
    with pytest.raises(WooCommerceApiError, match="no WooCommerce REST API at https://shop") as e:
        fetch(client)
    assert (e.value.status, e.value.retryable) == (404, False)


def test_server_error_can_be_retried(api: respx.MockRouter, client: httpx.Client) -> None:
    api.get(ORDERS).mock(httpx.Response(503, text="<html>Service Unavailable</html>"))
    with pytest.raises(WooCommerceApiError, match="WooCommerce answered 503: try again later") as e:
        fetch(client)
    assert (e.value.status, e.value.retryable) == (503, True)


def test_timeout_can_be_retried(api: respx.MockRouter, client: httpx.Client) -> None:
    api.get(ORDERS).mock(side_effect=httpx.ReadTimeout("timed out"))
    with pytest.raises(WooCommerceApiError) as raised:
        fetch(client)
    assert str(raised.value) == "WooCommerce at shop.example did not answer in time (ReadTimeout)"
    assert (raised.value.status, raised.value.retryable) == (None, True)
    assert isinstance(raised.value.__cause__, httpx.ReadTimeout)


def test_error_on_the_second_page_after_the_first_was_read(
    api: respx.MockRouter, client: httpx.Client
) -> None:
    api.get(ORDERS, params={"page": "1"}).mock(page([order(727)], 2))
    api.get(ORDERS, params={"page": "2"}).mock(side_effect=httpx.ConnectError("refused"))
    walk = fetch_orders_modified_since(SHOP, KEY, SECRET, SINCE, client=client)
    assert next(walk)["id"] == 727
    with pytest.raises(WooCommerceApiError, match="could not be reached"):
        next(walk)


def test_answer_that_is_not_a_list_of_orders(api: respx.MockRouter, client: httpx.Client) -> None:
    api.get(ORDERS).mock(httpx.Response(200, text="<html>Maintenance</html>"))
    with pytest.raises(WooCommerceApiError, match="page 1 of the WooCommerce orders is not a JSON"):
        fetch(client)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"since": datetime(2026, 11, 18, 12, 0)}, "timezone-aware"),  # noqa: DTZ001
        ({"base_url": "http://shop.example"}, "https://"),
        ({"per_page": 101}, "per_page"),
    ],
)
def test_unsafe_or_impossible_calls_are_refused(
    client: httpx.Client, options: dict[str, Any], message: str
) -> None:
    arguments: dict[str, Any] = {"base_url": SHOP, "since": SINCE} | options
    per_page = arguments.pop("per_page", 100)
    with pytest.raises(ValueError, match=message):
        list(
            fetch_orders_modified_since(
                arguments["base_url"],
                KEY,
                SECRET,
                arguments["since"],
                client=client,
                per_page=per_page,
            )
        )


def test_since_in_utc_is_sent_unchanged(api: respx.MockRouter, client: httpx.Client) -> None:
    route = api.get(ORDERS).mock(page([], 1))
    since = datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC)
    list(fetch_orders_modified_since(SHOP, KEY, SECRET, since, client=client))
    assert route.calls.last.request.url.params["modified_after"] == "2026-01-02T03:04:05"
