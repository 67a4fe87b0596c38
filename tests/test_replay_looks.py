"""tools/replay_looks.py: the adaptive mode's looks replayed on stored results."""

import sys

import pytest

from conftest import ROOT, write_results

sys.path.insert(0, str(ROOT / "tools"))
import replay_looks  # noqa: E402  (tools/replay_looks.py)

PYPY = dict(implementation="PyPy", version="7.3.11", jit="on", python_version="3.9.16")
NOJIT = dict(PYPY, jit="off")


def _stored(folder, pypy_fast):
    """Six processes of every measurement of the demo topic (PyPy's fast: ``pypy_fast``),
    one second each."""
    extra = {"duration": 1.0}
    write_results(folder, "demo", "cpython", {"fast": [1.0] * 6, "slow": [3.0] * 6},
                  extra=extra)
    write_results(folder, "demo", "pypy", {"fast": pypy_fast, "slow": [0.3] * 6},
                  extra=extra, **PYPY)
    write_results(folder, "demo", "pypy-nojit", {"fast": [1.5] * 6, "slow": [0.3] * 6},
                  extra=extra, **NOJIT)
    return folder / "demo"


def test_claims_decided_by_the_first_look_replay_in_one(tmp_path, demo_topic):
    folder = _stored(tmp_path / "r", [0.1] * 6)
    stored, verdicts, looks = replay_looks.replay_topic(folder, 240, tmp_path / "s", demo_topic)
    assert looks == 1 and stored.missing == 0
    assert sum(stored.seconds().values()) == pytest.approx(
        sum(stored.seconds(all_stored=True).values()) / 2)       # 3 of the 6 processes
    assert all(before == after for before, after in verdicts.values())


def test_an_undecided_claim_takes_the_next_stored_processes(tmp_path, demo_topic):
    """pypy-wins (at least 2x) is undecided on the first processes of PyPy's fast; the
    next looks take the next stored ones, which decide it as the stored ten did (its
    interval still wide, the last look asks for processes never measured: counted)."""
    folder = _stored(tmp_path / "r", [0.2, 0.6, 0.35] + [0.35] * 7)
    stored, verdicts, looks = replay_looks.replay_topic(folder, 240, tmp_path / "s", demo_topic)
    assert looks >= 3 and stored.missing > 0
    assert stored.taken[("pypy", "fast")] == 10 and stored.taken[("pypy", "slow")] == 3
    assert verdicts["demo/pypy-wins"] == ("holds", "holds")
    # with no budget for a second look the claim stays undecided
    stored, verdicts, looks = replay_looks.replay_topic(folder, 0, tmp_path / "t", demo_topic)
    assert looks == 1 and verdicts["demo/pypy-wins"] == ("holds", "inconclusive")
