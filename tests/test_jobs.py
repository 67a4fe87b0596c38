"""Runs at once (jitgap run --jobs): two interpreters measured side by side in quick mode
(Ctrl-C with two at once: test_cli)."""

import json
import sys

import pytest

from conftest import DATA, run_cli
from jitgap import _runner
from jitgap._runner import _Prefixed, default_jobs


def test_quick_mode_runs_two_at_once_where_there_are_two_cpus(monkeypatch):
    monkeypatch.setattr(_runner.os, "cpu_count", lambda: 8)
    assert default_jobs("quick") == 2                   # what was measured, not 8
    for mode in ("smoke", "default", "rigorous", "adaptive"):
        assert default_jobs(mode) == 1                  # the reference: one at a time
    monkeypatch.setattr(_runner.os, "cpu_count", lambda: 1)
    assert default_jobs("quick") == 1
    monkeypatch.setattr(_runner.os, "cpu_count", lambda: None)
    assert default_jobs("quick") == 1


def test_progress_of_runs_at_once_comes_in_whole_prefixed_lines():
    shown = []
    echo = _Prefixed(shown.append, _runner.threading.Lock(), "demo/pypy")
    echo("round 1/3\n.")
    echo("..")
    assert shown == ["[demo/pypy] round 1/3\n"]           # the dots wait for their line
    echo(".\nfast: Mean +- std dev: 1 us\nslow")
    assert shown[1] == "[demo/pypy] ....\n[demo/pypy] fast: Mean +- std dev: 1 us\n"
    echo.flush()
    assert shown[2] == "[demo/pypy] slow\n"
    echo.flush()
    assert len(shown) == 3


def test_no_jobs_is_an_error(demo_topic):
    with pytest.raises(_runner.JitgapError, match="at least 1"):
        _runner.run_topics([demo_topic], [], mode="smoke", jobs=0, native=False)


def test_the_adaptive_mode_measures_one_run_at_a_time(capsys):
    from jitgap.__main__ import main
    assert main(["run", str(DATA / "demo.py"), "--mode", "adaptive", "--jobs", "2"]) == 2
    assert "one run at a time" in capsys.readouterr().err


@pytest.mark.slow
def test_two_interpreters_at_once_write_both_and_report_in_order(tmp_path):
    twin = "twin=%s" % sys.executable
    out = run_cli("run", DATA / "demo.py", "--mode", "smoke", "--jobs", "2", "--python", twin,
                  "--only", "cpython,twin", "-o", tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["demo: %s -> %s" % (name, tmp_path / "demo" /
                                                            (name + ".json"))
                                       for name in ("cpython", "twin")]
    for name in ("cpython", "twin"):
        assert "[demo/%s] " % name in out.stderr
        data = json.loads((tmp_path / "demo" / (name + ".json")).read_text())
        assert [b["metadata"]["name"] for b in data["benchmarks"]] == ["fast", "slow"]


def _probe(monkeypatch, found):
    """Make the side-by-side probe return ``found``; the list of its calls."""
    calls = []
    monkeypatch.setattr(_runner, "_SIDE_BY_SIDE", [])
    monkeypatch.setattr(_runner.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(_runner, "side_by_side", lambda: calls.append(1) or found)
    return calls


def test_two_at_once_only_where_they_do_not_slow_each_other(monkeypatch):
    from jitgap._noise import SideBySide
    calls = _probe(monkeypatch, SideBySide([(1.0, 1.02), (1.0, 0.99), (1.0, 1.5)]))
    assert _runner.choose_jobs("quick") == (2, "")          # median 2 %: independent
    assert _runner.choose_jobs("quick") == (2, "") and calls == [1]   # probed once
    calls = _probe(monkeypatch, SideBySide([(1.0, 1.6), (1.0, 1.7), (1.0, 1.02)]))
    jobs, note = _runner.choose_jobs("quick")
    assert jobs == 1 and "slowed this one by 60 %" in note and "--jobs 2" in note
    assert _runner.choose_jobs("quick", jobs=2) == (2, "")   # asked for: kept
    calls = _probe(monkeypatch, None)
    jobs, note = _runner.choose_jobs("quick")
    assert jobs == 1 and "could not time" in note


def test_no_probe_where_one_run_at_a_time_is_the_rule(monkeypatch):
    calls = _probe(monkeypatch, None)
    assert _runner.choose_jobs("adaptive") == (1, "")
    assert _runner.choose_jobs("quick", runs=1) == (2, "")  # a single run: nothing to share
    assert _runner.choose_jobs("quick", jobs=3) == (3, "")
    assert calls == []


def test_a_run_says_why_it_measures_one_at_a_time(monkeypatch, demo_topic):
    from jitgap._noise import SideBySide
    _probe(monkeypatch, SideBySide([(1.0, 1.8)]))
    measured = []
    monkeypatch.setattr(_runner._Plan, "measure", lambda self, k, *a: measured.append(k))
    monkeypatch.setattr(_runner, "probe_noise", lambda echo, report: {})
    shown = []
    _runner.run_topics([demo_topic], [], mode="quick", native=False, echo=shown.append)
    assert shown == []                          # no interpreter: no runs to share a core
    twins = [_runner.select_interpreters()[0]] * 2
    _runner.run_topics([demo_topic], twins, mode="quick", native=False, echo=shown.append)
    assert len(shown) == 1 and shown[0].startswith("one run at a time: a busy loop")
    assert measured == [0, 1]
    reports = _runner.run_topics([demo_topic], twins, mode="quick", native=False)
    assert reports[0].notes[0].startswith("one run at a time")
