"""Megamorphic calls: one call site that meets many classes.

Claim (draft deck, Fijalkowski, "Speed of PyPy", PyCon 2010): "Problems: megamorphic
calls."  A tracing JIT compiles the classes it has seen at a call site: `shape.area()`
becomes a guard on the class and the inlined method.  Each new class makes that guard
fail and grows a bridge, and the bridges are tried one after another, so a site that sees
32 classes pays for its guards where a site that sees one class pays nothing.  CPython has
no trace to leave; CPython 3.11's specialising interpreter caches one class per
instruction, so it too falls back to its generic path once a site sees several classes.
The classes are generated at import (`shape_class` builds their source text, `exec` makes
them module-level classes): the same method name `area`, a different body in each.
Variants: the same loop over N shapes drawn at random (fixed seed) from 1, 2, 8 or 32
classes, and the 32-way choice made through a dict of functions instead of a method.

Where it breaks: on PyPy, a megamorphic site costs twice.  Once compiled, every call pays
for the guards it fails on its way to the right bridge; before that, each guard failure
falls back to the interpreter until its bridge is traced and compiled, which makes the
first fraction of a second far slower than CPython.  pyperf's quick mode (a fraction of a
second per worker process) sees much of that warm-up; the default mode (`make bench`) sees
mostly the compiled code.

Each variant makes N calls; pyperf reports the time per call.
Run it with any interpreter:  pypy3 benchmarks/megamorphic.py -o megamorphic.json
"""

import random

import pyperf

N = 10000
KINDS = 32


def shape_class(k):
    """Source of class Shape<k>: the same method `area` as every other, its own body."""
    return ("class Shape%d(object):\n"
            "    def __init__(self, w, h):\n"
            "        self.w = w\n"
            "        self.h = h\n"
            "\n"
            "    def area(self):\n"
            "        return self.w * self.h + %d\n" % (k, k))


def area_function(k):
    """Source of area<k>(w, h): the body of Shape<k>.area as a plain function."""
    return "def area%d(w, h):\n    return w * h + %d\n" % (k, k)


for _k in range(KINDS):
    exec(compile(shape_class(_k) + area_function(_k), "<megamorphic: %d>" % _k, "exec"),
         globals())

CLASSES = [globals()["Shape%d" % k] for k in range(KINDS)]
AREA = {"shape%d" % k: globals()["area%d" % k] for k in range(KINDS)}


def shapes(kinds):
    """N shapes, each of a class drawn at random (fixed seed) from the first `kinds`."""
    rng = random.Random(kinds)
    return [CLASSES[rng.randrange(kinds)](i % 100, i % 7) for i in range(N)]


SHAPES_1 = shapes(1)
SHAPES_2 = shapes(2)
SHAPES_8 = shapes(8)
SHAPES_32 = shapes(32)
RECORDS_32 = [("shape%d" % CLASSES.index(type(s)), s.w, s.h) for s in SHAPES_32]


def mono_1(shapes=SHAPES_1):
    """`shape.area()` where every shape has the same class: a monomorphic site."""
    total = 0
    for shape in shapes:
        total += shape.area()
    return total


def poly_2(shapes=SHAPES_2):
    """The same call site over shapes of 2 classes, mixed at random."""
    total = 0
    for shape in shapes:
        total += shape.area()
    return total


def poly_8(shapes=SHAPES_8):
    """The same call site over shapes of 8 classes, mixed at random."""
    total = 0
    for shape in shapes:
        total += shape.area()
    return total


def mega_32(shapes=SHAPES_32):
    """The same call site over shapes of 32 classes, mixed at random: megamorphic."""
    total = 0
    for shape in shapes:
        total += shape.area()
    return total


def dict_32(records=RECORDS_32):
    """The same 32-way choice through a dict of functions: `AREA[kind](w, h)`."""
    total = 0
    for kind, w, h in records:
        total += AREA[kind](w, h)
    return total


VARIANTS = [mono_1, poly_2, poly_8, mega_32, dict_32]

#: variants that compute the same value (a test compares what they return)
SAME_RESULT = [["mega_32", "dict_32"]]

#: how the slides name each variant in a sentence
LABELS = {
    "mono_1": "1 class",
    "poly_2": "2 classes",
    "poly_8": "8 classes",
    "mega_32": "32 classes",
    "dict_32": "a dict of 32 functions",
}

CLAIMS = {
    "monomorphic-fast": "mono_1 on pypy is faster than on cpython by at least 10x",
    "megamorphic-costs": {
        "claim": "mega_32 on pypy is slower than mono_1 on pypy by at least 2x",
        "source": "2010", "said": "megamorphic calls are a problem"},
    "cpython-barely-changes": "mega_32 on cpython is about as fast as mono_1 on cpython within "
                              "25%",
    "pypy-still-ahead": {
        "claim": "mega_32 on pypy is faster than on cpython",
        "source": "kit", "said": "even at 32 classes PyPy beats CPython"},
    "dict-is-megamorphic-too": "dict_32 on pypy is slower than mono_1 on pypy by at least 2x",
    "monomorphic-call-inlined": "trace of mono_1 has no calls",
    "a-bridge-per-class": {
        "claim": "trace of mega_32 has at least 32 bridges",
        "source": "kit", "said": "each class grows a bridge"},
    "megamorphic-call-not-inlined": {
        "claim": "trace of mega_32 has at least 1 call",
        "source": "kit", "said": "a megamorphic call cannot be inlined"},
}
TRACES = ["mono_1", "mega_32"]
WARMUPS = ["mega_32"]

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
