"""Warm-up curves: per-call times of the first calls, one fresh process per interpreter."""

import json

import matplotlib

import jitgap
import pytest
from conftest import DATA, have_pypy, run_cli


@pytest.mark.slow
@pytest.mark.pypy
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


@pytest.mark.slow
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


def test_steady_text():
    report = synthetic()
    report.curves["flat"] = [1.0] * 6
    assert report.steady_text("flat") == "steady from the first call"
    assert report.steady_text("pypy") == "steady after ~4 calls"
    assert report.steady_seconds("pypy") == 0.1


def test_save_then_load_gives_the_same_curves(tmp_path):
    from jitgap._warmup import load_warmup, save_warmup
    report = synthetic()
    path = save_warmup(report, tmp_path)
    assert path == tmp_path / "demo" / "warmup" / "fast.json"
    back = load_warmup(report.topic, "fast", tmp_path)
    assert back.curves == report.curves and back.labels == report.labels
    assert back.stored.startswith("fast.json, ")
    assert "stored in results/demo/warmup/fast.json" in \
        jitgap.warmup_figure(back)._supxlabel.get_text()


def test_missing_broken_or_stale_stored_curves_name_the_file_and_the_fix(tmp_path):
    import pytest
    from jitgap._warmup import load_warmup, save_warmup
    topic = synthetic().topic
    with pytest.raises(jitgap.JitgapError, match=r"no stored warm-up curve.*--save"):
        load_warmup(topic, "fast", tmp_path)
    path = save_warmup(synthetic(), tmp_path)
    data = json.loads(path.read_text())
    path.write_text(json.dumps(dict(data, digest="0" * 16)))
    with pytest.raises(jitgap.JitgapError, match=r"fast\.json was measured from an older"):
        load_warmup(topic, "fast", tmp_path)
    path.write_text("{ broken")
    with pytest.raises(jitgap.JitgapError, match=r"fast\.json is not valid JSON"):
        load_warmup(topic, "fast", tmp_path)


@pytest.mark.slow
def test_cli_all_save_stores_every_declared_curve(tmp_path):
    out = run_cli("warmup", "--all", "--save", "--calls", "3", "--only", "cpython",
                  env={"JITGAP_RESULTS": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    declared = [(t.name, v) for t in jitgap.list_topics() for v in t.warmups]
    assert declared
    for name, variant in declared:
        assert (tmp_path / name / "warmup" / (variant + ".json")).exists()


def test_declared_warmups_are_stored_and_current():
    from jitgap._warmup import load_warmup
    for topic in jitgap.list_topics():
        for variant in topic.warmups:
            report = load_warmup(topic, variant)         # raises if missing or stale
            assert {"cpython", "pypy", "pypy-nojit"} <= set(report.curves)
            assert all(len(c) == report.calls for c in report.curves.values())
