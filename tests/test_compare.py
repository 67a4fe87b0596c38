import math

import pytest

import jitgap
from jitgap import format_factor, format_seconds, ratio


class M:
    def __init__(self, mean, stdev):
        self.mean, self.stdev = mean, stdev


def test_ratio_value_and_propagated_error():
    r = ratio(M(10.0, 1.0), M(2.0, 0.1))
    assert r.value == pytest.approx(5.0)
    assert r.error == pytest.approx(5.0 * math.hypot(0.1, 0.05))
    assert r.low == pytest.approx(r.value - r.error)
    assert r.high == pytest.approx(r.value + r.error)


def test_ratio_refuses_non_positive_means():
    with pytest.raises(ValueError):
        ratio(M(0.0, 0.0), M(1.0, 0.1))


@pytest.mark.parametrize("value, error, text", [
    (51.3, 4.2, "51 ± 4x"),
    (1.112, 0.079, "1.11 ± 0.08x"),
    (3.75, 0.24, "3.75 ± 0.24x"),
    (234.0, 17.0, "234 ± 17x"),
    (2.09, 0.0, "2.09 ± 0.00x"),
])
def test_format_factor_rounds_to_the_error(value, error, text):
    assert format_factor(value, error) == text


def test_describe_names_subject_reference_and_direction():
    assert jitgap.Ratio(52.0, 4.0).describe("PyPy", "CPython") == "PyPy 52 ± 4x faster than CPython"
    slower = jitgap.Ratio(0.5, 0.05).describe("PyPy", "CPython")
    assert slower == "PyPy 2.00 ± 0.20x slower than CPython"


@pytest.mark.parametrize("seconds, text", [
    (1.5, "1.5 s"), (0.0123, "12.3 ms"), (4.5e-6, "4.5 µs"), (7e-10, "0.7 ns"),
])
def test_format_seconds_picks_a_unit(seconds, text):
    assert format_seconds(seconds) == text


def test_format_seconds_with_spread():
    assert format_seconds(2e-3, 1e-4) == "2 ms ± 0.1 ms"


@pytest.mark.parametrize("seconds, stdev, text", [
    (787e-6, 166e-6, "787 µs ± 166 µs"),        # pyperf: 787 us +- 166 us, not 1.7e+02
    (3.2e-6, 1.04e-7, "3.2 µs ± 0.1 µs"),
    (12.3e-3, 25.4e-3, "12.3 ms ± 25 ms"),
    (5e-9, 1234e-9, "5 ns ± 1234 ns"),
    (0.9997, 0.0, "1000 ms ± 0 ms"),
    (4321.0, 150.0, "4321 s ± 150 s"),
])
def test_format_seconds_never_writes_scientific_notation(seconds, stdev, text):
    assert format_seconds(seconds, stdev) == text
    assert "e+" not in text and "e-" not in text


def test_interval_of_a_ratio_below_one_is_the_displayed_one():
    """'1.22 ± 0.26x slower' covers 1x, so the speed-up interval must cover 1 too."""
    r = jitgap.Ratio(1 / 1.22, 0.26 / 1.22 ** 2)
    assert r.describe("A", "B") == "A 1.22 ± 0.26x slower than B"
    assert r.low == pytest.approx(1 / 1.48) and r.high == pytest.approx(1 / 0.96)
    assert r.low < 1 < r.high


def test_inconclusive_when_the_displayed_slowdown_covers_one(demo_topic, tmp_path):
    from conftest import write_results
    write_results(tmp_path, "demo", "cpython", {"fast": [1.0, 1.2, 0.8], "slow": [1.2, 1.0, 1.4]})
    results = jitgap.load_results(demo_topic, tmp_path)
    v = jitgap.parse_claim("demo", "c", "slow on cpython is faster than fast on cpython")
    verdict = v.evaluate(results)
    assert "slower" in verdict.measured and verdict.verdict == "inconclusive"
