"""Warm-up curves: per-call times of the first calls, one fresh process per interpreter."""

import json

import matplotlib

import jitgap
from conftest import DATA, have_pypy, run_cli


def test_cli_json_lists_per_call_seconds_per_interpreter(tmp_path):
    only = "cpython,pypy" if have_pypy() else "cpython"
    out = run_cli("warmup", DATA / "demo.py", "fast", "--calls", "7", "--only", only,
                  "--json", "-o", tmp_path / "curves.png")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert set(report["interpreters"]) == set(only.split(","))
    for curve in report["interpreters"].values():
        assert len(curve["seconds"]) == 7 and all(s > 0 for s in curve["seconds"])
        assert 1 <= curve["steady_after"] <= 7
    assert (tmp_path / "curves.png").read_bytes()[:4] == b"\x89PNG"


def test_unknown_variant_and_failing_interpreter():
    out = run_cli("warmup", DATA / "demo.py", "nope")
    assert out.returncode == 2 and "has no variant 'nope'" in out.stderr
    out = run_cli("warmup", DATA / "demo.py", "fast", "--calls", "3", "--only", "fake",
                  "--python", "fake=/bin/false")
    assert out.returncode == 1 and "fake: NOT MEASURED" in out.stderr


def synthetic():
    report = jitgap.WarmupReport(jitgap.get_topic(str(DATA / "demo.py")), "fast", 6)
    report.curves = {"cpython": [2.0, 1.0, 1.0, 1.0, 1.0, 1.0],
                     "pypy": [9.0, 8.0, 5.0, 0.1, 0.1, 0.1]}
    report.labels = {"cpython": "CPython 3.11.7", "pypy": "PyPy 7.3.11 (Python 3.9.16)"}
    return report


def test_steady_after():
    report = synthetic()
    assert report.steady_after("cpython") == 2
    assert report.steady_after("pypy") == 4


def test_warmup_figure_is_pure_and_labelled():
    before = dict(matplotlib.rcParams)
    fig = jitgap.warmup_figure(synthetic())
    assert dict(matplotlib.rcParams) == before
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and len(ax.lines) == 2
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[1] == "PyPy 7.3.11 (Python 3.9.16) (steady after ~4 calls)"
    assert "demo.py" in fig._supxlabel.get_text()
