"""Warm-up and start-up: a whole process is not the steady state.

Start-up and steady state are different measurements.  Starting an interpreter, importing
`site` and exiting costs milliseconds before the first line of a program runs; a small
function in a warm process costs microseconds.  A compiler once announced it was "66,000x
faster than CPython": it compared its in-process run (293 ns) with `python -c` in a
subprocess (19.38 ms), i.e. with CPython's start-up.  PyPy starts slower than CPython, and
its JIT must first see a loop about a thousand times (threshold 1039) before it compiles
it: the pypy.org performance page warns that below ~0.2 s of run time the JIT has little
chance to pay off.  Barrett et al. ("Virtual Machine Warmup Blows Hot and Cold", OOPSLA
2017) show that even the steady state is not guaranteed.  CPython 3.11 warms up too: it
specialises a function's bytecode after a few calls or loop iterations.  The case where
the JIT breaks: a short script, even one whose loop the JIT does compile.

The same work, a short integer loop (`work`, the 2010 deck's `while i < n` example), is
measured three ways: once in a whole process (`work_once_process`), a thousand times in a
whole process (`work_many_process`, 100,000 iterations: enough for the JIT to compile the
loop early in the run, far below 0.2 s), and in a warm process (`work_in_process`).  The
bare start-up is `empty_process`.

This file is the one exception to the boxing template.  The `*_process` variants return
the command they time; the `__main__` block gives them to pyperf's `bench_command`, which
times whole processes (wall clock, start to exit): pyperf reports the time per process.
pyperf's metadata cannot hold a newline, so a script is given as `-c "exec('...')"`, one
line that compiles the same source as `-c` would.  The command is the interpreter's own,
options included (`--jit off`): jitgap passes it as JSON in the environment variable
JITGAP_PYTHON_ARGV; standalone, it is `sys.executable`.  `work_in_process` goes to
`bench_func` with inner loops: pyperf reports the time per `work` call.

What this file cannot show is the curve in between, the time of the 1st, 2nd ... call in
a fresh process: pyperf discards warm-up values, times loops of many calls and takes its
settings for the whole Runner, so per-call warm-up curves (Barrett et al.'s method) come
in a later issue.

Run it with any interpreter:  pypy3 benchmarks/warmup.py -o warmup.json
"""

import inspect
import json
import os
import sys

import pyperf

N = 100
WORK_N = 100
CALLS = 1000


def work(n):
    """The work: a short integer loop, the same in every variant."""
    total = 0
    i = 0
    while i < n:
        total += i * i % 7
        i += 1
    return total


#: the interpreter's full command line, options included (see the docstring)
PYTHON = json.loads(os.environ.get("JITGAP_PYTHON_ARGV", "null")) or [sys.executable]
WORK_SOURCE = inspect.getsource(work)


def empty_process():
    """Whole process: start the interpreter on an empty program (`-c pass`) and exit."""
    return PYTHON + ["-c", "pass"]


def work_once_process():
    """Whole process: start, define `work`, call it once, exit."""
    script = WORK_SOURCE + "\nwork(%d)\n" % WORK_N
    return PYTHON + ["-c", "exec(%r)" % script]


def work_many_process():
    """Whole process: start, define `work`, call it CALLS times, exit."""
    script = WORK_SOURCE + "\nfor _ in range(%d):\n    work(%d)\n" % (CALLS, WORK_N)
    return PYTHON + ["-c", "exec(%r)" % script]


def work_in_process(n=N):
    """In a warm process (steady state): `work` called over and over, per call."""
    total = 0
    for _ in range(n):
        total += work(WORK_N)
    return total


VARIANTS = [empty_process, work_once_process, work_many_process, work_in_process]

#: how the slides name each variant in a sentence
LABELS = {
    "empty_process": "an empty process",
    "work_once_process": "a short script",
    "work_many_process": "a 0.1-second script",
    "work_in_process": "the work, in-process",
}

#: the variants that return a command, timed as whole processes by bench_command
WHOLE_PROCESS = [empty_process, work_once_process, work_many_process]

#: why PyPy loses where it does (the deck's "Where PyPy is slower" slide)
REASONS = {
    "empty_process": "PyPy's start-up: a larger runtime to load",
    "work_once_process": "start-up, and the work ends before the JIT is paid back",
    "work_many_process": "0.1 s of work cannot pay for tracing and compiling",
}

CLAIMS = {
    "pypy-starts-slower": {
        "claim": "empty_process on pypy is slower than on cpython",
        "source": "pypy.org", "said": "PyPy starts up slower"},
    "jit-wins-steady-state": {
        "claim": "work_in_process on pypy is faster than on cpython by at least 3x",
        "source": "kit", "said": "in a warm process the JIT wins"},
    "startup-is-not-speed": {
        "claim": "work_once_process on cpython is slower than work_in_process on cpython by at "
                 "least 1000x",
        "source": "kit", "said": "a process start is not the program's speed"},
    "small-script-slower-on-pypy": {
        "claim": "work_once_process on pypy is slower than on cpython",
        "source": "pypy.org", "said": "a short script is slower on PyPy"},
    "too-short-to-pay-off": {
        "claim": "work_many_process on pypy is slower than on cpython",
        "source": "pypy.org", "said": "below ~0.2 s of run time the JIT cannot pay off"},
}

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        if func in WHOLE_PROCESS:
            runner.bench_command(func.__name__, func())
        else:
            runner.bench_func(func.__name__, func, inner_loops=N)
