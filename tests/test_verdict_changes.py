"""tools/verdict_changes.py: what a new `make bench` changed, claim by claim."""

import sys

from conftest import DATA, ROOT, write_results

sys.path.insert(0, str(ROOT / "tools"))
import verdict_changes  # noqa: E402  (tools/verdict_changes.py)

PYPY = dict(implementation="PyPy", version="7.3.11", jit="on", python_version="3.9.16")


def _run(directory, pypy_fast, wall):
    """demo results: CPython's fast at 1 s, PyPy's at ``pypy_fast`` (its pypy-wins claim
    is "at least 2x"), each result with ``wall`` seconds of recorded wall time."""
    extra = {"jitgap_wall_s": wall}
    write_results(directory, "demo", "cpython", {
        "fast": [1.0, 1.02, 0.98, 1.01, 0.99, 1.0],
        "slow": [3.0, 3.03, 2.97, 3.0, 3.01, 2.99]}, extra=extra)
    write_results(directory, "demo", "pypy", {"fast": pypy_fast,
                                              "slow": [0.3, 0.31, 0.29, 0.3, 0.3, 0.3]},
                  extra=extra, **PYPY)
    return directory


def test_changed_verdicts_moved_ratios_minutes_and_counts(tmp_path):
    old = _run(tmp_path / "old", [0.5, 0.51, 0.49, 0.5, 0.5, 0.5], 60)        # 2.0x
    new = _run(tmp_path / "new", [0.1, 0.101, 0.099, 0.1, 0.1, 0.1], 90)      # 10x
    lines = verdict_changes.report(old, new, [str(DATA / "demo.py")])
    text = "\n".join(lines)
    assert lines[0].startswith("old %s: 2.0 minutes of recorded wall time; 3 claims: "
                               "1 holds, 1 borderline, 1 unmeasured" % old), text
    assert lines[1].startswith("new %s: 3.0 minutes" % new), text
    assert "CPython's values spread by" in lines[0]
    assert "1 verdicts changed:" in lines
    assert "  demo/pypy-wins: borderline -> holds" in lines
    assert any(line.startswith("      new: fast on PyPy is 10.0") for line in lines), text
    # the same verdict, the ratio 1.0x -> 1.0x: not moved
    assert "0 ratios moved by more than 10 % with the same verdict" in lines


def test_a_same_verdict_ratio_that_moved_is_named(tmp_path):
    old = _run(tmp_path / "old", [0.2, 0.201, 0.199, 0.2, 0.2, 0.2], 60)      # 5x
    new = _run(tmp_path / "new", [0.1, 0.101, 0.099, 0.1, 0.1, 0.1], 60)      # 10x
    lines = verdict_changes.report(old, new, [str(DATA / "demo.py")])
    assert "0 verdicts changed" in lines
    assert "  demo/pypy-wins (holds): 5 -> 10 (x2.00)" in lines, "\n".join(lines)


def test_a_missing_folder_is_an_error(tmp_path, capsys):
    assert verdict_changes.main([str(tmp_path), str(tmp_path / "nowhere")]) == 1
    assert "no results folder" in capsys.readouterr().err


def test_git_rev_stands_for_the_committed_results(capsys):
    """``git:HEAD``: results/ as committed, so make bench can end with what it changed
    (compared with itself here, so that a bench in progress does not change the answer)."""
    assert verdict_changes.main(["git:HEAD", "git:HEAD", "--topics", "dispatch"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("old git:HEAD: ") and "\nnew git:HEAD: " in out
    import jitgap
    claims = len(jitgap.get_topic("dispatch").claims)
    assert "%d claims:" % claims in out and "0 verdicts changed" in out


def test_an_unknown_git_rev_is_an_error_that_names_it(capsys):
    assert verdict_changes.main(["git:no-such-rev", str(ROOT / "results")]) == 1
    assert "git:no-such-rev: no committed results there" in capsys.readouterr().err
