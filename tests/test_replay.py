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
