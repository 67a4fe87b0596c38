"""Shared dicts (maps): an instance attribute is an array slot, unless you are evil.

Claim (draft deck, Fijalkowski, "Speed of PyPy", PyCon 2010): "instance __dict__ lookup
becomes an array lookup; if you're evil, it'll bail back to dict lookup ... only for
new-style classes".  Instances whose attributes were added the same way share a "map"
(a hidden class) that says where each attribute lives; the JIT guards on the map and
reads a fixed slot (PyPy blog, "Efficiently Implementing Python Objects With Maps",
2010; Bolz et al., ICOOOLPS 2011).  Every class is new-style in Python 3, so the modern
traps are: attribute names that differ per instance (pypy.org performance page:
`setattr(x, 'a' + var, y)`), more attributes than a map holds (PyPy's mapdict switches
to a real dict after 80, LIMIT_MAP_ATTRIBUTES), and instances filled in different
orders.  The same deck: "dicts on types are version-controlled ... counters on classes
are bad"; today PyPy stores a class attribute that keeps changing in a mutable cell
(typeobject.py, MutableCell), so the version need not change.

Every variant sums the attributes a, b, c of N prepared objects (built at import, one
class per variant so that no variant's objects change another's layout); only how the
objects were built differs (the wide objects are WIDE_DISTINCT objects read over and
over, to keep start-up short).  The evil case: each instance first gets an attribute whose
name is computed from its index, so no two instances share a map.

Each variant reads N objects; pyperf reports the time per iteration (per object).
Run it with any interpreter:  pypy3 benchmarks/maps.py -o maps.json
"""

import itertools

import pyperf

N = 5000
EXTRA = 100  # more attributes than PyPy's maps hold (LIMIT_MAP_ATTRIBUTES = 80)
WIDE_DISTINCT = 100
ORDERS = list(itertools.permutations(("a", "b", "c")))


class Record(object):
    pass


class ShuffledRecord(object):
    pass


class WideRecord(object):
    pass


class EvilRecord(object):
    pass


class SlottedRecord(object):
    __slots__ = ("a", "b", "c")


class CountedRecord(object):
    reads = 0


def fill_abc(obj, i):
    """Set a, b, c on obj, in this order."""
    obj.a = i
    obj.b = i + 1
    obj.c = i + 2
    return obj


def shuffled_record(i):
    """a, b, c set in one of their 6 possible orders, chosen by i."""
    obj = ShuffledRecord()
    values = {"a": i, "b": i + 1, "c": i + 2}
    for name in ORDERS[i % len(ORDERS)]:
        setattr(obj, name, values[name])
    return obj


def wide_record(i):
    """a, b, c, then EXTRA more attributes."""
    obj = fill_abc(WideRecord(), i)
    for j in range(EXTRA):
        setattr(obj, "f%d" % j, j)
    return obj


def evil_record(i):
    """First an attribute whose name is computed from i, then a, b, c."""
    obj = EvilRecord()
    setattr(obj, "id_%d" % i, i)
    return fill_abc(obj, i)


SAME = [fill_abc(Record(), i) for i in range(N)]
SHUFFLED = [shuffled_record(i) for i in range(N)]
# Building N wide objects would dominate the start-up of every worker process, so WIDE
# holds N references to WIDE_DISTINCT of them: re-reading objects that stay in the cache
# favours this variant, if anything.
WIDE_OBJECTS = [wide_record(i) for i in range(WIDE_DISTINCT)]
WIDE = [WIDE_OBJECTS[i % WIDE_DISTINCT] for i in range(N)]
EVIL = [evil_record(i) for i in range(N)]
SLOTTED = [fill_abc(SlottedRecord(), i) for i in range(N)]
DICTS = [{"a": i, "b": i + 1, "c": i + 2} for i in range(N)]
COUNTED = [fill_abc(CountedRecord(), i) for i in range(N)]


def same_order(objs=SAME):
    """Baseline: instances filled with a, b, c in the same order (one shared map)."""
    total = 0
    for o in objs:
        total += o.a + o.b + o.c
    return total


def different_orders(objs=SHUFFLED):
    """Instances filled in the 6 possible orders of a, b, c (6 maps)."""
    total = 0
    for o in objs:
        total += o.a + o.b + o.c
    return total


def many_attributes(objs=WIDE):
    """Instances with a, b, c and EXTRA more attributes: more than a map holds."""
    total = 0
    for o in objs:
        total += o.a + o.b + o.c
    return total


def slots(objs=SLOTTED):
    """A class with __slots__: the attributes are fixed fields by declaration."""
    total = 0
    for o in objs:
        total += o.a + o.b + o.c
    return total


def plain_dict(objs=DICTS):
    """Plain dicts with the string keys "a", "b", "c"."""
    total = 0
    for d in objs:
        total += d["a"] + d["b"] + d["c"]
    return total


def evil_names(objs=EVIL):
    """Each instance first got an attribute named after its index: one map per instance."""
    total = 0
    for o in objs:
        total += o.a + o.b + o.c
    return total


def class_counter(objs=COUNTED):
    """The baseline, plus a counter on the class bumped on every read."""
    total = 0
    for o in objs:
        CountedRecord.reads += 1
        total += o.a + o.b + o.c
    return total


VARIANTS = [same_order, different_orders, many_attributes, slots, plain_dict, evil_names,
            class_counter]

#: variants that compute the same value (a test compares what they return); not
#: many_attributes, which reads WIDE_DISTINCT objects over and over (see the docstring)
SAME_RESULT = [["same_order", "different_orders", "slots", "plain_dict", "evil_names",
                "class_counter"]]

#: how the slides name each variant in a sentence
LABELS = {
    "same_order": "attributes set in one order",
    "different_orders": "attributes set in 2 orders",
    "many_attributes": "over 80 attributes",
    "slots": "__slots__",
    "plain_dict": "a plain dict",
    "evil_names": "a computed name per object",
    "class_counter": "a counter on the class",
}

#: why PyPy loses where it does (the deck's "Where PyPy is slower" slide)
REASONS = {
    "evil_names": "one map per object: the map guard fails for every object",
    "many_attributes": "past 80 attributes PyPy stores a real dict",
}

CLAIMS = {
    "attribute-is-an-array-slot": {
        "claim": "same_order on pypy is about as fast as slots on pypy within 25%",
        "source": "2010", "said": "instance __dict__ lookup becomes an array lookup"},
    "maps-beat-dicts": {
        "claim": "same_order on pypy is faster than plain_dict on pypy by at least 2x",
        "source": "kit", "said": "an instance beats a dict on PyPy"},
    "evil-breaks-maps": {
        "claim": "evil_names on pypy is slower than same_order on pypy by at least 2x",
        "source": "2010", "said": "if you're evil, maps break"},
    "evil-falls-back-to-a-dict": {
        "claim": "evil_names on pypy is about as fast as plain_dict on pypy within 25%",
        "source": "2010", "said": "if you're evil, it bails back to a dict lookup"},
    "too-many-attributes": "many_attributes on pypy is slower than same_order on pypy by at "
                           "least 2x",
    "orders-matter": {
        "claim": "different_orders on pypy is slower than same_order on pypy by at least 2x",
        "source": "folk", "said": "set attributes in the same order"},
    "class-counters-are-bad": {
        "claim": "class_counter on pypy is slower than same_order on pypy by at least 2x",
        "source": "2010", "said": "counters on classes are bad"},
    "attribute-read-is-a-field-read": "trace of same_order has no calls",
    "dict-lookup-is-a-call": "trace of plain_dict has at least 1 call",
}
TRACES = ["same_order", "plain_dict"]

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
