"""`bench parse` runs every parser on its recorded answers and reports rates and baselines."""

import importlib.util
import json

from parcelcare.bench import parse as bench


def test_bench_reports_every_parser_with_its_baseline() -> None:
    result = bench.run(repeat=5)
    json.dumps(result)
    assert set(result["parsers"]) == set(bench.SAMPLES)
    for name, entry in result["parsers"].items():
        assert entry["events_per_round"] > 0, name
        assert entry["events_per_second"] > 0 and entry["baseline_events_per_second"] > 0
        assert entry["ratio_to_baseline"] > 0
        assert ("long_history" in entry) == (entry["format"] == "json")
    long = result["parsers"]["gls"]["long_history"]
    assert long["events_per_round"] % bench.BULK_EVENTS == 0


def test_karrio_is_reported_not_installed_when_absent() -> None:
    if importlib.util.find_spec("karrio") is None:
        assert bench.run(repeat=1)["karrio"] == "not installed"
