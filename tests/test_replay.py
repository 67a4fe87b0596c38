"""tools/replay_steady.py: the steady-state rule replayed on stored warm-up series."""

import math
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import replay_steady  # noqa: E402  (tools/replay_steady.py)


def _process(seconds, warmups=30, values=10):
    return [(1.0, seconds)] * warmups, [(1.0, seconds)] * values


def test_long_values_stop_early_and_keep_fewer():
    warm, values = _process(0.3)
    kept, spent = replay_steady.replay_process(warm, values, window=5, tail_seconds=0.5,
                                               values_seconds=0.2)
    assert len(kept) == 3
    assert spent == pytest.approx(0.3 * (6 + 1 + 3))         # 6 to settle, 1 extra (of 0-2), 3 values


def test_without_the_time_limits_the_rule_is_the_old_one():
    warm, values = _process(0.3)
    kept, spent = replay_steady.replay_process(warm, values, window=5, tail_seconds=math.inf,
                                               values_seconds=math.inf)
    assert len(kept) == 10
    assert spent == pytest.approx(0.3 * (15 + 2 + 10))


def test_short_values_are_untouched():
    warm, values = _process(0.01)
    kept, _ = replay_steady.replay_process(warm, values, window=5, tail_seconds=0.5,
                                           values_seconds=0.2)
    assert len(kept) == 10


def test_the_loop_calibration_values_the_worker_never_saw_are_left_out():
    """A value too short for --min-time is stored, its loops doubled and the value taken
    again, in one step of the worker's series: the replay's series skips it too (but
    counts its time)."""
    assert replay_steady._unseen([1, 2, 4, 4, 8, 8, 8]) == {0, 1, 3}
    warm = [(None, 0.001)] * 3 + [(1.0, 0.01)] * 30
    kept, spent = replay_steady.replay_process(warm, [(1.0, 0.01)] * 10, window=5,
                                               tail_seconds=0.5, values_seconds=0.2)
    assert len(kept) == 10 and set(kept) == {1.0}
    assert spent == pytest.approx(3 * 0.001 + 0.01 * (15 + 2 + 10))


def test_an_interpreter_without_a_jit_replays_with_its_own_window():
    runs = [_process(0.01)]
    data = {("t", "v", "cpython"): runs, ("t", "v", "pypy"): runs}
    jits = {"cpython": "none", "pypy": "on"}
    _, spent, _ = replay_steady.replay(data, jits, 3, window=5, tail_seconds=0.5,
                                       values_seconds=0.2)
    # CPython: 9 to settle, 1 extra (of 0-3 at random: 1 on average), 10 values;
    # PyPy: 15, 2, 10
    assert spent["t"] == pytest.approx(0.01 * (9 + 1 + 10) + 0.01 * (15 + 2 + 10))
