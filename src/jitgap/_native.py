"""The C bar: a topic's C twin, compiled ahead of time, as the limit a JIT can approach.

``benchmarks/<topic>.c`` holds some of the topic's variants written in C (see
``benchmarks/jitgap_c.h``).  :func:`run_twin` compiles it with the system compiler
(``$CC``, else ``cc``, ``gcc`` or ``clang`` on PATH) with ``-O2`` into a shared library
and times each variant with pyperf through ctypes (``_cdriver.py``, run by CPython), so
the result is a pyperf JSON like the interpreters': ``results/<topic>/c.json``, tagged
with the compiler's name and version.  With no compiler the C bar is skipped with a note
saying how to get one; nothing else changes.
"""

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ._errors import JitgapError
from ._interpreters import Interpreter, default_interpreters
from ._paths import results_dir
from ._pyperf import (DEFAULT_MEMORY_GB, DEFAULT_TIMEOUT, NATIVE_MODES, check_mode, run_pyperf,
                      store_suite, stored_matches, with_stored)
from ._topics import get_topic

#: the name of the C "interpreter" in results, claims and ``--only``
NAME = "c"
CFLAGS = ("-O2",)
_CANDIDATES = ("cc", "gcc", "clang")
_DRIVER = Path(__file__).with_name("_cdriver.py")


class CCompiler:
    """The system C compiler (``argv``), or why there is none (``missing``)."""

    name = NAME

    def __init__(self, argv=None, missing=None):
        self.argv = list(argv) if argv else []
        self.missing = missing
        self._version = None

    def __repr__(self):
        return "CCompiler(%r)" % (self.argv or self.missing)

    @classmethod
    def find(cls):
        """``$CC`` if set, else the first of cc, gcc, clang on PATH."""
        env = os.environ.get("CC")
        if env:
            argv = shlex.split(env)
            path = shutil.which(argv[0]) if argv else None
            if not path:
                return cls(missing="CC=%s: no such compiler; the C bar is skipped (point CC "
                                   "at a C compiler, or unset it)" % env)
            return cls([path] + argv[1:])
        for candidate in _CANDIDATES:
            path = shutil.which(candidate)
            if path:
                return cls([path])
        return cls(missing="no C compiler found (tried %s on PATH): the C bar is skipped; "
                           "install one (Debian: sudo apt-get install -y gcc) or set CC"
                           % ", ".join(_CANDIDATES))

    @property
    def command(self):
        """What the result files record, e.g. ``cc -O2 (gcc 12.2.0)``."""
        return "%s %s (%s)" % (os.path.basename(self.argv[0]), " ".join(CFLAGS), self.version())

    def version(self):
        """``gcc 12.2.0``, ``clang 16.0.6``, or the first line of ``--version``."""
        if self._version is None:
            try:
                out = subprocess.run(self.argv + ["--version"], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, universal_newlines=True,
                                     timeout=60).stdout
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise JitgapError("c: cannot run %s --version: %s" % (self.argv[0], exc))
            self._version = parse_version(out)
        return self._version

    def label(self):
        if self.missing:
            return "C (no compiler)"
        return "C (%s %s)" % (self.version(), " ".join(CFLAGS))

    def compile(self, topic, folder):
        """Build ``topic``'s C twin into ``folder``; return the shared library's path.

        Raises :class:`JitgapError` naming the C file, with the compiler's messages.
        """
        if self.missing:
            raise JitgapError("c: %s" % self.missing)
        out = Path(folder) / (topic.name + ".so")
        cmd = self.argv + list(CFLAGS) + ["-shared", "-fPIC", "-o", str(out), str(topic.c_path)]
        try:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  universal_newlines=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise JitgapError("c: cannot compile %s: %s" % (topic.c_path, exc))
        if proc.returncode != 0 or not out.exists():
            lines = proc.stdout.strip().splitlines()
            raise JitgapError("c: %s failed on %s (exit code %s):\n%s" % (
                " ".join(self.argv + list(CFLAGS)), topic.c_path, proc.returncode,
                "\n".join(lines[-12:])))
        return out


def parse_version(text):
    """The compiler's name and version from its ``--version`` output."""
    first = (text.strip().splitlines() or ["unknown compiler"])[0]
    number = re.search(r"(\d+\.\d+(?:\.\d+)?)(?!.*\d+\.\d+)", first)
    if "clang" in text.lower():
        found = re.search(r"clang version (\d+\.\d+(?:\.\d+)?)", text)
        return "clang %s" % (found.group(1) if found else (number.group(1) if number else "?"))
    if "free software foundation" in text.lower() or "gcc" in first.lower():
        return "gcc %s" % (number.group(1) if number else "?")
    return first.strip()


def twin_digest(topic):
    """sha256 (16 hex digits) of the C twin, the headers it includes from its folder and
    the flags: a change to any of them makes its stored result stale."""
    h = hashlib.sha256(" ".join(CFLAGS).encode("utf-8"))
    text = topic.c_path.read_text(encoding="utf-8")
    h.update(text.encode("utf-8"))
    for header in sorted(set(re.findall(r'^\s*#\s*include\s+"([^"]+)"', text, re.MULTILINE))):
        path = topic.c_path.parent / header
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _host():
    """The Python that runs the ctypes driver: the reference CPython, else this one."""
    cpython = default_interpreters()[0]
    return cpython if cpython.available else Interpreter("host", [sys.executable])


def twin_up_to_date(topic, compiler, mode, directory=None):
    """The stored C result if measured in ``mode`` by this compiler from the current twin."""
    path = results_dir(directory) / topic.name / (NAME + ".json")
    if stored_matches(path, twin_digest(topic), mode, compiler.command, topic.c_variants):
        return path
    return None


def run_twin(topic, compiler=None, mode="quick", directory=None, echo=None,
             timeout=DEFAULT_TIMEOUT, quiet=False, memory_gb=DEFAULT_MEMORY_GB,
             processes=None, append=False):
    """Compile ``topic``'s C twin and time it; return the path of ``results/<topic>/c.json``.

    ``processes``: this many worker processes instead of the mode's; ``append``: add them
    to the stored result (the adaptive mode spreads the twin's processes over the rounds
    of its first look, between the interpreters').
    Raises :class:`JitgapError` (naming the C file) when there is no twin, no compiler,
    the build fails or the run fails; the other results are not touched.
    """
    topic = get_topic(topic)
    check_mode(mode)
    compiler = compiler or CCompiler.find()
    if topic.c_path is None:
        raise JitgapError("c: %s has no C twin (%s)" % (topic.name, topic.path.with_suffix(".c")))
    if compiler.missing:
        raise JitgapError("c: %s" % compiler.missing)
    variants = topic.c_variants
    if not variants:
        raise JitgapError("c: %s defines no JITGAP_BENCH(variant)" % topic.c_path)
    host = _host()
    final = results_dir(directory) / topic.name / (NAME + ".json")
    final.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jitgap-c-") as tmpdir:
        lib = compiler.compile(topic, tmpdir)
        raw = Path(tmpdir) / "raw.json"
        options = list(NATIVE_MODES[mode])
        if processes is not None:
            if "--processes" in options:
                options[options.index("--processes") + 1] = str(processes)
            else:
                options += ["--processes", str(processes)]
        cmd = host.argv + [str(_DRIVER), "--lib", str(lib), "--names", ",".join(variants),
                           "-o", str(raw)] + options + (["--quiet"] if quiet else [])
        started = time.time()
        suite = run_pyperf(cmd, raw, NAME, topic.c_path, echo=echo, timeout=timeout,
                           memory_gb=memory_gb)
        suite, wall = with_stored(suite, time.time() - started, final, append)
        tags = {
            "jitgap_interpreter": NAME,
            "jitgap_command": compiler.command,
            "jitgap_compiler": "%s %s" % (compiler.version(), " ".join(CFLAGS)),
            "jitgap_jit": "none",
            "jitgap_implementation": "C",
            "jitgap_version": compiler.version(),
            "jitgap_host": " ".join(host.argv),
            "jitgap_mode": mode,
            "jitgap_topic": topic.name,
            "jitgap_source": topic.c_path.name,
            "jitgap_benchmark_sha256": twin_digest(topic),
            "jitgap_wall_s": round(wall, 3),
        }
        return store_suite(suite, tags, final)


def check_values(topic, n, compiler=None):
    """``{variant: VARIANT(n)}`` computed by the compiled C twin (for tests: the twin
    must compute what the Python variant computes)."""
    import ctypes

    topic = get_topic(topic)
    compiler = compiler or CCompiler.find()
    with tempfile.TemporaryDirectory(prefix="jitgap-c-") as tmpdir:
        lib = ctypes.CDLL(str(compiler.compile(topic, tmpdir)))
        out = {}
        for name in topic.c_variants:
            func = getattr(lib, "check_" + name)
            func.restype, func.argtypes = ctypes.c_double, [ctypes.c_long]
            out[name] = func(n)
        return out
