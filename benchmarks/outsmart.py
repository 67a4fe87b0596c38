"""Hand optimisations: do they outsmart the compiler?

Claim (draft deck, Fijalkowski, "Speed of PyPy", PyCon 2010): "Don't try to outsmart
your compiler" -- "if it's easier to read, it's easier to read by the JIT".  Tricks
that pay on CPython's interpreter are still recommended for PyPy elsewhere: caching an
attribute in a local in a hot loop ("~40 % less attribute lookup overhead under the
JIT"), caching composite tuple keys `(symbol, conId)` in a dict ("~60 % less
key-creation overhead"), caching locals before a list comprehension ("2-3x faster"),
and binding `out.append` to a local.  Each trick comes as the plain code and the
"optimised" code computing the same result.  Where the trick breaks: a tracing JIT
hoists loop-invariant attribute reads and bound-method lookups by itself, so on PyPy
the optimised code should be no faster than the plain one; a cached key trades a
tuple allocation for an extra dict lookup, which can cost more than it saves.  A trick
can only pay where each lookup is really executed: in an interpreter (CPython, PyPy
with its JIT off).

The five list-building variants build the same list of N ints (attr_plain is the plain
loop, attr_cached adds cached attributes, append_bound also binds append); the two key
variants sum N price lookups.  pyperf reports the time per iteration.
Run it with any interpreter:  pypy3 benchmarks/outsmart.py -o outsmart.json
"""

import pyperf

N = 10000


class Config(object):
    def __init__(self, scale, offset):
        self.scale = scale
        self.offset = offset


CONF = Config(3, 1)

# N ticks over 50 instruments: (symbol, conId, quantity); a price per (symbol, conId).
INSTRUMENTS = [("SYM%02d" % k, 1000 + k) for k in range(50)]
PRICES = dict(((symbol, con_id), 100 + k) for k, (symbol, con_id) in enumerate(INSTRUMENTS))
TICKS = [INSTRUMENTS[(i * 7) % 50] + (i % 10 + 1,) for i in range(N)]
KEY_CACHE = {}  # conId -> (symbol, conId); filled on the first call, all hits afterwards


def attr_plain(n=N):
    """Plain loop: reads conf.scale and conf.offset and looks up out.append every time."""
    conf = CONF
    out = []
    for i in range(n):
        out.append(i * conf.scale + conf.offset)
    return out


def attr_cached(n=N):
    """The attributes cached in locals before the loop."""
    conf = CONF
    scale = conf.scale
    offset = conf.offset
    out = []
    for i in range(n):
        out.append(i * scale + offset)
    return out


def append_bound(n=N):
    """attr_cached with out.append also bound to a local."""
    conf = CONF
    scale = conf.scale
    offset = conf.offset
    out = []
    append = out.append
    for i in range(n):
        append(i * scale + offset)
    return out


def listcomp_plain(n=N):
    """A list comprehension reading the attributes for every element."""
    conf = CONF
    return [i * conf.scale + conf.offset for i in range(n)]


def listcomp_cached(n=N):
    """The same comprehension with the attributes cached in locals first."""
    conf = CONF
    scale = conf.scale
    offset = conf.offset
    return [i * scale + offset for i in range(n)]


def key_plain(n=N):
    """Builds the composite key (symbol, con_id) for every lookup."""
    total = 0
    for i in range(n):
        symbol, con_id, qty = TICKS[i]
        total += PRICES[(symbol, con_id)] * qty
    return total


def key_cached(n=N):
    """Looks the key tuple up in a cache by con_id instead of building it."""
    total = 0
    for i in range(n):
        symbol, con_id, qty = TICKS[i]
        key = KEY_CACHE.get(con_id)
        if key is None:
            key = KEY_CACHE[con_id] = (symbol, con_id)
        total += PRICES[key] * qty
    return total


VARIANTS = [attr_plain, attr_cached, append_bound, listcomp_plain, listcomp_cached,
            key_plain, key_cached]

#: variants that compute the same value (a test compares what they return)
SAME_RESULT = [["attr_plain", "attr_cached", "append_bound", "listcomp_plain",
                "listcomp_cached"], ["key_plain", "key_cached"]]

#: how the slides name each variant in a sentence
LABELS = {
    "attr_plain": "self.attr in the loop",
    "attr_cached": "the attribute in a local",
    "append_bound": "append bound to a local",
    "listcomp_plain": "a plain list comprehension",
    "listcomp_cached": "locals cached first",
    "key_plain": "a fresh tuple key",
    "key_cached": "a cached key",
}

CLAIMS = {
    "attr-cache-helps-cpython": {
        "claim": "attr_cached on cpython is faster than attr_plain on cpython",
        "source": "folk", "said": "cache attributes in locals"},
    "attr-cache-helps-interpreter": "attr_cached on pypy-nojit is faster than attr_plain on "
                                    "pypy-nojit",
    "attr-cache-jit-does-it": {
        "claim": "attr_cached on pypy is about as fast as attr_plain on pypy within 10%",
        "source": "2010", "said": "don't try to outsmart your compiler"},
    "append-bound-helps-cpython": {
        "claim": "append_bound on cpython is faster than attr_cached on cpython",
        "source": "folk", "said": "bind append to a local"},
    "append-bound-jit-does-it": "append_bound on pypy is about as fast as attr_cached on pypy "
                                "within 10%",
    "listcomp-cache-2x-as-claimed": {
        "claim": "listcomp_cached on pypy is faster than listcomp_plain on pypy by at least 2x",
        "source": "folk", "said": "cache locals before a list comprehension: 2-3x faster"},
    "key-cache-helps-as-claimed": {
        "claim": "key_cached on pypy is faster than key_plain on pypy",
        "source": "folk", "said": "cache tuple keys: 60 % less overhead"},
}

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
