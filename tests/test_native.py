"""The C bar: C twins compiled with the system compiler and timed by pyperf via ctypes."""

import json
import math
import runpy
import shutil

import pytest

import jitgap
from conftest import DATA, run_cli, write_results
from jitgap import _native
from jitgap._errors import JitgapError

TWINS = [t for t in jitgap.list_topics() if t.c_path is not None]
needs_cc = pytest.mark.skipif(_native.CCompiler.find().missing is not None,
                              reason="no C compiler on this machine")


def test_dispatch_and_boxing_have_c_twins():
    assert {t.name for t in TWINS} >= {"dispatch", "boxing"}


@pytest.mark.slow
@needs_cc
@pytest.mark.parametrize("topic", TWINS, ids=lambda t: t.name)
def test_twin_computes_what_the_python_variant_computes(topic):
    module = runpy.run_path(str(topic.path))          # not __main__: defines, runs nothing
    for n in (0, 1, 7, 1000):
        got = _native.check_values(topic, n)
        assert set(got) == set(topic.c_variants)
        for name, value in got.items():
            expected = module[name](n)
            assert math.isclose(value, expected, rel_tol=1e-9), (topic.name, name, n)


@pytest.mark.slow
@needs_cc
@pytest.mark.parametrize("topic", TWINS, ids=lambda t: t.name)
def test_twin_smoke_run_is_a_tagged_pyperf_file(topic, tmp_path):
    path = _native.run_twin(topic, mode="smoke", directory=tmp_path)
    assert path == tmp_path / topic.name / "c.json"
    data = json.loads(path.read_text())
    assert [b["metadata"]["name"] for b in data["benchmarks"]] == topic.c_variants
    results = jitgap.load_results(topic, tmp_path)
    assert results.interpreters == ["c"]
    assert results.label("c").startswith("C (") and "-O2" in results.label("c")
    assert results.short_label("c") == "C"
    assert not results.stale and not results.warnings()
    assert jitgap._plot.unit_of_time(results) == "iteration"


def _tmp_topic(tmp_path, c_source, python_variants=("fast",)):
    folder = tmp_path / "benchmarks"
    folder.mkdir()
    shutil.copy(str(jitgap.get_topic("dispatch").path.with_name("jitgap_c.h")), str(folder))
    py = folder / "twin.py"
    py.write_text((DATA / "demo.py").read_text())
    (folder / "twin.c").write_text(c_source)
    return jitgap.get_topic(str(py))


GOOD_C = """#define N 10
#include "jitgap_c.h"
static long fast(long n) { long t = 0; for (long i = 0; i < n; i++) { t += i; KEEP(t); } return t; }
JITGAP_BENCH(fast)
"""


@pytest.mark.slow
@needs_cc
def test_twin_in_chunks_appends_its_processes_and_its_wall_time(tmp_path):
    """The adaptive mode measures the twin in chunks between rounds: each chunk's
    processes are added to the stored ones, and so is its wall time."""
    topic = TWINS[0]
    _native.run_twin(topic, mode="quick", directory=tmp_path, processes=1)
    first = jitgap.load_results(topic, tmp_path).measurements[0].metadata["jitgap_wall_s"]
    _native.run_twin(topic, mode="quick", directory=tmp_path, processes=2, append=True)
    measured = jitgap.load_results(topic, tmp_path).measurements
    assert [len(m.runs) for m in measured] == [3] * len(topic.c_variants)
    assert measured[0].metadata["jitgap_wall_s"] > first


@pytest.mark.slow
@needs_cc
def test_compile_error_names_the_c_file_and_keeps_other_results(tmp_path):
    topic = _tmp_topic(tmp_path, GOOD_C.replace("return t;", "return t"))
    old = write_results(tmp_path / "results", "twin", "c", {"fast": [1.0, 1.1]})
    before = old.read_bytes()
    report = jitgap.run(topic, [], mode="smoke", directory=tmp_path / "results", native=True)
    assert [f.interpreter for f in report.failures] == ["c"]
    message = report.failures[0].message
    assert "twin.c" in message and "error" in message and "-O2" in message
    assert old.read_bytes() == before


def test_twin_naming_an_undeclared_variant_is_an_error(tmp_path):
    topic = _tmp_topic(tmp_path, GOOD_C + "JITGAP_BENCH(nope)\n")
    with pytest.raises(JitgapError, match=r"twin\.c.*nope"):
        topic.c_variants


def test_no_compiler_is_a_note_not_a_failure(tmp_path, monkeypatch):
    monkeypatch.setenv("CC", "/nonexistent/cc")
    report = jitgap.run("dispatch", [], mode="smoke", directory=tmp_path, native=True)
    assert not report.failures and not report.written
    assert any("CC=/nonexistent/cc" in n and "C bar is skipped" in n for n in report.notes)
    monkeypatch.delenv("CC")
    monkeypatch.setenv("PATH", str(tmp_path))        # no cc, gcc or clang here
    missing = _native.CCompiler.find().missing
    assert "no C compiler found" in missing and "apt-get install" in missing


def test_topic_without_twin_says_so_when_only_c_is_asked(tmp_path):
    report = jitgap.run("frames", [], mode="smoke", directory=tmp_path, native=True)
    assert report.notes and "no C twin" in report.notes[0]
    assert not report.failures and not report.written


@pytest.mark.slow
@needs_cc
def test_cli_only_c(tmp_path):
    proc = run_cli("run", "dispatch", "--only", "c", "--mode", "smoke", "-q", "-o", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "dispatch" / "c.json").exists()
    assert not (tmp_path / "dispatch" / "cpython.json").exists()
    again = run_cli("run", "dispatch", "--only", "c", "--mode", "smoke", "-q", "-o", tmp_path)
    assert "c up to date" in again.stdout


def test_stale_twin_result_is_flagged_with_its_fix(tmp_path):
    write_results(tmp_path, "dispatch", "c", {"while_loop": [1e-9, 1.1e-9]},
                  implementation="C", version="gcc 1.0",
                  extra={"jitgap_benchmark_sha256": "0123456789abcdef"})
    results = jitgap.load_results("dispatch", tmp_path)
    assert results.stale == ["c"]
    (warning,) = results.warnings()
    assert "dispatch.c" in warning and "--only c" in warning


@pytest.mark.parametrize("text,expected", [
    ("cc (Debian 12.2.0-14+deb12u1) 12.2.0\nCopyright (C) 2022 Free Software Foundation", "gcc 12.2.0"),
    ("Debian clang version 16.0.6 (15~deb12u1)\nTarget: x86_64-pc-linux-gnu", "clang 16.0.6"),
    ("tcc version 0.9.27 (x86_64 Linux)", "tcc version 0.9.27 (x86_64 Linux)"),
])
def test_compiler_version(text, expected):
    assert _native.parse_version(text) == expected
