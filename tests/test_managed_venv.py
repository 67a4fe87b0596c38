"""An interpreter given by path that lacks pyperf gets a managed .venv-NAME, made once."""

import subprocess
import sys

import pytest

import jitgap
from jitgap._interpreters import parse_python_spec, with_pyperf


@pytest.fixture
def bare_python(tmp_path):
    """A Python with no pyperf: a fresh venv of the interpreter running the tests."""
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", str(bare)], check=True)
    return bare / "bin" / "python"


@pytest.mark.slow
def test_a_python_without_pyperf_gets_a_venv_once(bare_python, tmp_path, monkeypatch):
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.setenv("JITGAP_ROOT", str(root))
    interp = parse_python_spec("bare=%s" % bare_python)
    assert not interp.info()["pyperf"]
    said = []
    managed = with_pyperf(interp, said.append)
    assert managed.executable == str(root / ".venv-bare" / "bin" / "python")
    assert managed.info()["pyperf"] == jitgap._interpreters.pyperf_pin()
    assert said and ".venv-bare" in said[0]
    again = with_pyperf(parse_python_spec("bare=%s" % bare_python), said.append)
    assert again.executable == managed.executable and len(said) == 1   # reused, not remade


@pytest.mark.slow
def test_a_python_that_has_pyperf_is_used_as_it_is():
    interp = parse_python_spec("same=%s" % sys.executable)
    assert with_pyperf(interp) is interp
