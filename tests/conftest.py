"""Shared fixtures: a shop with its API key, a second shop, an authenticated API client."""

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from parcelcare import clock
from parcelcare.accounts.models import Shop
from parcelcare.accounts.services import create_shop

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
"""A Wednesday, so business-day arithmetic in tests is easy to follow."""

os.environ["PARCELCARE_NOW"] = NOW.isoformat()
"""Processes the tests start (workers, servers, the CLI) run on the same pinned clock."""

if days_ahead := os.environ.get("PARCELCARE_TEST_DAYS_AHEAD", ""):
    # The wall clock of this process moved on (CI runs the suite once more 400 days ahead):
    # whatever reads it instead of the pinned clock shows up as a failing test.
    import time_machine

    time_machine.travel(datetime.now(UTC) + timedelta(days=int(days_ahead)), tick=True).start()


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    """Every test starts at NOW whatever the wall clock says; time then runs at the real pace."""
    clock.pin(NOW)
    yield
    clock.pin(NOW)


@pytest.fixture(autouse=True)
def immediate_tasks() -> None:
    """Background tasks run in the test's own process and memory, never in a queue file."""
    from parcelcare.jobs import huey

    huey.immediate = True


@dataclass
class ApiShop:
    """A shop, its key and a client that sends the key."""

    shop: Shop
    key: str
    client: Client

    def post(self, path: str, body: Any) -> Any:
        """POST JSON to /api/v1/<path>."""
        return self.client.post(
            f"/api/v1/{path}",
            data=json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.key}"},
        )

    def get(self, path: str, **params: Any) -> Any:
        """GET /api/v1/<path>."""
        return self.client.get(
            f"/api/v1/{path}", params, headers={"Authorization": f"Bearer {self.key}"}
        )


@pytest.fixture
def api_shop(db: None) -> ApiShop:
    """The shop under test."""
    shop, key = create_shop(
        name="Test Shop", timezone="Europe/Amsterdam", country="NL", language="nl"
    )
    return ApiShop(shop, key, Client())


@pytest.fixture
def other_shop(db: None) -> ApiShop:
    """A second tenant that must never see the first one's data."""
    shop, key = create_shop(
        name="Other Shop", timezone="Europe/Berlin", country="DE", language="de"
    )
    return ApiShop(shop, key, Client())


def order_payload(
    number: str = "1001",
    tracking: str = "3SABCD1234567",
    carrier: str = "postnl",
    promised: str = "2026-11-16",
    **extra: Any,
) -> dict[str, Any]:
    """A complete, valid order body."""
    body = {
        "order_number": number,
        "placed_at": "2026-11-12T10:00:00+01:00",
        "currency": "EUR",
        "customer": {
            "email": f"c{number}@example.com",
            "name": "Sanne de Vries",
            "phone": "+31612345678",
            "language": "nl",
        },
        "shipping_address": {
            "name": "Sanne de Vries",
            "line1": "Lindenlaan 12",
            "postcode": "3511 AB",
            "city": "Utrecht",
            "country": "NL",
        },
        "lines": [
            {
                "sku": "POT-30",
                "name": "Terracotta pot 30 cm",
                "quantity": 2,
                "unit_price": 1495,
                "currency": "EUR",
            }
        ],
        "shipments": [
            {
                "carrier": carrier,
                "tracking_number": tracking,
                "shipped_at": "2026-11-12T16:00:00+01:00",
                "promised_delivery_date": promised,
            }
        ],
    }
    body.update(extra)
    return body


def event(
    tracking: str = "3SABCD1234567",
    at: str = "2026-11-13T08:00:00+01:00",
    code: str = "X1",
    status: str | None = "in_transit",
    carrier: str = "postnl",
    **extra: Any,
) -> dict[str, Any]:
    """One valid event item."""
    item = {
        "carrier": carrier,
        "tracking_number": tracking,
        "occurred_at": at,
        "code": code,
        "description": "Zending is onderweg",
        "location": "Utrecht",
    }
    if status:
        item["status"] = status
    item.update(extra)
    return item
