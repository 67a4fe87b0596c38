"""The command line, end to end, on fixture results and on real (smoke) runs."""

import json
import re

import pytest

from conftest import DATA, ROOT, have_pypy, run_cli

ROW_KEYS = {"topic", "variant", "interpreter", "implementation", "version", "mean_s", "stdev_s",
            "values", "ratio_vs_cpython"}


@pytest.mark.slow
def test_list_names_every_topic():
    out = run_cli("list")
    assert out.returncode == 0
    for path in (ROOT / "benchmarks").glob("*.py"):
        assert re.search(r"^%s\s" % path.stem, out.stdout, re.M)


@pytest.mark.slow
def test_show_json_and_text(demo_results):
    demo = DATA / "demo.py"
    out = run_cli("show", demo, "-o", demo_results, "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 6 and all(ROW_KEYS <= set(r) for r in rows)
    text = run_cli("show", demo, "-o", demo_results).stdout
    assert "PyPy 7.3.11 (Python 3.9.16)" in text and "10.0 ± 1.4x faster than CPython" in text


@pytest.mark.slow
def test_check_json(demo_results):
    out = run_cli("check", DATA / "demo.py", "-o", demo_results, "--json")
    assert out.returncode == 0, out.stderr
    verdicts = json.loads(out.stdout)
    assert {v["verdict"] for v in verdicts} == {"holds"}
    assert all({"topic", "claim", "verdict", "ratio"} <= set(v) for v in verdicts)


@pytest.mark.slow
def test_check_text_counts_the_verdicts_in_their_order(tmp_path):
    """A ratio narrowly on its threshold reads BORDERLINE; the last line counts the
    verdicts in the order of jitgap.VERDICTS (not alphabetically)."""
    from conftest import write_results
    write_results(tmp_path, "demo", "cpython", {"fast": [1.0, 1.02, 0.98, 1.01, 0.99, 1.0],
                                                "slow": [3.0, 3.03, 2.97, 3.0, 3.01, 2.99]})
    write_results(tmp_path, "demo", "pypy", {"fast": [0.5, 0.51, 0.49, 0.5, 0.5, 0.5]},
                  implementation="PyPy", version="7.3.11", jit="on", python_version="3.9.16")
    out = run_cli("check", DATA / "demo.py", "-o", tmp_path)
    assert out.returncode == 0, out.stderr
    assert re.search(r"^BORDERLINE\s+demo/pypy-wins$", out.stdout, re.M), out.stdout
    assert out.stdout.rstrip().splitlines()[-1] == \
        "3 claims: 1 holds, 1 borderline, 1 unmeasured", out.stdout


@pytest.mark.slow
def test_plot_writes_an_image(demo_results, tmp_path):
    out = run_cli("plot", DATA / "demo.py", "--results", demo_results, "-o", tmp_path / "gap.png")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "gap.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_unknown_topic_is_a_clear_error_not_a_traceback():
    out = run_cli("show", "no-such-topic")
    assert out.returncode == 2
    assert "unknown topic 'no-such-topic'" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.slow
def test_show_without_results_says_what_to_run(tmp_path):
    out = run_cli("show", DATA / "demo.py", "-o", tmp_path)
    assert out.returncode == 1 and "jitgap run" in out.stderr


@pytest.mark.slow
def test_run_any_pyperf_file_by_path_smoke(tmp_path):
    out = run_cli("run", DATA / "demo.py", "--mode", "smoke", "--only", "cpython", "-o", tmp_path)
    assert out.returncode == 0, out.stderr
    data = json.loads((tmp_path / "demo" / "cpython.json").read_text())
    names = [b["metadata"]["name"] for b in data["benchmarks"]]
    assert names == ["fast", "slow"]
    assert "[1/1] demo under CPython" in out.stderr          # progress display
    assert not list((tmp_path / "demo").glob(".*"))          # no temporary left behind


@pytest.mark.slow
def test_run_a_plain_pyperf_script_without_jitgap_conventions(tmp_path):
    script = tmp_path / "plain.py"
    script.write_text("import pyperf\nrunner = pyperf.Runner()\n"
                      "runner.timeit('sum', 'sum(range(100))')\n")
    out = run_cli("run", script, "--mode", "smoke", "--only", "cpython", "-o", tmp_path / "r")
    assert out.returncode == 0, out.stderr
    shown = json.loads(run_cli("show", script, "-o", tmp_path / "r", "--json").stdout)
    assert [r["variant"] for r in shown] == ["sum"]


@pytest.mark.slow
@pytest.mark.pypy
def test_missing_pypy_is_reported_and_cpython_still_measured(tmp_path):
    env = {"JITGAP_PYPY": "/nonexistent/pypy3"}
    out = run_cli("run", DATA / "demo.py", "--mode", "smoke", "-o", tmp_path, env=env)
    assert out.returncode == 1
    assert (tmp_path / "demo" / "cpython.json").exists()
    assert not (tmp_path / "demo" / "pypy.json").exists()
    assert "pypy NOT MEASURED" in out.stderr and "apt-get install" in out.stderr


@pytest.mark.slow
def test_interpreter_that_is_not_python(tmp_path):
    out = run_cli("run", DATA / "demo.py", "--mode", "smoke", "--only", "fake",
                  "--python", "fake=/bin/true", "-o", tmp_path)
    assert out.returncode == 1
    assert "fake" in out.stderr and "does not look like a Python" in out.stderr


@pytest.mark.slow
def test_failing_benchmark_names_interpreter_and_file_and_keeps_old_results(tmp_path):
    from conftest import write_results
    bad = tmp_path / "demo.py"
    bad.write_text("import pyperf\nraise RuntimeError('boom in setup')\n")
    old = write_results(tmp_path / "r", "demo", "cpython", {"fast": [1.0, 1.1]})
    before = old.read_bytes()
    out = run_cli("run", bad, "--mode", "smoke", "--only", "cpython", "-o", tmp_path / "r")
    assert out.returncode == 1
    assert "cpython failed on %s" % bad in out.stderr and "boom in setup" in out.stderr
    assert old.read_bytes() == before


@pytest.mark.slow
@pytest.mark.pypy
@pytest.mark.skipif(not have_pypy(), reason="PyPy is not installed")
def test_jitgap_itself_runs_on_python_39_under_pypy(demo_results):
    pypy = ROOT / ".venv-pypy" / "bin" / "python"
    out = run_cli("check", DATA / "demo.py", "-o", demo_results, "--json", python=pypy)
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)) == 3
    out = run_cli("show", DATA / "demo.py", "-o", demo_results, "--json", python=pypy)
    assert out.returncode == 0, out.stderr


@pytest.mark.slow
@pytest.mark.pypy
def test_results_are_readable_by_pyperf_itself():
    import subprocess
    import sys
    folder = ROOT / "results" / "boxing"
    for args in (["compare_to", folder / "cpython.json", folder / "pypy.json"],
                 ["stats", folder / "pypy-nojit.json"]):
        out = subprocess.run([sys.executable, "-m", "pyperf"] + [str(a) for a in args],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True)
        assert out.returncode == 0, out.stdout
    assert "int_arith" in out.stdout


@pytest.mark.slow
@pytest.mark.pypy
@pytest.mark.skipif(not have_pypy(), reason="PyPy is not installed")
def test_workers_know_the_full_interpreter_command(tmp_path):
    """pypy-nojit workers see ['.../python', '--jit', 'off'] in JITGAP_PYTHON_ARGV, so a
    benchmark that starts an interpreter can start the same one."""
    script = tmp_path / "argv.py"
    script.write_text(
        "import json, os, pyperf\n"
        "runner = pyperf.Runner()\n"
        "argv = json.loads(os.environ['JITGAP_PYTHON_ARGV'])\n"
        "runner.metadata['seen_argv'] = ' '.join(argv)\n"
        "runner.bench_func('noop', lambda: None)\n")
    out = run_cli("run", script, "--mode", "smoke", "--only", "pypy-nojit", "-o", tmp_path)
    assert out.returncode == 0, out.stderr
    data = json.loads((tmp_path / "argv" / "pypy-nojit.json").read_text())
    assert data["metadata"]["seen_argv"].endswith("python --jit off")


@pytest.mark.slow
def test_stale_results_are_flagged(tmp_path):
    import shutil
    from conftest import write_results
    bench = tmp_path / "demo.py"
    shutil.copy(str(DATA / "demo.py"), str(bench))
    path = write_results(tmp_path / "r", "demo", "cpython", {"fast": [1.0, 1.1]})
    data = json.loads(path.read_text())
    data["metadata"]["jitgap_benchmark_sha256"] = "0000000000000000"
    path.write_text(json.dumps(data))
    out = run_cli("show", bench, "-o", tmp_path / "r")
    assert out.returncode == 0
    assert "measured from an older version of demo.py" in out.stderr
    assert "re-run `jitgap run %s`" % bench in out.stderr     # the file, not a topic name


@pytest.mark.slow
def test_rerun_skips_up_to_date_results_unless_forced(tmp_path):
    args = ("run", DATA / "demo.py", "--mode", "smoke", "--only", "cpython", "-o", tmp_path)
    assert run_cli(*args).returncode == 0
    path = tmp_path / "demo" / "cpython.json"
    before = path.read_bytes()
    again = run_cli(*args)
    assert again.returncode == 0 and "cpython up to date" in again.stdout
    assert path.read_bytes() == before
    other_mode = run_cli(*(args[:2] + ("--mode", "quick") + args[4:]))
    assert other_mode.returncode == 0 and path.read_bytes() != before
    forced = run_cli(*(args + ("--force",)))
    assert forced.returncode == 0 and "-> " in forced.stdout


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_keeps_finished_topics_and_leaves_nothing_behind(tmp_path, jobs):
    """One run at a time, or two (--jobs 2: both topics start at once, and Ctrl-C stops
    the one still running)."""
    import signal
    import subprocess
    import sys
    import time
    hang = tmp_path / "hang.py"
    hang.write_text("import pyperf, time\nrunner = pyperf.Runner()\n"
                    "runner.bench_func('sleepy', time.sleep, 30)\n")
    proc = subprocess.Popen([sys.executable, "-m", "jitgap", "run", str(DATA / "demo.py"),
                             str(hang), "--mode", "smoke", "--only", "cpython", "--jobs",
                             jobs, "-o", str(tmp_path / "r")], cwd=str(ROOT),
                            stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True,
                            # as from a terminal: a test runner's worker may ignore SIGINT,
                            # and a Python started with SIGINT ignored never sees Ctrl-C
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    finished = tmp_path / "r" / "demo" / "cpython.json"
    deadline = time.time() + 120
    while not (finished.exists() and (tmp_path / "r" / "hang").exists()):
        assert time.time() < deadline and proc.poll() is None
        time.sleep(0.2)
    time.sleep(1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert json.loads(finished.read_text())["benchmarks"]
    assert not list((tmp_path / "r").rglob("*.tmp*"))
    assert not (tmp_path / "r" / "hang" / "cpython.json").exists()
    ps = subprocess.run(["pgrep", "-f", str(hang)], stdout=subprocess.PIPE)
    assert ps.stdout.strip() == b"", "the interrupted pyperf master or worker still runs"


@pytest.mark.slow
def test_two_runs_at_once_on_the_same_topic(tmp_path):
    import subprocess
    import sys
    cmd = [sys.executable, "-m", "jitgap", "run", str(DATA / "demo.py"), "--mode", "smoke",
           "--only", "cpython", "-o", str(tmp_path), "-q", "--force"]
    procs = [subprocess.Popen(cmd, cwd=str(ROOT), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    data = json.loads((tmp_path / "demo" / "cpython.json").read_text())
    assert [b["metadata"]["name"] for b in data["benchmarks"]] == ["fast", "slow"]
    assert not list(tmp_path.rglob("*.tmp*"))


@pytest.mark.slow
@pytest.mark.pypy
def test_doctor_reports_each_check_and_its_fix():
    out = run_cli("doctor", "--json")
    checks = {c["check"]: c for c in json.loads(out.stdout)}
    for name in (".venv", ".venv-pypy", "cpython", "pypy", "pypy-nojit", "landslide",
                 "chromium", "PYPYLOG", "C compiler", "noise", "runs at once", "kernel cpython3",
                 "kernel pypy3"):
        assert name in checks, name
    assert out.returncode == (0 if all(c["ok"] for c in checks.values()) else 1)
    broken = run_cli("doctor", "--no-kernels", env={"JITGAP_PYPY": "/nonexistent/pypy3"})
    assert broken.returncode == 1
    assert "FAIL pypy" in broken.stdout and "fix: make setup" in broken.stdout
    no_cc = run_cli("doctor", "--no-kernels", "--json", env={"CC": "/nonexistent/cc"})
    check = {c["check"]: c for c in json.loads(no_cc.stdout)}["C compiler"]
    assert not check["ok"] and "C bar" in check["detail"] and "gcc" in check["fix"]


@pytest.mark.slow
def test_run_help_lists_every_mode_with_the_adaptive_budgets_it_uses():
    from jitgap import MODES
    from jitgap._adaptive import DEFAULT_BUDGET, MOST_PROCESSES, NARROW_BUDGET
    out = run_cli("run", "--help")
    assert out.returncode == 0, out.stderr
    modes = out.stdout.split("modes:", 1)[1]
    for mode in MODES:
        assert re.search(r"^  %s\s" % mode, modes, re.M), mode
    assert "(%d s; %d s to narrow intervals) (at most %d processes" % (
        DEFAULT_BUDGET, NARROW_BUDGET, MOST_PROCESSES) in " ".join(modes.split())
