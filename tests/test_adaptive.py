"""The adaptive mode's decisions between looks (no process is started here)."""

import pytest

from conftest import write_results
from jitgap import check
from jitgap._adaptive import LEVEL, PROCESS_OVERHEAD, expected_seconds, next_look, pending

PYPY = dict(implementation="PyPy", version="7.3.11", jit="on", python_version="3.9.16")


def _results(tmp_path, pypy_extra=None):
    write_results(tmp_path, "demo", "cpython",
                  {"fast": [1.0, 1.1, 0.9], "slow": [3.0, 3.3, 2.7]},
                  extra={"duration": 2.0})
    write_results(tmp_path, "demo", "pypy",
                  {"fast": [0.05, 0.15, 0.1], "slow": [0.3, 0.31, 0.29]},
                  extra=dict({"duration": 4.0}, **(pypy_extra or {})), **PYPY)
    return tmp_path


def test_an_undecided_claim_asks_for_another_look(demo_topic, tmp_path):
    need, why = pending(demo_topic, _results(tmp_path))
    assert "fast" in need["pypy"] and "fast" in need["cpython"]
    assert ("demo/pypy-wins", "inconclusive") in why


def test_a_variant_that_does_not_settle_is_not_measured_again(demo_topic, tmp_path):
    """Its processes hit the warm-up cap: more of them would measure the warm-up."""
    need, why = pending(demo_topic, _results(tmp_path, {"jitgap_steady": 0}))
    assert not need.get("pypy")
    assert all(key != "demo/pypy-wins" for key, _ in why)
    assert ("demo/fast-beats-slow", "wide") in why    # CPython's own claim still is


def test_a_look_is_expected_to_last_as_long_as_the_processes_so_far(demo_topic, tmp_path):
    directory = _results(tmp_path)
    plan = {"cpython": ["fast"], "pypy": ["fast", "slow"]}
    expected = expected_seconds(demo_topic, plan, 3, directory)
    assert expected == pytest.approx(3 * (2.0 + 4.0 + 4.0 + 3 * PROCESS_OVERHEAD))


def _sitting(tmp_path, pypy_fast, processes=6):
    """PyPy's "fast" about 2x (pypy-wins' threshold) or clear of it, over ``processes``."""
    write_results(tmp_path, "demo", "cpython",
                  {"fast": [1.0, 1.02, 0.98, 1.01, 0.99, 1.0][:processes],
                   "slow": [3.0, 3.03, 2.97, 3.0, 3.01, 2.99][:processes]})
    write_results(tmp_path, "demo", "pypy", {"fast": pypy_fast[:processes],
                                             "slow": [0.3, 0.31, 0.29, 0.3, 0.3, 0.3][:processes]},
                  **PYPY)
    return tmp_path


def test_a_claim_on_its_threshold_is_not_measured_further(demo_topic, tmp_path):
    """2.0x against "at least 2x": narrowly, it is decided ("borderline"); with processes
    spread too widely for even 16 of them to put it within 5 % of 2x, it is futile; in
    between, it is measured until it is borderline."""
    narrow = _sitting(tmp_path / "narrow", [0.5, 0.52, 0.48, 0.51, 0.49, 0.5])
    need, why = pending(demo_topic, narrow)
    assert "demo/pypy-wins" not in dict(why) and "fast" not in need.get("pypy", ())
    assert {v.claim.id: v.verdict for v in check(demo_topic, narrow, LEVEL)}[
        "pypy-wins"] == "borderline"
    need, why = pending(demo_topic, _sitting(tmp_path / "spread",
                                             [0.45, 0.55, 0.42, 0.58, 0.5, 0.5]))
    assert ("demo/pypy-wins", "futile (inconclusive)") in why
    assert "fast" not in need.get("pypy", ())
    need, why = pending(demo_topic, _sitting(tmp_path / "between",
                                             [0.47, 0.53, 0.49, 0.51, 0.46, 0.54]))
    assert ("demo/pypy-wins", "inconclusive") in why and "fast" in need["pypy"]


def test_futility_needs_enough_processes_and_a_hopeless_interval(demo_topic, tmp_path):
    """Three processes say too little about the spread; a ratio clear of the threshold
    with a wide interval is worth another look."""
    sitting = [0.5, 0.52, 0.48, 0.51, 0.49, 0.5]
    need, why = pending(demo_topic, _sitting(tmp_path / "few", sitting, processes=3))
    assert ("demo/pypy-wins", "inconclusive") in why and "fast" in need["pypy"]
    need, why = pending(demo_topic, _sitting(tmp_path / "clear", [0.4, 0.5, 0.3, 0.45, 0.35,
                                                                  0.4]))
    assert ("demo/pypy-wins", "inconclusive") in why and "fast" in need["pypy"]


def test_a_futile_claim_is_announced_once(demo_topic, tmp_path, monkeypatch):
    """The progress names a claim the first look it is found futile, not every look after."""
    from jitgap import _adaptive

    class Interp:
        name, missing = "cpython", None

        def label(self):
            return "CPython"

    looks = []

    def pending(topic, directory=None):
        looks.append(1)
        return {"cpython": {"fast"}}, {"cpython": {"fast"}}, [
            ("demo/pypy-wins", "futile (inconclusive)"), ("demo/fast-beats-slow", "wide")]

    monkeypatch.setattr(_adaptive, "_pending", pending)
    monkeypatch.setattr(_adaptive, "up_to_date", lambda *a, **k: None)
    monkeypatch.setattr(_adaptive, "probe_noise", lambda echo, report: {})
    monkeypatch.setattr(_adaptive, "expected_seconds", lambda *a, **k: 0.0)
    monkeypatch.setattr(_adaptive, "run_one", lambda *a, **k: tmp_path / "cpython.json")
    monkeypatch.setattr(_adaptive, "_tag_level", lambda path: None)
    shown = []
    _adaptive.run_adaptive(demo_topic, [Interp()], directory=tmp_path, echo=shown.append,
                           native=False)
    assert len(looks) == _adaptive.LOOKS - 1
    said = [line for line in shown if "not measured further" in line]
    assert len(said) == 1 and "look 2" in said[0] and "demo/pypy-wins" in said[0]


def test_an_undecided_claim_on_the_mean_measures_its_variants(tmp_path):
    """"mean on pypy ..." is measured from every variant on both interpreters: another
    look measures those (there is no variant called "mean")."""
    import jitgap
    from conftest import DATA
    bench = tmp_path / "means.py"
    bench.write_text((DATA / "demo.py").read_text().replace(
        '"fast-beats-slow"', '"mean-wins": "mean on pypy is faster than on cpython by at '
        'least 5x",\n    "fast-beats-slow"'))
    topic = jitgap.get_topic(str(bench))
    write_results(tmp_path / "r", "means", "cpython",
                  {"fast": [1.0, 1.02, 0.98], "slow": [3.0, 3.03, 2.97]})
    write_results(tmp_path / "r", "means", "pypy",      # about 5x, not clear of it
                  {"fast": [0.15, 0.2, 0.25], "slow": [0.5, 0.6, 0.7]}, **PYPY)
    need, why = pending(topic, tmp_path / "r")
    assert ("means/mean-wins", "inconclusive") in why
    assert need["pypy"] >= {"fast", "slow"} and need["cpython"] >= {"fast", "slow"}
    assert "mean" not in need["pypy"] | need["cpython"]


def test_narrowing_stops_at_its_budget_deciding_does_not(demo_topic, tmp_path):
    """fast-beats-slow (CPython, 3x) is decided with a wide interval; pypy-wins is
    undecided.  Past the narrowing budget a look measures only what pypy-wins needs."""
    directory = _results(tmp_path)
    need, why = pending(demo_topic, directory)
    assert ("demo/fast-beats-slow", "wide") in why and "slow" in need["cpython"]
    decide, _ = pending(demo_topic, directory, narrow=False)
    assert "slow" not in decide["cpython"] and "fast" in decide["pypy"]
    names = ["cpython", "pypy"]
    look = next_look(demo_topic, 2, 0.0, names, directory, budget=1000, narrow_budget=1000)
    assert look.plan == {"cpython": ["fast", "slow"], "pypy": ["fast"]}
    assert not look.unnarrowed and look.stop is None
    look = next_look(demo_topic, 2, 50.0, names, directory, budget=1000, narrow_budget=60)
    assert look.plan == {"cpython": ["fast"], "pypy": ["fast"]}, look.plan
    assert "demo/fast-beats-slow" in look.unnarrowed and look.stop is None
    look = next_look(demo_topic, 2, 50.0, names, directory, budget=60, narrow_budget=60)
    assert look.plan == {} and look.stop == "budget"
    look = next_look(demo_topic, 2, 0.0, ["cpython"], directory, budget=1000,
                     narrow_budget=1000)
    assert list(look.plan) == ["cpython"]      # only the interpreters asked for


def test_the_progress_names_the_intervals_left_wide(demo_topic, tmp_path, monkeypatch):
    """Past the narrowing budget a look measures what the undecided claim needs, says
    which intervals it leaves wide, and the run ends when only those are left."""
    from jitgap import _adaptive

    class Interp:
        name, missing = "cpython", None

        def label(self):
            return "CPython"

    def pending(topic, directory=None):
        decide = {"cpython": {"fast"}} if len({look for look, _ in measured}) < 2 else {}
        return {"cpython": {"fast", "slow"}}, decide, [
            ("demo/pypy-wins", "inconclusive"), ("demo/fast-beats-slow", "wide")]

    measured = []
    monkeypatch.setattr(_adaptive, "_pending", pending)
    monkeypatch.setattr(_adaptive, "up_to_date", lambda *a, **k: None)
    monkeypatch.setattr(_adaptive, "probe_noise", lambda echo, report: {})
    monkeypatch.setattr(_adaptive, "expected_seconds", lambda topic, plan, *a: 10.0 * sum(
        len(vs) for vs in plan.values()))
    monkeypatch.setattr(_adaptive, "run_one", lambda *a, **k: measured.append(
        (k["first_round"] // 100, k["only"])) or tmp_path / "cpython.json")
    monkeypatch.setattr(_adaptive, "_tag_level", lambda path: None)
    shown = []
    _adaptive.run_adaptive(demo_topic, [Interp()], directory=tmp_path, echo=shown.append,
                           native=False, budget=1000, narrow_budget=15)
    assert measured == [(1, None)] * 3 + [(2, ["fast"])] * 3     # look 2: 3 rounds
    said = "".join(shown)
    assert "look 2: intervals left wide" in said and "demo/fast-beats-slow" in said
    assert "look 3: every claim decided\n" in said


def test_interpreters_and_the_c_twin_take_turns_round_by_round(demo_topic, tmp_path,
                                                              monkeypatch):
    """A look runs round by round, every interpreter once per round (who goes first
    rotating), and the C twin's processes go in chunks between the first look's rounds:
    a noisy minute falls on all of them, not on one interpreter's whole look."""
    from jitgap import _adaptive

    class Interp:
        missing = None

        def __init__(self, name):
            self.name = name

        def label(self):
            return self.name

    class Compiler:
        missing = None

    calls = []

    def run_one(topic, interp, *a, **k):
        calls.append((interp.name, k["first_round"], k["append"], k["rounds"]))
        return tmp_path / (interp.name + ".json")

    def run_twin(*a, **k):
        calls.append(("c", k["processes"], k["append"]))
        return tmp_path / "c.json"

    monkeypatch.setattr(_adaptive, "_pending", lambda topic, directory=None: (
        {"pypy": {"fast"}}, {"pypy": {"fast"}}, [("demo/pypy-wins", "inconclusive")]))
    monkeypatch.setattr(_adaptive, "up_to_date", lambda *a, **k: None)
    monkeypatch.setattr(_adaptive, "probe_noise", lambda echo, report: {})
    monkeypatch.setattr(_adaptive, "expected_seconds", lambda *a, **k: 0.0)
    monkeypatch.setattr(_adaptive, "run_one", run_one)
    monkeypatch.setattr(_adaptive, "run_twin", run_twin)
    monkeypatch.setattr(_adaptive.CCompiler, "find", staticmethod(lambda: Compiler()))
    monkeypatch.setattr(type(demo_topic), "c_path", property(lambda self: tmp_path / "x.c"))
    tagged = []
    monkeypatch.setattr(_adaptive, "_tag_level", tagged.append)
    report = _adaptive.run_adaptive(demo_topic, [Interp("cpython"), Interp("pypy")],
                                    directory=tmp_path, native=True, budget=1000,
                                    narrow_budget=1000)
    assert calls[:9] == [("cpython", 100, False, 1), ("pypy", 100, False, 1), ("c", 4, False),
                         ("pypy", 101, True, 1), ("cpython", 101, True, 1), ("c", 3, True),
                         ("cpython", 102, True, 1), ("pypy", 102, True, 1), ("c", 3, True)]
    assert sum(c[1] for c in calls if c[0] == "c") == _adaptive.TWIN_PROCESSES
    # later looks: only what the undecided claim needs, round by round, no twin
    assert calls[9:] == [("pypy", 200, True, 1), ("pypy", 201, True, 1), ("pypy", 202, True, 1),
                         ("pypy", 300, True, 1), ("pypy", 301, True, 1), ("pypy", 302, True, 1),
                         ("pypy", 303, True, 1)] + [("pypy", 400 + k, True, 1) for k in range(6)]
    assert sorted(report.written) == ["c", "cpython", "pypy"]
    assert tmp_path / "c.json" not in tagged and len(tagged) == 2


def test_the_twin_chunks_add_up():
    from jitgap._adaptive import twin_chunks
    assert twin_chunks(10, 3) == [4, 3, 3]
    assert twin_chunks(2, 3) == [1, 1, 0]
    assert sum(twin_chunks(11, 4)) == 11
