"""Tracing and coverage: the JIT pays for sys.settrace.

Claim (PyPy blog, Alex Gaynor, "Making coverage.py faster under PyPy", 2013): on the loop
`while i: i -= f()`, coverage.py took 3.879 s on CPython 2.7.5 and 53.330 s on PyPy 2.1
(13.7x slower): sys.settrace made the JIT trace each hot loop and abort just before
compiling it.  Once the JIT was allowed to look inside the trace function, PyPy took
1.433 s (2.7x faster than CPython).  Later reports (coverage.py issues #1339 and #2155)
still see PyPy far slower than CPython under coverage, because coverage's C tracer is
CPython-only and PyPy runs its pure-Python PyTracer.  The 2010 deck's thesis, "you pay
if you use it": without a tracer the JIT wins by far.

The variants run the blog's loop with no tracer, with a minimal line tracer (a local trace
function that returns itself), with a call-only tracer, with sys.setprofile, and with
coverage.py itself.  Each installs and removes its tracer inside the timed call, so
pyperf's own code is never traced.  The case where it breaks: `fresh_tracer` runs the same
line tracer, but as a fresh function object on each call (coverage.py builds a new
PyTracer, with a new bound method, on every start()).  The JIT's code is specialised on the
trace function's identity, so each new tracer means new bridges: on PyPy its time per call
grows with the number of calls made in the process, and so does `coverage_py`'s.  Their
PyPy figures depend on how long pyperf runs (quick vs default mode).

Each variant runs N loop iterations; pyperf reports the time per iteration.
Run it with any interpreter:  pypy3 benchmarks/settrace.py -o settrace.json
"""

import sys

import coverage
import pyperf

N = 250

# data_file=None: the data stays in memory, nothing is written to disk;
# config_file=False: no .coveragerc / setup.cfg / tox.ini / pyproject.toml is read.
COVERAGE = coverage.Coverage(data_file=None, config_file=False)


def f():
    return 1


def countdown(n):
    """The blog's loop: n calls to f(); returns 0."""
    i = n
    while i:
        i -= f()
    return i


def local_trace(frame, event, arg):
    return local_trace


def global_trace(frame, event, arg):
    return local_trace


def call_only_trace(frame, event, arg):
    return None


def profile_hook(frame, event, arg):
    return None


def make_tracer():
    def fresh_local_trace(frame, event, arg):
        return fresh_local_trace
    return fresh_local_trace


def no_tracer(n=N):
    """The loop with no tracer at all."""
    return countdown(n)


def line_tracer(n=N):
    """The loop under sys.settrace: a line tracer that does nothing but return itself."""
    sys.settrace(global_trace)
    try:
        return countdown(n)
    finally:
        sys.settrace(None)


def fresh_tracer(n=N):
    """The same line tracer, but a new function object on each call, as coverage starts do."""
    sys.settrace(make_tracer())
    try:
        return countdown(n)
    finally:
        sys.settrace(None)


def call_tracer(n=N):
    """The loop under sys.settrace: a global trace function that only sees call events."""
    sys.settrace(call_only_trace)
    try:
        return countdown(n)
    finally:
        sys.settrace(None)


def profiler(n=N):
    """The loop under sys.setprofile: a hook that sees calls and returns, no lines."""
    sys.setprofile(profile_hook)
    try:
        return countdown(n)
    finally:
        sys.setprofile(None)


def coverage_py(n=N):
    """The loop measured by coverage.py, started and stopped around it."""
    COVERAGE.start()
    try:
        return countdown(n)
    finally:
        COVERAGE.stop()


VARIANTS = [no_tracer, line_tracer, fresh_tracer, call_tracer, profiler, coverage_py]

#: variants that compute the same value (a test compares what they return): the blog's
#: loop returns 0 under every tracer
SAME_RESULT = [["no_tracer", "line_tracer", "fresh_tracer", "call_tracer", "profiler",
                "coverage_py"]]

#: how the slides name each variant in a sentence
LABELS = {
    "no_tracer": "no tracer",
    "line_tracer": "a line tracer",
    "fresh_tracer": "a new tracer per run",
    "call_tracer": "a call tracer",
    "profiler": "a profile hook",
    "coverage_py": "coverage.py",
}

#: why PyPy loses where it does (the deck's "Where PyPy is slower" slide)
REASONS = {
    "coverage_py": "a new pure-Python tracer per start(): compiled again and again",
    "fresh_tracer": "a new trace function per run: new machine code each time",
    "line_tracer": "a Python call per line, even when the JIT sees inside it",
}

CLAIMS = {
    "jit-without-tracer": "no_tracer on pypy is faster than on cpython by at least 10x",
    "coverage-slower-on-pypy": {
        "claim": "coverage_py on pypy is slower than on cpython",
        "source": "kit", "said": "coverage.py is slower on PyPy than on CPython"},
    "the-2013-fix": {
        "claim": "line_tracer on pypy is faster than on cpython by at least 2x",
        "source": "2013", "said": "with a trace function, PyPy 2.7x faster than CPython"},
    "the-jit-sees-the-tracer": {
        "claim": "line_tracer on pypy is faster than on pypy-nojit by at least 10x",
        "source": "2013", "said": "the JIT now sees inside the trace function"},
    "fresh-tracer-loses-the-fix": {
        "claim": "fresh_tracer on pypy is slower than on cpython",
        "source": "kit", "said": "a new tracer object loses the 2013 fix"},
    "jit-helps-coverage": {
        "claim": "coverage_py on pypy is faster than on pypy-nojit",
        "source": "2013", "said": "the JIT helps under coverage"},
}

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
