"""The shared leased claim: due rows only, in order, up to the limit, taken over after the lease."""

from datetime import timedelta

import pytest
from django.db import connection

from conftest import ApiShop
from parcelcare import clock, leases
from parcelcare.tracking.models import InboxItem
from parcelcare.tracking.sql import to_db

LEASE = timedelta(minutes=2)
DUE = "status = 'pending' OR (status = 'processing' AND lease_until < %s)"


def _claim(limit: int = 10) -> list[int]:
    now = clock.now()
    return leases.claim(
        InboxItem,
        due=DUE,
        params=[to_db(now)],
        order_by="id",
        limit=limit,
        now=now,
        lease=LEASE,
        status="processing",
    )


@pytest.mark.django_db(transaction=True)
def test_claim_takes_due_rows_once_until_the_lease_runs_out(api_shop: ApiShop) -> None:
    now = clock.now()
    ids = [
        InboxItem.objects.create(
            shop=api_shop.shop, source="s", event_id=str(n), body=b"", received_at=now
        ).pk
        for n in range(3)
    ]
    InboxItem.objects.filter(pk=ids[2]).update(status="done")

    assert _claim(limit=1) == [ids[0]]
    assert _claim() == [ids[1]]
    assert _claim() == []
    rows = InboxItem.objects.filter(pk__in=ids[:2])
    assert [row.status for row in rows] == ["processing", "processing"]
    assert all(row.lease_until and row.lease_until >= now + LEASE for row in rows)

    clock.pin(now + LEASE + timedelta(seconds=1))
    assert _claim() == ids[:2]


def test_skip_locked_only_on_postgresql(db: None) -> None:
    expected = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    assert leases.skip_locked() == expected
