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

CLAIMS = {
    "use-a-list-comprehension": "sum_listcomp on pypy is faster than sum_genexpr on pypy",
    "genexpr-is-trickier": "sum_genexpr on pypy is slower than loop_sum on pypy",
    "genexpr-fixed-since-7.3.1": "sum_genexpr on pypy is about as fast as sum_listcomp on pypy "
                                 "within 25%",
    "generator-frame-costs": "gen_function on pypy is slower than loop_sum on pypy",
    "nesting-costs-per-level": "nested_generators on pypy is slower than gen_function on pypy "
                               "by at least 2x",
    "nested-still-beats-cpython": "nested_generators on pypy is faster than on cpython",
    "builtin-wins-on-cpython": "sum_map on cpython is faster than loop_sum on cpython",
    "generator-frame-allocated": "trace of gen_function has at least 1 allocation",
}
TRACES = ["gen_function"]
WARMUPS = ["nested_generators"]

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
