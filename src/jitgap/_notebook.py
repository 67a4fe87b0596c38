"""What notebooks call: measure a topic, show its code, tables of times and verdicts.

Everything here returns plain objects that render as Markdown in Jupyter
(``_repr_markdown_``) and as text elsewhere; nothing imports IPython or changes global
state.  Timing never happens in the notebook process: :func:`measure` runs the benchmark
file in subprocesses through :func:`jitgap.run`.
"""

import math
import os
import sys
from pathlib import Path

from ._compare import Ratio, format_seconds, ratio
from ._errors import JitgapError
from ._interpreters import REFERENCE
from ._memory import load_sizes, object_sizes
from ._paths import live_results_dir
from ._phrases import VERDICT_MARK
from ._plot import caption, warmup_figure
from ._results import caveats, load_results
from ._runner import run
from ._stats import geomean_interval
from ._tables import Markdown, Table
from ._topics import get_topic
from ._trace import load_trace, trace
from ._warmup import load_warmup, warmup

MODE_ENV = "JITGAP_MODE"
#: ``reference`` reads the committed results/ instead of measuring
NOTEBOOK_MODES = ("reference", "smoke", "quick", "default", "rigorous")


def notebook_mode():
    """The notebooks' mode: ``$JITGAP_MODE``, default ``quick``."""
    return os.environ.get(MODE_ENV) or "quick"


def measure(topic, mode=None, interpreters=None, directory=None, echo=None):
    """Run ``topic`` (mode from ``$JITGAP_MODE``, default ``quick``) and load its results.

    ``mode="reference"`` measures nothing and returns the committed ``results/``.
    Live results go to ``build/live/`` so the reference results are never overwritten.
    Progress is printed as it happens; interpreters that cannot run are reported and the
    others are still measured.
    """
    topic = get_topic(topic)
    mode = mode or notebook_mode()
    if mode not in NOTEBOOK_MODES:
        raise ValueError("mode %r: choose from %s" % (mode, ", ".join(NOTEBOOK_MODES)))
    if mode == "reference":
        results = load_results(topic, directory)
        print("%s: reference results from results/%s (measured on %s)"
              % (topic.name, topic.name, results.machine()))
        return results
    directory = Path(directory) if directory else live_results_dir()

    def _print(text):
        sys.stdout.write(text)
        sys.stdout.flush()

    report = run(topic, interpreters, mode=mode, directory=directory,
                 echo=echo if echo is not None else _print, quiet=True)
    for failure in report.failures:
        print("NOT MEASURED under %s: %s" % (failure.interpreter, failure.message))
    for note in report.notes:
        print("Note: %s" % note)
    return load_results(topic, directory)


def show_code(topic, *names):
    """The source of variants (or helpers) as they are in the benchmark file."""
    topic = get_topic(topic)
    code = "\n\n\n".join(topic.code(n) for n in names or topic.variants)
    return _code_block("python", code, topic.path.name)


def show_c_code(topic, *names):
    """The source of a topic's C twin functions (``benchmarks/<topic>.c``)."""
    topic = get_topic(topic)
    code = "\n\n".join(topic.c_code(n) for n in names or topic.c_variants)
    return _code_block("c", code, topic.c_path.name, ", compiled by `cc -O2`")


def _code_block(language, code, filename, note=""):
    return Markdown("```%s\n%s\n```\n<sub>from `benchmarks/%s`%s</sub>"
                    % (language, code, filename, note))


def result_table(results):
    """Variants x interpreters: time per call (or per iteration) ± std dev, and the ratio
    to CPython."""
    names = results.interpreters
    rows = []
    for variant in results.variants:
        ref = results.get(variant, REFERENCE)
        cells = []
        for name in names:
            m = results.get(variant, name)
            if m is None:
                cells.append("—")
                continue
            cell = format_seconds(m.mean, m.stdev)
            if ref is not None and name != REFERENCE:
                cell += "<br>%s than CPython" % ratio(ref, m).phrase()
            cells.append(cell)
        rows.append(["`%s`" % variant] + cells)
    table = Table(["variant"] + [results.label(n) for n in names], rows).markdown()
    if not results.measurements:
        table = "*%s: not measured.*" % results.topic.name
    notes = ["", "<sub>%s</sub>" % caption(results)]
    notes += ["\n**Warning:** %s" % msg for msg in results.warnings()]
    return Markdown("\n".join([table] + notes))


def verdict_table(topic, results):
    """Each claim of ``topic`` evaluated on ``results`` (e.g. the ones just measured)."""
    topic = get_topic(topic)
    rows = []
    for claim in topic.claims:
        v = claim.evaluate(results)
        flag = "".join(" **not steady: %s on %s**" % (m.variant, m.interpreter)
                       for m in v.unsteady)
        flag += "".join(" **processes disagree: %s on %s, %s**" % (
            m.variant, m.interpreter, m.disagreement()) for m in v.inconsistent)
        rows.append(["**%s**" % VERDICT_MARK[v.verdict], claim.text,
                     v.measured.replace("|", "\\|") + flag])
    return Markdown(Table(["verdict", "claim", "measured"], rows).markdown())


def geometric_means(results, level=0.95):
    """Each interpreter's geometric-mean speed-up against CPython over the variants of
    ``results``, with its confidence interval (the uncertainty of measuring these)."""
    rows = []
    for name in results.interpreters:
        if name == REFERENCE:
            continue
        pairs = [(results.get(v, REFERENCE), results.get(v, name)) for v in results.variants]
        pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
        if not pairs:
            continue
        logs = [math.log(ratio(a, b).value) for a, b in pairs]
        value = math.exp(sum(logs) / len(logs))
        shown, _, word = Ratio(value, 0.0).direction()
        if min(len(m.runs) for pair in pairs for m in pair) >= 2:
            low, high = geomean_interval(pairs, level)
            if value < 1:
                low, high = 1 / high, 1 / low
            interval = "%.3g–%.3gx" % (low, high)
        else:
            interval = "(one process: none)"
        rows.append([results.label(name), "%d variants" % len(pairs),
                     "%.3gx %s" % (shown, word), interval])
    return Markdown(Table(["interpreter", "geometric mean over", "against CPython",
                           "%g%% interval" % (level * 100)], rows).markdown())


def findings(results):
    """One sentence per variant: each interpreter against CPython."""
    lines = []
    for variant in results.variants:
        ref = results.get(variant, REFERENCE)
        parts = []
        for name in results.interpreters:
            m = results.get(variant, name)
            if name == REFERENCE or m is None or ref is None:
                continue
            parts.append(ratio(ref, m).describe(results.label(name), "CPython")
                         + "".join(" (%s)" % word for word in caveats(m, ref)))
        if parts:
            lines.append("- **%s**: %s" % (variant, "; ".join(parts)))
    return Markdown("\n".join(lines) or "*nothing measured*")


def warmup_curves(topic, variant, calls=50, interpreters=None):
    """The warm-up figure of one variant, measured live (``jitgap.warmup``).

    In ``reference`` mode nothing is measured: the curves ``make bench`` stored are shown
    (for the variants a topic lists in ``WARMUPS``), else a note says how to get them; in
    ``smoke`` mode only a few calls are timed.
    """
    mode = notebook_mode()
    if mode == "reference":
        try:
            return warmup_figure(load_warmup(topic, variant))
        except JitgapError as exc:
            return Markdown("*%s. Or run this notebook with `JITGAP_MODE=quick` to measure "
                            "the curves live.*" % exc)
    report = warmup(topic, variant, min(calls, 5) if mode == "smoke" else calls, interpreters)
    for name, message in report.failures.items():
        print("NOT MEASURED under %s: %s" % (name, message))
    return warmup_figure(report)


def bytes_per_object(interpreters=None):
    """Table of what one more small object costs on each interpreter (live; in
    ``reference`` mode the table ``make bench`` stored; 10,000 objects instead of a million
    in ``smoke`` mode)."""
    mode = notebook_mode()
    if mode == "reference":
        try:
            return object_size_table(load_sizes(), "results/memory/bytes_per_object.json")
        except JitgapError as exc:
            return Markdown("*%s. Or run this notebook with `JITGAP_MODE=quick` to measure "
                            "live.*" % exc)
    sizes, failures = object_sizes(interpreters, count=10000 if mode == "smoke" else 1000000)
    for name, message in failures.items():
        print("NOT MEASURED under %s: %s" % (name, message))
    return object_size_table(sizes)


def object_size_table(sizes, source=None):
    """Markdown: kinds x interpreters, bytes per object (``source``: where stored ones
    come from)."""
    names = list(sizes)
    kinds = list(sizes[names[0]]["bytes"]) if names else []
    table = Table(["one more ..."] + [sizes[n]["label"] for n in names], [
        [kind] + ["%.0f bytes" % sizes[n]["bytes"][kind] for n in names] for kind in kinds])
    return Markdown(table.markdown() + "\n\n<sub>A million objects kept in a list, resident-set "
                    "growth per object (the list's 8-byte slot included), one fresh process "
                    "per interpreter and kind%s.</sub>" % ("; stored in `%s`" % source
                                                            if source else ""))


def memory_table(results):
    """Markdown: peak RSS of pyperf's worker processes per variant and interpreter."""
    names = results.interpreters
    rows = []
    for variant in results.variants:
        cells = []
        for name in names:
            m = results.get(variant, name)
            rss = m.peak_rss_bytes if m is not None else None
            cells.append("%.0f MB" % (rss / 1e6) if rss else "—")
        rows.append(["`%s`" % variant] + cells)
    table = Table(["peak RSS"] + [results.label(n) for n in names], rows)
    return Markdown(table.markdown() + "\n\n<sub>Largest resident set of pyperf's worker "
                    "processes (the interpreter included; PyPy's whole GC nursery too, which "
                    "each worker fills once before its warm-up), from the results' "
                    "`mem_max_rss`.</sub>")


def _trace_mode():
    mode = notebook_mode()
    return mode, (0.2 if mode == "smoke" else 0.5)


def trace_table(topic, variants=None, interpreter=None):
    """What PyPy's JIT did with each variant: loops, bridges and aborts, then the guards,
    allocations and calls left per iteration of the optimised loop (``jitgap trace``).

    Default variants: the topic's ``TRACES`` (else all).  Traced live; in ``reference``
    mode read from the traces ``make bench`` stored (``results/<topic>/traces/``)."""
    topic = get_topic(topic)
    mode, seconds = _trace_mode()
    reference = mode == "reference"
    variants = variants or topic.traces or topic.variants
    rows = []
    missing = []
    for variant in variants:
        if reference:
            try:
                d = load_trace(topic, variant)["report"]
            except JitgapError as exc:
                missing.append(str(exc))
                rows.append(["`%s`" % variant] + ["—"] * 6)
                continue
        else:
            d = trace(topic, variant, interpreter, seconds=seconds).as_dict()
        body = d["in_loop_bodies"]
        rows.append(["`%s`" % variant] + ["%d" % n for n in (
            d["loops"], d["bridges"], sum(d["aborts"].values()), body["guards"])] + [
            "**%d**" % body["allocations"], "%d" % body["calls"]])
    lines = [Table(["variant", "loops", "bridges", "aborts", "guards", "allocations", "calls"],
                   rows, align=[""] + ["right"] * 6).markdown()]
    source = ("the traces stored by `make bench` (`results/%s/traces/`)" % topic.name
              if reference else "PyPy's JIT log (PYPYLOG=jit-log-opt), just now")
    lines.append("\n<sub>Guards, allocations and calls: per iteration of the optimised loops "
                 "of `benchmarks/%s`'s own code; aborts: while tracing. From %s.</sub>"
                 % (topic.path.name, source))
    lines += ["\n**Note:** %s" % m for m in missing]
    return Markdown("\n".join(lines))


def trace_loop(topic, variant, interpreter=None, max_ops=40):
    """The optimised loop of one variant, op by op under the Python line it came from
    (traced live; in ``reference`` mode the loop ``make bench`` stored, if any)."""
    topic = get_topic(topic)
    mode, seconds = _trace_mode()
    if mode == "reference":
        try:
            loop = load_trace(topic, variant)["loop"]
        except JitgapError as exc:
            return Markdown("*%s*" % exc)
        if not loop:
            return Markdown("*No optimised loop of `%s` was compiled.*" % variant)
        lines = loop.splitlines()
        if len(lines) > max_ops:
            lines = lines[:max_ops] + ["... (%d more lines)" % (len(lines) - max_ops)]
        return Markdown("```\n%s\n```\n<sub>stored by `make bench`: `results/%s/traces/%s.json`"
                        "</sub>" % ("\n".join(lines), topic.name, variant))
    report = trace(topic, variant, interpreter, seconds=seconds)
    if not report.loops:
        return Markdown("*No optimised loop of `%s` was compiled.*" % variant)
    return Markdown("```\n%s\n```" % report.format_loop(0, max_ops=max_ops))
