"""How noisy the machine is: a probe's repeats, their spread, the warning and its record."""

import pytest

from conftest import write_results
from jitgap._noise import QUIET, REPEAT_SECONDS, Noise, probe


class FakeTime:
    """A clock that only ``work`` moves: ``n`` steps of ``step`` seconds, times a factor
    that cycles through ``jitter`` (a noisy machine)."""

    def __init__(self, step=1e-6, jitter=(1.0,)):
        self.now, self.step, self.jitter, self.calls = 0.0, step, jitter, 0

    def clock(self):
        return self.now

    def work(self, n):
        self.now += n * self.step * self.jitter[self.calls % len(self.jitter)]
        self.calls += 1


def test_a_quiet_machine_repeats_alike():
    t = FakeTime()
    noise = probe(seconds=0.1, work=t.work, clock=t.clock)
    assert noise.quiet and noise.spread == pytest.approx(0.0) and noise.warning() == ""
    assert noise.median >= REPEAT_SECONDS and noise.repeats >= 20
    assert "quiet machine: under %.0f %%" % (100 * QUIET) in str(noise)


def test_a_noisy_machine_is_warned_about_with_a_fix():
    t = FakeTime(jitter=(1.0, 1.0, 1.5, 1.0, 2.0))
    noise = probe(seconds=0.1, work=t.work, clock=t.clock)
    assert not noise.quiet and noise.spread > 0.4
    assert "noisy" in noise.warning() and "stop other programs" in noise.warning()


def test_percentiles_and_bad_input():
    noise = Noise([1.0] * 8 + [1.5, 1.5])    # 10th percentile 1.0, 90th 1.5, median 1.0
    assert noise.spread == pytest.approx(0.5)
    with pytest.raises(ValueError):
        Noise([1.0])


def test_results_measured_on_a_noisy_machine_say_so(demo_topic, tmp_path):
    import jitgap
    write_results(tmp_path, "demo", "cpython", {"fast": [1.0, 1.1], "slow": [3.0, 3.1]},
                  extra={"jitgap_noise": 0.02})
    assert not any("noisy" in w for w in jitgap.load_results(demo_topic, tmp_path).warnings())
    write_results(tmp_path, "demo", "pypy", {"fast": [0.1, 0.11], "slow": [0.3, 0.31]},
                  extra={"jitgap_noise": 0.42}, implementation="PyPy", jit="on")
    found = [w for w in jitgap.load_results(demo_topic, tmp_path).warnings() if "noisy" in w]
    assert len(found) == 1 and "pypy" in found[0] and "cpython" not in found[0]
    assert "42 %" in found[0] and "re-run on a quiet machine" in found[0]


def test_a_run_without_progress_still_warns(monkeypatch):
    """--quiet hides the progress, not the warning: it becomes one of the report's notes."""
    from jitgap import _runner
    from jitgap._noise import Noise

    class Report:
        def __init__(self):
            self.notes = []

    monkeypatch.setattr(_runner, "probe", lambda: Noise([1.0] * 8 + [1.5, 1.5]))
    report = Report()
    assert _runner.probe_noise(None, report) == {"jitgap_noise": 0.5}
    assert len(report.notes) == 1 and "noisy" in report.notes[0]
    shown = []
    _runner.probe_noise(shown.append, Report())
    assert "noisy" in shown[0]


def test_a_run_of_several_topics_ends_with_the_noisy_ones_and_how_to_redo_them(demo_topic):
    """The warning before each topic scrolls away in a long make bench: the end says which
    topics were measured noisy and gives the command that re-measures just those."""
    import jitgap
    from jitgap._commands import noisy_again
    from jitgap._runner import RunReport

    def report(topic, spread):
        r = RunReport(topic)
        r.noise = None if spread is None else Noise([1.0] * 8 + [1.0 + spread] * 2)
        return r

    boxing, frames = jitgap.get_topic("boxing"), jitgap.get_topic("frames")
    quiet = [report(boxing, 0.02), report(demo_topic, None)]
    assert noisy_again(quiet, "adaptive") == ""
    said = noisy_again(quiet + [report(frames, 0.13), report(demo_topic, 0.5)], "adaptive",
                       "/tmp/out")
    assert "2 of 4 topics" in said and "frames (13 %)" in said and "boxing" not in said
    assert ("jitgap run frames %s --mode adaptive --force -o /tmp/out"
            % demo_topic.path) in said
    # topics run side by side (quick mode) share one probe: said once, not per topic
    shared = report(frames, 0.67)
    twin = report(boxing, None)
    twin.noise = shared.noise
    said = noisy_again([shared, twin], "quick")
    assert "noisy when this run of 2 topics started" in said and "67 %" in said
    assert "frames (67 %)" not in said and "jitgap run frames boxing --mode quick" in said


def test_a_run_whose_processes_spread_is_named_noisy_whatever_its_probe(tmp_path):
    """The probe is short and a host's noise comes and goes: the values each process of
    CPython took say how noisy the machine was while it measured (the median over the
    run's processes of 10 values or more)."""
    from conftest import write_results
    from jitgap._noise import process_spreads, values_warning

    def stored(name, spread, jit="none", implementation="CPython", processes=12, values=10):
        path = write_results(tmp_path / name, "demo", "cpython", {"v": [1.0]},
                             implementation=implementation, jit=jit)
        import pyperf
        bench = pyperf.Benchmark([pyperf.Run(
            [1.0 + spread * k / (values - 1) for k in range(values)], warmups=None,
            metadata={"name": "v", "loops": 1, "jitgap_jit": jit,
                      "jitgap_implementation": implementation}, collect_metadata=False)
            for _ in range(processes)])
        pyperf.BenchmarkSuite([bench]).dump(str(path), replace=True)
        return path

    quiet, noisy = stored("quiet", 0.02), stored("noisy", 0.08)
    # 10th to 90th percentile of 1.0 ... 1.02, relative to the median
    assert process_spreads(quiet) == pytest.approx([0.02 * 8 / 9 / (1 + 0.02 * 5 / 9)] * 12)
    assert values_warning([quiet, quiet]) == ""
    said = values_warning([noisy, noisy])
    assert "6.8 %" in said and "24 processes" in said and "under 3 %" in said
    assert values_warning([noisy]) == ""                      # 12 processes: too few
    assert process_spreads(stored("jit", 0.08, jit="on")) == []
    assert process_spreads(stored("c", 0.08, implementation="C")) == []
    assert process_spreads(stored("short", 0.08, values=5)) == []  # quick mode's 5 values
    assert process_spreads(tmp_path / "missing.json") == []


def test_side_by_side_names_the_median_slowdown():
    from jitgap._noise import SIDE_BY_SIDE, SideBySide
    found = SideBySide([(2.0, 3.0), (2.0, 2.1), (2.0, 4.0)])
    assert abs(found.slowdown - 0.5) < 1e-9 and not found.independent
    assert str(found) == "a busy loop on another CPU slowed this one by 50 %"
    calm = SideBySide([(1.0, 1.0 + SIDE_BY_SIDE / 2)])
    assert calm.independent and "by 5 %" in str(calm)
    assert str(SideBySide([(1.0, 0.98)])) == "a busy loop on another CPU did not slow this one"
    with pytest.raises(ValueError):
        SideBySide([])


@pytest.mark.slow
def test_side_by_side_times_both_and_leaves_no_partner(tmp_path):
    import psutil
    from jitgap._noise import side_by_side
    found = side_by_side(pairs=2, seconds=0.02)
    assert len(found.pairs) == 2 and all(a > 0 and b > 0 for a, b in found.pairs)
    assert psutil.Process().children() == []          # the busy loop is gone
    assert side_by_side(python=str(tmp_path / "no-python")) is None
