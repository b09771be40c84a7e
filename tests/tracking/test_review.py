"""The periodic review: only due shipments, batch after batch, findings history kept."""

from datetime import UTC, datetime, timedelta

from conftest import NOW, ApiShop, event, order_payload
from parcelcare import clock
from parcelcare.accounts.models import AuditEntry
from parcelcare.jobs import review_due_shipments
from parcelcare.tracking.models import Finding, Shipment
from parcelcare.tracking.review import review_batch, review_due


def _seed(api: ApiShop, monkeypatch, count: int) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    for n in range(count):
        api.post(
            "orders", order_payload(number=f"R{n}", tracking=f"3SREVIEW{n}", promised="2026-11-19")
        )
        api.post(
            "tracking-events",
            {"events": [event(tracking=f"3SREVIEW{n}", at="2026-11-18T09:00:00+01:00")]},
        )


def test_only_due_shipments_are_reviewed(api_shop: ApiShop, monkeypatch) -> None:
    _seed(api_shop, monkeypatch, 3)
    assert review_due(NOW).reviewed == 0
    first_due = min(Shipment.objects.values_list("next_review_at", flat=True))
    # Promised Thursday 19th: Friday 20th 00:00 Amsterdam is when it becomes late.
    assert first_due == datetime(2026, 11, 19, 23, 0, tzinfo=UTC)
    report = review_due(first_due)
    assert report.reviewed == 3 and report.opened == 3
    assert Finding.objects.filter(kind="delayed", level=1, closed_at=None).count() == 3


def test_review_works_in_batches_until_nothing_is_due(api_shop: ApiShop, monkeypatch) -> None:
    _seed(api_shop, monkeypatch, 5)
    later = NOW + timedelta(days=10)
    assert review_batch(later, limit=2).reviewed == 2
    assert review_due(later, limit=2).reviewed == 3
    assert review_due(later).reviewed == 0


def test_findings_keep_their_history(api_shop: ApiShop, monkeypatch) -> None:
    _seed(api_shop, monkeypatch, 1)
    review_due(NOW + timedelta(days=2))
    review_due(NOW + timedelta(days=6))
    rows = list(
        Finding.objects.filter(kind="delayed")
        .order_by("opened_at", "level")
        .values_list("level", "closed_at")
    )
    assert [level for level, _ in rows] == [1, 3]
    assert rows[0][1] == NOW + timedelta(days=6) and rows[1][1] is None


def test_issuing_a_key_is_audited(api_shop: ApiShop) -> None:
    entry = AuditEntry.objects.get(shop=api_shop.shop)
    assert entry.action == "api_key_issued" and "prefix" in entry.after


def test_the_scheduled_task_runs_the_review(api_shop: ApiShop, monkeypatch) -> None:
    _seed(api_shop, monkeypatch, 2)
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=2))
    result = review_due_shipments.call_local()
    assert result == {"reviewed": 2, "opened": 2, "closed": 0}
