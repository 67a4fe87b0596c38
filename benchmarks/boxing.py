"""Removing object boxing: intermediate values need not be allocated.

Claim (draft deck, Fijalkowski, "Speed of PyPy", PyCon 2010): "intermediate values do
not need to be allocated; an integer can stay in a register."  In CPython every int,
float, tuple and instance a loop computes is a heap object.  PyPy's tracing JIT removes
the allocations that do not escape the trace and keeps the values in registers (Bolz et
al., "Allocation Removal by Partial Evaluation in a Tracing JIT", PEPM 2011).  The case
where it breaks: an object that escapes (here, kept in a list) must really be allocated.

Each variant runs N loop iterations; pyperf reports the time per iteration.
Run it with any interpreter:  pypy3 benchmarks/boxing.py -o boxing.json
The limit: boxing.c holds every variant written in C, with structs for the tuple and the
Point (`jitgap run` builds it with cc -O2 and times it too: the chart's C bar).
"""

import pyperf

N = 10000


class Point(object):
    def __init__(self, x, y):
        self.x = x
        self.y = y


def int_arith(n=N):
    """Integer arithmetic: each intermediate is an int object in CPython."""
    total = 0
    i = 0
    while i < n:
        total += (i * 3 + 1) % 7
        i += 1
    return total


def float_arith(n=N):
    """Float arithmetic: each intermediate is a float object in CPython."""
    total = 0.0
    x = 0.5
    for i in range(n):
        x = x * 0.999 + 0.001
        total += x * 2.0 + 0.5
    return total


def ints_only(n=N):
    """Baseline for the next three: the same sum with no container at all."""
    total = 0
    for i in range(n):
        total += i + (i + 1)
    return total


def tuple_temporary(n=N):
    """A tuple packed and unpacked at once: it never leaves the loop body."""
    total = 0
    for i in range(n):
        pair = (i, i + 1)
        a, b = pair
        total += a + b
    return total


def point_temporary(n=N):
    """A small instance made and read back at once: it never leaves the loop body."""
    total = 0
    for i in range(n):
        p = Point(i, i + 1)
        total += p.x + p.y
    return total


def point_escaping(n=N):
    """The same instance kept in a list: it escapes, so it must be allocated."""
    kept = []
    total = 0
    for i in range(n):
        p = Point(i, i + 1)
        kept.append(p)
        total += p.x + p.y
    return total


VARIANTS = [int_arith, float_arith, ints_only, tuple_temporary, point_temporary,
            point_escaping]

#: variants that compute the same value (a test compares what they return)
SAME_RESULT = [["ints_only", "tuple_temporary", "point_temporary", "point_escaping"]]

#: how the slides name each variant in a sentence
LABELS = {
    "int_arith": "an int loop",
    "float_arith": "a float loop",
    "ints_only": "plain ints",
    "tuple_temporary": "a temporary tuple",
    "point_temporary": "a temporary Point",
    "point_escaping": "an escaping Point",
}

CLAIMS = {
    "int-in-register": {
        "claim": "int_arith on pypy is faster than on cpython by at least 10x",
        "source": "2010", "said": "an integer can stay in a register"},
    "float-in-register": {
        "claim": "float_arith on pypy is faster than on cpython by at least 10x",
        "source": "2010", "said": "intermediate values need not be allocated"},
    "the-jit-does-it": "int_arith on pypy is faster than on pypy-nojit by at least 10x",
    "tuple-is-free": {
        "claim": "tuple_temporary on pypy is about as fast as ints_only on pypy within 25%",
        "source": "2010", "said": "a temporary tuple need not be allocated"},
    "object-is-free": {
        "claim": "point_temporary on pypy is about as fast as ints_only on pypy within 25%",
        "source": "2010", "said": "a temporary object costs nothing"},
    "object-costs-on-cpython": "point_temporary on cpython is slower than ints_only on cpython "
                               "by at least 2x",
    "escaping-object-costs": {
        "claim": "point_escaping on pypy is slower than point_temporary on pypy by at least 2x",
        "source": "kit", "said": "an object that escapes must be allocated"},
    "object-as-cheap-as-a-struct": {
        "claim": "point_temporary on pypy is about as fast as on c within 100%",
        "source": "kit", "said": "a temporary object on PyPy is within 2x of a C struct"},
    "allocation-costs-in-c-too": "point_escaping on c is slower than point_temporary on c by at "
                                 "least 10x",
    "temporary-point-not-allocated": "trace of point_temporary has no allocations",
    "escaping-point-allocated": "trace of point_escaping has at least 1 allocation",
}
TRACES = ["ints_only", "tuple_temporary", "point_temporary", "point_escaping"]

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
