"""tools/: every script explains itself with --help and does nothing else then;
quick_vs_default.py's comparison."""

import os
import subprocess
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import quick_vs_default  # noqa: E402  (tools/quick_vs_default.py)

TOOLS = sorted(p.name for p in (ROOT / "tools").glob("*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("tool", TOOLS)
def test_help_explains_and_does_nothing_else(tool, tmp_path):
    env = dict(os.environ, JUPYTER_DATA_DIR=str(tmp_path / "jupyter"))
    out = subprocess.run([sys.executable, str(ROOT / "tools" / tool), "--help"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True, env=env,
                         cwd=str(tmp_path), timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("usage: " + tool), out.stderr
    assert not (tmp_path / "jupyter").exists()      # install_kernels.py installed nothing


def test_tools_are_all_listed():
    assert "install_kernels.py" in TOOLS and "quick_vs_default.py" in TOOLS


def test_results_against_themselves_agree_everywhere(capsys):
    """The comparison on the committed results with themselves: every ratio within
    ±20 %, none opposite, deviation 0."""
    rows, walls = quick_vs_default.compare(str(ROOT / "results"), str(ROOT / "results"),
                                           ["boxing", "dispatch"])
    assert rows and all(dev == 0 and not opposite for *_, dev, opposite in rows)
    assert {r[0] for r in rows} == {"boxing", "dispatch"} and walls[0] == walls[1] > 0
    assert quick_vs_default.main([str(ROOT / "results"), str(ROOT / "results"), "boxing",
                                  "--markdown"]) == 0
    out = capsys.readouterr().out
    assert "within ±20% (100.0%), 0 outside, 0 in the opposite direction" in out
