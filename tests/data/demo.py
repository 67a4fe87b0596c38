"""Demo topic for jitgap's own tests: two tiny variants.

Not part of the talk; it exists so the tests do not depend on the real topics.
"""

import pyperf

N = 100


def fast(n=N):
    """A short loop."""
    total = 0
    for i in range(n):
        total += i
    return total


def slow(n=N):
    """The same loop, three times."""
    total = 0
    for _ in range(3):
        for i in range(n):
            total += i
    return total


VARIANTS = [fast, slow]

CLAIMS = {
    "fast-beats-slow": "fast on cpython is faster than slow on cpython",
    "pypy-wins": "fast on pypy is faster than on cpython by at least 2x",
    "same": "slow on pypy is about as fast as slow on pypy-nojit within 10%",
}

if __name__ == "__main__":
    runner = pyperf.Runner()
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
