"""Quantiles read from bucket counts, as Prometheus's histogram_quantile reads them."""

from __future__ import annotations

import pytest

from proxy.histogram import Buckets, Histogram, merged

TENTHS = Buckets((0.1, 0.2, 0.3, 0.4))


def filled(*seconds: float) -> Histogram:
    histogram = Histogram(TENTHS)
    for value in seconds:
        histogram.observe(value)
    return histogram


def test_an_empty_histogram_has_no_quantile() -> None:
    assert Histogram(TENTHS).quantile(0.5) is None


def test_quantiles_interpolate_inside_the_bucket() -> None:
    histogram = filled(*[0.05] * 50, *[0.15] * 50)  # half in (0, 0.1], half in (0.1, 0.2]
    assert histogram.quantile(0.5) == pytest.approx(0.1)
    assert histogram.quantile(0.25) == pytest.approx(0.05)
    assert histogram.quantile(0.99) == pytest.approx(0.198)


def test_past_the_last_bound_reads_as_that_bound() -> None:
    assert filled(0.05, 9.0, 9.0, 9.0).quantile(0.99) == 0.4


def test_merged_adds_counts_and_sums() -> None:
    both = merged([filled(0.05), filled(0.35, 0.35)], TENTHS)
    assert both.counts == [1, 0, 0, 2, 0]
    assert both.total == pytest.approx(0.75)
    assert both.quantile(0.5) == pytest.approx(0.325)
