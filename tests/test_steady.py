"""The adaptive warm-up: when a worker process's timings have settled."""

import json
import random
import subprocess

import pytest

from conftest import DATA, VENV_PYPY, available_interpreters
from jitgap._steady import is_steady, levels, plateau, settings


def _first_steady(series, **kw):
    return next((n for n in range(1, len(series) + 1) if is_steady(series[:n], **kw)), None)


def test_flat_series_is_steady_after_two_windows():
    assert _first_steady([1.0] * 30) == 10
    assert not is_steady([1.0] * 9)


def test_a_first_slow_value_then_flat():
    """A window's level is its median: one slow first value (a compile) does not count."""
    assert _first_steady([5.0] + [1.0] * 30) == 10
    assert 10 <= _first_steady([5.0] * 3 + [1.0] * 30) <= 13


def test_noise_within_the_tolerance_is_steady():
    rng = random.Random(1)
    series = [1.0 + rng.uniform(-0.03, 0.03) for _ in range(60)]
    assert _first_steady(series) is not None


def test_a_jit_compiling_in_steps_is_not_steady_until_the_last_step():
    """Long noisy descent, then a cliff (longtraces.body_2000 on PyPy): a plateau must be
    at least half the series, and no window may set a new minimum."""
    rng = random.Random(2)
    descent = [40.0 * (0.97 ** k) * rng.uniform(0.8, 1.25) for k in range(100)]
    series = descent + [0.4 * rng.uniform(0.99, 1.01) for _ in range(200)]
    n = _first_steady(series)
    assert n is not None and n > 150, n


def test_a_regression_is_not_steady():
    series = [1.0] * 20 + [1.5] * 10
    assert not is_steady(series)


def test_levels_and_plateau():
    assert levels([9, 1, 1, 1, 2, 2, 2], 3) == [1, 2]
    assert plateau([5.0] * 5 + [1.0] * 10, window=5) == 10


def test_settings_from_the_environment_text():
    assert settings("") == settings("5,0.05,0.5,300,60")
    assert settings("8,0.1") [:2] == (8, 0.1)


@pytest.mark.parametrize("interp", available_interpreters(), ids=lambda i: i.name)
def test_quick_mode_warms_each_process_until_steady(interp, tmp_path):
    """A quick run records its warm-up per process; values follow a settled warm-up."""
    import jitgap
    jitgap.run(str(DATA / "demo.py"), interpreters=[interp], mode="quick",
               directory=tmp_path, quiet=True)
    data = json.loads((tmp_path / "demo" / (interp.name + ".json")).read_text())
    runs = [r for b in data["benchmarks"] for r in b["runs"] if r.get("values")]
    assert runs
    for run in runs:
        md = run["metadata"]
        assert md["jitgap_warmups"] >= 1 and md["jitgap_steady"] in (0, 1)
        assert len(run["warmups"]) >= md["jitgap_warmups"]
