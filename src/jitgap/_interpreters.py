"""The interpreters a topic is measured under.

By default: ``cpython``, ``pypy`` and ``pypy-nojit`` (the same PyPy started with
``--jit off``, i.e. PyPy's interpreter alone).  Each is looked up in this order:

* ``JITGAP_CPYTHON`` / ``JITGAP_PYPY`` (a path, or a command such as ``pypy3``);
* the project's virtual environments ``.venv/bin/python`` / ``.venv-pypy/bin/python``
  (made by ``make setup``; they have pyperf installed);
* for CPython the running interpreter when it is CPython, else ``python3`` on PATH;
  for PyPy ``pypy3`` on PATH.

More interpreters are given as ``NAME=PATH`` (``py313=/usr/bin/python3.13``); the path
may carry options (``NAME=PATH --jit off``).  An interpreter that is missing is kept
with the reason, so the others are still measured and the user is told why one is not.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys

from ._errors import JitgapError
from ._paths import project_root

REFERENCE = "cpython"
DEFAULT_NAMES = ("cpython", "pypy", "pypy-nojit")

_PROBE = r"""
import json, platform, sys
info = {"implementation": platform.python_implementation(),
        "python_version": platform.python_version(),
        "executable": sys.executable}
if hasattr(sys, "pypy_version_info"):
    info["pypy_version"] = "%d.%d.%d" % sys.pypy_version_info[:3]
try:
    import pyperf
    info["pyperf"] = pyperf.__version__
except Exception as exc:
    info["pyperf"] = None
    info["pyperf_error"] = "%s: %s" % (type(exc).__name__, exc)
print(json.dumps(info))
"""

#: PyPy's garbage collector reads these from the environment (its nursery size, when to
#: collect, ...); a run passes those set to pyperf's workers and records them
GC_ENV_PREFIX = "PYPY_GC_"
#: what PyPy's log prints of its GC's sizing at start-up (``PYPYLOG``), read by the probe
_GC_LOG = "gc-set-nursery-size,gc-hardware:-"
_NURSERY = re.compile(r"^nursery size: (\d+)$", re.M)
_CACHE = re.compile(r"^L2cache = (\d+)$", re.M)


#: a nursery larger than this is not what PyPy chooses on a typical desktop or laptop
#: (from the cache size /proc/cpuinfo reports: 0.5-2 MB on AMD, which reports its L2, a
#: few MB to a few tens on Intel, which reports its L3); a virtual machine may report its
#: host's cache instead: 480 MB on one of these machines
LARGE_NURSERY = 64 * 2 ** 20
#: what PyPy takes when it cannot read a cache size (its documentation: "1/2 of your
#: cache or 4M"): the size :func:`nursery_warning` suggests
SUGGESTED_NURSERY = "4MB"


def megabytes(size):
    """``size`` bytes as a short text: ``1 MB``, ``240 MB``, ``512 KB``."""
    if size >= 2 ** 20:
        return "%g MB" % round(size / float(2 ** 20), 1)
    return "%g KB" % round(size / 1024.0, 1)


def nursery_warning(name, nursery, settings=""):
    """Why results of PyPy (``name``) run with a GC nursery of ``nursery`` bytes do not
    stand for a typical machine, and the fix; ``None`` when they do (or when the size was
    chosen on purpose: ``settings``, the ``PYPY_GC_*`` variables it ran with)."""
    if not nursery or nursery <= LARGE_NURSERY or "PYPY_GC_NURSERY" in (settings or ""):
        return None
    return ("%s ran with a GC nursery of %s, which PyPy sized from the cache this machine "
            "reports (a virtual machine may report its host's): code that allocates reads "
            "faster here than on a typical machine, whose nursery is a few MB; to measure as "
            "on one, re-run with PYPY_GC_NURSERY=%s in the environment" % (
                name, megabytes(nursery), SUGGESTED_NURSERY))


def gc_environment(environ=None):
    """``{name: value}`` of PyPy's GC variables (``PYPY_GC_*``) set in ``environ`` (an
    empty one is not set: PyPy takes its default)."""
    environ = os.environ if environ is None else environ
    return {k: v for k, v in sorted(environ.items()) if k.startswith(GC_ENV_PREFIX) and v}


def gc_settings(environ=None):
    """PyPy's GC variables set in ``environ`` as one text, ``PYPY_GC_NURSERY=4MB ...``
    (``""`` if none)."""
    return " ".join("%s=%s" % kv for kv in gc_environment(environ).items())


def _gc_sizes(stderr):
    """``{"gc_nursery": bytes, "gc_cache": bytes}``: what PyPy's log says its GC chose at
    start-up (the last nursery size it set; the cache size it read), ``{}`` if it says
    nothing (not PyPy, or a PyPy without that log)."""
    out = {}
    nursery, cache = _NURSERY.findall(stderr or ""), _CACHE.findall(stderr or "")
    if nursery:
        out["gc_nursery"] = int(nursery[-1])
    if cache:
        out["gc_cache"] = int(cache[-1])
    return out


_INSTALL_HINT = {
    "pypy": "install PyPy with `make setup` (or: sudo apt-get install -y pypy3 pypy3-venv "
            "pypy3-dev), or point JITGAP_PYPY at a PyPy",
    "cpython": "run `make setup`, or point JITGAP_CPYTHON at a CPython with pyperf",
}


class Interpreter:
    """A named command line that starts a Python (``argv``), or a reason it cannot."""

    def __init__(self, name, argv=None, missing=None):
        self.name = name
        self.argv = list(argv) if argv else []
        self.missing = missing
        self._info = None

    def __repr__(self):
        return "Interpreter(%r, %r)" % (self.name, self.argv or self.missing)

    @property
    def available(self):
        return not self.missing

    @property
    def executable(self):
        return self.argv[0] if self.argv else None

    @property
    def options(self):
        return self.argv[1:]

    def info(self):
        """Implementation, versions and pyperf availability (runs the interpreter once).

        Raises :class:`JitgapError` naming the interpreter when it cannot be run or
        is not a Python.
        """
        if self._info is not None:
            return self._info
        if self.missing:
            raise JitgapError("%s: %s" % (self.name, self.missing), interpreter=self.name,
                              reason=self.missing)
        try:
            proc = subprocess.run(self.argv + ["-c", _PROBE], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, universal_newlines=True, timeout=60,
                                  env=dict(os.environ, PYPYLOG=_GC_LOG))
        except OSError as exc:
            reason = "cannot run %s: %s" % (self.executable, exc.strerror)
            raise JitgapError("%s: %s" % (self.name, reason), interpreter=self.name,
                              reason=reason)
        except subprocess.TimeoutExpired:
            reason = "%s did not answer within 60 s" % self.executable
            raise JitgapError("%s: %s" % (self.name, reason), interpreter=self.name,
                              reason=reason)
        try:
            info = json.loads(proc.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            reason = "%s does not look like a Python interpreter (%s)" % (
                " ".join(self.argv), detail[-1] if detail else "exit code %s" % proc.returncode)
            raise JitgapError("%s: %s" % (self.name, reason), interpreter=self.name,
                              reason=reason)
        info["jit"] = "off" if _jit_disabled(self.options) else (
            "on" if info["implementation"] == "PyPy" else "none")
        if info["implementation"] == "PyPy":
            info.update(_gc_sizes(proc.stderr))
        self._info = info
        return info

    def label(self):
        """Human name with versions, e.g. ``PyPy 7.3.11 (Python 3.9.16)``."""
        try:
            return label_from_info(self.info())
        except JitgapError:
            return self.name


def label_from_info(info):
    impl = info.get("implementation", "?")
    if impl == "C":   # a C twin (jitgap._native): the compiler, e.g. "C (gcc 12.2.0 -O2)"
        return "C (%s)" % info["compiler"] if info.get("compiler") else "C"
    if impl == "PyPy" and info.get("pypy_version"):
        text = "PyPy %s (Python %s)" % (info["pypy_version"], info["python_version"])
    else:
        text = "%s %s" % (impl, info.get("python_version", "?"))
    if info.get("jit") == "off":
        text += ", JIT off"
    return text


def _jit_disabled(options):
    for i, opt in enumerate(options):
        if opt == "--jit" and i + 1 < len(options) and options[i + 1] == "off":
            return True
        if opt == "--jit=off":
            return True
    return False


def _from_env_or_venv(env_var, venv, fallbacks):
    value = os.environ.get(env_var)
    if value:
        argv = shlex.split(value)
        path = shutil.which(argv[0])
        if not path:
            return None, "%s=%s: no such interpreter" % (env_var, value)
        return [path] + argv[1:], None
    venv_python = project_root() / venv / "bin" / "python"
    if venv_python.exists():
        return [str(venv_python)], None
    for candidate in fallbacks:
        path = shutil.which(candidate) if candidate else None
        if path:
            return [path], None
    return None, "not found"


def default_interpreters():
    """The three default interpreters, each either runnable or carrying why it is not."""
    cpython_fallbacks = [sys.executable if sys.implementation.name == "cpython" else None,
                         "python3"]
    cpython, why = _from_env_or_venv("JITGAP_CPYTHON", ".venv", cpython_fallbacks)
    result = [Interpreter("cpython", cpython,
                          missing=why and "CPython %s; %s" % (why, _INSTALL_HINT["cpython"]))]
    pypy, why = _from_env_or_venv("JITGAP_PYPY", ".venv-pypy", ["pypy3"])
    missing = why and "PyPy %s; %s" % (why, _INSTALL_HINT["pypy"])
    result.append(Interpreter("pypy", pypy, missing=missing))
    result.append(Interpreter("pypy-nojit", pypy and pypy + ["--jit", "off"], missing=missing))
    return result


def parse_python_spec(spec):
    """``NAME=PATH [OPTIONS]`` -> :class:`Interpreter` (missing if PATH does not exist)."""
    name, sep, command = spec.partition("=")
    name = name.strip()
    if not sep or not name or not command.strip():
        raise JitgapError("--python expects NAME=PATH (e.g. py313=/usr/bin/python3.13), got %r"
                          % spec)
    if not all(c.isalnum() or c in "-_." for c in name):
        raise JitgapError("interpreter name %r: use letters, digits, '-', '_' or '.'" % name)
    argv = shlex.split(command)
    path = shutil.which(argv[0]) or (argv[0] if os.path.isfile(argv[0]) else None)
    if not path:
        return Interpreter(name, missing="%s: no such file or command" % argv[0])
    if not os.access(path, os.X_OK):
        return Interpreter(name, missing="%s is not executable" % path)
    return Interpreter(name, [os.path.abspath(path) if os.sep in path else path] + argv[1:])


def pyperf_pin():
    """The pyperf version the project pins (requirements.txt), else the one running here."""
    req = project_root() / "requirements.txt"
    if req.is_file():
        for line in req.read_text(encoding="utf-8").splitlines():
            text = line.split("#", 1)[0].split(";", 1)[0].strip()
            if text.startswith("pyperf=="):
                return text[len("pyperf=="):]
    import pyperf
    return pyperf.__version__


def with_pyperf(interp, echo=None):
    """``interp`` able to import pyperf: itself if it can, else the same interpreter in a
    virtual environment of the project, ``.venv-NAME``, made once (pyperf pinned as in
    requirements.txt) and reused.  Raises :class:`JitgapError` saying what failed."""
    if interp.info().get("pyperf"):
        return interp
    venv = project_root() / (".venv-" + interp.name)
    python = venv / "bin" / "python"
    if not python.exists():
        pin = pyperf_pin()
        if echo is not None:
            echo("%s has no pyperf: making %s with pyperf==%s (once)\n" % (
                interp.name, venv.name, pin))
        for cmd in ([interp.executable, "-m", "venv", str(venv)],
                    [str(python), "-m", "pip", "install", "--quiet",
                     "--disable-pip-version-check", "pyperf==%s" % pin]):
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  universal_newlines=True)
            if proc.returncode != 0:
                if venv.exists() and cmd[1:3] == ["-m", "venv"]:
                    shutil.rmtree(str(venv), ignore_errors=True)
                raise JitgapError("%s: cannot make %s (%s): %s" % (
                    interp.name, venv, " ".join(cmd[:3]),
                    (proc.stdout.strip().splitlines() or ["exit %d" % proc.returncode])[-1]))
    managed = Interpreter(interp.name, [str(python)] + interp.options)
    if not managed.info().get("pyperf"):
        raise JitgapError("%s: %s cannot import pyperf (%s); delete %s to make it again"
                          % (interp.name, python, managed.info().get("pyperf_error"), venv))
    return managed


def parse_only(text):
    """``--only cpython, pypy`` -> ``["cpython", "pypy"]`` (``None`` for no text: all)."""
    return [name.strip() for name in text.split(",")] if text else None


def select_interpreters(extra=(), only=None):
    """Defaults plus ``NAME=PATH`` specs (same name replaces), optionally filtered."""
    interpreters = {i.name: i for i in default_interpreters()}
    for spec in extra:
        interp = spec if isinstance(spec, Interpreter) else parse_python_spec(spec)
        interpreters[interp.name] = interp
    if only:
        unknown = [n for n in only if n not in interpreters]
        if unknown:
            raise JitgapError("unknown interpreter(s) %s (known: %s)"
                              % (", ".join(unknown), ", ".join(interpreters)))
        return [interpreters[n] for n in only]
    return list(interpreters.values())
