"""Measure a topic under several interpreters (and its C twin), one stored pyperf JSON
each: :func:`run` and what it reports.  Each interpreter's run is
:func:`jitgap._pyperf.run_one`; the C twin's is :func:`jitgap._native.run_twin`.

In quick mode two interpreters' runs go at once on a machine with two CPUs or more
(:func:`default_jobs`): the whole talk then takes about half as long.  Two runs side by
side on a 2-core Intel Xeon machine moved each other's means by about 1 % (geometric mean
over 17 variants, three repeats; PyPy without its JIT allocating on one core, CPython and
PyPy on the other; README), less than the run-to-run noise of one of them alone, and far
less than the 20 % quick mode answers for.  But two CPUs can share a core, on a virtual
machine even when its topology says otherwise (an AMD EPYC host: 1.45-1.59x slower beside
a busy loop), so before running two at once by default quick mode probes
(:func:`jitgap._noise.side_by_side`, once per process) and measures one run at a time when
two would slow each other (:func:`choose_jobs`).  The reference results (``make bench``,
adaptive mode) and the default and rigorous modes measure one run at a time.
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

from ._errors import JitgapError
from ._interpreters import select_interpreters
from ._native import NAME, CCompiler, run_twin, twin_up_to_date
from ._noise import probe, side_by_side
from ._pyperf import (DEFAULT_MEMORY_GB, DEFAULT_TIMEOUT, STEADY, run_one, stop_all,
                      up_to_date)
from ._topics import get_topic

#: the modes whose runs go two at a time by default (see the module docstring)
PARALLEL_MODES = ("quick",)
#: at most this many runs at once by default: what was measured (README)
MAX_DEFAULT_JOBS = 2


class RunFailure:
    """One interpreter that could not be measured, and why (``error``: the
    :class:`JitgapError` it raised, if any)."""

    def __init__(self, interpreter, message, error=None):
        self.interpreter = interpreter
        self.message = message
        self.error = error

    def __str__(self):
        return "%s: %s" % (self.interpreter, self.message)

    def naming(self, name):
        """The message, with the file measured called ``name`` ("this cell")."""
        return self.error.naming(name) if self.error is not None else self.message


class RunReport:
    """What :func:`run` did: files written and failures, per interpreter."""

    def __init__(self, topic):
        self.topic = topic
        self.written = {}
        self.skipped = {}
        self.failures = []
        self.notes = []     # what was skipped on purpose (e.g. no C compiler: no C bar)
        self.noise = None   # the noise probed before measuring (a jitgap._noise.Noise)

    def __repr__(self):
        return "<RunReport %s: %d written, %d failed>" % (
            self.topic.name, len(self.written), len(self.failures))


def probe_noise(echo, report):
    """Probe how noisy the machine is (:mod:`jitgap._noise`) and warn when it is noisy:
    through ``echo`` (the progress), or without one in ``report.notes``; returns the
    results' tag (``jitgap_noise``: the spread of the probe's repeats)."""
    noise = report.noise = probe()
    if not noise.quiet:
        if echo is not None:
            echo("  %s\n" % noise.warning())
        else:
            report.notes.append(noise.warning())
    return {"jitgap_noise": round(noise.spread, 4)}


def default_jobs(mode):
    """How many interpreters' runs go at once in ``mode`` by default: two in quick mode
    on a machine with at least two CPUs, else one."""
    if mode not in PARALLEL_MODES:
        return 1
    return max(1, min(MAX_DEFAULT_JOBS, os.cpu_count() or 1))


#: this process's side-by-side probe, made once (a jitgap._noise.SideBySide, or None
#: where it could not tell)
_SIDE_BY_SIDE = []


def choose_jobs(mode, jobs=None, runs=2):
    """How many of ``runs`` runs go at once, and why when fewer than asked by default:
    ``(jobs, note)``.  ``jobs`` given is kept; by default :func:`default_jobs`, but one at
    a time where the side-by-side probe says two runs would slow each other (or cannot
    tell)."""
    if jobs is not None:
        return int(jobs), ""
    jobs = default_jobs(mode)
    if jobs == 1 or runs < 2:
        return jobs, ""
    if not _SIDE_BY_SIDE:
        _SIDE_BY_SIDE.append(side_by_side())
    found = _SIDE_BY_SIDE[0]
    if found is not None and found.independent:
        return jobs, ""
    if found is None:
        return 1, ("one run at a time: could not time a busy loop on another CPU, so "
                   "whether two runs at once slow each other is unknown; --jobs 2 runs "
                   "two at once anyway")
    return 1, ("one run at a time: %s, so two runs at once would slow each other (this "
               "machine's CPUs share a core); --jobs 2 runs two at once anyway" % found)


def run(topic, interpreters=None, mode="quick", directory=None, echo=None,
        timeout=DEFAULT_TIMEOUT, force=True, quiet=False, memory_gb=DEFAULT_MEMORY_GB,
        native=None, jobs=None):
    """Measure ``topic`` under each interpreter (default: CPython, PyPy, PyPy JIT off).

    Interpreters that are missing or fail are reported in the returned
    :class:`RunReport`; the others are still measured and their files kept.  With
    ``force=False`` a result already measured in this mode from the current benchmark
    code is kept as it is (reported in ``report.skipped``).  ``quiet`` hides pyperf's
    stability warnings in the progress text; ``memory_gb`` caps each pyperf process's
    address space (a runaway snippet gets a MemoryError instead of the machine's memory).
    ``echo`` receives progress text (``None`` for silence, ``print``-like callables
    for a live display).

    ``native``: also measure the topic's C twin (``benchmarks/<topic>.c``) as ``c``; by
    default it is measured when the interpreters are the defaults.  With no C twin this
    does nothing; with no C compiler it adds a note (``report.notes``), not a failure.

    ``jobs``: how many interpreters' runs go at once (default: :func:`default_jobs`).
    """
    return run_topics([topic], interpreters, mode, directory, echo, timeout, force, quiet,
                      memory_gb, native, jobs)[0]


def run_topics(topics, interpreters=None, mode="quick", directory=None, echo=None,
               timeout=DEFAULT_TIMEOUT, force=True, quiet=False, memory_gb=DEFAULT_MEMORY_GB,
               native=None, jobs=None, done=None):
    """:func:`run` for several topics; returns their reports, in order.  With ``jobs`` > 1
    that many runs go at once, over all the topics' interpreters (topic after topic, the
    longest-running kinds of each first: PyPy with its JIT off, PyPy, CPython, the C
    twin), each line of progress prefixed with its topic and interpreter.
    ``done(report)`` is called as each topic is finished (from the thread that finished
    it)."""
    topics = [get_topic(t) for t in topics]
    if mode == "adaptive":
        raise JitgapError("the adaptive mode measures in looks: jitgap.run_adaptive()")
    if jobs is not None and int(jobs) < 1:
        raise JitgapError("jobs must be at least 1 (not %d)" % int(jobs))
    if native is None:
        native = interpreters is None
    if interpreters is None:
        interpreters = select_interpreters()
    plans = [_Plan(topic, list(interpreters), native) for topic in topics]
    jobs, note = choose_jobs(mode, jobs, sum(len(plan.steps) for plan in plans))
    if note:
        if echo is not None:
            echo("%s\n" % note)
        elif plans:
            plans[0].report.notes.append(note)
    if jobs == 1:
        for plan in plans:
            for k in range(len(plan.steps)):
                plan.measure(k, mode, directory, echo, timeout, force, quiet, memory_gb)
            if done is not None:
                done(plan.report)
        return [plan.report for plan in plans]

    # topic after topic, each one's longest-running kind first: as quick as any order
    # tried on a whole talk's times (8.3 min of runs two at a time for 16.5 one at a
    # time; the longest runs first over all topics: 8.2), and topics finish as it goes
    steps = [(plan, k) for plan in plans
             for k in sorted(range(len(plan.steps)), key=lambda k: -plan.cost(k))]
    if mode in STEADY and plans:
        # one probe for the whole run, before it starts: a probe beside a run would time
        # that run (and, in this process, the other threads' turns with the GIL)
        tags = probe_noise(echo, plans[0].report)
        for plan in plans:
            plan.tags, plan.report.noise = tags, plans[0].report.noise
    lock = threading.Lock()
    stopping = threading.Event()

    def one(step):
        plan, k = step
        if stopping.is_set():
            return
        prefixed = None if echo is None else _Prefixed(echo, lock, "%s/%s" % (
            plan.topic.name, plan.steps[k].name))
        try:
            plan.measure(k, mode, directory, prefixed, timeout, force, quiet, memory_gb)
        finally:
            if prefixed is not None:
                prefixed.flush()
        if plan.finish() and done is not None and not stopping.is_set():
            with lock:
                done(plan.report)

    pool = ThreadPoolExecutor(max_workers=jobs)
    futures = [pool.submit(one, step) for step in steps]
    try:
        for future in futures:
            future.result()
    except BaseException:
        stopping.set()
        for future in futures:
            future.cancel()
        stop_all()          # the runs under way: killed, with their workers
        raise
    finally:
        pool.shutdown(wait=True)
    return [plan.report for plan in plans]


class _Prefixed:
    """Progress text of one run among several: whole lines, each prefixed with its name."""

    def __init__(self, echo, lock, name):
        self.echo, self.lock, self.name, self.partial = echo, lock, name, ""

    def __call__(self, text):
        lines = (self.partial + text).split("\n")
        self.partial = lines.pop()
        if lines:
            with self.lock:
                self.echo("".join("[%s] %s\n" % (self.name, line) for line in lines))

    def flush(self):
        if self.partial:
            self("\n")


class _Plan:
    """One topic's runs: its interpreters (and C twin), its report, its noise tags."""

    def __init__(self, topic, interpreters, native):
        self.topic = topic
        self.steps = list(interpreters)
        self.report = RunReport(topic)
        if native and topic.c_path is not None:
            self.steps.append(CCompiler.find())
        elif native and not self.steps:
            self.report.notes.append("%s: %s has no C twin (%s)" % (
                NAME, topic.name, topic.path.with_suffix(".c").name))
        self.tags = None
        self.lock = threading.Lock()
        self.left = len(self.steps)

    def finish(self):
        """Count one run done; whether it was the topic's last."""
        with self.lock:
            self.left -= 1
            if self.left > 0:
                return False
            order = [step.name for step in self.steps]    # the interpreters' order
            for found in (self.report.written, self.report.skipped):
                ordered = sorted(found.items(), key=lambda kv: order.index(kv[0])
                                 if kv[0] in order else len(order))
                found.clear()
                found.update(ordered)
            return True

    def cost(self, k):
        """How long the ``k``-th run is expected to take, as a rank (JIT off first)."""
        interp = self.steps[k]
        if isinstance(interp, CCompiler) or interp.missing:
            return 0
        try:
            return {"off": 3, "on": 2}.get(interp.info().get("jit"), 1)
        except JitgapError:
            return 0

    def noise_tags(self, echo):
        """The topic's noise tags, probed before its first run (runs at once share one
        probe, made before they start: see :func:`run_topics`)."""
        if self.tags is None:
            self.tags = probe_noise(echo, self.report)
        return self.tags

    def measure(self, k, mode, directory, echo, timeout, force, quiet, memory_gb):
        topic, report, interp = self.topic, self.report, self.steps[k]

        def say(text):
            if echo is not None:
                echo(text)

        is_c = isinstance(interp, CCompiler)
        measure, stored, source = ((run_twin, twin_up_to_date, topic.c_path) if is_c
                                   else (run_one, up_to_date, topic.path))
        say("[%d/%d] %s under %s (%s mode)\n" % (k + 1, len(self.steps), topic.name,
                                                interp.label(), mode))
        if interp.missing:
            if is_c:   # no compiler: no C bar, which is not a failure
                report.notes.append("%s: %s" % (NAME, interp.missing))
            else:
                report.failures.append(RunFailure(interp.name, interp.missing))
            say("  skipped: %s\n" % interp.missing)
            return
        try:
            current = None if force else stored(topic, interp, mode, directory)
            if current is not None:
                report.skipped[interp.name] = current
                say("  up to date: %s (measured in %s mode from the current %s; --force "
                    "re-measures)\n" % (current, mode, source.name))
                return
            extra = {}
            if not is_c and mode in STEADY:
                extra = {"tags": self.noise_tags(echo)}
            report.written[interp.name] = measure(topic, interp, mode, directory, echo,
                                                  timeout, quiet, memory_gb, **extra)
        except JitgapError as exc:
            report.failures.append(RunFailure(interp.name, str(exc), exc))
            say("  FAILED: %s\n" % exc)
