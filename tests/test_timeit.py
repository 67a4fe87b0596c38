"""`jitgap timeit` and the runner's handling of bad snippets: each failure names the
interpreter, the others are still measured, nothing is left behind, exit code 1."""

import json
import time

import pytest

from conftest import have_pypy, run_cli


def timeit(*args, **kw):
    return run_cli("timeit", "--mode", "smoke", *args, **kw)


@pytest.mark.slow
def test_json_rows_like_show():
    out = timeit("sum(range(10))", "--only", "cpython", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [r["variant"] for r in rows] == ["snippet"]
    assert {"mean_s", "stdev_s", "values", "ratio_vs_cpython", "implementation"} <= set(rows[0])


@pytest.mark.slow
def test_setup_and_multiline_statement():
    out = timeit("-s", "data = list(range(100))", "total = 0\\nfor x in data:\\n total += x",
                 "--only", "cpython")
    assert out.returncode == 0, out.stderr
    assert "snippet" in out.stdout and "CPython" in out.stdout


@pytest.mark.slow
@pytest.mark.pypy
@pytest.mark.skipif(not have_pypy(), reason="PyPy is not installed")
def test_syntax_valid_on_one_interpreter_only():
    out = timeit("match 1:\\n case 1: pass", "--only", "cpython,pypy")
    assert out.returncode == 1
    assert "CPython 3." in out.stdout                       # CPython's timing is shown
    assert "pypy: NOT MEASURED" in out.stderr and "SyntaxError" in out.stderr
    assert "src/jitgap/" not in out.stderr


@pytest.mark.slow
@pytest.mark.parametrize("args, expected", [
    (["-s", "raise ValueError('bad setup')", "pass"], "ValueError: bad setup"),
    (["1 / 0"], "ZeroDivisionError"),
    (["import os; os._exit(3)"], "exit code"),
    (["import ctypes; ctypes.string_at(0)"], "exit code -11"),            # a segfault
])
def test_errors_and_crashes_name_the_interpreter(args, expected):
    out = timeit(*args, "--only", "cpython")
    assert out.returncode == 1
    assert "cpython: NOT MEASURED: cpython failed on the snippet" in out.stderr
    assert expected in out.stderr
    assert "src/jitgap/" not in out.stderr, "no traceback from jitgap itself"


@pytest.mark.slow
def test_infinite_loop_is_stopped_at_the_timeout():
    started = time.time()
    out = timeit("while True: pass", "--only", "cpython", "--timeout", "3")
    elapsed = time.time() - started
    assert out.returncode == 1
    assert "timed out" in out.stderr and "after 3 s" in out.stderr
    assert elapsed < 30                                      # not a timing assertion: a hang


@pytest.mark.slow
def test_huge_output_is_cut_in_the_progress_display():
    out = timeit("-s", "print('x' * 10000000)", "pass", "--only", "cpython")
    assert out.returncode == 0, out.stderr[-2000:]
    assert len(out.stderr) < 200000
    assert "output beyond" in out.stderr


@pytest.mark.slow
def test_memory_blow_up_becomes_a_memory_error():
    out = timeit("x = []\\nwhile True: x.append(bytearray(10**6))", "--only", "cpython",
                 "--memory-limit", "1", "--timeout", "60", "-q")
    assert out.returncode == 1
    assert "cpython: NOT MEASURED" in out.stderr and "MemoryError" in out.stderr


@pytest.mark.slow
def test_interpreter_path_that_does_not_exist():
    out = timeit("pass", "--only", "ghost", "--python", "ghost=/nonexistent/python")
    assert out.returncode == 1
    assert "ghost: NOT MEASURED: /nonexistent/python: no such file or command" in out.stderr
