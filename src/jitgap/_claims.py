"""Claims as data, and their verdicts computed from stored results.

A benchmark file declares ``CLAIMS = {claim_id: sentence}``, each sentence one of::

    A on X is faster than B on Y [by at least Kx]
    A on X is slower than B on Y [by at least Kx]
    A on X is about as fast as B on Y [within P%]      (default: within 10%)

where A, B are variants (function names, or ``mean``: the geometric mean over every
variant of the topic measured on both sides) and X, Y interpreter names (``cpython``,
``pypy``, ``pypy-nojit`` or any ``NAME=PATH`` name).  ``than on Y`` means "the same
variant on Y", ``than B`` means "B on the same interpreter".

or a fact about the JIT's trace of a variant (read from the trace ``make bench`` stores,
``results/<topic>/traces/<variant>.json``; the variant must be listed in ``TRACES``)::

    trace of A has no M
    trace of A has at least K M
    trace of A has at most K M

where M is one of loops, bridges, aborts (counted as ``jitgap trace --json`` counts them),
guards, allocations, calls (those left in the body of the variant's optimised loops, i.e.
per iteration: ``in_loop_bodies`` in ``jitgap trace --json``; the preamble before the loop
label runs once per entry).  A trace claim holds or fails (counts have no spread); it is
unmeasured when no current trace is stored.

The ratio is :func:`jitgap._compare.ratio` (shown with its spread, "52 ± 4x"); the
verdict is judged on the ratio's 95 % confidence interval, a hierarchical bootstrap
with pyperf's worker processes as the unit (:mod:`jitgap._stats`), which ``check`` and
its JSON give.  Verdicts:

* ``holds``: the whole interval satisfies the claim;
* ``fails``: the whole interval contradicts it;
* ``borderline``: the interval straddles the threshold but lies close around it, within
  :data:`BORDER` (5 %) of it on both sides: the ratio is the threshold, as far as a
  measurement can tell, and more processes would not move it off (the zone stops halfway
  to equal speed, so a "within 5%" claim's zone is 2.5 %: "on the threshold" never
  means "no difference" unless the threshold is equal speed itself);
* ``inconclusive``: the interval straddles the threshold and is wider than that (more
  processes may decide it);
* ``unmeasured``: a measurement the claim needs is not in the results.
"""

import math
import re

from ._compare import Ratio, ratio
from ._errors import JitgapError
from ._stats import LEVEL, geomean_interval, ratio_interval

#: the pseudo-variant of a claim about the geometric mean over a topic's variants:
#: "mean on pypy is faster than on cpython by at least 2x"
MEAN = "mean"


def _sig(x):
    """Three significant digits: 49.6, 1.07, 0.953."""
    return "%.3g" % x

VERDICTS = ("holds", "fails", "borderline", "inconclusive", "unmeasured")

#: how close around its threshold an interval that straddles it must lie for the claim
#: to be ``borderline`` rather than ``inconclusive``: within 5 % of it on both sides (but
#: no further than halfway to equal speed, so that the zone never reaches 1x unless the
#: threshold is 1x)
BORDER = 0.05

_NAME = r"[A-Za-z_][\w.-]*"
_CLAIM_RE = re.compile(
    r"^\s*(?P<a>{n}) on (?P<x>{n}) is (?P<rel>faster than|slower than|about as fast as)"
    r"(?: (?!on )(?P<b>{n}))?(?: on (?P<y>{n}))?"
    r"(?: by at least (?P<k>\d+(?:\.\d+)?)x| within (?P<p>\d+(?:\.\d+)?)%)?\s*$".format(n=_NAME))


def on_threshold(low, high, threshold):
    """Whether the interval ``low``-``high`` lies within :data:`BORDER` of ``threshold``
    on both sides (a log-symmetric zone, at most halfway from the threshold to 1x)."""
    margin = math.log1p(BORDER)
    if threshold != 1:
        margin = min(margin, abs(math.log(threshold)) / 2)
    return (abs(math.log(low / threshold)) <= margin
            and abs(math.log(high / threshold)) <= margin)


class Claim:
    """One parsed claim: variant ``a`` on interpreter ``x`` vs variant ``b`` on ``y``.

    ``source`` and ``said`` come from the benchmark file (see :mod:`jitgap._topics`)."""

    source = "kit"
    said = ""

    def __init__(self, topic, claim_id, text, a, x, relation, b, y, factor, tolerance):
        self.topic = topic
        self.id = claim_id
        self.text = text
        self.a, self.x, self.b, self.y = a, x, b, y
        self.relation = relation
        self.factor = factor
        self.tolerance = tolerance

    def __repr__(self):
        return "<Claim %s/%s: %s>" % (self.topic, self.id, self.text)

    @property
    def key(self):
        return "%s/%s" % (self.topic, self.id)

    def evaluate(self, results, level=LEVEL):
        """A :class:`Verdict` from a :class:`jitgap.Results` of this claim's topic, judged
        on the ``level`` confidence interval of the ratio (:mod:`jitgap._stats`)."""
        if self.a == MEAN:
            return self._evaluate_mean(results, level)
        ma = results.get(self.a, self.x)
        mb = results.get(self.b, self.y)
        if ma is None or mb is None:
            missing = [("%s on %s" % pair) for pair, m in
                       (((self.a, self.x), ma), ((self.b, self.y), mb)) if m is None]
            return Verdict(self, "unmeasured", None, "no result for " + " and ".join(missing))
        first, second = self.oriented(ma, mb)
        r = ratio(first, second)
        if min(len(ma.runs), len(mb.runs)) < 2:
            return Verdict(self, "inconclusive", r, self._measured_text(r, results)
                           + "; one worker process gives no interval", ma, mb)
        # results measured in looks (the adaptive mode) are judged at their looks' level
        level = max([level] + [m.metadata.get("jitgap_ci_level") or 0 for m in (ma, mb)])
        ci = ratio_interval(first, second, level)
        verdict = self.judge(*ci)
        return Verdict(self, verdict, r, self._measured_text(r, results, ci, level), ma, mb,
                       interval=ci, level=level)

    def mean_pairs(self, results):
        """``[(variant, measurement on X, measurement on Y)]``: what a claim on the
        geometric mean is measured from, every variant measured on both sides."""
        pairs = [(v, results.get(v, self.x), results.get(v, self.y)) for v in results.variants]
        return [(v, a, b) for v, a, b in pairs if a is not None and b is not None]

    def _evaluate_mean(self, results, level):
        """The claim on the geometric mean over every variant measured on both sides."""
        pairs = [(a, b) for _, a, b in self.mean_pairs(results)]
        if not pairs:
            return Verdict(self, "unmeasured", None, "no variant measured on both %s and %s"
                           % (self.x, self.y))
        if min(len(m.runs) for pair in pairs for m in pair) < 2:
            return Verdict(self, "inconclusive", None, "one worker process gives no interval")
        level = max([level] + [m.metadata.get("jitgap_ci_level") or 0
                               for pair in pairs for m in pair])
        # oriented like a variant's ratio: how much faster (slower) the mean of A is than B
        oriented = [self.oriented(a, b) for a, b in pairs]
        rs = [ratio(first, second) for first, second in oriented]
        value = math.exp(sum(math.log(r.value) for r in rs) / len(rs))
        err = value * math.sqrt(sum((r.error / r.value) ** 2 for r in rs)) / len(rs)
        r = Ratio(value, err)
        ci = geomean_interval(oriented, level)
        text = self._measured_text(r, results, ci, level, subject="the geometric mean over %d "
                                   "variants" % len(pairs))
        return Verdict(self, self.judge(*ci), r, text, interval=ci, level=level)

    def oriented(self, ma, mb):
        """``(first, second)``: the claim's ratio is ``mean(first) / mean(second)``, how
        many times faster (or, for "slower", slower) A is than B."""
        return (ma, mb) if self.relation == "slower" else (mb, ma)

    def judge(self, low, high):
        """holds / fails / borderline / inconclusive for an interval of the claim's ratio."""
        if self.relation == "about":
            lo, hi = 1.0 / (1.0 + self.tolerance), 1.0 + self.tolerance
            if lo <= low and high <= hi:
                return "holds"
            if low > hi or high < lo:
                return "fails"
            straddled = [t for t, inside in ((lo, low < lo <= high), (hi, low <= hi < high))
                         if inside]
        else:
            if low >= self.factor:
                return "holds"
            if high < self.factor:
                return "fails"
            straddled = [self.factor]
        if len(straddled) == 1 and on_threshold(low, high, straddled[0]):
            return "borderline"
        return "inconclusive"

    def _measured_text(self, r, results, ci=None, level=LEVEL, subject=None):
        """E.g. 'int_arith on PyPy is 52 ± 4x faster than on CPython (95% CI 49.6–54.8x;
        claim: faster by at least 10x)'; ``subject`` names A otherwise."""
        if self.y == self.x:
            other = self.b
        elif self.b == self.a:
            other = "on " + results.short_label(self.y)
        else:
            other = "%s on %s" % (self.b, results.short_label(self.y))
        # the factor >= 1, in the direction it goes; the interval read the same way
        factor, word = r.parts("slower" if self.relation == "slower" else "faster")
        if ci and r.value < 1:
            ci = (1.0 / ci[1], 1.0 / ci[0])
        if self.relation == "about":
            claimed = "within %g%%" % (self.tolerance * 100)
        elif self.factor != 1:
            claimed = "%s by at least %gx" % (self.relation, self.factor)
        else:
            claimed = self.relation
        interval = "%g%% CI %s–%sx; " % (level * 100, _sig(ci[0]), _sig(ci[1])) if ci else ""
        return "%s on %s is %s %s than %s (%sclaim: %s)" % (
            subject or self.a, results.short_label(self.x), factor, word, other, interval,
            claimed)


_TRACE_RE = re.compile(
    r"^\s*trace of (?P<a>{n}) has (?:(?P<none>no)|at (?P<bound>least|most) (?P<k>\d+)) "
    r"(?P<metric>loops?|bridges?|aborts?|guards?|allocations?|calls?)\s*$".format(n=_NAME))
TRACE_METRICS = ("loops", "bridges", "aborts", "guards", "allocations", "calls")
_PER_ITERATION = ("guards", "allocations", "calls")


class TraceClaim:
    """A fact about the JIT's stored trace of one variant: ``metric`` compared with
    ``count`` (``bound``: ``most`` for "no"/"at most", ``least`` for "at least")."""

    kind = "trace"
    source = "kit"
    said = ""

    def __init__(self, topic, claim_id, text, variant, metric, bound, count):
        self.topic = topic
        self.id = claim_id
        self.text = text
        self.a = variant
        self.metric = metric
        self.bound = bound
        self.count = count

    def __repr__(self):
        return "<TraceClaim %s/%s: %s>" % (self.topic, self.id, self.text)

    @property
    def key(self):
        return "%s/%s" % (self.topic, self.id)

    def _count(self, n):
        return "%d %s" % (n, self.metric if n != 1 else self.metric[:-1])

    def claimed(self):
        if self.bound == "most" and self.count == 0:
            return "no " + self.metric
        return "at %s %s" % (self.bound, self._count(self.count))

    def evaluate(self, results, level=None):
        """A :class:`Verdict` from the stored trace ``results`` hand over
        (:meth:`jitgap.Results.stored_trace`: the one next to them, else the committed
        one); the claim reads no file itself."""
        data, problem = results.stored_trace(self.a)
        if data is None:
            return Verdict(self, "unmeasured", None, problem)
        report = data["report"]
        if self.metric in _PER_ITERATION:   # what runs every iteration: the loop's body
            value = report["in_loop_bodies"][self.metric]
            where = "per iteration of its optimised loop"
        else:
            value = report[self.metric]
            where = "compiled" if self.metric in ("loops", "bridges") else "while tracing"
        if isinstance(value, dict):   # aborts, by reason
            value = sum(value.values())
        ok = value <= self.count if self.bound == "most" else value >= self.count
        interpreter = "PyPy" if str(data.get("interpreter", "pypy")).startswith("pypy") \
            else data["interpreter"]
        measured = "%s on %s has %s %s (stored trace; claim: %s)" % (
            self.a, interpreter, self._count(value), where, self.claimed())
        return Verdict(self, "holds" if ok else "fails", None, measured, value=value)


class Verdict:
    """A claim's verdict (one of :data:`VERDICTS`), its ratio and a sentence with the numbers."""

    def __init__(self, claim, verdict, ratio_, measured, ma=None, mb=None, value=None,
                 interval=None, level=None):
        self.claim = claim
        self.verdict = verdict
        self.ratio = ratio_
        self.measured = measured
        self.ma = ma
        self.mb = mb
        self.value = value          # a trace claim's count
        self.interval = interval    # (low, high) of the claim's ratio, the one judged
        self.level = level

    @property
    def unsteady(self):
        """The measurements behind the verdict whose warm-up did not settle."""
        return [m for m in (self.ma, self.mb) if m is not None and not m.steady]

    @property
    def inconsistent(self):
        """The measurements behind the verdict whose processes disagree (reached different
        states: :attr:`jitgap.Measurement.apart`)."""
        return [m for m in (self.ma, self.mb) if m is not None and not m.consistent]

    def __repr__(self):
        return "<Verdict %s: %s>" % (self.claim.key, self.verdict)

    def as_dict(self):
        c = self.claim
        if getattr(c, "kind", None) == "trace":
            return {"topic": c.topic, "id": c.id, "claim": c.text, "verdict": self.verdict,
                    "source": c.source, "said": c.said,
                    "measured": self.measured, "kind": "trace", "variant": c.a,
                    "metric": c.metric, "bound": c.bound, "threshold": c.count,
                    "value": self.value}
        return {
            "topic": c.topic,
            "id": c.id,
            "claim": c.text,
            "source": c.source,
            "said": c.said,
            "verdict": self.verdict,
            "measured": self.measured,
            "ratio": self.ratio.value if self.ratio else None,
            "ratio_err": self.ratio.error if self.ratio else None,
            "ratio_low": self.ratio.low if self.ratio else None,
            "ratio_high": self.ratio.high if self.ratio else None,
            "ci_low": self.interval[0] if self.interval else None,
            "ci_high": self.interval[1] if self.interval else None,
            "ci_level": self.level,
            "steady": not self.unsteady,
            "consistent": not self.inconsistent,
            "threshold": c.factor if c.relation != "about" else c.tolerance,
            "a": {"variant": c.a, "interpreter": c.x,
                  "mean_s": self.ma.mean if self.ma else None,
                  "stdev_s": self.ma.stdev if self.ma else None},
            "b": {"variant": c.b, "interpreter": c.y,
                  "mean_s": self.mb.mean if self.mb else None,
                  "stdev_s": self.mb.stdev if self.mb else None},
        }


def parse_claim(topic, claim_id, text):
    """Parse one claim sentence (see the module docstring); errors name the claim."""
    t = _TRACE_RE.match(text or "")
    if t:
        metric = t.group("metric") + ("" if t.group("metric").endswith("s") else "s")
        bound = "most" if t.group("none") else t.group("bound")
        return TraceClaim(topic, claim_id, text.strip(), t.group("a"), metric, bound,
                          int(t.group("k") or 0))
    m = _CLAIM_RE.match(text or "")
    if not m:
        raise JitgapError(
            "%s: claim %r does not parse: %r\n  expected 'A on X is faster than B on Y "
            "[by at least Kx]' (or 'slower than', or 'about as fast as ... [within P%%]'), "
            "or 'trace of A has no|at least K|at most K %s'"
            % (topic, claim_id, text, "|".join(TRACE_METRICS)))
    rel = {"faster than": "faster", "slower than": "slower",
           "about as fast as": "about"}[m.group("rel")]
    if m.group("b") is None and m.group("y") is None:
        raise JitgapError("%s: claim %r compares %s with nothing" % (topic, claim_id, m.group("a")))
    if rel == "about" and m.group("k"):
        raise JitgapError("%s: claim %r: 'about as fast' takes 'within P%%', not 'by at least'"
                          % (topic, claim_id))
    if rel != "about" and m.group("p"):
        raise JitgapError("%s: claim %r: 'within P%%' goes with 'about as fast as'"
                          % (topic, claim_id))
    factor = float(m.group("k") or 1)
    if factor < 1:
        raise JitgapError("%s: claim %r: 'by at least Kx' needs K >= 1" % (topic, claim_id))
    return Claim(topic, claim_id, text.strip(), m.group("a"), m.group("x"), rel,
                 m.group("b") or m.group("a"), m.group("y") or m.group("x"), factor,
                 float(m.group("p") or 10) / 100.0)
