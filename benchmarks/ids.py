"""id(obj) on a fresh object: free on CPython, bookkeeping on PyPy.

Claim (draft deck, Fijalkowski, "Speed of PyPy", PyCon 2010): "Never use id(obj) unless
you really have to."  CPython never moves an object, so id() is its address.  PyPy's
garbage collector is generational and moving: a new object is born in the nursery and
is copied out when it survives a minor collection.  id() must return a number that stays
the same, so for a young object the GC reserves the object's future place outside the
nursery (a "shadow") and remembers it; an old object does not move any more.  PyPy's
"Differences between PyPy and CPython" page discusses id() under the garbage collector;
the shadow is in RPython's minimark GC family ("id() and identityhash() support").
`is` needs none of this: it compares two references.
Variants: `is` vs id equality on fresh and on long-lived objects, and a set keyed by
id(o) vs by the object itself.  The case where it breaks: on long-lived objects, id()
is cheap on PyPy too; and hashing an object by identity (a set of objects) may need the
same bookkeeping as id().

Each variant handles N objects; pyperf reports the time per object.  The `*_fresh` and
`set_by_*` variants allocate their N objects inside the timed function (the point is
that they are young); `is_fresh` is the baseline that pays the same allocation.
Run it with any interpreter:  pypy3 benchmarks/ids.py -o ids.json
"""

import pyperf

N = 2000


class Item(object):
    def __init__(self, value):
        self.value = value


# Long-lived objects: built at import, old by the time they are measured.
OLD = [Item(i) for i in range(N)]


def is_old(objs=OLD):
    """Long-lived objects, each compared with another one by `is`."""
    n = len(objs)
    same = 0
    for i in range(n):
        if objs[i] is objs[(i * 7) % n]:
            same += 1
    return same


def id_old(objs=OLD):
    """The same comparisons written id(a) == id(b)."""
    n = len(objs)
    same = 0
    for i in range(n):
        if id(objs[i]) == id(objs[(i * 7) % n]):
            same += 1
    return same


def is_fresh(n=N):
    """N new objects, each compared with another one by `is`."""
    objs = [Item(i) for i in range(n)]
    same = 0
    for i in range(n):
        if objs[i] is objs[(i * 7) % n]:
            same += 1
    return same


def id_fresh(n=N):
    """N new objects, the same comparisons written id(a) == id(b)."""
    objs = [Item(i) for i in range(n)]
    same = 0
    for i in range(n):
        if id(objs[i]) == id(objs[(i * 7) % n]):
            same += 1
    return same


def set_by_id(n=N):
    """N new objects recorded in a set of id(o), then each one looked up."""
    objs = [Item(i) for i in range(n)]
    seen = set()
    for o in objs:
        seen.add(id(o))
    found = 0
    for i in range(n):
        if id(objs[(i * 7) % n]) in seen:
            found += 1
    return found


def set_by_object(n=N):
    """N new objects recorded in a set of the objects themselves, then looked up."""
    objs = [Item(i) for i in range(n)]
    seen = set()
    for o in objs:
        seen.add(o)
    found = 0
    for i in range(n):
        if objs[(i * 7) % n] in seen:
            found += 1
    return found


VARIANTS = [is_old, id_old, is_fresh, id_fresh, set_by_id, set_by_object]

#: variants that compute the same value (a test compares what they return)
SAME_RESULT = [["is_old", "id_old"], ["is_fresh", "id_fresh"], ["set_by_id", "set_by_object"]]

#: how the slides name each variant in a sentence
LABELS = {
    "is_old": "is-tests on old objects",
    "id_old": "id() of old objects",
    "is_fresh": "is-tests on new objects",
    "id_fresh": "id() of new objects",
    "set_by_id": "a set of ids",
    "set_by_object": "a set of objects",
}

CLAIMS = {
    "id-fresh-costly-on-pypy": {
        "claim": "id_fresh on pypy is slower than is_fresh on pypy by at least 2x",
        "source": "2010", "said": "never use id(obj) unless you really have to"},
    "id-fresh-cheap-on-cpython": "id_fresh on cpython is about as fast as is_fresh on cpython "
                                 "within 50%",
    "key-by-object-on-pypy": {
        "claim": "set_by_object on pypy is faster than set_by_id on pypy",
        "source": "kit", "said": "key a set by the object, not by its id"},
    "id-old-cheaper-on-pypy": {
        "claim": "id_old on pypy is faster than id_fresh on pypy by at least 2x",
        "source": "kit", "said": "id() of an object that no longer moves is cheaper"},
}

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
