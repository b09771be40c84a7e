"""The case desk benchmark runs end to end on a small size, reports consistent counts (not
timings) and cleans up after itself."""

from parcelcare.bench import cases
from parcelcare.cases.models import Case
from parcelcare.ledger.models import RemedyEntry
from parcelcare.tracking.models import Order


def test_cases_bench_opens_advances_and_builds_dossiers(db: None) -> None:
    result = cases.run(orders=12, dossiers=2)
    assert result["cases_opened"] == 12 and result["cases_opened_per_second"] > 0
    assert result["acknowledgements"] == {"sent": 12}
    assert 0 < result["ack_committed_p50_seconds"] <= result["ack_committed_p99_seconds"]
    assert result["ack_committed_p99_seconds"] <= result["ack_sent_p99_seconds"]
    assert result["cases_advanced_per_second"] > 0
    assert result["dossiers"] == 2 and result["dossier_pdf_p50_seconds"] > 0
    assert result["baseline_insert_cases_per_second"] > 0 and result["ratio_to_baseline"] > 0
    assert Case.objects.count() == 0 and Order.objects.count() == 0
    assert RemedyEntry.objects.count() == 0
