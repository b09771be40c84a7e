"""The benchmarks' nearest-rank quantile."""

from parcelcare.bench.figures import quantile


def test_quantile_is_the_nearest_rank_and_zero_for_nothing() -> None:
    values = [float(n) for n in range(100, 0, -1)]  # 100 … 1, unsorted on purpose
    assert quantile(values, 0.5) == 51.0
    assert quantile(values, 0.99) == 100.0
    assert quantile([0.3], 0.99) == 0.3
    assert quantile([], 0.99) == 0.0
