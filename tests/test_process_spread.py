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


@pytest.mark.parametrize("spread,burst,quiet", [(0.02, 0.02, True), (0.05, 0.05, False),
                                               (0.02, 0.3, False)])
def test_the_spot_check_says_whether_the_machine_is_quiet_enough(spread, burst, quiet):
    """Quiet: CPython's values spread by at most 3 % per process at the median, and at
    most 10 % at the 90th percentile (a tenth of the processes hit by bursts: noisy)."""
    def measure(directory):
        from pathlib import Path
        values, bursty = ([1.0] * 5 + [1.0 + x] * 5 for x in (spread, burst))
        _store(Path(directory) / "frames" / "cpython.json", "v", [values] * 8 + [bursty] * 2,
               implementation="CPython")
    line, found = process_spread.spot(measure)
    assert found is quiet
    assert ("%.1f %% per process" % (100 * spread / (1 + spread))) in line
    assert ("quiet enough" in line) is quiet and ("measure later" in line) is not quiet


def test_the_spot_check_needs_cpython():
    line, quiet = process_spread.spot(lambda directory: None)
    assert not quiet and "no CPython process" in line
