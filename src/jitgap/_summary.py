"""Judging stored results: every claim's verdict (:func:`check`), the kit's overall number
and the claims that no longer hold.

The overall number is the geometric mean, over every variant of every topic, of an
interpreter's speed-up against CPython.  Its uncertainty is propagated from each ratio's
(in log space); the spread *between* variants, which is what "it depends" means, is
reported as the lowest and highest ratio.  These are the kit's micro-benchmarks, chosen
to illustrate claims, not a representative workload.
"""

import math

from ._compare import Ratio, ratio
from ._interpreters import REFERENCE
from ._results import load_results
from ._stats import LEVEL, geomean_interval
from ._topics import get_topic, list_topics


def check(topic=None, directory=None, level=LEVEL):
    """Verdicts of every claim of ``topic`` (or of all topics) on stored results, judged
    on ``level`` confidence intervals."""
    topics = [get_topic(topic)] if topic else list_topics()
    verdicts = []
    for t in topics:
        claims = t.claims
        if not claims:
            continue
        results = load_results(t, directory)
        verdicts.extend(c.evaluate(results, level) for c in claims)
    return verdicts


class Overall:
    """Geometric-mean speed-up of one interpreter against CPython, and its extremes."""

    def __init__(self, interpreter, label, points):
        self.interpreter = interpreter
        self.label = label
        self.points = points            # [(topic, variant, Ratio)]
        self.pairs = []                 # [(CPython measurement, this one)], per point

    def __bool__(self):
        return bool(self.points)

    @property
    def topics(self):
        return sorted({t for t, _, _ in self.points})

    @property
    def mean(self):
        n = len(self.points)
        logs = [math.log(r.value) for _, _, r in self.points]
        err = math.sqrt(sum((r.error / r.value) ** 2 for _, _, r in self.points)) / n
        value = math.exp(sum(logs) / n)
        return Ratio(value, value * err)

    @property
    def lowest(self):
        return min(self.points, key=lambda p: p[2].value)

    @property
    def highest(self):
        return max(self.points, key=lambda p: p[2].value)

    def headline(self):
        """``PyPy 48 ± 2x faster than CPython`` (geometric mean)."""
        if not self.points:
            return "%s: not measured" % self.label
        return self.mean.describe(self.label, "CPython")

    def detail(self):
        """Where the mean comes from and how far the variants spread."""
        if not self.points:
            return "no results"

        def where(point):
            topic, variant, r = point
            return "%s (%s/%s)" % (r.phrase(), topic, variant)

        n = len(self.topics)
        return "geometric mean over %d variants in %d topic%s; from %s to %s" % (
            len(self.points), n, "s" if n > 1 else "", where(self.lowest), where(self.highest))

    def interval(self, level=LEVEL):
        """The ``level`` confidence interval of the geometric mean (the uncertainty of
        measuring these variants: :func:`jitgap._stats.geomean_interval`)."""
        usable = [(a, b) for a, b in self.pairs if min(len(a.runs), len(b.runs)) >= 2]
        if not usable:
            return None
        return geomean_interval(usable, level)


def micro_topics():
    """The kit's micro-benchmark topics (every topic but those of real programs)."""
    return [t for t in list_topics() if not t.programs]


def program_topics():
    return [t for t in list_topics() if t.programs]


def overall(interpreter="pypy", directory=None, topics=None):
    """:class:`Overall` for ``interpreter`` against CPython on the stored results of
    ``topics`` (default: the micro-benchmarks, :func:`micro_topics`)."""
    points, label, pairs = [], interpreter, []
    for topic in topics if topics is not None else micro_topics():
        results = load_results(topic, directory)
        for variant in results.variants:
            ref, m = results.get(variant, REFERENCE), results.get(variant, interpreter)
            if ref is not None and m is not None:
                points.append((topic.name, variant, ratio(ref, m)))
                pairs.append((ref, m))
                label = results.short_label(interpreter)
    found = Overall(interpreter, label, points)
    found.pairs = pairs
    return found


def changed(directory=None):
    """Verdicts that are not "holds": (claims that fail, claims that neither hold nor fail:
    on their threshold, or not decided by the data)."""
    verdicts = check(None, directory)
    return ([v for v in verdicts if v.verdict == "fails"],
            [v for v in verdicts if v.verdict in ("borderline", "inconclusive", "unmeasured")])
