"""Removing bytecode dispatch: the JIT compiles a loop into a few machine instructions.

Claim (draft deck, Fijalkowski, "Speed of PyPy", PyCon 2010): "How fast is PyPy? Pretty
fast, in places"; the first thing a JIT removes is "bytecode-dispatch overhead".  CPython
runs a loop by fetching, decoding and executing one bytecode after another, every
iteration.  PyPy's tracing JIT records one iteration and compiles it: the 2010 talk's
example, `while i < N: i += 1`, became `int_lt`, `guard_true`, `int_add_ovf`,
`guard_no_overflow`, `jump` (examples/tracing.log in PyPy's extradoc repository,
talk/pycon2010/pypyspeed).  Here every variant computes the same sum, 0 + 1 + ... + (N-1).

PyPy's interpreter alone (run with --jit off) still dispatches bytecodes: it should gain
nothing over CPython.  On CPython the usual ways to dispatch less are fewer bytecodes per
iteration (`for i in range(n)` instead of `while`) or no bytecode at all (the loop runs
in C inside `sum`); under the JIT neither should matter.  The case where the JIT does not
help is code that never gets hot: it runs in the interpreter (see the tracing topic).

Each variant runs N loop iterations; pyperf reports the time per iteration.
Run it with any interpreter:  pypy3 benchmarks/dispatch.py -o dispatch.json
The limit: dispatch.c holds while_loop and for_range written in C (`jitgap run` builds it
with cc -O2 and times it too: the chart's C bar).
"""

import pyperf

N = 100000


def while_loop(n=N):
    """The 2010 example: a while loop with an explicit counter (compare, add, jump)."""
    total = 0
    i = 0
    while i < n:
        total += i
        i += 1
    return total


def for_range(n=N):
    """The same sum with for/range: the counter moves into range's iterator."""
    total = 0
    for i in range(n):
        total += i
    return total


def sum_builtin(n=N):
    """The same sum with no bytecode per iteration: the loop runs inside sum()."""
    return sum(range(n))


VARIANTS = [while_loop, for_range, sum_builtin]

#: variants that compute the same value (a test compares what they return)
SAME_RESULT = [["while_loop", "for_range", "sum_builtin"]]

#: how the slides name each variant in a sentence
LABELS = {
    "while_loop": "a while loop",
    "for_range": "a for loop",
    "sum_builtin": "sum(range(n))",
}

CLAIMS = {
    "jit-removes-dispatch": {
        "claim": "while_loop on pypy is faster than on cpython by at least 10x",
        "source": "2010", "said": "the JIT removes bytecode-dispatch overhead"},
    "interpreter-alone-gains-nothing": {
        "claim": "while_loop on pypy-nojit is slower than on cpython",
        "source": "kit", "said": "PyPy's interpreter alone is no faster than CPython"},
    "for-beats-while-on-cpython": {
        "claim": "for_range on cpython is faster than while_loop on cpython",
        "source": "folk", "said": "on CPython, for/range beats while"},
    "for-equals-while-on-pypy": "for_range on pypy is about as fast as while_loop on pypy within "
                                "25%",
    "c-loop-wins-on-cpython": {
        "claim": "sum_builtin on cpython is faster than for_range on cpython by at least 2x",
        "source": "folk", "said": "on CPython, push the loop into C: sum() is 2x faster"},
    "jit-loop-beats-c-loop": {
        "claim": "for_range on pypy is faster than sum_builtin on cpython by at least 2x",
        "source": "kit", "said": "a plain loop on PyPy beats CPython's loop in C"},
    "jit-within-2x-of-c": {
        "claim": "while_loop on pypy is about as fast as on c within 100%",
        "source": "kit", "said": "PyPy's loop is within 2x of the same loop in C"},
}

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
