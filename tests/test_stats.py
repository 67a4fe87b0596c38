"""Intervals of a ratio: a hierarchical bootstrap over worker processes, seeded."""

import pytest

from jitgap._stats import looks_level, projected_interval, ratio_interval, resampled_means


class M:
    def __init__(self, runs, variant="v", interpreter="i"):
        self.runs = runs
        self.topic, self.variant, self.interpreter = "t", variant, interpreter


def test_same_data_same_interval_whatever_the_order():
    a = M([[1.0, 1.1], [0.9, 1.0], [1.05, 0.95]], "a")
    b = M([[0.5, 0.52], [0.48, 0.5], [0.51, 0.49]], "b")
    first = ratio_interval(a, b)
    ratio_interval(b, a)
    assert ratio_interval(a, b) == first
    assert first[0] < 2.0 < first[1]
    assert ratio_interval(a, b, seed=1) != first          # another seed, another draw


def test_the_process_is_the_unit():
    """Two processes far apart: the interval spans both, however many values each has."""
    spread = M([[1.0] * 50, [2.0] * 50], "a")
    tight = M([[1.0] * 50] * 2, "b")
    low, high = ratio_interval(spread, tight)
    assert low <= 1.05 and high >= 1.95


def test_more_processes_narrow_the_interval():
    import random
    rng = random.Random(3)

    def runs(n):
        return [[rng.gauss(1.0, 0.05) for _ in range(5)] for _ in range(n)]

    few = ratio_interval(M(runs(3), "a"), M(runs(3), "b"))
    many = ratio_interval(M(runs(30), "a"), M(runs(30), "b"))
    assert (many[1] - many[0]) < (few[1] - few[0])
    assert many[0] < 1.0 < many[1]


def test_the_projection_errs_on_the_narrow_side():
    """What 16 processes could give: about the same ratio, narrower than now, and
    narrower than the processes so far would give at 16 if they varied as they do (the
    spread taken at the low end of what six processes allow)."""
    import math
    import random
    rng = random.Random(5)

    def runs(n, centre):
        return [[rng.gauss(centre, 0.05 * centre) for _ in range(5)] for _ in range(n)]

    a, b = M(runs(6, 2.0), "a"), M(runs(6, 1.0), "b")
    now = ratio_interval(a, b, 0.99)
    later = projected_interval(a, b, 16, 0.99)
    assert now[0] < later[0] < later[1] < now[1]
    assert math.sqrt(later[0] * later[1]) == pytest.approx(math.sqrt(now[0] * now[1]), rel=0.01)
    same = projected_interval(a, b, 6, 0.99)      # no more processes: only the narrow side
    assert later[0] > same[0] and same[0] > now[0]
    spread = math.log(later[1] / later[0])
    assert spread < math.log(same[1] / same[0]) * math.sqrt(6 / 16.0)


def _resampled_means_by_loop(runs, key, resamples):
    """The two-level bootstrap of uneven processes written as its definition: per
    resample, the drawn processes, each's values drawn with replacement, their mean."""
    import numpy
    from jitgap._stats import SEED, _generator
    rng = _generator(key, SEED)
    arrays = [numpy.asarray(r, dtype=float) for r in runs]
    picks = rng.integers(0, len(runs), size=(resamples, len(runs)))
    return numpy.array([numpy.concatenate(
        [arrays[k][rng.integers(0, len(arrays[k]), size=len(arrays[k]))] for k in row]).mean()
        for row in picks])


def test_uneven_processes_and_bad_input():
    means = resampled_means([[1.0, 2.0], [3.0]], "k", resamples=200)
    assert len(means) == 200 and 1.0 <= means.min() and means.max() <= 3.0
    runs = [[1.0, 2.0, 4.0], [3.0], [5.0, 6.0, 7.0, 8.0, 9.5], [0.5, 0.25]]
    assert resampled_means(runs, "k", resamples=300) == pytest.approx(
        _resampled_means_by_loop(runs, "k", 300), rel=1e-12)
    with pytest.raises(ValueError):
        resampled_means([[]], "k")


def test_each_look_gets_a_share_of_the_error():
    assert looks_level(0.95, 1) == pytest.approx(0.95)
    assert looks_level(0.95, 5) == pytest.approx(0.99)
