"""A topic for jitgap's own tests: one tiny variant, and what PyPy's nursery variable was
in the worker process that measured it (``seen_nursery`` in its metadata).

pyperf starts its workers with a cleaned environment; ``tests/test_gc.py`` checks that
``PYPY_GC_NURSERY`` set for ``jitgap run`` reaches them.
"""

import os

import pyperf

N = 100


def loop(n=N):
    """A short loop."""
    total = 0
    for i in range(n):
        total += i
    return total


VARIANTS = [loop]

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["seen_nursery"] = os.environ.get("PYPY_GC_NURSERY", "unset")
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
