import json

import jitgap
import pytest
from conftest import DATA, write_results

ROW_KEYS = {"topic", "variant", "interpreter", "implementation", "version", "mean_s", "stdev_s",
            "values", "ratio_vs_cpython"}


def test_rows_have_the_documented_keys(demo_topic, demo_results):
    rows = jitgap.load_results(demo_topic, demo_results).rows()
    assert len(rows) == 6
    for row in rows:
        assert ROW_KEYS <= set(row)
    pypy_fast = [r for r in rows if r["variant"] == "fast" and r["interpreter"] == "pypy"][0]
    assert pypy_fast["ratio_vs_cpython"] == pytest_approx(10.0)
    assert pypy_fast["implementation"] == "PyPy" and pypy_fast["version"] == "7.3.11"
    assert pypy_fast["ratio_text"].endswith("faster than CPython")


def pytest_approx(x):
    import pytest
    return pytest.approx(x)


def test_order_follows_declared_variants_and_default_interpreters(demo_topic, demo_results):
    results = jitgap.load_results(demo_topic, demo_results)
    assert results.variants == ["fast", "slow"]
    assert results.interpreters == ["cpython", "pypy", "pypy-nojit"]
    assert results.label("pypy-nojit") == "PyPy 7.3.11 (Python 3.9.16), JIT off"


def test_corrupted_truncated_and_foreign_files_are_reported_and_others_kept(tmp_path,
                                                                            demo_topic):
    write_results(tmp_path, "demo", "cpython", {"fast": [1.0, 1.1]})
    folder = tmp_path / "demo"
    good = (folder / "cpython.json").read_text()
    (folder / "pypy.json").write_text(good[: len(good) // 2])                 # truncated
    (folder / "pypy-nojit.json").write_text(json.dumps({"hello": "world"}))   # foreign
    (folder / "other.json").write_bytes(b"\x00\xff garbage")                  # corrupted
    results = jitgap.load_results(demo_topic, tmp_path)
    assert [m.interpreter for m in results.measurements] == ["cpython"]
    assert len(results.errors) == 3
    for path, message in results.errors:
        assert str(path) in message
        # how to replace it names the topic as jitgap run finds it again (here its file)
        assert "re-run `jitgap run %s`" % demo_topic.spec in message
        assert demo_topic.spec == str(demo_topic.path)


def test_temporary_files_of_a_run_in_progress_are_ignored(tmp_path, demo_topic):
    write_results(tmp_path, "demo", "cpython", {"fast": [1.0, 1.1]})
    (tmp_path / "demo" / ".pypy.json.abc.tmp.json").write_text("{")
    results = jitgap.load_results(demo_topic, tmp_path)
    assert not results.errors and len(results.measurements) == 1


def test_no_results_is_empty_not_an_error(tmp_path, demo_topic):
    results = jitgap.load_results(demo_topic, tmp_path)
    assert not results and results.errors == [] and results.rows() == []


@pytest.mark.slow
@pytest.mark.pypy
def test_a_measurement_that_never_settled_is_flagged_everywhere(tmp_path, demo_topic):
    """Warm-up stopped at its cap: show, check, plot and the notebooks say so."""
    from matplotlib.text import Text

    from conftest import run_cli
    write_results(tmp_path, "demo", "cpython", {"fast": [1.0, 1.1, 0.9], "slow": [3.0, 3.1, 2.9]})
    write_results(tmp_path, "demo", "pypy", {"fast": [0.1, 0.11, 0.09], "slow": [0.3, 0.31, 0.3]},
                  implementation="PyPy", jit="on", extra={"jitgap_steady": 0})
    results = jitgap.load_results(demo_topic, tmp_path)
    m = results.get("fast", "pypy")
    assert not m.steady and m.unsteady == 3 and results.get("fast", "cpython").steady
    assert any("fast on pypy: 3 of 3 worker processes" in w for w in results.warnings())
    assert not [r for r in results.rows() if r["interpreter"] == "pypy"][0]["steady"]
    fig = jitgap.gap_figure(results)
    assert any("(not steady)" in t.get_text() for t in fig.findobj(Text))
    table = str(jitgap.verdict_table(demo_topic, results))
    assert "not steady: fast on pypy" in table
    shown = run_cli("show", str(DATA / "demo.py"), "-o", tmp_path)
    assert "NOT STEADY" in shown.stdout and "warming up" in shown.stderr


def test_processes_that_disagree_are_flagged_everywhere(tmp_path, demo_topic):
    """A process 40x slower than the others (the JIT did not compile the loop in it) is
    another state, not noise: show, check, plot and the notebooks say so; a process 2x
    slower (noise) is not flagged."""
    from matplotlib.text import Text

    from jitgap._phrases import title

    write_results(tmp_path, "demo", "cpython", {"fast": [1.0, 1.1, 0.9, 2.0],
                                                "slow": [3.0, 3.1, 2.9, 3.0]})
    write_results(tmp_path, "demo", "pypy", {"fast": [0.1, 0.11, 0.09, 4.0, 0.1, 0.1],
                                             "slow": [0.3, 0.31, 0.3]},
                  implementation="PyPy", jit="on")
    results = jitgap.load_results(demo_topic, tmp_path)
    m = results.get("fast", "pypy")
    assert not m.consistent and m.apart == [pytest.approx(40.0)]
    assert m.disagreement() == "1 of 6 processes 40x slower than the median process"
    assert results.get("fast", "cpython").consistent      # 2x: noise does that
    assert results.get("slow", "pypy").consistent
    warnings = [w for w in results.warnings() if "disagree" in w]
    assert len(warnings) == 1 and "fast on pypy" in warnings[0]
    assert "jitgap show %s --json" % demo_topic.spec in warnings[0]
    rows = {(r["variant"], r["interpreter"]): r for r in results.rows()}
    assert rows["fast", "pypy"]["process_means_s"] == [0.1, 0.11, 0.09, 4.0, 0.1, 0.1]
    assert not rows["fast", "pypy"]["consistent"] and rows["slow", "pypy"]["consistent"]
    fig = jitgap.gap_figure(results)
    assert sum("(processes disagree)" in t.get_text() for t in fig.findobj(Text)) == 1
    table = str(jitgap.verdict_table(demo_topic, results))
    assert "processes disagree: fast on pypy, 1 of 6 processes 40x slower" in table
    assert "(processes disagree)" in str(jitgap.findings(results))
    verdicts = jitgap.check(demo_topic, tmp_path)
    flagged = [v.claim.id for v in verdicts if v.inconsistent]
    assert flagged == ["pypy-wins"]
    assert [m.interpreter for m in verdicts[1].inconsistent] == ["pypy"]
    assert "(processes disagree)" in title(verdicts[1])
    assert all(v.as_dict()["consistent"] == (not v.inconsistent) for v in verdicts)


def test_show_and_check_name_processes_that_disagree(tmp_path, demo_topic, capsys):
    from jitgap.__main__ import main
    write_results(tmp_path, "demo", "cpython", {"fast": [1.0, 1.1, 0.9]})
    write_results(tmp_path, "demo", "pypy", {"fast": [0.1, 0.1, 4.0, 0.1]},
                  implementation="PyPy", jit="on")
    main(["show", demo_topic.spec, "-o", str(tmp_path)])
    out, err = capsys.readouterr()
    assert "PROCESSES DISAGREE" in out and "its processes disagree" in err
    main(["check", demo_topic.spec, "-o", str(tmp_path)])
    out, _ = capsys.readouterr()
    assert ("PROCESSES DISAGREE: fast on pypy (1 of 4 processes 40x slower than the median "
            "process)") in out


def test_a_disagreement_names_both_directions_and_needs_three_processes(tmp_path,
                                                                          demo_topic):
    write_results(tmp_path, "demo", "pypy", {"fast": [1.0, 1.0, 1.0, 5.0, 6.0, 0.2],
                                             "slow": [1.0, 10.0]},
                  implementation="PyPy", jit="on")
    results = jitgap.load_results(demo_topic, tmp_path)
    assert results.get("fast", "pypy").disagreement() == (
        "2 of 6 processes 5-6x slower and 1 of 6 processes 5x faster than the median "
        "process")
    assert results.get("slow", "pypy").consistent     # two processes: no median to judge
