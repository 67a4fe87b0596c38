"""Long traces: a loop body too long for one trace, and recursion too deep to inline.

Claim (draft deck, Fijalkowski, "Speed of PyPy", PyCon 2010): "Problems: long traces."
A tracing JIT records one iteration of a loop as a linear trace, inlining every call it
meets.  RPython stops recording at trace_limit (default 6000 operations, rlib/jit.py).
PyPy's blog "Better JIT Support for Auto-Generated Python Code" (2021) found Tornado's
templates, compiled into huge functions, running no faster than on CPython, and describes
the fix: code too long for one trace is now compiled in pieces, one after the other
(PYPYLOG=jit-summary shows "abort: trace too long" then "abort: segmenting trace").
Here the same kind of straight-line statement is repeated 20, 200 and 2,000 times in a
loop body (the last far over the limit), and 2,000 times in a function called from a loop.
The bodies are generated at import: `generate` builds their source text and `exec` makes
them module-level functions; thin wrappers (`body_20` ...) are the variants.  Recursion is
the other long trace: the JIT inlines only a few levels of a recursive call, so a
recursion 500 deep is compared with the same one-level function called from a loop.

Where it breaks today: warm-up.  The segments of a long body are compiled one by one,
after many more iterations than a short body needs, so the verdicts depend on how long the
code runs: pyperf's quick mode (a fraction of a second per worker process) sees the
2,000-statement body still interpreted, the default mode (`make bench`) sees it compiled.

Every variant does N units of work per call (N statements, or N calls): pyperf reports the
time per statement (per call for the last two), so the rows are comparable.
Run it with any interpreter:  pypy3 benchmarks/longtraces.py -o longtraces.json
"""

import sys

import pyperf

N = 20000
SIZES = (20, 200, 2000)
DEPTH = 500

# Each call starts from the value the previous call left here and stores its own: PyPy
# inlines a variant into pyperf's timing loop, and work whose inputs are constants and
# whose result is unused can be folded away (seen here: values of 0.00 ns per statement).
_carry = [1]

if sys.getrecursionlimit() < 2 * DEPTH:
    sys.setrecursionlimit(2 * DEPTH)


def straight_line(size, indent):
    """`size` statements, each reading the results of the previous ones: nothing folds away."""
    v = "abcd"
    return ["%s%s = (%s * %d + %s) & 0xFFFF" % (indent, v[k % 4], v[(k + 1) % 4], 3 + k % 5,
                                                 v[(k + 2) % 4])
            for k in range(size)]


def generate(size):
    """Source of _body_<size> (a loop over `size` statements) and _step_<size> (a function
    of `size` statements) with _function_<size> (a loop calling it)."""
    lines = ["def _body_%d(n):" % size,
             "    a = b = c = d = _carry[0]",
             "    for i in range(n // %d):" % size,
             "        b ^= i"]
    lines += straight_line(size, "        ")
    lines += ["    _carry[0] = a",
              "    return a + b + c + d",
              "",
              "",
              "def _step_%d(a, b, c, d):" % size]
    lines += straight_line(size, "    ")
    lines += ["    return a, b, c, d",
              "",
              "",
              "def _function_%d(n):" % size,
              "    a = b = c = d = _carry[0]",
              "    for i in range(n // %d):" % size,
              "        a, b, c, d = _step_%d(a, b ^ i, c, d)" % size,
              "    _carry[0] = a",
              "    return a + b + c + d",
              ""]
    return "\n".join(lines)


for _size in SIZES:
    exec(compile(generate(_size), "<longtraces: generate(%d)>" % _size, "exec"), globals())


def body_20(n=N):
    """A loop whose body is 20 generated statements: a short trace."""
    return _body_20(n)


def body_200(n=N):
    """A loop whose body is 200 generated statements: still under the trace limit."""
    return _body_200(n)


def body_2000(n=N):
    """A loop whose body is 2,000 generated statements: far over the trace limit."""
    return _body_2000(n)


def function_2000(n=N):
    """A loop calling a generated function of 2,000 statements (the Tornado template case)."""
    return _function_2000(n)


def _down(depth, x):
    """One level of the recursion: the arithmetic of _leaf, then one level deeper."""
    if depth == 0:
        return x
    return _down(depth - 1, (x * 3 + depth) & 0xFFFF)


def _leaf(depth, x):
    """The same work as one level of _down, without the recursive call."""
    if depth == 0:
        return x
    return (x * 3 + depth) & 0xFFFF


def recursion_500(n=N):
    """n calls made as n // 500 recursions 500 levels deep."""
    x = _carry[0]
    for i in range(n // DEPTH):
        x = _down(DEPTH, x ^ i)
    _carry[0] = x
    return x


def flat_calls(n=N):
    """n calls of the same one-level function from a loop: each call can be inlined."""
    x = _carry[0]
    for i in range(n):
        x = _leaf(i % DEPTH + 1, x)
    _carry[0] = x
    return x


VARIANTS = [body_20, body_200, body_2000, function_2000, recursion_500, flat_calls]

#: how the slides name each variant in a sentence
LABELS = {
    "body_20": "a 20-line loop body",
    "body_200": "a 200-line loop body",
    "body_2000": "a 2,000-line loop body",
    "function_2000": "a 2,000-line function",
    "recursion_500": "recursion 500 deep",
    "flat_calls": "the same calls, flat",
}

CLAIMS = {
    "short-body-fast": "body_20 on pypy is faster than on cpython by at least 10x",
    "flat-on-cpython": "body_2000 on cpython is about as fast as body_20 on cpython within 25%",
    "long-trace-cliff": {
        "claim": "body_2000 on pypy is slower than body_20 on pypy by at least 2x",
        "source": "2010", "said": "long traces are a problem"},
    "huge-function-compiled": {
        "claim": "function_2000 on pypy is faster than on cpython by at least 10x",
        "source": "pypy-blog", "said": "huge generated functions are compiled in pieces (2021)"},
    "deep-recursion-cost": {
        "claim": "recursion_500 on pypy is slower than flat_calls on pypy by at least 2x",
        "source": "2010", "said": "the JIT traces recursion only to an extent"},
    "recursion-on-cpython": "recursion_500 on cpython is about as fast as flat_calls on cpython "
                            "within 25%",
    "long-body-aborts": "trace of body_2000 has at least 1 abort",
}
TRACES = ["body_2000"]
WARMUPS = ["body_2000"]

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
