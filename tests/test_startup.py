"""jitgap startup: whole process against in-process steady state."""

import json
import pytest

from conftest import run_cli

KEYS = {"interpreter", "label", "empty_process_s", "script_process_s", "in_process_s",
        "process_over_in_process", "process_over_in_process_err"}


@pytest.mark.slow
@pytest.mark.pypy
def test_reference_results():
    out = run_cli("startup", "--reference", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert {r["interpreter"] for r in rows} == {"cpython", "pypy", "pypy-nojit"}
    for r in rows:
        assert KEYS <= set(r)
        assert r["script_process_s"] > r["in_process_s"]       # start-up is not speed


@pytest.mark.slow
def test_measures_live_in_smoke_mode(tmp_path):
    out = run_cli("startup", "--mode", "smoke", "--only", "cpython",
                  env={"JITGAP_LIVE_RESULTS": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    assert "CPython 3." in out.stdout and "process / in process" in out.stdout
    assert (tmp_path / "warmup" / "cpython.json").exists()
