"""Steady state before timing: an adaptive warm-up for pyperf's worker processes.

pyperf's workers take a fixed number of warm-up values (``--warmups N``), or, for a JIT,
calibrate it in a separate process with a strict test that on a noisy machine runs to
hundreds of values.  jitgap instead decides *in each worker process*, on that process's
own warm-up series, when the timing has settled: a worker keeps taking warm-up values
until :func:`is_steady` says the last ones form a plateau, then takes its values.  The
warm-up values stay in pyperf's JSON (``warmups`` of each run), so the decision can be
checked afterwards, and each run records ``jitgap_warmups`` (how many), ``jitgap_values``
(how many values followed), ``jitgap_steady`` (1, or 0 when a cap stopped it first) and
``jitgap_warmup_s`` (and on PyPy ``jitgap_nursery_fill_s``: see :func:`fill_nursery`).

The test (in the spirit of changepoint detection, Barrett et al., "Virtual Machine
Warmup Blows Hot and Cold", OOPSLA 2017, cut down to what can run online): the *tail*
of the series, its last ``max(3 window, fraction n)`` values, must show no warm-up left.
The tail grows with the series: a JIT that compiles piece by piece shows short plateaus
between its steps, so the longer the warm-up so far, the longer the calm must last.  The
tail shows no warm-up left when a least-squares line through its logarithms changes by
at most ``tolerance`` across it, and by at most three times the tolerance at the upper
end of its 95 % interval: a noisy program settles too, once its tail is long enough to
tell (at the latest when a tail of 60 values shows no drift).  A series that ends flat
at a worse level than before (a slowdown) is steady: that is what it runs at.

A value of a long program already averages over much work: the shortest tail is three
windows or :data:`TAIL_SECONDS` of values, whichever is fewer values (never under
:data:`MIN_TAIL`), and a process takes ``--values`` values or :data:`VALUES_SECONDS` of
them, whichever is fewer (never under :data:`MIN_VALUES`).  Micro-benchmarks' values of
10-30 ms keep three windows; a program whose iteration takes 0.3 s settles in 6 values,
not 15, and takes 3 values, not 10.  Replayed on the stored warm-up series of every
measurement of ``make bench`` (``tools/replay_steady.py``; 240 ratios to CPython), this
gave means within 0.3 % of the measured ones on average, in 29 minutes of timing instead
of 40; 5 ratios moved by more than 10 %: the two measurements that do not settle
(settrace/fresh_tracer, movinggc/del_objects), and three by at most 11 % (the old rule,
replayed the same way, moves two ratios by that much: the replay's own noise).

This file is also a script, run by the interpreter being measured in front of the
benchmark file (``PYTHON _steady.py BENCH.py ARGS``): it installs the warm-up in pyperf's
worker and runs the file as ``__main__``.  It needs only the standard library and pyperf,
and runs on Python 3.9 (PyPy).  The settings come from the ``JITGAP_STEADY`` environment
variable, ``window,tolerance,fraction,max_values,max_seconds[,one_step]``.

Given ``--loops 1`` by its master, a worker calibrates its own loop count while it warms
up, on warm code, so no separate calibration process is needed.  With a JIT it doubles
the count until a value takes ``--min-time`` (pyperf's way: its values then take 1 to 2
times that); without one it sets the count in one step, for values of 1.2 times
``--min-time`` at the speed just seen (:func:`next_loops`), which takes a tenth less of
their time.  Not with a JIT: a JIT compiles after so many *iterations*, and a loop count
set from the interpreter's first, slow values can make values so short that the
warm-up looks flat before the JIT has started (PyPy, longtraces/body_2000: steady after
15 values of 21 loops, 14 times slower than once compiled).

``JITGAP_ROUND`` (JSON: ``{"only": [names], "order": seed}``), the same in the master and
its workers, runs only the named benchmarks of the file, in an order shuffled by
``seed``: jitgap measures in rounds, each benchmark's processes spread over the same
stretch of time as the others'.
"""

import gc
import json
import math
import os
import random
import sys
import time

ENV = "JITGAP_STEADY"
ROUND_ENV = "JITGAP_ROUND"
#: pyperf's Runner methods that declare a benchmark (their first argument is its name)
DECLARERS = ("bench_func", "bench_time_func", "bench_command", "bench_async_func", "timeit")
#: window, tolerance, fraction, max warm-up values, max warm-up seconds (per process),
#: and 1 to calibrate the loop count in one step (:func:`next_loops`; only without a JIT)
DEFAULTS = (5, 0.05, 0.5, 300, 60.0, 0)
#: a tail this long that shows no drift is steady, however noisy its values
LONG_TAIL = 60
#: a warm-up at least this long is reported in the progress output
NOTICE_SECONDS = 2.0
#: the shortest tail: three windows, or this many seconds of values if that is fewer
#: values, but never under MIN_TAIL values
TAIL_SECONDS = 0.5
MIN_TAIL = 6
#: values per process: --values, or this many seconds of them if that is fewer, but
#: never under MIN_VALUES (pyperf's own count for an interpreter without a JIT)
VALUES_SECONDS = 0.2
MIN_VALUES = 3
#: a worker's loop count is set for values of this many times --min-time (pyperf doubles
#: it, so its values take 1 to 2 times --min-time: 1.5 times at the median)
HEADROOM = 1.2
#: pyperf's largest loop count
MAX_LOOPS = 2 ** 32


def _median(values):
    ordered = sorted(values)
    n = len(ordered)
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2.0


def levels(series, window):
    """Medians of consecutive windows, cut from the end (a partial first one dropped)."""
    n = len(series)
    return [_median(series[end - window:end]) for end in range(n % window + window, n + 1,
                                                               window)]


def plateau(series, window=DEFAULTS[0], tolerance=DEFAULTS[1]):
    """How many values, from the end, lie in windows level with the last one."""
    found = levels(series, window)
    if not found:
        return 0
    last = found[-1]
    count = 0
    for level in reversed(found):
        if abs(level - last) > tolerance * last:
            break
        count += 1
    return count * window


def drift(values):
    """``(d, se)``: the relative change across ``values`` by a least-squares line through
    their logarithms (values beyond 3 MADs of the median clipped first: one GC pause does
    not make a trend), and its standard error."""
    n = len(values)
    mid = _median(values)
    spread = 3 * 1.4826 * _median([abs(v - mid) for v in values]) or float("inf")
    ys = [math.log(min(max(v, mid - spread), mid + spread)) for v in values]
    xbar = (n - 1) / 2.0
    sxx = sum((x - xbar) ** 2 for x in range(n))
    ybar = sum(ys) / n
    slope = sum((x - xbar) * (y - ybar) for x, y in enumerate(ys)) / sxx
    resid = sum((y - ybar - slope * (x - xbar)) ** 2 for x, y in enumerate(ys))
    se = (resid / max(n - 2, 1) / sxx) ** 0.5
    return slope * (n - 1), se * (n - 1)


def shortest_tail(window, seconds, tail_seconds=TAIL_SECONDS):
    """The shortest tail, in values, when one value takes ``seconds``: three windows, or
    ``tail_seconds`` of values if fewer, never under :data:`MIN_TAIL`."""
    return _fewer(3 * window, tail_seconds, seconds, MIN_TAIL)


def value_count(values, seconds, values_seconds=VALUES_SECONDS):
    """Values to take when one takes ``seconds``: ``values``, or ``values_seconds`` of
    them if fewer, never under :data:`MIN_VALUES`."""
    return _fewer(values, values_seconds, seconds, MIN_VALUES)


def next_loops(loops, raw, min_time, headroom=HEADROOM):
    """The loop count after a value of ``loops`` loops took ``raw`` seconds: unchanged if
    that is at least ``min_time``, else enough for ``headroom`` times ``min_time`` at the
    speed just seen (at least one loop more; twice as many if ``raw`` is 0).  pyperf
    doubles instead, so its values take up to twice ``min_time``, with no gain in
    precision per second spent."""
    if raw >= min_time:
        return loops
    wanted = loops * 2 if raw <= 0 else int(math.ceil(loops * headroom * min_time / raw))
    return min(MAX_LOOPS, max(loops + 1, wanted))


def most_extra(window, shortest):
    """The most extra warm-up values a process takes at random after settling: a window,
    or a third of its shortest tail if fewer (long values)."""
    return min(window, shortest // 3)


def typical_seconds(durations, last=5):
    """How long one value takes: the median duration of the ``last`` values."""
    return _median(durations[-last:]) if durations else 0.0


def _fewer(count, budget, seconds, floor):
    """``count``, or as many as ``budget`` seconds hold if fewer (at least ``floor``)."""
    if seconds <= 0 or math.isinf(budget):
        return count
    return min(count, max(floor, int(math.ceil(budget / seconds))))


def is_steady(series, window=DEFAULTS[0], tolerance=DEFAULTS[1], fraction=DEFAULTS[2],
              shortest=None):
    """Whether a warm-up series (seconds per value, oldest first) has settled: across its
    tail (its last ``max(shortest, fraction n)`` values; ``shortest`` defaults to three
    windows) the timing changes by at most ``tolerance``, and by at most three times that
    at the upper 95 % bound (or, for a noisy program, over a tail of at least
    :data:`LONG_TAIL` values)."""
    n = len(series)
    m = max(shortest or 3 * window, int(math.ceil(fraction * n)))
    if n < m or min(series[-m:]) <= 0:
        return False
    d, se = drift(series[-m:])
    # a program noisier than any tail can resolve (a GC-heavy one): no drift over a long
    # tail is all there is to know
    return abs(d) <= tolerance and (abs(d) + 1.645 * se <= 3 * tolerance or m >= LONG_TAIL)


def settings(text=None):
    """The six settings from ``JITGAP_STEADY`` (missing fields keep their defaults)."""
    text = os.environ.get(ENV, "") if text is None else text
    fields = [f for f in text.split(",")] if text else []
    out = list(DEFAULTS)
    for k, field in enumerate(fields[:len(DEFAULTS)]):
        if field.strip():
            out[k] = type(DEFAULTS[k])(float(field)) if k else int(field)
    return tuple(out)


def fill_nursery(chunk=40000, most=2.0):
    """On PyPy, allocate small objects until the GC's next minor collection: every page
    of the nursery has then been touched once.  Returns the seconds it took (``None``
    elsewhere, or where PyPy has no ``gc.hooks``).

    PyPy sizes its nursery from the cache size /proc/cpuinfo reports; a virtual machine
    may report its host's last-level cache (this one: 480 MB, so a 240 MB nursery).  Until
    a process has allocated that much, each new page of the nursery costs a page fault:
    code that allocates, as PyPy's interpreter without its JIT does for every integer,
    runs 30 % slower for its first half second or so (JIT off, a loop of integer
    additions: 100 ns per iteration, 68 ns after the first minor collection; 66 ns from
    the start with the nursery filled).  A long-running program is past that; a
    benchmark's warm-up should be too, not wait it out value by value or count it in its
    values (without the fill, PyPy with its JIT off read 10-36 % slow in values of 10 ms
    on the locals topic).  The nursery then counts in the worker's peak resident set, as
    in any process that has run a while.  It stops at the first minor collection whatever
    the nursery's size (0.1 s for 240 MB), or after ``most`` seconds.  With the JIT on,
    the loop allocates about 20 bytes per object, not ``chunk`` (13 million objects fill
    240 MB), which fills the nursery all the same; where the cache reported is small (1 MB
    on an AMD EPYC virtual machine), the nursery is too and the fill takes a millisecond."""
    hooks = getattr(gc, "hooks", None)
    if hooks is None or not hasattr(hooks, "on_gc_minor"):
        return None
    collected = []
    previous = hooks.on_gc_minor
    hooks.on_gc_minor = collected.append
    started = time.perf_counter()
    sink = [None]
    try:
        while not collected and time.perf_counter() - started < most:
            for _ in range(100):
                sink[0] = bytes(chunk)
    finally:
        hooks.on_gc_minor = previous
    return time.perf_counter() - started


def install(config=None):
    """Replace pyperf's fixed warm-up by the adaptive one, in this process's workers."""
    from pyperf import _worker

    window, tolerance, fraction, max_values, max_seconds, one_step = config or settings()

    def warm_up(self, calibrate_loops=False):
        """Warm-up values until steady (or a cap); returns (values taken, steady, s).

        First a full collection: the garbage of start-up and import is collected now,
        not by the first major collection of a moving GC, which would otherwise land
        at the same early moment of every process (PyPy: a 20 ms pause ~150 ms in);
        then PyPy's nursery is filled once (:func:`fill_nursery`)."""
        gc.collect()
        filled = fill_nursery()
        if filled is not None:
            self.metadata["jitgap_nursery_fill_s"] = round(filled, 3)
        started = time.perf_counter()
        series = []
        steady = False
        while len(series) < max_values:
            _warmup_value(self, len(series), calibrate_loops, one_step)
            series.append(self.warmups[-1][1])
            if is_steady(series, window, tolerance, fraction,
                         shortest_tail(window, _seconds(self))):
                steady = True
                break
            if time.perf_counter() - started >= max_seconds:
                break
        return len(series), steady, time.perf_counter() - started

    def calibrate_loops(self):
        """pyperf's loop calibration, on warm code: a JIT's first, slow values would
        give a loop count far too small for its steady state."""
        args = self.args
        if not args.recalibrate_loops:
            self.loops = 1
        warm_up(self, calibrate_loops=True)
        self._compute_values(self.warmups, args.values, is_warmup=True, calibrate_loops=True)
        key = "recalibrate_loops" if args.recalibrate_loops else "calibrate_loops"
        self.metadata[key] = self.loops

    def compute_warmups_values(self):
        # given --loops 1, calibrate the loops on the way (on warm code): no calibration run
        count, steady, elapsed = warm_up(self, calibrate_loops=self.args.loops == 1)
        # then 0 to a window more, at random: every process of a variant repeats the same
        # allocations, so a periodic cost (a major GC every N values) would land on the
        # same value in each and be missed, or counted, in all of them alike; a random
        # start spreads it over the processes, whose spread the interval then shows (a
        # third of the shortest tail at most, for long values)
        seconds = _seconds(self)
        extra = random.SystemRandom().randint(
            0, most_extra(window, shortest_tail(window, seconds)))
        if extra:
            self._compute_values(self.warmups, extra, is_warmup=True, start=count)
            count += extra
        self.metadata["jitgap_warmups"] = count
        self.metadata["jitgap_steady"] = int(steady)
        self.metadata["jitgap_warmup_s"] = round(elapsed, 3)
        if elapsed >= NOTICE_SECONDS or not steady:   # the progress display says why
            print("%s: %s after %d warm-up values (%.1f s)" % (
                self.name, "steady" if steady else "NOT steady (cap reached)", count,
                elapsed))
            sys.stdout.flush()
        self.metadata["jitgap_values"] = value_count(self.args.values, seconds)
        self._compute_values(self.values, self.metadata["jitgap_values"])

    _worker.WorkerTask.compute_warmups_values = compute_warmups_values
    _worker.WorkerTask.calibrate_loops = calibrate_loops


def _warmup_value(task, start, calibrate, one_step):
    """One warm-up value, calibrating the loop count if ``calibrate``: pyperf's way
    (doubling it), or with ``one_step`` in one step (:func:`next_loops`), pyperf's own
    calibration kept out by a --min-time of 0 for the call."""
    if not (calibrate and one_step):
        task._compute_values(task.warmups, 1, is_warmup=True, start=start,
                             calibrate_loops=calibrate)
        return
    min_time, task.args.min_time = task.args.min_time, 0.0
    try:
        task._compute_values(task.warmups, 1, is_warmup=True, start=start,
                             calibrate_loops=True)
    finally:
        task.args.min_time = min_time
    loops, value = task.warmups[-1]
    task.loops = next_loops(loops, loops * (task.inner_loops or 1) * value, min_time)


def _seconds(task):
    """How long one of the worker's values takes, from its warm-up values' durations
    (loops x inner loops x time per loop)."""
    return typical_seconds([loops * (task.inner_loops or 1) * value
                            for loops, value in task.warmups])


def defer_benchmarks(plan):
    """Make pyperf's Runner record the benchmarks a file declares instead of running them;
    returns a function that runs those ``plan["only"]`` names (all if absent) in the order
    ``plan["order"]`` shuffles them to (file order if absent)."""
    import pyperf
    declared = []
    originals = {name: getattr(pyperf.Runner, name) for name in DECLARERS
                 if hasattr(pyperf.Runner, name)}

    def recorder(method):
        def record(self, *args, **kwargs):
            declared.append((method, self, args, kwargs))
        return record

    for name in originals:
        setattr(pyperf.Runner, name, recorder(name))

    def run_declared():
        for name, method in originals.items():
            setattr(pyperf.Runner, name, method)
        only = plan.get("only")
        chosen = [d for d in declared if only is None or _bench_name(d) in only]
        if plan.get("order") is not None:
            random.Random(plan["order"]).shuffle(chosen)
        for method, runner, args, kwargs in chosen:
            originals[method](runner, *args, **kwargs)

    return run_declared


def _bench_name(declared):
    method, runner, args, kwargs = declared
    return args[0] if args else kwargs.get("name")


def main(argv=None):
    """``_steady.py BENCH.py ARGS``: run BENCH.py as ``__main__`` with the warm-up installed
    (and, with ``JITGAP_ROUND`` set, only the round's benchmarks, in the round's order)."""
    import runpy
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        sys.exit("usage: %s BENCHMARK.py [pyperf options]" % sys.argv[0])
    if os.environ.get(ENV):
        install()
    plan = json.loads(os.environ.get(ROUND_ENV) or "null")
    run_declared = defer_benchmarks(plan) if plan is not None else None
    sys.argv = argv
    sys.path[0] = os.path.dirname(os.path.abspath(argv[0]))
    runpy.run_path(argv[0], run_name="__main__")
    if run_declared is not None:
        run_declared()


if __name__ == "__main__":
    main()
