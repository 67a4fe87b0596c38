"""jitgap._trace: the PYPYLOG parser on captured samples, and tracing under PyPy."""

import pytest

from jitgap import JitgapError
from jitgap import _pypylog, _trace, _tracereport
from jitgap._interpreters import default_interpreters

from conftest import DATA, VENV_PYPY

LOGS = DATA / "pypylog"
# the paths recorded in the captured logs (where they were captured, not this checkout)
BOXING = "/work/main/benchmarks/boxing.py"
LONGTRACES = "/work/main/benchmarks/longtraces.py"
GENERATED = "<longtraces: generate(2000)>"


def _line(function, text):
    """Line number in benchmarks/boxing.py of the first line of ``function`` with ``text``."""
    import jitgap
    topic = jitgap.get_topic("boxing")
    body = topic.code(function).splitlines()
    first = topic.source.splitlines().index(body[0]) + 1
    return first + next(i for i, line in enumerate(body) if text in line)


def read(name):
    return (LOGS / name).read_text()


def report(name, topic, variant, files):
    return _tracereport.build_report(read(name), topic, variant, files)


def test_parser_reads_loops_bridges_and_their_operations():
    loops = _pypylog.parse_log(read("boxing_point_temporary.log"))
    assert [(l.kind, l.number) for l in loops] == [("entry bridge", 1), ("loop", 20),
                                                    ("bridge", None)]
    entry, loop, bridge = loops
    assert loop.location.startswith("point_temporary;" + BOXING)
    assert loop.declared_ops == 118 and loop.inputs == ["p0", "p1"]
    assert loop.counts() == {"ops": 60, "guards": 17, "allocations": 0, "calls": 1}
    assert loop.counts(loop.body) == {"ops": 15, "guards": 5, "allocations": 0, "calls": 0}
    assert loop.body[0].name == "label" and loop.body[-1].name == "jump"
    # the bridge hangs from the guard of the loop it comes out of (the loop's exit) ...
    assert bridge.guard == 0x7f9f6ed23280 and bridge.parent is loop
    # ... and boxes the returned int: the one allocation of the whole variant
    assert [op.name for op in bridge.operations if _pypylog.is_allocation(op.name)] == [
        "new_with_vtable"]
    # jit-backend-counts: entries of the loop (calls) and iterations of its body
    assert loop.entries == 50319 and loop.iterations == 503138640
    assert entry.home.file == "<builtin>/frozen _structseq"


def test_merge_points_give_the_python_source_positions():
    loop = _pypylog.parse_log(read("boxing_point_temporary.log"))[1]
    positions = {(p.depth, p.name, p.file, p.line) for p in loop.merge_points}
    assert positions == {(0, "point_temporary", BOXING, 66), (0, "point_temporary", BOXING, 67),
                         (0, "point_temporary", BOXING, 68), (1, "__init__", BOXING, 21),
                         (1, "__init__", BOXING, 22)}
    first = loop.merge_points[0]
    assert (first.first_line, first.offset, first.opname) == (63, 12, "FOR_ITER")


def test_removed_allocation_leaves_none_in_the_loop():
    d = report("boxing_point_temporary.log", "boxing", "point_temporary", [BOXING]).as_dict()
    assert (d["loops"], d["bridges"], d["entry_bridges"]) == (1, 1, 0)
    assert (d["guards"], d["allocations"], d["calls"]) == (17, 0, 1)
    assert d["aborts"] == {} and d["allocations_by_op"] == {}
    assert d["in_bridges"]["allocations"] == 1
    # everything in the log, the import-time entry bridge of another file included
    assert d["totals"]["entry_bridges"] == 1 and d["totals"]["guards"] == 35
    assert [t["code"] for t in d["traces"]] == ["point_temporary", "point_temporary"]


def test_kept_allocation_shows_in_the_loop():
    d = report("boxing_point_escaping.log", "boxing", "point_escaping", [BOXING]).as_dict()
    assert (d["loops"], d["bridges"]) == (1, 1)
    assert (d["guards"], d["allocations"], d["calls"]) == (21, 4, 3)
    assert d["allocations_by_op"] == {"new_with_vtable": 2, "new_array": 2}
    assert d["calls_by_op"] == {"call_r": 1, "cond_call": 2}
    # per iteration: the Point and the array of its two unboxed int fields
    assert d["in_loop_bodies"]["allocations"] == 2
    loop = d["traces"][0]
    assert loop["ops_by_kind"]["new_with_vtable"] == 2 and loop["line"] == 76


def test_aborts_come_from_the_summary_and_generated_code_is_the_benchmarks():
    text = read("longtraces_body_2000.log")
    summary = _pypylog.parse_summary(text)
    assert summary["aborts"]["bad loop"] == 0 and summary["Total # of loops"] == 15
    (entry,) = _pypylog.parse_log(text)
    # a file name holding ": " is still split right
    assert entry.home.file == GENERATED and entry.home.name == "_body_2000"
    d = report("longtraces_body_2000.log", "longtraces", "body_2000",
               [LONGTRACES, GENERATED]).as_dict()
    assert d["aborts"] == {"trace too long": 4, "segmenting trace": 9}
    assert (d["loops"], d["bridges"], d["entry_bridges"]) == (0, 0, 1)
    assert d["in_bridges"] == {"ops": 45, "guards": 8, "allocations": 2, "calls": 0}


def test_traces_compiled_before_the_calls_started_are_left_out():
    text = read("boxing_point_temporary.log")
    assert _pypylog.parse_calls_marker(text) == 0x10722be9f98f
    # the frozen module's entry bridge was compiled at import, before the mark
    d = report("boxing_point_temporary.log", "boxing", "point_temporary",
               [BOXING, "<builtin>/frozen _structseq"]).as_dict()
    assert d["entry_bridges"] == 0
    unmarked = "\n".join(line for line in text.splitlines() if "jitgap-calls" not in line)
    d = _tracereport.build_report(unmarked, "boxing", "point_temporary",
                            [BOXING, "<builtin>/frozen _structseq"]).as_dict()
    assert d["entry_bridges"] == 1


def test_sections_ignore_lines_outside_and_input_lists():
    names = [name for name, _ in _pypylog.sections(read("boxing_point_escaping.log"))]
    assert names == ["jit-log-opt-loop", "jitgap-calls", "jit-log-opt-loop",
                     "jit-log-opt-bridge", "jit-summary", "jit-backend-counts"]
    assert _pypylog.parse_log("") == [] and _pypylog.parse_summary("") == {}


def test_format_loop_shows_source_lines_and_the_operations_under_them():
    loop = _pypylog.parse_log(read("boxing_point_escaping.log"))[1]
    source = [""] * 80
    source[20], source[21] = "        self.x = x", "        self.y = y"
    source[75], source[76] = "    for i in range(n):", "        p = Point(i, i + 1)"
    source[77], source[78] = "        kept.append(p)", "        total += p.x + p.y"
    text = _tracereport.format_loop(loop, source_lines=source, max_ops=100)
    lines = text.splitlines()
    assert lines[0].startswith("loop 20 point_escaping (boxing.py:76): 33 operations")
    assert "2 allocations" in lines[0]
    assert "  boxing.py:78 | kept.append(p)" in lines
    assert "    boxing.py:21 | self.x = x" in lines          # inlined: one level deeper
    after = lines[lines.index("  boxing.py:78 | kept.append(p)") + 1:]
    assert any(line.strip().startswith("p96 = new_with_vtable(") for line in after)
    assert "descr=<Guard" not in text and "[p0" not in text
    short = _tracereport.format_loop(loop, source_lines=source, max_ops=10)
    assert "... 23 operations not shown ..." in short
    assert sum(1 for line in short.splitlines() if line.startswith("      ")
               and "not shown" not in line) == 10
    everything = _tracereport.format_loop(loop, source_lines=source, max_ops=1000, part="all")
    assert "103 operations" in everything.splitlines()[0]


def test_format_report_is_a_short_table():
    r = report("boxing_point_escaping.log", "boxing", "point_escaping", [BOXING])
    text = _tracereport.format_report(r)
    assert "allocations  4  (new_array 2, new_with_vtable 2)" in text
    assert "aborts       none" in text
    text = _tracereport.format_report(report("longtraces_body_2000.log", "longtraces", "body_2000",
                                       [LONGTRACES, GENERATED]))
    assert "trace too long: 4, segmenting trace: 9" in text


# ---------------------------------------------------------------------------------------
# end to end, under PyPy

needs_pypy = pytest.mark.skipif(not VENV_PYPY.exists(), reason="no .venv-pypy/bin/python")


@pytest.mark.slow
@pytest.mark.pypy
@needs_pypy
def test_temporary_point_leaves_no_allocation_escaping_one_does(tmp_path, monkeypatch):
    monkeypatch.setattr(_trace.tempfile, "tempdir", str(tmp_path))
    temporary = _trace.trace("boxing", "point_temporary", interpreter=str(VENV_PYPY),
                             seconds=0.3).as_dict()
    escaping = _trace.trace("boxing", "point_escaping", interpreter=str(VENV_PYPY),
                            seconds=0.3).as_dict()
    for d in (temporary, escaping):
        assert d["loops"] >= 1 and d["guards"] > 0
        # a short loop is never too long to trace; other aborts (e.g. "force quasi-immut",
        # when tracing starts while pyperf's own code runs) depend on timing, not on the loop
        assert "trace too long" not in d["aborts"]
        assert d["interpreter"].startswith("custom (PyPy ")
        assert d["calls_made"] > 0
    assert temporary["allocations"] == 0
    assert escaping["allocations"] >= 1 and escaping["in_loop_bodies"]["allocations"] >= 1
    assert list(tmp_path.iterdir()) == []                      # no temporary file left


@pytest.mark.slow
@pytest.mark.pypy
@needs_pypy
def test_keeps_the_log_in_directory(tmp_path):
    r = _trace.trace("boxing", "int_arith", interpreter=str(VENV_PYPY), seconds=0.1,
                     directory=str(tmp_path / "logs"))
    assert r.log_path == str(tmp_path / "logs" / "boxing-int_arith.pypylog")
    assert "{jit-summary" in (tmp_path / "logs" / "boxing-int_arith.pypylog").read_text()


def test_unknown_variant_is_a_clear_error():
    with pytest.raises(JitgapError, match="has no variant 'nope'.*point_temporary"):
        _trace.trace("boxing", "nope")


@pytest.mark.slow
def test_cpython_is_refused_with_its_name():
    cpython = next(i for i in default_interpreters() if i.name == "cpython")
    with pytest.raises(JitgapError, match="cannot trace the JIT with cpython .*not PyPy"):
        _trace.trace("boxing", "int_arith", interpreter=cpython)


def test_missing_pypy_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("JITGAP_PYPY", "/nonexistent/pypy3")
    with pytest.raises(JitgapError, match="cannot trace the JIT: pypy: PyPy"):
        _trace.trace("boxing", "int_arith")


@pytest.mark.slow
@pytest.mark.pypy
@needs_pypy
def test_jit_off_is_refused():
    with pytest.raises(JitgapError, match="its JIT is off"):
        _trace.trace("boxing", "int_arith", interpreter="pypy-nojit")


@pytest.mark.slow
@pytest.mark.pypy
@pytest.mark.skipif(not VENV_PYPY.exists(), reason="PyPy is not installed")
def test_cli_trace_json_has_the_documented_keys():
    import json

    from conftest import run_cli
    out = run_cli("trace", "boxing", "point_temporary", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    for key in ("loops", "bridges", "aborts", "guards", "allocations", "calls"):
        assert key in report, key
    assert report["allocations"] == 0 and report["loops"] >= 1
    shown = run_cli("trace", "boxing", "point_temporary", "--loop")
    assert "boxing.py:%d | total += p.x + p.y" % _line("point_temporary", "total +=") \
        in shown.stdout


@pytest.mark.slow
@pytest.mark.pypy
@pytest.mark.skipif(not VENV_PYPY.exists(), reason="PyPy is not installed")
def test_save_stores_what_the_deck_shows(tmp_path):
    import json

    from conftest import run_cli
    out = run_cli("trace", "boxing", "point_temporary", "--save", "--seconds", "0.3",
                  env={"JITGAP_RESULTS": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    data = json.loads((tmp_path / "boxing" / "traces" / "point_temporary.json").read_text())
    line = _line("point_temporary", "total +=")
    assert data["report"]["allocations"] == 0 and "boxing.py:%d |" % line in data["loop"]
    assert data["digest"] == __import__("jitgap").get_topic("boxing").digest
