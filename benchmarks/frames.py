"""Removing frame overhead: a call the JIT inlines costs nothing.

Claim (draft deck, Fijalkowski, "Speed of PyPy", PyCon 2010): "frames are costly; `x = y +
z` has 5 frame accesses; they can all be removed", and on call costs: "calls can be
inlined; simple arguments are by far the best; avoid *args and **kwds; however,
f(a=3, b=c) is fine".  In CPython every call builds a frame and every local is read from
and written to it.  PyPy's tracing JIT follows the call into the callee, so the trace has
no call and no frame: the locals of both functions live in registers (RPython's
"virtualizables" and virtual frames).

The case where it breaks, as the 2010 talk showed it (its examples/bad.py and good.py in
PyPy's extradoc repository, talk/pycon2010/pypyspeed): a fresh dict built in the loop,
sometimes with a key and sometimes not, passed as `call(**d)`; its fix writes the keywords
out.  The 2010 examples test `rare_case(i)` in a helper; here the test is inline.  The
same advice said to avoid *args and **kwds: `star_forward` is the decorator-style wrapper
that forwards them.  Whether both still cost today is what the claims check.

Each variant runs N loop iterations; pyperf reports the time per iteration.
Run it with any interpreter:  pypy3 benchmarks/frames.py -o frames.json
"""

import pyperf

N = 20000


def add(y, z):
    x = y + z
    return x


def add_twice_removed(y, z):
    return add(y, z)


def forward(*args, **kwargs):
    return add(*args, **kwargs)


def call(d=None):
    if d is not None:
        return d
    return 1


def inlined(n=N):
    """Baseline: the body of add written out in the loop, no call at all."""
    total = 0
    for i in range(n):
        total = total + i
    return total


def one_call(n=N):
    """The same sum through a call to add: one frame per iteration in CPython."""
    total = 0
    for i in range(n):
        total = add(total, i)
    return total


def two_calls(n=N):
    """The same sum through two levels of calls: two frames per iteration."""
    total = 0
    for i in range(n):
        total = add_twice_removed(total, i)
    return total


def keyword_call(n=N):
    """The same call with keyword arguments, f(a=3, b=c): "fine" in 2010."""
    total = 0
    for i in range(n):
        total = add(y=total, z=i)
    return total


def star_forward(n=N):
    """The same call through a decorator-style wrapper(*args, **kwargs)."""
    total = 0
    for i in range(n):
        total = forward(total, i)
    return total


def fresh_kwargs(n=N):
    """2010's bad.py: a fresh dict each iteration, a key in 1 of 100, call(**d)."""
    total = 0
    for i in range(n):
        d = {}
        if i % 100 == 0:
            d["d"] = 3
        total += call(**d)
    return total


def literal_kwargs(n=N):
    """2010's good.py: the same calls with their keywords written out."""
    total = 0
    for i in range(n):
        if i % 100 == 0:
            total += call(**{"d": 3})
        else:
            total += call()
    return total


VARIANTS = [inlined, one_call, two_calls, keyword_call, star_forward, fresh_kwargs,
            literal_kwargs]

#: variants that compute the same value (a test compares what they return)
SAME_RESULT = [["inlined", "one_call", "two_calls", "keyword_call", "star_forward"],
               ["fresh_kwargs", "literal_kwargs"]]

#: how the slides name each variant in a sentence
LABELS = {
    "inlined": "the body written inline",
    "one_call": "one call",
    "two_calls": "two nested calls",
    "keyword_call": "a keyword call",
    "star_forward": "*args, **kwargs forwarding",
    "fresh_kwargs": "a fresh **kwargs dict",
    "literal_kwargs": "keywords written out",
}

CLAIMS = {
    "calls-are-inlined": {
        "claim": "one_call on pypy is about as fast as inlined on pypy within 25%",
        "source": "2010", "said": "calls can be inlined"},
    "two-levels-inlined": {
        "claim": "two_calls on pypy is about as fast as inlined on pypy within 25%",
        "source": "kit", "said": "two levels of calls are inlined too"},
    "keywords-are-fine": {
        "claim": "keyword_call on pypy is about as fast as one_call on pypy within 25%",
        "source": "2010", "said": "f(a=3, b=c) is fine"},
    "avoid-star-args": {
        "claim": "star_forward on pypy is slower than one_call on pypy by at least 2x",
        "source": "2010", "said": "avoid *args and **kwds"},
    "fresh-dict-breaks-it": {
        "claim": "fresh_kwargs on pypy is slower than literal_kwargs on pypy by at least 2x",
        "source": "2010", "said": "a fresh dict for call(**d) is the bad case"},
    "cpython-pays-per-call": {
        "claim": "one_call on cpython is slower than inlined on cpython by at least 2x",
        "source": "kit", "said": "CPython pays for every call"},
    "interpreter-pays-too": "one_call on pypy-nojit is slower than inlined on pypy-nojit by at "
                            "least 2x",
    "star-args-tuple-removed": "trace of star_forward has no allocations",
}
TRACES = ["star_forward"]

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
