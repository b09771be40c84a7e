"""Percentiles for benchmark reports."""


def quantile(values: list[float], share: float) -> float:
    """The nearest-rank quantile of `values` (share 0.99 is the p99); 0.0 when there are none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0
