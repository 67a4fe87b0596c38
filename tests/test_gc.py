"""PyPy's GC nursery: what size PyPy chose, recorded with each result; a size no typical
machine has is named with its fix; PyPy's GC variables reach pyperf's workers."""

import json

import pytest

import jitgap
from conftest import DATA, available_interpreters, write_results
from jitgap._commands import nursery_warnings
from jitgap._interpreters import (LARGE_NURSERY, Interpreter, _gc_sizes, gc_environment,
                                  gc_settings, megabytes, nursery_warning)
from jitgap._pyperf import gc_tags

MB = 2 ** 20
#: what PyPy 7.3's log prints at start-up with PYPYLOG=gc-set-nursery-size,gc-hardware:-
LOG = """[1426d38e0640] {gc-set-nursery-size
nursery size: 270336
[1426d38fe0c0] gc-set-nursery-size}
[1426d390816c] {gc-hardware
L2cache = 503316480
[1426d394118e] gc-hardware}
[1426d3988084] {gc-set-nursery-size
nursery size: 251658240
[1426d3988999] gc-set-nursery-size}
"""


def test_the_log_gives_the_last_nursery_size_and_the_cache_it_came_from():
    assert _gc_sizes(LOG) == {"gc_nursery": 240 * MB, "gc_cache": 480 * MB}
    assert _gc_sizes("") == {} and _gc_sizes(None) == {}


def test_only_pypys_gc_variables_are_taken_from_the_environment():
    environ = {"PYPY_GC_NURSERY": "4MB", "PYPY_GC_MAX": "2GB", "PYPYLOG": "jit:-",
               "HOME": "/root"}
    assert gc_environment(environ) == {"PYPY_GC_MAX": "2GB", "PYPY_GC_NURSERY": "4MB"}
    assert gc_settings(environ) == "PYPY_GC_MAX=2GB PYPY_GC_NURSERY=4MB"
    assert gc_settings({}) == "" and gc_environment({"PYPY_GC_NURSERY": ""}) == {}


def test_a_nursery_no_typical_machine_has_is_named_with_its_fix():
    assert nursery_warning("pypy", 1 * MB) is None
    assert nursery_warning("pypy", LARGE_NURSERY) is None
    assert nursery_warning("pypy", None) is None
    text = nursery_warning("pypy-nojit", 240 * MB)
    assert text.startswith("pypy-nojit ran with a GC nursery of 240 MB")
    assert "PYPY_GC_NURSERY=4MB" in text
    # chosen on purpose: not a surprise to warn about
    assert nursery_warning("pypy", 240 * MB, "PYPY_GC_NURSERY=240MB") is None
    assert megabytes(240 * MB) == "240 MB" and megabytes(512 * 1024) == "512 KB"


def test_results_record_the_nursery_and_the_settings_of_pypy_only():
    pypy = {"implementation": "PyPy", "gc_nursery": 4 * MB}
    assert gc_tags(pypy, {}) == {"jitgap_gc_nursery": 4 * MB}
    assert gc_tags(pypy, {"PYPY_GC_NURSERY": "4MB"}) == {
        "jitgap_gc_nursery": 4 * MB, "jitgap_gc_env": "PYPY_GC_NURSERY=4MB"}
    assert gc_tags(dict(pypy, gc_cache=480 * MB), {}) == {
        "jitgap_gc_nursery": 4 * MB, "jitgap_gc_cache": 480 * MB}
    assert gc_tags({"implementation": "CPython"}, {"PYPY_GC_NURSERY": "4MB"}) == {}


class _Known(Interpreter):
    def __init__(self, name, info):
        Interpreter.__init__(self, name, ["/nowhere/" + name])
        self._info = info


def test_a_run_warns_once_per_pypy_whose_nursery_is_huge():
    interpreters = [_Known("cpython", {"implementation": "CPython"}),
                    _Known("pypy", {"implementation": "PyPy", "gc_nursery": 240 * MB}),
                    _Known("pypy-small", {"implementation": "PyPy", "gc_nursery": MB}),
                    Interpreter("pypy-gone", missing="not installed")]
    warnings = nursery_warnings(interpreters, {})
    assert len(warnings) == 1 and warnings[0].startswith("pypy ran with a GC nursery")
    assert nursery_warnings(interpreters, {"PYPY_GC_NURSERY": "240MB"}) == []


def test_stored_results_with_a_huge_nursery_warn_in_show_and_check(tmp_path, demo_topic):
    values = {"fast": [1.0, 1.1, 0.9], "slow": [3.0, 3.1, 2.9]}
    write_results(tmp_path, "demo", "cpython", values)
    assert "nursery" not in jitgap.load_results(demo_topic, tmp_path).machine()
    write_results(tmp_path, "demo", "pypy", values, implementation="PyPy", jit="on",
                  extra={"jitgap_gc_nursery": 240 * MB})
    results = jitgap.load_results(demo_topic, tmp_path)
    warned = [w for w in results.warnings() if "nursery" in w]
    assert warned == ["demo: " + nursery_warning("pypy", 240 * MB)]
    # the machine line of show, the captions and the deck says it too
    assert results.machine().endswith(", PyPy's GC nursery 240 MB")
    write_results(tmp_path, "demo", "pypy", values, implementation="PyPy", jit="on",
                  extra={"jitgap_gc_nursery": 240 * MB,
                         "jitgap_gc_env": "PYPY_GC_NURSERY=240MB"})
    assert not [w for w in jitgap.load_results(demo_topic, tmp_path).warnings()
                if "nursery" in w]


@pytest.mark.pypy
def test_pypy_says_its_nursery_and_follows_the_variable(monkeypatch):
    pypys = [i for i in available_interpreters() if i.info()["implementation"] == "PyPy"]
    assert pypys
    for interp in pypys:
        assert interp.info()["gc_nursery"] > 0
    monkeypatch.setenv("PYPY_GC_NURSERY", "8MB")
    fresh = Interpreter(pypys[0].name, pypys[0].argv)
    assert fresh.info()["gc_nursery"] == 8 * MB


@pytest.mark.pypy
def test_pypys_gc_variables_reach_the_workers(tmp_path, monkeypatch):
    """pyperf starts its workers with a cleaned environment: PYPY_GC_* must be passed on,
    and the results say what they were and what nursery PyPy then chose."""
    pypy = [i for i in available_interpreters() if i.name == "pypy"]
    if not pypy:
        pytest.skip("no PyPy")
    monkeypatch.setenv("PYPY_GC_NURSERY", "6MB")
    report = jitgap.run(str(DATA / "gc_env.py"), interpreters=[pypy[0]], mode="smoke",
                        directory=tmp_path, quiet=True)
    assert not report.failures, report.failures
    data = json.loads(report.written["pypy"].read_text())
    seen = set()
    for bench in data["benchmarks"]:
        md = dict(data.get("metadata", {}), **bench.get("metadata", {}))
        seen.add(md["seen_nursery"])
        assert md["jitgap_gc_env"] == "PYPY_GC_NURSERY=6MB"
        assert md["jitgap_gc_nursery"] == 6 * MB
    assert seen == {"6MB"}
