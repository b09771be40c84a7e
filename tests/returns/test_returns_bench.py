"""`parcelcare bench returns` runs end to end on a small size: every submission and refund
counted, everything it wrote removed again (counts, not timings)."""

import json
import os
import subprocess
import sys

from parcelcare.bench import returns
from parcelcare.ledger.models import Payout, RemedyEntry
from parcelcare.returns.models import ReturnRequest
from parcelcare.tracking.models import Order


def test_bench_counts_every_submission_and_refund_and_cleans_up(db: None) -> None:
    result = returns.run(orders=12)
    assert result["portal_submissions"] == 12 and result["refunds_paid"] == 12
    assert result["portal_p99_ms"] >= result["portal_p50_ms"] > 0
    assert result["refunds_per_second"] > 0 and result["refunds_ratio_to_baseline"] > 0
    assert not ReturnRequest.objects.exists() and not RemedyEntry.objects.exists()
    assert not Payout.objects.exists() and not Order.objects.exists()


def test_command_prints_json(tmp_path) -> None:
    env = {
        **os.environ,
        "PARCELCARE_DATABASE_URL": f"sqlite:///{tmp_path}/b.db",
        "PARCELCARE_HUEY_PATH": f"{tmp_path}/t.db",
    }
    done = subprocess.run(
        [sys.executable, "-m", "parcelcare", "bench", "returns", "--orders", "5", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    result = json.loads(done.stdout)
    assert result["benchmark"] == "returns" and result["refunds_paid"] == 5
