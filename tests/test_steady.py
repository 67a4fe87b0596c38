"""The adaptive warm-up: when a worker process's timings have settled."""

import json
import random
import subprocess

import pytest

from conftest import DATA, ROOT, VENV_PYPY, available_interpreters
from jitgap._steady import is_steady, next_loops, settings, shortest_tail, value_count


def _first_steady(series, **kw):
    return next((n for n in range(1, len(series) + 1) if is_steady(series[:n], **kw)), None)


def test_flat_series_is_steady_after_three_windows():
    assert _first_steady([1.0] * 30) == 15
    assert not is_steady([1.0] * 14)


def test_a_first_slow_value_then_flat():
    """A slow first value (a compile) leaves the tail: steady one value later."""
    assert _first_steady([5.0] + [1.0] * 30) == 16
    assert 15 <= _first_steady([5.0] * 3 + [1.0] * 30) <= 18


def test_a_noisy_program_settles_and_a_noisy_descent_does_not():
    rng = random.Random(4)
    flat = [rng.uniform(0.8, 1.2) for _ in range(200)]
    assert _first_steady(flat) is not None
    descent = [(1.0 + 3.0 / (1 + k / 10.0)) * rng.uniform(0.8, 1.2) for k in range(300)]
    n = _first_steady(descent)
    assert n is None or n > 100, n


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


def test_a_step_up_is_steady_once_it_has_lasted():
    """A slowdown that stays is what the program runs at (Barrett et al.)."""
    series = [1.0] * 20 + [1.5] * 40
    assert not is_steady(series[:30])
    assert _first_steady(series[20:]) is not None and is_steady(series)


def test_settings_from_the_environment_text():
    assert settings("") == settings("5,0.05,0.5,300,60")
    assert settings("8,0.1") [:2] == (8, 0.1)


def test_an_interpreter_without_a_jit_settles_in_a_shorter_window():
    """CPython's window is 3 (its shortest tail 9 values); a JIT's, or PyPy's with its JIT
    off, is the mode's."""
    from jitgap._pyperf import STEADY, steady_settings
    for mode in STEADY:
        assert settings(steady_settings(mode, {"jit": "none"}))[0] == 3
        assert steady_settings(mode, {"jit": "on"}) == STEADY[mode]
        assert steady_settings(mode, {"jit": "off"})[:len(STEADY[mode])] == STEADY[mode]


def test_only_an_interpreter_without_a_jit_calibrates_its_loops_in_one_step():
    """A JIT compiles after so many iterations: its loop count doubles, as in pyperf."""
    from jitgap._pyperf import STEADY, steady_settings
    assert settings(STEADY["quick"])[5] == 0
    for jit, one_step in (("on", 0), ("off", 1), ("none", 1)):
        assert settings(steady_settings("quick", {"jit": jit}))[5] == one_step


@pytest.mark.slow
@pytest.mark.pypy
@pytest.mark.parametrize("interp", available_interpreters(), ids=lambda i: i.name)
def test_quick_mode_warms_each_process_until_steady(interp, tmp_path, monkeypatch):
    """A quick run records its warm-up per process; values follow a settled warm-up.
    Each process's warm-up capped at 2 s (quick mode's 20 s made this test take a minute
    on a noisy machine, PyPy's JIT off): what is checked is what is recorded."""
    import jitgap
    from jitgap import _pyperf
    window, tolerance, fraction = _pyperf.STEADY["quick"].split(",")[:3]
    monkeypatch.setitem(_pyperf.STEADY, "quick", ",".join([window, tolerance, fraction,
                                                           "200", "2"]))
    jitgap.run(str(DATA / "demo.py"), interpreters=[interp], mode="quick",
               directory=tmp_path, quiet=True)
    data = json.loads((tmp_path / "demo" / (interp.name + ".json")).read_text())
    runs = [(dict(data.get("metadata", {}), **b.get("metadata", {})), r)
            for b in data["benchmarks"] for r in b["runs"] if r.get("values")]
    assert runs
    for common, run in runs:       # pyperf keeps what every run shares at a higher level
        md = dict(common, **run.get("metadata", {}))
        assert md["jitgap_warmups"] >= 1 and md["jitgap_steady"] in (0, 1)
        assert len(run["warmups"]) >= md["jitgap_warmups"]
        assert 0 <= md["jitgap_noise"] < 10        # the machine's noise, probed before
        # PyPy's nursery is filled before the warm-up (its first pass costs page faults)
        assert ("jitgap_nursery_fill_s" in md) == (interp.info().get("implementation")
                                                   == "PyPy")


@pytest.mark.pypy
def test_the_nursery_is_filled_until_a_minor_collection_on_pypy_only():
    """fill_nursery allocates until PyPy's GC collects its nursery (with the JIT on or
    off), and does nothing under CPython."""
    import sys

    from jitgap import _steady
    from jitgap._interpreters import select_interpreters
    assert _steady.fill_nursery() is None or sys.implementation.name == "pypy"
    # a cap of two minutes: a fill that returns before it was ended by a collection
    script = ("import gc, sys; sys.path.insert(0, %r); from jitgap import _steady\n"
              "hook = lambda stats: None; gc.hooks.on_gc_minor = hook\n"
              "spent = _steady.fill_nursery(most=120.0)\n"
              "print(spent is not None and spent < 120.0, gc.hooks.on_gc_minor is hook)"
              % str(ROOT / "src"))
    pypys = [i for i in select_interpreters() if i.info().get("implementation") == "PyPy"
             and not i.missing]
    assert pypys
    for interp in pypys:
        out = subprocess.run(list(interp.argv) + ["-c", script], capture_output=True,
                             text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        # a minor collection ended it, and the hook set before is back
        assert out.stdout.split() == ["True", "True"], (interp.name, out.stdout)


def test_long_values_settle_in_a_shorter_tail():
    """A value that takes 0.3 s averages over much work: 6 values of tail, not 15."""
    assert shortest_tail(5, 0.01) == 15 and shortest_tail(5, 0.03) == 15
    assert shortest_tail(5, 0.3) == 6 and shortest_tail(5, 2.0) == 6
    assert _first_steady([1.0] * 30, shortest=shortest_tail(5, 0.3)) == 6
    # the tail still grows with the series: a long warm-up needs as long a calm
    descent = [1.0 + 4.0 * 0.8 ** k for k in range(20)]
    assert _first_steady(descent + [1.0] * 30, shortest=6) >= 30


def test_long_values_are_fewer():
    assert value_count(10, 0.01) == 10 and value_count(10, 0.03) == 7
    assert value_count(10, 0.25) == 3 and value_count(5, 0.05) == 4
    assert value_count(5, 0.0) == 5


def test_the_loop_count_aims_a_little_above_the_minimum_time():
    """Not pyperf's doubling (values of up to twice --min-time): one step to 1.2 times
    it, at least one loop more, none once a value is long enough."""
    assert next_loops(8, 0.012, 0.01) == 8
    assert next_loops(8, 0.005, 0.01) == 20            # 8 x 1.2 x 0.01 / 0.005 = 19.2
    assert next_loops(1, 1e-6, 0.01) == 12000
    assert next_loops(100, 0.0099, 0.01) == 122
    assert next_loops(5, 0.0, 0.01) == 10               # a timer too coarse: doubled
    assert next_loops(2 ** 32, 1e-9, 0.01) == 2 ** 32   # pyperf's limit
