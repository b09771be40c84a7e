"""The demo shop: seeded through the real services, every finding kind present."""

from parcelcare import clock
from parcelcare.demo.seed import seed_demo
from parcelcare.domain.vocabulary import FindingKind
from parcelcare.tracking.models import Finding, Shipment, TrackingEvent


def test_demo_shop_has_every_kind_of_problem(db: None) -> None:
    summary = seed_demo(orders=600, seed=3, now=clock.now())
    assert summary["orders"] == 600
    assert summary["api_key"].startswith("pck_")
    kinds = set(Finding.objects.filter(closed_at=None).values_list("kind", flat=True))
    assert kinds == {k.value for k in FindingKind}
    levels = set(
        Finding.objects.filter(kind="delayed", closed_at=None).values_list("level", flat=True)
    )
    assert levels == {1, 2, 3}
    # Unknown raw codes are kept and counted, never dropped.
    assert TrackingEvent.objects.filter(status__isnull=True).exists()
    assert Shipment.objects.filter(unknown_codes__gt=0).exists()
    assert TrackingEvent.objects.filter(shipment__isnull=True).count() == 0
    # Some parcels at a PostNL pickup point have the point PostNL named; others have none.
    waiting = Shipment.objects.filter(carrier="postnl", status="available_for_pickup")
    named = [s for s in waiting if s.pickup_point.get("name")]
    assert named and len(named) < waiting.count()
