"""Verdicts in plain words, for the slides: what a claim said, what was measured.

Every phrase is built from a :class:`jitgap.Verdict` and its topic's ``LABELS``, so the
direction ("faster"/"slower") and the number always come from the data::

    words(v)     "an int loop: PyPy ≥ 10x faster than CPython"     (the claim)
    said(v)      the claim's declared ``said`` text, else words(v)
    number(v)    ("54 ± 11x", "faster")                            (measured, A against B)
    context(v)   "than CPython" / "than one call, on PyPy"
    today(v)     "an int loop: PyPy 54 ± 11x faster than CPython"  (measured, in words)
    miss(v)      how far a failing claim is from its threshold (1 = on it)
"""

import math
import re

from ._topics import get_topic

SOURCE_NAMES = {"2010": "2010", "2013": "2013", "pypy.org": "pypy.org",
                "pypy-blog": "PyPy blog", "folk": "folk advice", "kit": "this talk"}
MARKS = {"holds": "✔", "fails": "✘", "borderline": "≈", "inconclusive": "?",
         "unmeasured": "–"}
VERDICT_WORDS = {"holds": "holds", "fails": "does not hold", "borderline": "on the threshold",
                 "inconclusive": "inconclusive", "unmeasured": "not measured"}
#: a verdict as a table or a list shows it: its mark and its word
VERDICT_MARK = {verdict: "%s %s" % (MARKS[verdict], VERDICT_WORDS[verdict]) for verdict in MARKS}
INTERPRETER_NAMES = {"cpython": "CPython", "pypy": "PyPy", "pypy-nojit": "PyPy (JIT off)",
                     "c": "C"}

_topics = {}


def _topic(name):
    if name not in _topics:
        _topics[name] = get_topic(name)
    return _topics[name]


def label(topic_name, variant):
    """A variant in plain words (``LABELS``), else its name."""
    if variant == "mean":
        return "the geometric mean"
    try:
        return _topic(topic_name).label(variant)
    except Exception:       # a topic given by path, or gone: the name is still honest
        return variant


def interpreter_name(name):
    return INTERPRETER_NAMES.get(name, name)


def _is_trace(claim):
    return getattr(claim, "kind", None) == "trace"


def _relation(claim):
    if claim.relation == "about":
        return "within %g%% of" % (claim.tolerance * 100)
    if claim.factor != 1:
        return "≥ %gx %s than" % (claim.factor, claim.relation)
    return "%s than" % claim.relation


def _sentence(claim, middle):
    """``A on X <middle> B on Y`` with the shared parts said once."""
    a, b = label(claim.topic, claim.a), label(claim.topic, claim.b)
    x, y = interpreter_name(claim.x), interpreter_name(claim.y)
    if claim.a == claim.b:
        return "%s: %s %s %s" % (a, x, middle, y)
    if claim.x == claim.y:
        return "%s %s %s, on %s" % (a, middle, b, x)
    return "%s on %s %s %s on %s" % (a, x, middle, b, y)


def words(verdict):
    """The claim in plain words."""
    c = verdict.claim
    if _is_trace(c):
        return "%s: the compiled loop has %s" % (label(c.topic, c.a), c.claimed())
    return _sentence(c, _relation(c))


def said(verdict):
    """What the claim's source said (declared in the benchmark file), else :func:`words`."""
    return verdict.claim.said or words(verdict)


def number(verdict):
    """``("54 ± 11x", "faster")``: A measured against B, the factor >= 1; ``None`` for a
    trace claim or an unmeasured one."""
    r = verdict.ratio
    if r is None or _is_trace(verdict.claim):
        return None
    # verdict.ratio is oriented by the claim: for "slower" it is how much slower A is
    return r.parts("slower" if verdict.claim.relation == "slower" else "faster")


def context(verdict):
    """What the number compares: ``than CPython``, ``than one call, on PyPy``."""
    c = verdict.claim
    x, y = interpreter_name(c.x), interpreter_name(c.y)
    if c.a == c.b:
        return "than %s" % y
    b = label(c.topic, c.b)
    if c.x == c.y:
        return "than %s, on %s" % (b, x)
    return "than %s on %s" % (b, y)


def subject(verdict):
    """What the number is about: ``an int loop on PyPy``, ``*args forwarding``."""
    c = verdict.claim
    a = label(c.topic, c.a)
    return a if c.x == c.y else "%s on %s" % (a, interpreter_name(c.x))


def today(verdict):
    """What was measured, in words, with the number (no claim threshold)."""
    c = verdict.claim
    if _is_trace(c):
        return "%s: %s" % (label(c.topic, c.a), trace_fact(verdict))
    n = number(verdict)
    if n is None:
        return "%s: not measured" % label(c.topic, c.a)
    return _sentence(c, "%s %s than" % n)


def trace_fact(verdict):
    """``0 calls per iteration of the compiled loop`` from a trace claim's verdict."""
    c = verdict.claim
    if verdict.value is None:
        return "no stored trace"
    count = "%d %s" % (verdict.value, c.metric if verdict.value != 1 else c.metric[:-1])
    if c.metric in ("guards", "allocations", "calls"):
        return "%s per iteration of its compiled loop" % count
    return "%s %s" % (count, "compiled" if c.metric in ("loops", "bridges") else "while tracing")


def title(verdict):
    """A slide title stating the measurement: ``An int loop: PyPy 54 ± 11x faster than
    CPython``."""
    text = today(verdict)
    if re.match(r"[a-z]+\b(?![(._\]])", text):   # a word, not code such as id() or sum(
        text = text[:1].upper() + text[1:]
    if getattr(verdict, "unsteady", None):          # as the chart marks it
        text += " (not steady)"
    if getattr(verdict, "inconsistent", None):
        text += " (processes disagree)"
    return text


def miss(verdict):
    """How far the measurement lands from the claim's threshold, as a factor >= 1 (the
    size of a reversal); 1.0 when it cannot be said."""
    c, r = verdict.claim, verdict.ratio
    if r is None or _is_trace(c) or r.value <= 0:
        return 1.0
    if c.relation == "about":
        hi = 1.0 + c.tolerance
        return max(r.value / hi, (1.0 / hi) / r.value, 1.0)
    return max(c.factor / r.value, 1.0)


def strength(verdict):
    """How strongly the measurement speaks, as a factor >= 1 (for ordering 'holds')."""
    r = verdict.ratio
    if r is None or r.value <= 0:
        return 1.0
    return math.exp(abs(math.log(r.value)))
