"""How noisy the machine is right now: repeats of a short loop, before measuring.

A quiet machine times the same few milliseconds of work alike every time.  In the
reference results (``make bench`` on a quiet 2-core Xeon, 2026-12-01) the values of a
CPython process spread by 2.3 % between their 10th and 90th percentiles (relative to their
median; the median over 525 processes, 7.8 % at the 90th percentile:
``python tools/process_spread.py results``); on a noisier day
(2026-12-02) by 4.3 %, and this probe then read 3 to 61 %.  When something shares the CPU
(another program, or a busy neighbour of a virtual machine, invisible from inside it),
warm-ups take longer to settle, intervals come out wider, and ``make bench`` takes longer
and decides less.

``jitgap run`` probes for :data:`PROBE_SECONDS` before it measures a topic in quick or
adaptive mode, warns when the spread is over :data:`QUIET`, and records the spread in the
results (``jitgap_noise``); ``jitgap doctor`` probes too.
"""

import time

#: a quiet machine's repeats spread by less than this (10th to 90th percentile, relative
#: to the median)
QUIET = 0.10
#: how long a probe repeats its loop, and how long one repeat takes (about)
PROBE_SECONDS = 0.3
REPEAT_SECONDS = 0.002


def _work(n):
    total = 0
    for i in range(n):
        total += i
    return total


class Noise:
    """A probe's repeats (seconds each): their ``median`` and relative ``spread``."""

    def __init__(self, times):
        ordered = sorted(times)
        k = len(ordered)
        if k < 2:
            raise ValueError("a probe needs at least two repeats")
        self.repeats = k
        self.median = ordered[k // 2]
        low, high = ordered[int(0.1 * (k - 1))], ordered[int(round(0.9 * (k - 1)))]
        self.spread = (high - low) / self.median if self.median > 0 else 0.0

    @property
    def quiet(self):
        return self.spread <= QUIET

    def __str__(self):
        return ("a %.1f ms loop varies by %.0f %% between repeats (10th to 90th percentile; "
                "a quiet machine: under %.0f %%)" % (1e3 * self.median, 100 * self.spread,
                                                     100 * QUIET))

    def warning(self):
        """A warning that suggests a fix, or ``""`` on a quiet machine."""
        if self.quiet:
            return ""
        return ("warning: this machine is noisy right now: %s. Warm-ups take longer to "
                "settle and intervals come out wider (make bench runs longer and decides "
                "less): stop other programs, or measure later." % self)


def probe(seconds=PROBE_SECONDS, work=_work, clock=time.perf_counter):
    """Time ``work(n)`` over and over for ``seconds`` (``n`` doubled first until one
    repeat takes :data:`REPEAT_SECONDS`); a :class:`Noise`."""
    n = 1000
    while True:
        started = clock()
        work(n)
        if clock() - started >= REPEAT_SECONDS or n >= 10 ** 8:
            break
        n *= 2
    times = []
    begun = clock()
    while clock() - begun < seconds or len(times) < 20:
        started = clock()
        work(n)
        times.append(clock() - started)
    return Noise(times)
