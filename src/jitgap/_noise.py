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

A probe is short, and a host's noise comes and goes: on 2026-12-02 the probe read 4-9 %
("quiet") while the CPython processes measured a minute later spread by 7.9 % (42.9 % at
the 90th percentile).  So a run of several topics also looks, afterwards, at what it
measured: the spread of the values within each process of an interpreter without a JIT
(:func:`process_spreads`), whose warmed-up values agree within a few per cent on a quiet
machine; over :data:`QUIET_VALUES` at the median over the run, it warns
(:func:`values_warning`).  Over the whole run: per topic the median varies with the code
(CPython's values spread by 20-24 % per process on movinggc and ids on the quiet
reference day, 2.3 % over all topics).

Two runs at once (quick mode's ``--jobs 2``) are only as fast as one when the two CPUs
do not share a core.  On a virtual machine they may, whatever its topology says: on an
AMD EPYC host whose two vCPUs report a core each, a busy loop on one slowed CPython
1.5-2x on the other (2026-12-03: the locals, frames and dispatch topics read 1.45-1.59x
slower, geometric mean, up to 2.2x, beside a busy loop), where on an Intel Xeon host two
runs moved each other by about 1 %.  :func:`side_by_side` tells the two apart before
quick mode runs two at a time: it times the probe's loop with and without a busy loop in
another process (paused with SIGSTOP between blocks), in :data:`PAIRS` pairs.
"""

import os
import signal
import subprocess
import sys
import time

#: a quiet machine's repeats spread by less than this (10th to 90th percentile, relative
#: to the median)
QUIET = 0.10
#: on a quiet machine the values within one process of an interpreter without a JIT
#: spread by less than this at the median over its processes (the reference results:
#: 2.3 %; 4.1-7.9 % on the noisy days whose results were not committed)
QUIET_VALUES = 0.03
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


def _calibrate(work, clock):
    """``n`` doubled until ``work(n)`` takes :data:`REPEAT_SECONDS`."""
    n = 1000
    while True:
        started = clock()
        work(n)
        if clock() - started >= REPEAT_SECONDS or n >= 10 ** 8:
            return n
        n *= 2


def _repeat(n, seconds, work, clock, least=20):
    """The seconds of each ``work(n)`` repeated for ``seconds`` (at least ``least``)."""
    times = []
    begun = clock()
    while clock() - begun < seconds or len(times) < least:
        started = clock()
        work(n)
        times.append(clock() - started)
    return times


def probe(seconds=PROBE_SECONDS, work=_work, clock=time.perf_counter):
    """Time ``work(n)`` over and over for ``seconds`` (``n`` doubled first until one
    repeat takes :data:`REPEAT_SECONDS`); a :class:`Noise`."""
    return Noise(_repeat(_calibrate(work, clock), seconds, work, clock))


#: two runs at once that slow each other by more than this are measured one at a time
SIDE_BY_SIDE = 0.10
#: pairs of blocks (alone, beside a busy loop) a side-by-side probe times, and each
#: block's seconds
PAIRS = 3
BLOCK_SECONDS = 0.2
#: the busy loop, in another process: says it started, then spins until killed
PARTNER = ("import sys\nsys.stdout.write('ready\\n')\nsys.stdout.flush()\nx = 0\n"
           "while True:\n    for i in range(10000):\n        x += i\n")


class SideBySide:
    """A side-by-side probe's pairs of mean seconds per repeat, ``(alone, beside)``, and
    the ``slowdown`` a busy loop on another CPU caused (median over the pairs)."""

    def __init__(self, pairs):
        if not pairs:
            raise ValueError("a side-by-side probe needs at least one pair")
        self.pairs = list(pairs)
        ratios = sorted(beside / alone for alone, beside in self.pairs)
        self.slowdown = ratios[len(ratios) // 2] - 1.0

    @property
    def independent(self):
        """Whether two runs at once go about as fast as one each."""
        return self.slowdown <= SIDE_BY_SIDE

    def __str__(self):
        if self.slowdown < 0.005:
            return "a busy loop on another CPU did not slow this one"
        return "a busy loop on another CPU slowed this one by %.0f %%" % (100 * self.slowdown)


def side_by_side(python=None, pairs=PAIRS, seconds=BLOCK_SECONDS, work=_work,
                 clock=time.perf_counter):
    """Time ``work`` alone and beside :data:`PARTNER` run by ``python`` (default: this
    interpreter), ``pairs`` times each, in blocks of ``seconds``; a :class:`SideBySide`,
    or ``None`` where it cannot tell (no SIGSTOP, the partner did not start)."""
    if not hasattr(signal, "SIGSTOP"):
        return None
    n = _calibrate(work, clock)
    try:
        partner = subprocess.Popen([python or sys.executable, "-c", PARTNER],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
    except OSError:
        return None
    try:
        if partner.stdout.readline().strip() != b"ready":
            return None
        found = []
        for _ in range(pairs):
            os.kill(partner.pid, signal.SIGSTOP)
            alone = _repeat(n, seconds, work, clock)
            os.kill(partner.pid, signal.SIGCONT)
            time.sleep(0.01)                          # the partner runs again
            beside = _repeat(n, seconds, work, clock)
            found.append((sum(alone) / len(alone), sum(beside) / len(beside)))
        return SideBySide(found)
    finally:
        partner.kill()
        partner.wait()
        partner.stdout.close()


def process_spreads(path, least=10):
    """The spread of the values (10th to 90th percentile, relative to the median, as a
    probe's) of each worker process of the pyperf JSON at ``path`` that took ``least``
    values or more; ``[]`` for a file of an interpreter with a JIT (its values spread
    with its GC and compiler too), a C twin's, or an unreadable one (its own checks
    report it)."""
    import pyperf
    try:
        suite = pyperf.BenchmarkSuite.load(str(path))
    except Exception:
        return []
    found = []
    for bench in suite.get_benchmarks():
        metadata = bench.get_metadata()
        if metadata.get("jitgap_jit") != "none" or metadata.get(
                "jitgap_implementation") == "C":
            return []
        found += [Noise(run.values).spread for run in bench.get_runs()
                  if len(run.values) >= least]
    return found


def values_warning(paths, least=10):
    """A warning when the processes of an interpreter without a JIT stored at ``paths``
    spread by more than :data:`QUIET_VALUES` at the median (``""`` if not, or with
    fewer than 20 such processes: too few to tell)."""
    found = sorted(x for path in paths for x in process_spreads(path, least))
    if len(found) < 20:
        return ""
    median = found[len(found) // 2]
    if median <= QUIET_VALUES:
        return ""
    return ("warning: the values within each process of the interpreters without a JIT "
            "(CPython) spread by %.1f %% (median over %d processes; %.1f %% at the 90th "
            "percentile; a quiet machine: under %.0f %%): the machine was noisy while it "
            "measured, whatever its probes read; re-measure when it is quiet"
            % (100 * median, len(found), 100 * found[int(round(0.9 * (len(found) - 1)))],
               100 * QUIET_VALUES))
