"""Where PyPy is slower than CPython: C extensions, ctypes, runtime code the JIT cannot see.

The JIT speeds up Python code it can trace.  Time spent elsewhere -- crossing into C code
written for CPython, in library code PyPy implements differently, in its runtime -- gets
no help from it, and there PyPy is often slower.  The claims, and where they come from:

* C extensions (pypy.org, performance page, https://www.pypy.org/performance.html):
  "Any C extension module recompiled with PyPy takes a very large hit in performance.
  PyPy supports C extension modules solely to provide basic functionality."  PyPy's FAQ
  ("Should I install numpy or numpypy?", doc.pypy.org/en/latest/faq.html) says numpy
  runs through cpyext, which "is infamously slow"; pypy.org's old download page added
  that this "hurts a few benchmarks that do a lot of element-by-element array accesses".
  PyPy blog, "Inside cpyext: Why emulating CPython C API is so Hard" (Antonio Cuni,
  2018): "A Python program which makes heavy use of cpyext extensions is likely to be
  slower on PyPy than on CPython."  Since 2017 the JIT looks inside cpyext (PyPy's
  whatsnew, branch cpyext-jit: "cpyext calls are up to 7x faster", only in simple cases).
* ctypes (pypy.org performance page): "Ctypes is slower than on CPython.  Consider CFFI
  or HPy instead".  PyPy's docs ("extending.rst"): ctypes calls are compiled by the JIT
  into a direct call to the C function, but checking and converting arguments remains.
* Large integers (pypy.org performance page): "Bad examples include doing computations
  with large longs -- which is performed by unoptimizable support code.  When the JIT
  cannot help, PyPy is generally slower than CPython."  (Runtime functions "take
  somewhere between the same time as CPython to twice as long".)
* Standard modules that are C in CPython and Python in PyPy (pypy.org performance page):
  "A few modules of the standard library (like csv and cPickle) are written in C in
  CPython, but written natively in pure Python in PyPy ... In most cases (like csv and
  cPickle), we're slower than CPython, with the notable exception of json and heapq."
  PyPy's tracker, issue #3377 (2021): its pickle is "very slow, even when jitted", about
  4x slower on the pickle benchmarks.
* decimal: PyPy's tracker, issues #826 ("Decimal seems slower on pypy than cpython",
  2011) and #3024 ("PyPy3 much slower than PyPy2 for decimal calculations", 2019: 24.5 s
  against 1.9 s for PyPy2's pure-Python decimal).  Note: Debian's pypy3 7.3.11, the one
  measured here, ships no `_decimal_cffi` (the libmpdec binding), so `decimal` is
  `_pydecimal`, pure Python the JIT compiles; upstream builds use libmpdec through cffi.
* String concatenation (pypy.org performance page, "String concatenation is
  expensive"): in `for x in mylist: s += foo(x)` "the JIT cannot optimize out
  intermediate copies.  This code is actually quadratic in the total size".  CPython
  resizes the string in place when nothing else refers to it, so its loop is linear:
  the gap grows with the final length (here N pieces of 100 characters).
* Regular expressions (pypy.org performance page): the counterexample among long-running
  library functions -- "although they take time, they come with their own JIT".  Two
  patterns on the same text: one the regex JIT compiles to a fast loop, one that
  backtracks at every word.

Tried and dropped (quick mode, this machine; PyPy with its JIT vs CPython): `json.dumps`
of a small record, PyPy 1.7x faster (pypy.org's "notable exception"); `pickle.loads`
alone, 3.5x slower (the same story as the round trip kept here); `str()` of a
3000-digit int, PyPy 1.75x faster, and `pow(b, e, m)` with 1024-bit numbers, 1.8x faster
(the same story as the multiplication kept here); scattered `s[i]` on a non-ASCII str,
PyPy 6.8x faster (its UTF-8 strings carry an index); small `sqlite3` SELECTs in memory,
a tie (1.04x faster; PyPy's `_sqlite3` uses cffi); `eval` of a fresh expression,
1.15 +- 0.08x slower, and `exec` of a fresh 10-line function, 1.6 +- 0.6x slower (near
ties); `csv.reader` over 1000 lines, 1.13x slower, and `sorted()` of 1000 floats,
1.3 +- 0.3x slower (near ties: pypy.org names both, the data barely agrees).

Each variant runs N iterations (the regex variants scan a text of N lines, so the time
per iteration is per line); pyperf reports the time per iteration.  The numpy variants
are measured only where numpy imports.
Run it with any interpreter:  pypy3 benchmarks/slowpaths.py -o slowpaths.json
"""

import ctypes
import pickle
import re
from decimal import Decimal

import pyperf

try:
    import numpy
except ImportError:
    numpy = None

N = 1000

if numpy is not None:
    ARRAY = numpy.arange(N, dtype=numpy.float64)
    TINY_A = numpy.array([1.0, 2.0, 3.0, 4.0])
    TINY_B = numpy.array([0.5, 0.25, 0.125, 0.0625])
LIBC_ABS = ctypes.CDLL(None).abs       # the C library already loaded into the process
# about 2960 decimal digits each: below the 4300-digit limit on int <-> str conversion
# that CPython 3.11 (and this PyPy 3.9) enforce, though nothing here converts to str
BIG_A = 7 ** 3500 + 12345
BIG_B = 3 ** 6200 + 6789
RECORD = {"id": 1, "name": "widget", "tags": ["a", "b", "c"],
          "dims": {"w": 1.5, "h": 2.25, "d": [1, 2, 3]}, "ok": True, "note": None}
TEXT = "\n".join("line %d: the quick brown fox jumps over the lazy dog, mail user%d@example.com"
                 % (i, i) for i in range(N))
EMAILS = re.compile(r"\w+@\w+\.com")
NUMBERS = re.compile(r"\d+")


def numpy_scalars(n=N):
    """Element by element over a numpy array: each a[i] is a numpy scalar made in C."""
    a = ARRAY
    total = 0.0
    for i in range(n):
        total += a[i] * 2.0
    return total


def numpy_tiny_calls(n=N):
    """numpy.dot on two 4-element arrays, n times: the call costs more than the work."""
    a, b = TINY_A, TINY_B
    total = 0.0
    for i in range(n):
        total += float(numpy.dot(a, b))
    return total


def ctypes_calls(n=N):
    """The C library's abs() called through ctypes, n times."""
    f = LIBC_ABS
    total = 0
    for i in range(n):
        total += f(-i)
    return total


def bigint_mul(n=N):
    """Multiply two integers of about 3000 decimal digits, n times."""
    a, b = BIG_A, BIG_B
    total = 0
    for i in range(n):
        total += (a * b) & 0xFF
    return total


def decimal_arith(n=N):
    """Decimal arithmetic: a multiply and an add per iteration."""
    s = Decimal("0")
    d = Decimal("0.0000001")
    m = Decimal("1.0000001")
    for i in range(n):
        s = s * m + d
    return s


def pickle_roundtrip(n=N):
    """pickle.dumps then pickle.loads of a small nested record, n times."""
    record = RECORD
    total = 0
    for i in range(n):
        total += len(pickle.loads(pickle.dumps(record)))
    return total


def str_concat(n=N):
    """s += piece in a loop: a string of n pieces of 100 characters."""
    s = ""
    piece = "x" * 100
    for i in range(n):
        s += piece
    return len(s)


def regex_emails(text=TEXT):
    """re findall of e-mail addresses (\\w+@\\w+\\.com) in a text of N lines."""
    return len(EMAILS.findall(text))


def regex_digits(text=TEXT):
    """re findall of numbers (\\d+) in the same text of N lines."""
    return len(NUMBERS.findall(text))


VARIANTS = [numpy_scalars, numpy_tiny_calls, ctypes_calls, bigint_mul, decimal_arith,
            pickle_roundtrip, str_concat, regex_emails, regex_digits]
NEEDS_NUMPY = [numpy_scalars, numpy_tiny_calls]

#: how the slides name each variant in a sentence
LABELS = {
    "numpy_scalars": "numpy elements in a Python loop",
    "numpy_tiny_calls": "numpy calls on tiny arrays",
    "ctypes_calls": "a C function called through ctypes",
    "bigint_mul": "3000-digit integer multiplication",
    "decimal_arith": "Decimal arithmetic",
    "pickle_roundtrip": "pickle dumps + loads",
    "str_concat": "s += piece in a loop",
    "regex_emails": "a backtracking regex",
    "regex_digits": "a simple regex (\\d+)",
}

#: why PyPy loses (or, for the variants where it does not, what was expected to lose)
REASONS = {
    "numpy_scalars": "each a[i] is a numpy scalar made in C that cpyext must mirror as a "
                     "PyPy object",
    "numpy_tiny_calls": "every numpy call crosses cpyext's emulation of CPython's C API, "
                        "both ways",
    "ctypes_calls": "PyPy's ctypes is Python over a libffi binding: arguments are checked "
                    "and converted on each call",
    "bigint_mul": "long arithmetic is runtime code the JIT cannot help (PyPy's 63-bit "
                  "digits, against CPython's 30-bit ones, win here anyway)",
    "decimal_arith": "decimal is _pydecimal (pure Python) on this PyPy, against CPython's "
                     "C libmpdec",
    "pickle_roundtrip": "pickle is pure Python on PyPy (no _pickle): jitted Python against "
                        "CPython's C",
    "str_concat": "CPython grows the string in place; PyPy copies all of it on every +=, "
                  "so the loop is quadratic",
    "regex_emails": "\\w+ matches and backtracks at every word: PyPy's regex engine loses to "
                    "CPython's C sre on this pattern, and its regex JIT does not help",
    "regex_digits": "a long scan lets the regex JIT compile the pattern's loop",
}

CLAIMS = {
    "c-extensions-take-a-hit": {
        "claim": "numpy_tiny_calls on pypy is slower than on cpython by at least 2x",
        "source": "pypy.org",
        "said": "any C extension module takes a very large hit in performance"},
    "element-access-hurts": {
        "claim": "numpy_scalars on pypy is slower than on cpython",
        "source": "pypy.org",
        "said": "numpy through cpyext hurts code that reads arrays element by element"},
    "heavy-cpyext-use-is-slower": {
        "claim": "numpy_scalars on pypy is slower than on cpython by at least 2x",
        "source": "pypy-blog",
        "said": "a program that makes heavy use of cpyext is likely slower than on CPython "
                "(2018)"},
    "jit-sees-into-cpyext": {
        "claim": "numpy_tiny_calls on pypy is faster than on pypy-nojit",
        "source": "pypy-blog",
        "said": "the JIT looks inside cpyext: calls up to 7x faster in simple cases (2017)"},
    "ctypes-is-slower": {
        "claim": "ctypes_calls on pypy is slower than on cpython",
        "source": "pypy.org", "said": "ctypes is slower than on CPython; use CFFI"},
    "ctypes-call-is-jitted": {
        "claim": "ctypes_calls on pypy is faster than on pypy-nojit",
        "source": "pypy.org",
        "said": "the JIT turns a ctypes call into a direct call to the C function"},
    "longs-are-slower": {
        "claim": "bigint_mul on pypy is slower than on cpython",
        "source": "pypy.org",
        "said": "computing with large longs is support code the JIT cannot optimise"},
    "jit-cannot-help-longs": "bigint_mul on pypy is about as fast as on pypy-nojit within 25%",
    "decimal-is-slower": {
        "claim": "decimal_arith on pypy is slower than on cpython",
        "source": "kit",
        "said": "Decimal is slower on PyPy (PyPy's tracker, issues #826 and #3024)"},
    "pure-python-decimal-is-jitted": "decimal_arith on pypy is faster than on pypy-nojit by at "
                                     "least 5x",
    "pickle-is-slower": {
        "claim": "pickle_roundtrip on pypy is slower than on cpython",
        "source": "pypy.org",
        "said": "cPickle is pure Python in PyPy, slower than CPython's C"},
    "pickle-slow-even-jitted": {
        "claim": "pickle_roundtrip on pypy is slower than on cpython by at least 2x",
        "source": "kit",
        "said": "PyPy's pickle is very slow even when jitted, ~4x (PyPy's tracker, #3377)"},
    "pickle-needs-the-jit": "pickle_roundtrip on pypy is faster than on pypy-nojit by at least 5x",
    "concat-is-quadratic": {
        "claim": "str_concat on pypy is slower than on cpython",
        "source": "pypy.org",
        "said": "s += foo(x) in a loop is quadratic: the JIT cannot remove the copies"},
    "jit-cannot-help-concat": "str_concat on pypy is about as fast as on pypy-nojit within 25%",
    "regex-has-its-own-jit": {
        "claim": "regex_digits on pypy is faster than on pypy-nojit",
        "source": "pypy.org", "said": "regular expressions come with their own JIT"},
    "regex-jit-helps-backtracking": {
        "claim": "regex_emails on pypy is faster than on pypy-nojit",
        "source": "pypy.org", "said": "regular expressions come with their own JIT"},
}

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        if numpy is None and func in NEEDS_NUMPY:
            continue            # no numpy under this interpreter: the other variants still run
        runner.bench_func(func.__name__, func, inner_loops=N)
