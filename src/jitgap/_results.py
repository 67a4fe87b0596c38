"""Stored results: ``<results>/<topic>/<interpreter>.json`` (pyperf JSON + jitgap tags).

A file that is missing, truncated, corrupted or not a pyperf file does not stop the
others from loading: it is recorded in :attr:`Results.errors` with its path.  pyperf is
imported when a file is read (a tenth of a second under PyPy).
"""

import json
import statistics
from pathlib import Path

from ._compare import ratio
from ._errors import JitgapError
from ._interpreters import (DEFAULT_NAMES, REFERENCE, label_from_info, megabytes,
                            nursery_warning)
from ._native import twin_digest
from ._noise import QUIET
from ._paths import results_dir
from ._topics import get_topic
from ._trace import load_trace

#: a worker process whose mean is this many times the median process's (or a fraction as
#: small) reached another state than the others, not another moment of noise.  In four
#: runs of make bench (the quiet Intel reference, three on a noisy AMD host, 2026-12-03;
#: 1440 measurements) the processes of all other variants stayed within 2.2x of their
#: median; movinggc/del_objects on PyPy had two 1.6-2.6x faster (the reference), and
#: PyPy's processes that did not compile longtraces/body_2000's loop ran 40x slower,
#: settrace/fresh_tracer's 18-21x (1 or 2 of 6 processes)
APART = 3.0


def caveats(*measurements):
    """What a display says of ``measurements`` shown together (``None`` left out): "not
    steady" when a worker's warm-up stopped at its cap, "processes disagree" when its
    processes reached different states."""
    found = [m for m in measurements if m is not None]
    return [word for word, ok in (("not steady", all(m.steady for m in found)),
                                  ("processes disagree", all(m.consistent for m in found)))
            if not ok]


class Measurement:
    """One variant under one interpreter: pyperf's values (seconds per call)."""

    def __init__(self, topic, variant, interpreter, values, metadata, path):
        self.topic = topic
        self.variant = variant
        self.interpreter = interpreter
        self.values = list(values)
        self.metadata = metadata
        self.path = path
        self.date = None
        self.peak_rss_bytes = None   # largest resident set of pyperf's worker processes
        self.runs = [self.values]    # the values of each worker process (set on loading)
        self.unsteady = 0            # processes whose warm-up hit a cap before settling
        self.process_seconds = None  # mean duration of a worker process (pyperf's)

    def __repr__(self):
        return "<Measurement %s/%s on %s: %.3g s +- %.2g>" % (
            self.topic, self.variant, self.interpreter, self.mean, self.stdev)

    @property
    def mean(self):
        return sum(self.values) / len(self.values)

    @property
    def stdev(self):
        n = len(self.values)
        if n < 2:
            return 0.0
        m = self.mean
        return (sum((v - m) ** 2 for v in self.values) / (n - 1)) ** 0.5

    @property
    def settles(self):
        """Whether most worker processes settled: more processes of a variant that does
        not settle measure its warm-up, not a steady state, so they cannot decide more."""
        return 2 * self.unsteady <= len(self.runs)

    @property
    def steady(self):
        """False when a worker process's warm-up stopped at a cap before its timings
        settled (jitgap's adaptive warm-up): its values may not be steady state."""
        return not self.unsteady

    @property
    def process_means(self):
        """The mean of each worker process's values."""
        return [sum(r) / len(r) for r in self.runs if r]

    @property
    def apart(self):
        """The factors by which processes that reached another state than the others are
        slower (> 1) or faster (< 1) than the median process (:data:`APART`); needs three
        processes or more."""
        means = sorted(self.process_means)
        if len(means) < 3:
            return []
        median = statistics.median(means)
        if median <= 0:
            return []
        return [x / median for x in means if x >= APART * median or x * APART <= median]

    @property
    def consistent(self):
        """False when some worker processes reached another state than the others (e.g.
        the JIT compiled a loop in some and not in others): the mean averages states."""
        return not self.apart

    def disagreement(self):
        """``"1 of 6 processes 40x slower than the median process"``, or ``""``."""
        apart = self.apart
        if not apart:
            return ""
        slower = [x for x in apart if x > 1]
        faster = [1 / x for x in apart if x < 1]
        parts = []
        for group, word in ((slower, "slower"), (faster, "faster")):
            if group:
                low, high = min(group), max(group)
                size = "%.2gx" % low if "%.2g" % low == "%.2g" % high else "%.2g-%.2gx" % (
                    low, high)
                parts.append("%d of %d processes %s %s" % (len(group), len(self.runs), size,
                                                           word))
        return "%s than the median process" % " and ".join(parts)

    @property
    def implementation(self):
        return self.metadata.get("jitgap_implementation") or str(
            self.metadata.get("python_implementation", "?")).replace("cpython", "CPython").replace(
                "pypy", "PyPy")

    @property
    def version(self):
        return self.metadata.get("jitgap_version") or str(
            self.metadata.get("python_version", "?")).split()[0]

    @property
    def jit(self):
        return self.metadata.get("jitgap_jit", "?")

    @property
    def is_native(self):
        """A C twin's result (compiled ahead of time), not an interpreter's."""
        return self.metadata.get("jitgap_implementation") == "C"

    @property
    def label(self):
        return label_from_info({
            "compiler": self.metadata.get("jitgap_compiler"),
            "implementation": self.implementation,
            "pypy_version": self.version if self.implementation == "PyPy" else None,
            "python_version": self.metadata.get("jitgap_python_version", self.version),
            "jit": self.jit,
        })


class Results:
    """All measurements of one topic found in a results folder."""

    # What the figure caption names as the source instead of the benchmark file and the
    # results folder, for code measured from a temporary file that is gone afterwards
    # (``jitgap timeit``: its statement; ``%%jitgap`` and ``try_variant``: the cell above).
    source = None

    def __init__(self, topic, measurements, errors, directory):
        self.topic = topic
        self.measurements = measurements
        self.errors = errors
        self.directory = directory

    def __repr__(self):
        return "<Results %s: %d measurements, %d errors>" % (
            self.topic.name, len(self.measurements), len(self.errors))

    def __bool__(self):
        return bool(self.measurements)

    @property
    def variants(self):
        seen = [m.variant for m in self.measurements]
        declared = [v for v in self.topic.variants if v in seen]
        return declared + sorted(set(seen) - set(declared))

    @property
    def interpreters(self):
        seen = {m.interpreter for m in self.measurements}
        return [n for n in DEFAULT_NAMES if n in seen] + sorted(seen - set(DEFAULT_NAMES))

    def _stale(self, native):
        if native:
            if self.topic.c_path is None:
                return []
            digest = twin_digest(self.topic)
        else:
            digest = self.topic.digest
        return sorted({m.interpreter for m in self.measurements if m.is_native == native
                       and m.metadata.get("jitgap_benchmark_sha256", digest) != digest})

    @property
    def stale(self):
        """Interpreters whose results were measured from another version of the file (for
        the C twin's result: of the C file, its headers or its flags)."""
        return self._stale(False) + self._stale(True)

    def warnings(self):
        """Problems worth telling the user, each with what fixes it."""
        out = [message for _, message in self.errors]
        for m in self.measurements:
            if not m.steady:
                out.append("%s: %s on %s: %d of %d worker processes stopped warming up at "
                           "the cap before their timings settled, so its numbers may not be "
                           "steady state; re-run with `--mode default` (pyperf's own "
                           "calibration)" % (self.topic.name, m.variant, m.interpreter,
                                             m.unsteady, len(m.runs)))
            if not m.consistent:
                out.append("%s: %s on %s: its processes disagree: %s. They reached different "
                           "states (%gx or more from the median process, beyond what noise "
                           "does): the mean averages them, and its interval stays wide "
                           "(each state's share is what more processes estimate); each "
                           "process's mean: `jitgap show %s --json` (process_means_s)" % (
                               self.topic.name, m.variant, m.interpreter, m.disagreement(),
                               APART, self.topic.spec))
        noisy = {}
        for m in self.measurements:
            spread = m.metadata.get("jitgap_noise")
            if isinstance(spread, (int, float)) and spread > QUIET:
                noisy[m.interpreter] = max(spread, noisy.get(m.interpreter, 0))
        if noisy:
            out.append("%s: %s measured on a noisy machine (a probe's repeats spread by %.0f %% "
                       "before measuring; quiet: under %.0f %%), so their intervals are wider "
                       "than they need be, and noise that comes in bursts can even make a "
                       "verdict wrong; re-run on a quiet machine" % (
                           self.topic.name, ", ".join(sorted(noisy)),
                           100 * max(noisy.values()), 100 * QUIET))
        nurseries = {}
        for m in self.measurements:
            warning = nursery_warning(m.interpreter, m.metadata.get("jitgap_gc_nursery"),
                                      m.metadata.get("jitgap_gc_env"))
            if warning:
                nurseries.setdefault(m.interpreter, "%s: %s" % (self.topic.name, warning))
        out.extend(nurseries.values())
        for native, path in ((False, self.topic.path), (True, self.topic.c_path)):
            names = self._stale(native)
            if names:
                out.append("%s: results of %s were measured from an older version of %s; "
                           "re-run `jitgap run %s%s`" % (
                               self.topic.name, ", ".join(names), path.name, self.topic.spec,
                               " --only c" if native else ""))
        return out

    def stored_trace(self, variant):
        """``(trace, problem)``: the trace of ``variant`` stored next to these results (else
        in the committed ``results/``), as saved by ``jitgap trace --save``, or ``None``
        and why there is none (the first problem met)."""
        folders = [self.directory.parent]
        if results_dir().resolve() != folders[0].resolve():
            folders.append(results_dir())
        problem = None
        for folder in folders:
            try:
                return load_trace(self.topic.name, variant, folder), None
            except JitgapError as exc:
                problem = problem or str(exc)
        return None, problem

    def get(self, variant, interpreter):
        for m in self.measurements:
            if m.variant == variant and m.interpreter == interpreter:
                return m
        return None

    def label(self, interpreter):
        for m in self.measurements:
            if m.interpreter == interpreter:
                return m.label
        return interpreter

    def short_label(self, interpreter):
        """``CPython``, ``PyPy``, ``PyPy (JIT off)``, or the interpreter's name."""
        for m in self.measurements:
            if m.interpreter == interpreter:
                name = m.implementation if interpreter in DEFAULT_NAMES or m.is_native \
                    else interpreter
                return name + (" (JIT off)" if m.jit == "off" else "")
        return interpreter

    def machine(self):
        """A short description of where the results were measured (with PyPy's GC nursery,
        when the results record it: it decides how much allocating code costs)."""
        nurseries = sorted({m.metadata.get("jitgap_gc_nursery") for m in self.measurements
                            if m.metadata.get("jitgap_gc_nursery")})
        gc = (", PyPy's GC nursery " + " / ".join(megabytes(n) for n in nurseries)
              if nurseries else "")
        for m in self.measurements:
            md = m.metadata
            cpu = md.get("cpu_model_name", "unknown CPU")
            count = md.get("cpu_count")
            return "%s%s, %s%s" % (cpu, " (%s cores)" % count if count else "",
                                   (m.date or "date unknown")[:10], gc)
        return "not measured"

    def rows(self):
        """Plain dicts, one per measurement (the ``jitgap show --json`` rows)."""
        out = []
        for variant in self.variants:
            ref = self.get(variant, REFERENCE)
            for name in self.interpreters:
                m = self.get(variant, name)
                if m is None:
                    continue
                r = ratio(ref, m) if ref is not None else None
                out.append({
                    "topic": self.topic.name,
                    "variant": variant,
                    "interpreter": name,
                    "label": m.label,
                    "implementation": m.implementation,
                    "version": m.version,
                    "jit": m.jit,
                    "mode": m.metadata.get("jitgap_mode"),
                    "mean_s": m.mean,
                    "stdev_s": m.stdev,
                    "values": m.values,
                    "ratio_vs_cpython": r.value if r else None,
                    "ratio_vs_cpython_err": r.error if r else None,
                    "ratio_text": r.describe(m.label, "CPython") if r and name != REFERENCE else None,
                    "peak_rss_bytes": m.peak_rss_bytes,
                    "processes": len(m.runs),
                    "process_means_s": m.process_means,
                    "steady": m.steady,
                    "consistent": m.consistent,
                    "file": str(m.path),
                })
        return out


def _load_file(path, topic):
    import pyperf

    try:
        text = Path(path).read_text(encoding="utf-8")
        json.loads(text)
    except ValueError as exc:
        raise JitgapError("%s is not valid JSON (%s); re-run `jitgap run %s` to replace it"
                          % (path, exc, topic.spec))
    except OSError as exc:
        raise JitgapError("cannot read %s: %s" % (path, exc.strerror))
    try:
        suite = pyperf.BenchmarkSuite.loads(text)
    except Exception as exc:
        raise JitgapError("%s is not a pyperf result file (%s: %s); re-run `jitgap run %s`"
                          % (path, type(exc).__name__, exc, topic.spec))
    out = []
    for bench in suite.get_benchmarks():
        metadata = bench.get_metadata()
        interpreter = metadata.get("jitgap_interpreter", Path(path).stem)
        try:
            values = bench.get_values()
        except Exception:
            values = ()
        if not values:
            raise JitgapError("%s: benchmark %r holds no values" % (path, bench.get_name()))
        m = Measurement(topic.name, bench.get_name(), interpreter, values, metadata, Path(path))
        runs = [run for run in bench.get_runs() if run.values]
        m.runs = [list(run.values) for run in runs]
        m.unsteady = sum(1 for run in runs if run.get_metadata().get("jitgap_steady") == 0)
        spent = [run.get_metadata().get("duration") for run in runs]
        spent = [d for d in spent if isinstance(d, (int, float))]
        m.process_seconds = sum(spent) / len(spent) if spent else None
        rss = [run.get_metadata().get("mem_max_rss") for run in bench.get_runs()]
        rss = [r for r in rss if isinstance(r, int)]
        m.peak_rss_bytes = max(rss) if rss else None
        dates = bench.get_dates()
        m.date = dates[0].isoformat(" ", "minutes") if dates else None
        out.append(m)
    return out


def load_results(topic, directory=None):
    """Every measurement of ``topic`` stored under ``directory`` (default ``results/``)."""
    topic = get_topic(topic)
    folder = results_dir(directory) / topic.name
    measurements, errors = [], []
    paths = sorted(p for p in folder.glob("*.json") if not p.name.startswith(".")) \
        if folder.is_dir() else []
    for path in paths:
        try:
            measurements.extend(_load_file(path, topic))
        except JitgapError as exc:
            errors.append((path, str(exc)))
    return Results(topic, measurements, errors, folder)
