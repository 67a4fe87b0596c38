"""Measure a topic under several interpreters (and its C twin), one stored pyperf JSON
each: :func:`run` and what it reports.  Each interpreter's run is
:func:`jitgap._pyperf.run_one`; the C twin's is :func:`jitgap._native.run_twin`.
"""

from ._errors import JitgapError
from ._interpreters import select_interpreters
from ._native import NAME, CCompiler, run_twin, twin_up_to_date
from ._noise import probe
from ._pyperf import DEFAULT_MEMORY_GB, DEFAULT_TIMEOUT, STEADY, run_one, up_to_date
from ._topics import get_topic


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


def run(topic, interpreters=None, mode="quick", directory=None, echo=None,
        timeout=DEFAULT_TIMEOUT, force=True, quiet=False, memory_gb=DEFAULT_MEMORY_GB,
        native=None):
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
    """
    topic = get_topic(topic)
    if mode == "adaptive":
        raise JitgapError("the adaptive mode measures in looks: jitgap.run_adaptive()")
    if native is None:
        native = interpreters is None
    if interpreters is None:
        interpreters = select_interpreters()
    steps = list(interpreters)
    report = RunReport(topic)
    if native and topic.c_path is not None:
        steps.append(CCompiler.find())
    elif native and not steps:
        report.notes.append("%s: %s has no C twin (%s)" % (NAME, topic.name,
                                                           topic.path.with_suffix(".c").name))

    def say(text):
        if echo is not None:
            echo(text)

    tags = None
    for index, interp in enumerate(steps, 1):
        is_c = isinstance(interp, CCompiler)
        measure, stored, source = ((run_twin, twin_up_to_date, topic.c_path) if is_c
                                   else (run_one, up_to_date, topic.path))
        say("[%d/%d] %s under %s (%s mode)\n" % (index, len(steps), topic.name, interp.label(),
                                                mode))
        if interp.missing:
            if is_c:   # no compiler: no C bar, which is not a failure
                report.notes.append("%s: %s" % (NAME, interp.missing))
            else:
                report.failures.append(RunFailure(interp.name, interp.missing))
            say("  skipped: %s\n" % interp.missing)
            continue
        try:
            current = None if force else stored(topic, interp, mode, directory)
            if current is not None:
                report.skipped[interp.name] = current
                say("  up to date: %s (measured in %s mode from the current %s; --force "
                    "re-measures)\n" % (current, mode, source.name))
                continue
            extra = {}
            if not is_c and mode in STEADY:
                tags = tags if tags is not None else probe_noise(echo, report)
                extra = {"tags": tags}
            report.written[interp.name] = measure(topic, interp, mode, directory, echo, timeout,
                                                  quiet, memory_gb, **extra)
        except JitgapError as exc:
            report.failures.append(RunFailure(interp.name, str(exc), exc))
            say("  FAILED: %s\n" % exc)
    return report
