"""Allocation patterns: a moving GC loves short-lived objects, not a large list of new ones.

Claim (draft deck, Fijalkowski, "Speed of PyPy", PyCon 2010, "Allocation patterns"): PyPy
uses a moving GC, "pretty efficient for usecases with a lot of short-living objects"; the
fuller version adds that "a large list of new objects is a bad case".  PyPy allocates in a
nursery (here 1 MB: PyPy sizes it from the L2 cache, PYPY_GC_NURSERY overrides it) by
bumping a pointer; an object that is dead at the next minor collection costs nothing more,
one that is still referenced is copied out to the old generation and later traced by major
collections.  CPython's reference counting frees each object when its last reference goes,
so keeping it or not changes little there.  N = 10000 instances fill about one nursery.

Second claim: a list of ints or floats is stored unboxed on PyPy (storage strategies, Bolz,
Diekmann, Tratt, "Storage Strategies for Collections in Dynamically Typed Languages",
OOPSLA 2013), so appending a number allocates nothing.  The case where it breaks: a list
mixing types (here one None in front of the same ints) falls back to the generic strategy
and every int becomes a heap object again.  Ints and floats together still have a strategy
of their own (IntOrFloatListStrategy); any other type does not.  __slots__ and tuples are
the usual hand-made "compact object"; on PyPy every instance is already compact (maps: PyPy
blog, "Efficiently Implementing Python Objects With Maps", 2010).

Times only: the memory per object is measured in a later topic.
Each variant runs N loop iterations; pyperf reports the time per iteration.
Run it with any interpreter:  pypy3 benchmarks/allocation.py -o allocation.json
"""

import pyperf

N = 10000

LAST = [None]  # built at import: the one slot where dropped_instances leaves its object


class Point(object):
    def __init__(self, x, y):
        self.x = x
        self.y = y


class SlotPoint(object):
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


def dropped_instances(n=N):
    """Short-lived: each new instance replaces the previous one, which dies young."""
    last = LAST
    for i in range(n):
        last[0] = Point(i, i + 1)
    return last[0].y


def kept_instances(n=N):
    """Long-lived: every new instance is kept in a growing list (a large list of new objects)."""
    kept = []
    for i in range(n):
        kept.append(Point(i, i + 1))
    return kept[-1].y


def kept_slots(n=N):
    """The same list of new objects, made from a class with __slots__."""
    kept = []
    for i in range(n):
        kept.append(SlotPoint(i, i + 1))
    return kept[-1].y


def kept_tuples(n=N):
    """The same list of new objects, as tuples (i, i + 1)."""
    kept = []
    for i in range(n):
        kept.append((i, i + 1))
    return kept[-1][1]


def kept_ints(n=N):
    """A growing list of ints only: PyPy stores them unboxed (integer strategy)."""
    kept = []
    for i in range(n):
        kept.append(i + 1)
    return kept[-1]


def kept_floats(n=N):
    """A growing list of floats only: PyPy stores them unboxed (float strategy)."""
    kept = []
    for i in range(n):
        kept.append(i + 0.5)
    return kept[-1]


def kept_mixed(n=N):
    """The same ints after one None: a mixed list, so every int is a boxed object."""
    kept = [None]
    for i in range(n):
        kept.append(i + 1)
    return kept[-1]


VARIANTS = [dropped_instances, kept_instances, kept_slots, kept_tuples, kept_ints,
            kept_floats, kept_mixed]

#: variants that compute the same value (a test compares what they return)
SAME_RESULT = [["kept_instances", "kept_slots", "kept_tuples"], ["kept_ints", "kept_mixed"]]

#: how the slides name each variant in a sentence
LABELS = {
    "dropped_instances": "new objects dropped at once",
    "kept_instances": "new objects kept in a list",
    "kept_slots": "__slots__ objects kept",
    "kept_tuples": "tuples kept",
    "kept_ints": "a list of ints",
    "kept_floats": "a list of floats",
    "kept_mixed": "ints with one None",
}

CLAIMS = {
    "short-lived-is-cheap": {
        "claim": "dropped_instances on pypy is faster than on cpython by at least 5x",
        "source": "2010", "said": "a moving GC is pretty efficient for lots of short-lived "
                                  "objects"},
    "large-list-is-the-bad-case": {
        "claim": "kept_instances on pypy is slower than dropped_instances on pypy by at least 2x",
        "source": "2010", "said": "a large list of new objects is a bad case"},
    "refcounting-does-not-care": "kept_instances on cpython is about as fast as "
                                 "dropped_instances on cpython within 25%",
    "slots-change-nothing-on-pypy": "kept_slots on pypy is about as fast as kept_instances on "
                                    "pypy within 25%",
    "int-list-unboxed": {
        "claim": "kept_ints on pypy is faster than kept_mixed on pypy by at least 2x",
        "source": "pypy-blog", "said": "a list of only ints stores raw machine words"},
    "float-list-unboxed": {
        "claim": "kept_floats on pypy is faster than kept_mixed on pypy by at least 2x",
        "source": "pypy-blog", "said": "a list of only floats stores raw machine words"},
    "mixed-is-free-on-cpython": "kept_mixed on cpython is about as fast as kept_ints on cpython "
                                "within 25%",
}

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
