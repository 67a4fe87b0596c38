"""tools/process_spread.py: how noisy stored results were."""

import sys

import pyperf
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import process_spread  # noqa: E402  (tools/process_spread.py)


def _store(path, name, processes, implementation="PyPy"):
    runs = [pyperf.Run(values, metadata={"name": name, "loops": 1}, collect_metadata=False)
            for values in processes]
    bench = pyperf.Benchmark(runs)
    bench.update_metadata({"jitgap_implementation": implementation})
    path.parent.mkdir(parents=True, exist_ok=True)
    pyperf.BenchmarkSuite([bench]).dump(str(path))


def test_each_process_counts_once_and_c_twins_and_short_processes_are_left_out(tmp_path):
    quiet = [1.0] * 9 + [1.02]                   # 10th-90th percentile: 0 %
    noisy = [1.0] * 5 + [1.3] * 5                # 30 %
    _store(tmp_path / "t" / "pypy.json", "v", [quiet, noisy, noisy, [1.0, 9.0]])
    _store(tmp_path / "t" / "c.json", "v", [noisy], implementation="C")
    found = process_spread.spreads(tmp_path)
    assert sorted(found) == ["pypy"]
    assert sorted(found["pypy"]) == pytest.approx([0.0, 0.3 / 1.3, 0.3 / 1.3])
    line, = process_spread.report(tmp_path)
    assert "pypy: 3 processes" in line and "23.1 %" in line


def test_no_results_is_an_error_that_says_so(tmp_path, capsys):
    assert process_spread.main([str(tmp_path)]) == 1
    assert "no stored results" in capsys.readouterr().err
