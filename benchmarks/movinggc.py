"""Bad cases for a moving GC: old containers, weakrefs and __del__ make young objects costly.

Claim (draft deck, Fijalkowski, "Speed of PyPy", PyCon 2010): the slide "Bad case for a
moving GC" was left as "xxx" in the draft; this topic fills it in.  PyPy's GC (incminimark,
RPython docs "Garbage collection in RPython") allocates in a nursery and copies out what is
still referenced at each minor collection.  Young objects that die young are almost free;
these three patterns are not:

* a container that is already old (here built at import) holding fresh objects for a while:
  each store goes through the write barrier, and an object referenced from an old one
  survives its minor collection, so it is copied, then later freed by a major collection;
* a weakref to a fresh object: the GC must track it and fix or clear it at every collection;
* an object with __del__: the GC registers it at allocation, must keep it alive until its
  finalizer has run, and runs __del__ later (PyPy docs, "Differences between PyPy and
  CPython").

CPython's reference counting frees each object, clears its weakrefs and calls its __del__
at the moment its last reference goes, so the same patterns cost it little.  The baseline,
plain_objects, keeps plain fresh objects in a fresh list: all young, all dead together.
old_slot stores every new object into the same slot of an old list: the write barrier
without the survival.  N = 2000 objects per call fit easily in PyPy's nursery (here 1 MB);
the old ring keeps RING_CALLS calls' worth of them (more than a nursery), so each one stored
there outlives a minor collection.

Each variant runs N loop iterations; pyperf reports the time per iteration.
Run it with any interpreter:  pypy3 benchmarks/movinggc.py -o movinggc.json
"""

import weakref

import pyperf

N = 2000
RING_CALLS = 16

RING = [None] * (N * RING_CALLS)  # built at import, so old: a long-lived cache of objects
RING_START = [0]
SLOT = [None]  # built at import, so old: one slot, overwritten at every store


class Plain(object):
    def __init__(self, x):
        self.x = x


class WithDel(object):
    def __init__(self, x):
        self.x = x

    def __del__(self):
        pass


def plain_objects(n=N):
    """Baseline: fresh objects stored in a fresh list; all die young, together."""
    fresh = [None] * n
    total = 0
    for i in range(n):
        obj = Plain(i)
        fresh[i] = obj
        total += obj.x
    return total


def old_container(n=N):
    """The same fresh objects stored into an old list, where they stay for RING_CALLS calls."""
    ring = RING
    start = RING_START[0]
    if start + n > len(ring):
        start = 0
    total = 0
    for i in range(n):
        obj = Plain(i)
        ring[start + i] = obj
        total += obj.x
    RING_START[0] = start + n
    return total


def old_slot(n=N):
    """The same fresh objects, each stored into the same slot of an old list: each dies young."""
    slot = SLOT
    total = 0
    for i in range(n):
        obj = Plain(i)
        slot[0] = obj
        total += obj.x
    return total


def weakref_objects(n=N):
    """The same fresh objects, each with a weakref to it kept in the fresh list."""
    fresh = [None] * n
    total = 0
    for i in range(n):
        obj = Plain(i)
        fresh[i] = weakref.ref(obj)
        total += obj.x
    return total


def del_objects(n=N):
    """The same fresh objects in a fresh list, but their class has a __del__ (a finalizer)."""
    fresh = [None] * n
    total = 0
    for i in range(n):
        obj = WithDel(i)
        fresh[i] = obj
        total += obj.x
    return total


VARIANTS = [plain_objects, old_container, old_slot, weakref_objects, del_objects]

#: variants that compute the same value (a test compares what they return)
SAME_RESULT = [["plain_objects", "old_container", "old_slot", "weakref_objects",
                "del_objects"]]

#: how the slides name each variant in a sentence
LABELS = {
    "plain_objects": "new objects in a new list",
    "old_container": "new objects in an old list",
    "old_slot": "an old list, one slot",
    "weakref_objects": "a weakref each",
    "del_objects": "a __del__ each",
}

CLAIMS = {
    "old-container-costs": {
        "claim": "old_container on pypy is slower than plain_objects on pypy by at least 2x",
        "source": "kit", "said": "young objects in an old list cost a moving GC"},
    "refcounting-does-not-care": "old_container on cpython is about as fast as plain_objects on "
                                 "cpython within 25%",
    "weakref-costs": {
        "claim": "weakref_objects on pypy is slower than plain_objects on pypy by at least 2x",
        "source": "pypy.org", "said": "weakrefs cost a moving GC"},
    "del-costs": {
        "claim": "del_objects on pypy is slower than plain_objects on pypy by at least 2x",
        "source": "pypy.org", "said": "objects with __del__ cost a moving GC"},
    "del-is-cheap-on-cpython": "del_objects on cpython is about as fast as plain_objects on "
                               "cpython within 50%",
}

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
