"""Move code back to Python: a plain loop can beat the C builtin it replaced.

Claim (draft deck, Fijalkowski, "Speed of PyPy", PyCon 2010): "Don't try to outsmart your
compiler. Solution: move code back to Python"; the fuller version (talk.tex in PyPy's
extradoc) says a simple loop beats map/lambda/reduce "even if on CPython the latter is
faster".  On CPython, code that runs inside C (a builtin, `operator`, the regex engine)
skips the bytecode interpreter, so pushing work into C is the usual trick.  PyPy's JIT
compiles the Python loop itself; the 2010 reasoning was that a lambda called from `map`
or `reduce` is a call it must cross for every item.  Three pairs, C vs Python, same data:
a dot product (reduce/map with lambdas, map with `operator.mul`, a plain loop), summing
the numbers in a text (a regex vs a hand-written scanner), and sorting (`sorted` vs a
merge sort in Python).  The case where it breaks: a C builtin with a better algorithm
than the one you would write (timsort) is not beaten by JIT-compiling your own.

Each variant handles N items (N pairs, N numbers, N values to sort); pyperf reports the
time per item.
Run it with any interpreter:  pypy3 benchmarks/purepython.py -o purepython.json
"""

import operator
import re
from functools import reduce

import pyperf

N = 1000

XS = [(i * 7) % 101 for i in range(N)]
YS = [(i * 13) % 97 for i in range(N)]

# N numbers in a log-like text: "t=4711,t=8224,..."
TEXT = ",".join("t=%d" % ((i * 7919) % 100003) for i in range(N))
NUMBER = re.compile(r"\d+")

UNSORTED = [(i * 7919) % 100003 for i in range(N)]


def dot_reduce_lambda(xs=XS, ys=YS):
    """The 2010 functional style: reduce over map, with a lambda for each step."""
    return reduce(lambda acc, p: acc + p, map(lambda a, b: a * b, xs, ys), 0)


def dot_map_operator(xs=XS, ys=YS):
    """The same with C functions only: sum(map(operator.mul, ...)), no bytecode per item."""
    return sum(map(operator.mul, xs, ys))


def dot_loop(xs=XS, ys=YS):
    """The same as a plain loop: the code moved back to Python."""
    total = 0
    for a, b in zip(xs, ys):
        total += a * b
    return total


def parse_regex(text=TEXT):
    """Sum the numbers in a text: the regex engine finds them, int() converts them (C)."""
    return sum(map(int, NUMBER.findall(text)))


def parse_scanner(text=TEXT):
    """The same as a hand-written scanner: one pass over the characters, in Python."""
    total = 0
    value = 0
    for c in text:
        if "0" <= c <= "9":
            value = value * 10 + (ord(c) - 48)
        else:
            total += value
            value = 0
    return total + value


def sort_builtin(items=UNSORTED):
    """Sort with the builtin: timsort, in C on CPython, in RPython on PyPy."""
    return sorted(items)


def sort_python(items=UNSORTED):
    """Sort with a bottom-up merge sort written in Python."""
    src = list(items)
    n = len(src)
    width = 1
    while width < n:
        dst = []
        for lo in range(0, n, 2 * width):
            i = lo
            mid = min(lo + width, n)
            j = mid
            hi = min(lo + 2 * width, n)
            while i < mid and j < hi:
                if src[j] < src[i]:
                    dst.append(src[j])
                    j += 1
                else:
                    dst.append(src[i])
                    i += 1
            dst.extend(src[i:mid])
            dst.extend(src[j:hi])
        src = dst
        width *= 2
    return src


VARIANTS = [dot_reduce_lambda, dot_map_operator, dot_loop, parse_regex, parse_scanner,
            sort_builtin, sort_python]

#: variants that compute the same value (a test compares what they return)
SAME_RESULT = [["dot_reduce_lambda", "dot_map_operator", "dot_loop"],
               ["parse_regex", "parse_scanner"], ["sort_builtin", "sort_python"]]

#: how the slides name each variant in a sentence
LABELS = {
    "dot_reduce_lambda": "reduce with a lambda",
    "dot_map_operator": "map with operator.mul",
    "dot_loop": "a plain loop",
    "parse_regex": "a regex",
    "parse_scanner": "a hand-written scanner",
    "sort_builtin": "sorted()",
    "sort_python": "a merge sort in Python",
}

CLAIMS = {
    "loop-beats-lambdas-on-pypy": {
        "claim": "dot_loop on pypy is faster than dot_reduce_lambda on pypy",
        "source": "2010", "said": "a simple loop beats map/lambda/reduce"},
    "lambdas-win-on-cpython": {
        "claim": "dot_reduce_lambda on cpython is faster than dot_loop on cpython",
        "source": "2010", "said": "on CPython, map/lambda/reduce is faster"},
    "c-pipeline-wins-on-cpython": {
        "claim": "dot_map_operator on cpython is faster than dot_loop on cpython",
        "source": "folk", "said": "on CPython, push the work into builtins"},
    "loop-beats-c-pipeline-on-pypy": {
        "claim": "dot_loop on pypy is faster than dot_map_operator on pypy",
        "source": "2010", "said": "move code back to Python"},
    "regex-wins-on-cpython": "parse_regex on cpython is faster than parse_scanner on cpython by "
                             "at least 2x",
    "scanner-beats-regex-on-pypy": {
        "claim": "parse_scanner on pypy is faster than parse_regex on pypy",
        "source": "kit", "said": "a scanner in Python beats the regex engine on PyPy"},
    "sorted-stays-unbeaten": {
        "claim": "sort_builtin on pypy is faster than sort_python on pypy by at least 2x",
        "source": "kit", "said": "the JIT does not beat a better algorithm"},
}

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
