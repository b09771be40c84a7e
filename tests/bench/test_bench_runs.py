"""The benchmarks run end to end on small sizes and report consistent counts (not timings)."""

from parcelcare.bench import ingest, review
from parcelcare.tracking.models import Shipment, TrackingEvent


def test_ingest_bench_counts_every_event_and_cleans_up(db: None) -> None:
    result = ingest.run(events=1200)
    assert result["accepted"] == 1200 and result["duplicates"] == 0
    assert result["findings_opened"] > 0
    assert result["events_per_second"] > 0 and result["ratio_to_baseline"] > 0
    assert TrackingEvent.objects.count() == 0 and Shipment.objects.count() == 0


def test_review_bench_reviews_exactly_the_due_share(db: None) -> None:
    result = review.run(shipments=2000, due_fraction=0.05)
    assert result["due"] == 100 and result["reviewed"] == 100
    assert result["findings_opened"] > 0
