"""Generators: a suspended frame for every value.

Claim (draft deck, Fijalkowski, "Speed of PyPy", PyCon 2010): "Generators are tricky;
generator expressions are even trickier."  The fuller 2010 version explains why: a
generator needs its frame allocated, because the frame outlives each call to next(),
so the JIT cannot keep its locals in registers -- "use a list comprehension".  Ten
years later, the PyPy 7.3.1 release notes announce better JIT code for generators
passed to builtins such as sum and map.  This file re-measures the 2010 advice on
today's PyPy: the same sum of squares as an explicit loop, a generator function, a
generator expression, a list comprehension and a builtin (map with operator.mul).
The case where it still breaks: values passed up a chain of generators delegating with
`yield from`, each level a frame that is suspended and resumed for every value.

Each variant sums N squares; pyperf reports the time per iteration (per value).
Run it with any interpreter:  pypy3 benchmarks/generators.py -o generators.json
"""

from operator import mul

import pyperf

N = 10000
DEPTH = 4  # levels of `yield from` in nested_generators


def squares(n):
    """The generator behind gen_function: one suspended frame, resumed per value."""
    for i in range(n):
        yield i * i


def delegate(n, depth):
    """A chain of `depth` generators: each level re-yields the values of the one below."""
    if depth <= 1:
        yield from squares(n)
    else:
        yield from delegate(n, depth - 1)


def loop_sum(n=N):
    """Explicit loop: no generator, no temporary list."""
    total = 0
    for i in range(n):
        total += i * i
    return total


def gen_function(n=N):
    """A generator function consumed by a for loop: its frame lives across next() calls."""
    total = 0
    for x in squares(n):
        total += x
    return total


def sum_genexpr(n=N):
    """sum() of a generator expression (the case PyPy 7.3.1 says it improved)."""
    return sum(i * i for i in range(n))


def sum_listcomp(n=N):
    """sum() of a list comprehension: the 2010 advice, at the cost of a list of n ints."""
    return sum([i * i for i in range(n)])


def sum_map(n=N):
    """A builtin all the way: sum(map(operator.mul, r, r)), no Python-level loop body."""
    r = range(n)
    return sum(map(mul, r, r))


def nested_generators(n=N):
    """The same loop as gen_function, the values passed up DEPTH levels of `yield from`."""
    total = 0
    for x in delegate(n, DEPTH):
        total += x
    return total


VARIANTS = [loop_sum, gen_function, sum_genexpr, sum_listcomp, sum_map, nested_generators]

#: variants that compute the same value (a test compares what they return)
SAME_RESULT = [["loop_sum", "gen_function", "sum_genexpr", "sum_listcomp", "sum_map",
                "nested_generators"]]

#: how the slides name each variant in a sentence
LABELS = {
    "loop_sum": "a plain loop",
    "gen_function": "a generator function",
    "sum_genexpr": "sum(genexpr)",
    "sum_listcomp": "sum([listcomp])",
    "sum_map": "sum(map(...))",
    "nested_generators": "4 levels of yield from",
}

CLAIMS = {
    "use-a-list-comprehension": {
        "claim": "sum_listcomp on pypy is faster than sum_genexpr on pypy",
        "source": "2010", "said": "use a list comprehension, not a generator expression"},
    "genexpr-is-trickier": {
        "claim": "sum_genexpr on pypy is slower than loop_sum on pypy",
        "source": "2010", "said": "generator expressions are even trickier"},
    "genexpr-fixed-since-7.3.1": {
        "claim": "sum_genexpr on pypy is about as fast as sum_listcomp on pypy within 25%",
        "source": "pypy-blog", "said": "better JIT code for generators passed to sum (PyPy "
                                       "7.3.1, 2020)"},
    "generator-frame-costs": {
        "claim": "gen_function on pypy is slower than loop_sum on pypy",
        "source": "2010", "said": "generators are tricky: their frame is allocated"},
    "nesting-costs-per-level": {
        "claim": "nested_generators on pypy is slower than gen_function on pypy by at least 2x",
        "source": "kit", "said": "each level of yield from is paid per value"},
    "nested-still-beats-cpython": "nested_generators on pypy is faster than on cpython",
    "builtin-wins-on-cpython": {
        "claim": "sum_map on cpython is faster than loop_sum on cpython",
        "source": "folk", "said": "on CPython, a builtin pipeline beats a loop"},
    "generator-frame-allocated": {
        "claim": "trace of gen_function has at least 1 allocation",
        "source": "2010", "said": "generators need their frame allocated"},
}
TRACES = ["gen_function"]
WARMUPS = ["nested_generators"]

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
