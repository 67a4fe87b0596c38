import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
VENV_PYPY = ROOT / ".venv-pypy" / "bin" / "python"

# Jupyter finds kernels/<name>/kernel.json in the checkout, as under `make`.
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    [str(ROOT)] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p])
os.environ.setdefault("MPLBACKEND", "Agg")

#: the test tiers (pyproject.toml declares them): a test that starts one of these must say so
TIERS = ("pypy", "kernel", "browser", "slow")
#: programs a test of the fast tier may still start: they are quick and start no Python
ALLOWED_IN_CHECK = {"git", "fc-list", "fc-match"}


_running = []     # the test item being set up, run or torn down


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _running.append(item)
    try:
        yield
    finally:
        _running.pop()


def _guard_processes():
    """Under `make check` (JITGAP_TIER=check), a test without a tier marker that starts an
    interpreter, a kernel, a browser or a compiler (in its body or in a fixture of any scope)
    fails and names the marker it needs."""
    real_init = subprocess.Popen.__init__

    def guarded(self, args, *a, **kw):
        argv = [args] if isinstance(args, (str, bytes, os.PathLike)) else list(args)
        program = os.path.basename(str(argv[0])) if argv else ""
        item = _running[-1] if _running else None
        if program not in ALLOWED_IN_CHECK and item is not None and not any(
                item.get_closest_marker(m) for m in TIERS):
            pytest.fail("%s starts %r: mark it with one of %s (pytest.mark.NAME), so `make "
                        "check` leaves it to `make test`"
                        % (item.nodeid, " ".join(map(str, argv))[:120], ", ".join(TIERS)))
        real_init(self, args, *a, **kw)

    subprocess.Popen.__init__ = guarded


if os.environ.get("JITGAP_TIER") == "check":
    _guard_processes()


def write_results(directory, topic, interpreter, values_by_variant, implementation="CPython",
                  version="3.11.7", jit="none", python_version=None, extra=None):
    """A pyperf JSON file as `jitgap run` writes it, with chosen values (seconds)."""
    import pyperf

    benches = []
    for variant, values in values_by_variant.items():
        metadata = {"name": variant, "loops": 1, "cpu_model_name": "Test CPU", "cpu_count": 2,
                    "python_implementation": implementation.lower(),
                    "jitgap_interpreter": interpreter, "jitgap_implementation": implementation,
                    "jitgap_version": version, "jitgap_jit": jit, "jitgap_mode": "quick",
                    "jitgap_python_version": python_version or version}
        metadata.update(extra or {})
        # one worker process per value: the processes are what intervals resample
        runs = [pyperf.Run([v], warmups=None, metadata=metadata, collect_metadata=False)
                for v in values]
        benches.append(pyperf.Benchmark(runs))
    folder = Path(directory) / topic
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (interpreter + ".json")
    pyperf.BenchmarkSuite(benches).dump(str(path), replace=True)
    return path


@pytest.fixture(scope="session")
def talk_deck(tmp_path_factory):
    """The talk built once per test run from the committed results, shared by the xdist
    workers (the first to ask builds it, under a lock; the others wait and read it): the
    path of its HTML file.  Tests read it; none may change it."""
    import fcntl
    from jitgap._deck import build_deck
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent          # the run's folder, above each worker's own
    out = shared / "talk" / "speed_of_pypy.html"
    with open(str(shared / "talk.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not out.exists():            # build_deck writes it whole or not at all
            build_deck(ROOT / "slides" / "speed_of_pypy.rst", out)
    return out


@pytest.fixture
def demo_topic():
    import jitgap
    return jitgap.get_topic(str(DATA / "demo.py"))


@pytest.fixture
def demo_results(tmp_path):
    """results/demo/ with CPython, PyPy and PyPy-JIT-off measurements of known spread."""
    write_results(tmp_path, "demo", "cpython",
                  {"fast": [1.0, 1.1, 0.9], "slow": [3.0, 3.3, 2.7]})
    write_results(tmp_path, "demo", "pypy", {"fast": [0.1, 0.11, 0.09], "slow": [0.3, 0.31, 0.29]},
                  implementation="PyPy", version="7.3.11", jit="on", python_version="3.9.16")
    write_results(tmp_path, "demo", "pypy-nojit",
                  {"fast": [1.2, 1.3, 1.1], "slow": [0.3, 0.31, 0.29]},
                  implementation="PyPy", version="7.3.11", jit="off", python_version="3.9.16")
    return tmp_path


def available_interpreters():
    import jitgap
    return [i for i in jitgap.default_interpreters() if i.available]


def have_pypy():
    return VENV_PYPY.exists() or shutil.which("pypy3") is not None


def run_cli(*args, python=None, env=None, timeout=600):
    """`python -m jitgap ARGS` in a subprocess; returns CompletedProcess (text)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([python or sys.executable, "-m", "jitgap"] + [str(a) for a in args],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, env=full_env, cwd=str(ROOT), timeout=timeout)
