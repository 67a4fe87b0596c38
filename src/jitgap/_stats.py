"""Confidence intervals of a ratio of two measurements: a hierarchical bootstrap.

pyperf runs each benchmark in several worker processes; values within one process share
its state (its JIT's choices, its memory layout, the machine's mood that second) and are
not independent.  The process is the independent unit.  So, as Kalibera and Jones
recommend ("Rigorous Benchmarking in Reasonable Time", ISMM 2013), one resample draws
the processes with replacement, then the values within each drawn process with
replacement, and takes the mean; the ratio's interval comes from the resampled means of
both sides, drawn independently.  The interval is the percentile interval of
``mean(a) / mean(b)`` over :data:`RESAMPLES` resamples.

Seeded and reproducible: each measurement's resamples come from its own generator,
seeded from its identity (topic, variant, interpreter) and ``seed``, so the same results
give the same interval on every machine and in every order.
"""

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
    lengths = {len(r) for r in runs}
    picks = rng.integers(0, len(runs), size=(resamples, len(runs)))
    if len(lengths) == 1:               # pyperf's usual shape: the same count per process
        table = numpy.array(runs, dtype=float)
        n = table.shape[1]
        inner = rng.integers(0, n, size=(resamples, len(runs), n))
        return table[picks[:, :, None], inner].mean(axis=(1, 2))
    means = numpy.empty(resamples)      # uneven processes: weight each value equally
    arrays = [numpy.asarray(r, dtype=float) for r in runs]
    for b in range(resamples):
        drawn = [arrays[k][rng.integers(0, len(arrays[k]), size=len(arrays[k]))]
                 for k in picks[b]]
        means[b] = numpy.concatenate(drawn).mean()
    return means


def _key(m):
    return "%s/%s/%s" % (getattr(m, "topic", ""), getattr(m, "variant", ""),
                         getattr(m, "interpreter", ""))


def ratio_interval(a, b, level=LEVEL, seed=SEED, resamples=RESAMPLES):
    """``(low, high)``: the ``level`` confidence interval of ``mean(a) / mean(b)`` (how many
    times faster ``b`` is than ``a``), ``a`` and ``b`` being measurements with ``runs``."""
    import numpy
    ra = resampled_means(a.runs, _key(a), seed, resamples)
    rb = resampled_means(b.runs, _key(b), seed, resamples)
    ratios = ra / rb
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = numpy.percentile(ratios, [tail, 100.0 - tail])
    return float(low), float(high)


def looks_level(level, looks):
    """The level of each look when a stopping rule may look ``looks`` times: the error
    ``1 - level`` split evenly across the looks (Bonferroni), so stopping at whichever
    look first decides keeps the overall error within ``1 - level``."""
    return 1.0 - (1.0 - level) / float(looks)
