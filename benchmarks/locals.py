"""Local access costs nothing, unless something forces the frame to exist.

Claim (draft deck, Fijalkowski, "Speed of PyPy", PyCon 2010): "local access costs
nothing; global access is cheap if you don't change the global __dict__ too much", and
"the JIT normally removes frame overhead, but calling sys._getframe(), sys.exc_info(),
[or an] exception escaping prevents a lot of optimizations": the locals must then really
be stored on a frame object.  The fuller 2010 version shows the same `while i < n` loop
with a global limit and with sys._getframe().  pypy.org's performance page still lists
locals(), globals(), sys._getframe(), sys.exc_info() and sys.settrace as potentially
disabling the JIT for the enclosing scope.  CPython always keeps the locals in the
frame's memory, so there is nothing to force: each feature costs only its own work.

The variants are the same counting loop, each with one feature added: a global limit,
reading the counter back through sys._getframe().f_locals or locals(), a call to
sys.exc_info(), an exception raised in a helper and caught in the loop (it escapes the
helper's frame).  These are the cases where, per 2010, local access stops being free.
The last variant goes further: the caught exception is kept outside the loop, so it, its
traceback and the frames that traceback points to must really exist.

Each variant runs N loop iterations; pyperf reports the time per iteration.
Run it with any interpreter:  pypy3 benchmarks/locals.py -o locals.json
"""

import sys

import pyperf

N = 20000
LIMIT = N
KEPT = [None]


def _fail(i):
    raise ValueError(i)


def local_loop(n=N):
    """Baseline: a counting loop that touches only locals."""
    total = 0
    i = 0
    while i < n:
        total += i & 7
        i += 1
    return total


def global_limit():
    """The same loop, its limit read from a module global on every iteration."""
    total = 0
    i = 0
    while i < LIMIT:
        total += i & 7
        i += 1
    return total


def getframe_loop(n=N):
    """The loop reads its counter back through sys._getframe().f_locals."""
    total = 0
    i = 0
    while i < n:
        total += sys._getframe().f_locals["i"] & 7
        i += 1
    return total


def locals_loop(n=N):
    """The loop reads its counter back through locals()."""
    total = 0
    i = 0
    while i < n:
        total += locals()["i"] & 7
        i += 1
    return total


def exc_info_loop(n=N):
    """The loop calls sys.exc_info() on every iteration (no exception is active)."""
    total = 0
    i = 0
    while i < n:
        if sys.exc_info()[0] is None:
            total += i & 7
        i += 1
    return total


def exception_caught(n=N):
    """A helper raises on every iteration; the loop catches it and reads its argument."""
    total = 0
    i = 0
    while i < n:
        try:
            _fail(i)
        except ValueError as e:
            total += e.args[0] & 7
        i += 1
    return total


def exception_kept(n=N):
    """The same, but the caught exception is kept outside the loop: it escapes."""
    total = 0
    i = 0
    while i < n:
        try:
            _fail(i)
        except ValueError as e:
            KEPT[0] = e
            total += e.args[0] & 7
        i += 1
    return total


VARIANTS = [local_loop, global_limit, getframe_loop, locals_loop, exc_info_loop,
            exception_caught, exception_kept]

#: variants that compute the same value (a test compares what they return)
SAME_RESULT = [["local_loop", "global_limit", "getframe_loop", "locals_loop", "exc_info_loop",
                "exception_caught", "exception_kept"]]

#: how the slides name each variant in a sentence
LABELS = {
    "local_loop": "a loop on locals",
    "global_limit": "a global limit",
    "getframe_loop": "sys._getframe()",
    "locals_loop": "locals()",
    "exc_info_loop": "sys.exc_info()",
    "exception_caught": "an exception caught",
    "exception_kept": "an exception kept",
}

CLAIMS = {
    "locals-cost-nothing": {
        "claim": "local_loop on pypy is faster than on cpython by at least 10x",
        "source": "2010", "said": "local access costs nothing"},
    "globals-are-cheap": {
        "claim": "global_limit on pypy is about as fast as local_loop on pypy within 25%",
        "source": "2010", "said": "global access is cheap"},
    "getframe-forces-the-frame": {
        "claim": "getframe_loop on pypy is slower than local_loop on pypy by at least 2x",
        "source": "2010", "said": "sys._getframe() prevents a lot of optimizations"},
    "exc-info-forces-the-frame": {
        "claim": "exc_info_loop on pypy is slower than local_loop on pypy by at least 2x",
        "source": "2010", "said": "sys.exc_info() prevents a lot of optimizations"},
    "escaping-exception-forces-the-frame": {
        "claim": "exception_caught on pypy is slower than local_loop on pypy by at least 2x",
        "source": "2010", "said": "an exception escaping prevents a lot of optimizations"},
    "kept-exception-costs": "exception_kept on pypy is slower than exception_caught on pypy by "
                            "at least 2x",
    "kept-exception-free-on-cpython": "exception_kept on cpython is about as fast as "
                                      "exception_caught on cpython within 25%",
}

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
