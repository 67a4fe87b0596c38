"""Confidence intervals of a ratio of two measurements: a hierarchical bootstrap.

pyperf runs each benchmark in several worker processes; values within one process share
its state (its JIT's choices, its memory layout, the machine's mood that second) and are
not independent.  The process is the independent unit.  So, as Kalibera and Jones
recommend ("Rigorous Benchmarking in Reasonable Time", ISMM 2013), one resample draws
the processes with replacement, then the values within each drawn process with
replacement, and takes the mean; each side is resampled independently, and the spread of
its resampled means (log scale) is its standard error.  The ratio's interval is
Student's on the log scale with those errors (see :func:`ratio_interval`).

Seeded and reproducible: each measurement's resamples come from its own generator,
seeded from its identity (topic, variant, interpreter) and ``seed``, so the same results
give the same interval on every machine and in every order.
"""

import math
import zlib

#: resamples per interval (the third digit of a 95 % bound moves by about 1 % between
#: seeds at this count)
RESAMPLES = 4000
#: the default confidence level of an interval
LEVEL = 0.95
#: the default seed (any fixed number: reproducibility, not luck)
SEED = 20131015


def _generator(key, seed):
    import numpy
    return numpy.random.Generator(numpy.random.PCG64([seed, zlib.crc32(key.encode("utf-8"))]))


def resampled_means(runs, key="", seed=SEED, resamples=RESAMPLES):
    """``resamples`` means of a two-level bootstrap of ``runs`` (one list of values per
    worker process): processes drawn with replacement, then values within each."""
    import numpy
    runs = [list(r) for r in runs if len(r)]
    if not runs:
        raise ValueError("no values")
    rng = _generator(key, seed)
    picks = rng.integers(0, len(runs), size=(resamples, len(runs)))
    if len({len(r) for r in runs}) == 1:    # pyperf's usual shape: the same count per process
        table = numpy.array(runs, dtype=float)
        n = table.shape[1]
        inner = rng.integers(0, n, size=(resamples, len(runs), n))
        return table[picks[:, :, None], inner].mean(axis=(1, 2))
    # uneven processes: weight each value equally.  Each drawn process gets as many draws
    # as it has values, resample after resample, process after process: one call with
    # an array of bounds takes the same numbers from the generator as a call per process
    # (the loop this replaces, 30x slower on the committed results; tests/test_stats.py
    # checks the two agree)
    lengths = numpy.array([len(r) for r in runs])
    starts = numpy.concatenate(([0], numpy.cumsum(lengths)[:-1]))
    values = numpy.concatenate([numpy.asarray(r, dtype=float) for r in runs])
    picked = lengths[picks]                     # (resamples, processes): values drawn
    counts = picked.ravel()
    inner = rng.integers(0, numpy.repeat(counts, counts))
    drawn = values[numpy.repeat(starts[picks].ravel(), counts) + inner]
    per_resample = picked.sum(axis=1)
    edges = numpy.concatenate(([0], numpy.cumsum(per_resample)[:-1]))
    return numpy.add.reduceat(drawn, edges) / per_resample


def _key(m):
    return "%s/%s/%s" % (getattr(m, "topic", ""), getattr(m, "variant", ""),
                         getattr(m, "interpreter", ""))


def ratio_interval(a, b, level=LEVEL, seed=SEED, resamples=RESAMPLES):
    """``(low, high)``: the ``level`` confidence interval of ``mean(a) / mean(b)`` (how many
    times faster ``b`` is than ``a``), ``a`` and ``b`` being measurements with ``runs``.

    The bootstrap gives each side's standard error on the log scale; a percentile
    interval straight from the resamples is too narrow when the processes are few (three,
    in quick mode: it cannot see beyond the three it has).  So the interval is Student's,
    ``log(ratio) ± t · se`` with ``se² = na/(na-1) · var_a + nb/(nb-1) · var_b`` and
    Welch's degrees of freedom, the small-sample correction of the "expanded" bootstrap
    interval (Hesterberg, "What Teachers Should Know About the Bootstrap", 2015)."""
    na, va = _log_se(a, seed, resamples)
    nb, vb = _log_se(b, seed, resamples)
    return _student(math.log(_mean(a.runs) / _mean(b.runs)), [(va, na), (vb, nb)], level)


def projected_interval(a, b, processes, level=LEVEL, assurance=0.90, seed=SEED,
                       resamples=RESAMPLES):
    """The interval :func:`ratio_interval` could give once each side has ``processes``
    worker processes (or as many as it has, if more), about the ratio measured now.

    It errs on the narrow side twice: each side's processes are taken to vary only as
    much as the low end of what its processes so far allow (the lower bound of a one-sided
    ``assurance`` interval of their variance, chi-square with n - 1 degrees of freedom:
    six processes allow about half the variance they show), and the quantile is the
    normal's (many degrees of freedom).  The adaptive mode stops measuring what even this
    interval would not decide (futility)."""
    from statistics import NormalDist
    z = NormalDist().inv_cdf(assurance)
    var = 0.0
    for n, v in (_log_se(m, seed, resamples) for m in (a, b)):
        k = max(n - 1, 1)
        # the chi-square quantile by Wilson and Hilferty's approximation
        high = k * (1 - 2.0 / (9 * k) + z * math.sqrt(2.0 / (9 * k))) ** 3
        var += v * k / high * n / float(max(n, processes))
    half = NormalDist().inv_cdf(0.5 + level / 2.0) * math.sqrt(var)
    centre = math.log(_mean(a.runs) / _mean(b.runs))
    return math.exp(centre - half), math.exp(centre + half)


def _log_se(m, seed, resamples):
    """(n processes, variance of the log of the mean, small-sample corrected)."""
    import numpy
    n = len([r for r in m.runs if len(r)])
    logs = numpy.log(resampled_means(m.runs, _key(m), seed, resamples))
    return n, float(logs.var()) * n / max(n - 1, 1)


def _student(centre, parts, level):
    """``exp(centre ± t·se)``, ``parts`` the (variance, n) of each independent component;
    Welch–Satterthwaite degrees of freedom."""
    var = sum(v for v, _ in parts)
    if var <= 0:
        return math.exp(centre), math.exp(centre)
    terms = [v * v / (n - 1) for v, n in parts if n > 1 and v > 0]
    df = var * var / sum(terms) if terms else 1.0
    half = student_quantile(0.5 + level / 2.0, max(df, 1.0)) * math.sqrt(var)
    return math.exp(centre - half), math.exp(centre + half)


def geomean_interval(pairs, level=LEVEL, seed=SEED, resamples=RESAMPLES):
    """The interval of the geometric mean of ``mean(a) / mean(b)`` over ``pairs`` of
    measurements (one per variant): the uncertainty of measuring *these* variants, each
    side's bootstrap error propagated, not a sample of programs."""
    logs, parts = [], []
    for a, b in pairs:
        logs.append(math.log(_mean(a.runs) / _mean(b.runs)))
        for m in (a, b):
            n, v = _log_se(m, seed, resamples)
            parts.append((v, n))
    k = float(len(logs))
    return _student(sum(logs) / k, [(v / (k * k), n) for v, n in parts], level)


def _mean(runs):
    values = [v for r in runs for v in r]
    return sum(values) / len(values)


def _betacf(a, b, x):
    """Continued fraction of the regularized incomplete beta function (Lentz's method)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for num in (m * (b - m) * x / ((a + m2 - 1.0) * (a + m2)),
                    -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0))):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-14:
            break
    return h


def _betainc(a, b, x):
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                     + a * math.log(x) + b * math.log(1.0 - x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def student_cdf(t, df):
    """P(T <= t) for Student's t with ``df`` (real) degrees of freedom."""
    tail = 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def student_quantile(p, df):
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (bisection)."""
    low, high = -1e3, 1e3
    for _ in range(200):
        mid = (low + high) / 2.0
        if student_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
    return (low + high) / 2.0


def looks_level(level, looks):
    """The level of each look when a stopping rule may look ``looks`` times: the error
    ``1 - level`` split evenly across the looks (Bonferroni), so stopping at whichever
    look first decides keeps the overall error within ``1 - level``."""
    return 1.0 - (1.0 - level) / float(looks)
