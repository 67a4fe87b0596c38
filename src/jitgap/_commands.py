"""The commands of ``jitgap`` (``python -m jitgap``): one function per command, called
with its parsed arguments (:mod:`jitgap.__main__` declares them); each prints what it
found and returns the exit status."""

import json
import re
import sys
import textwrap
from pathlib import Path

from ._adaptive import run_adaptive
from ._atomic import atomic_path
from ._browser import pdf, screens
from ._claims import VERDICTS
from ._compare import Ratio, format_factor, format_seconds
from ._deck import build_deck, deck_plan
from ._doctor import diagnose
from ._errors import JitgapError
from ._interpreters import gc_settings, nursery_warning, parse_only, select_interpreters
from ._memory import load_sizes, object_sizes, save_sizes
from ._native import NAME as NATIVE
from ._noise import values_warning
from ._notebook import object_size_table
from ._notebooks import render, update_nav
from ._plot import gap_figure, warmup_figure
from ._proc import stderr_echo
from ._results import load_results
from ._runner import run_topics
from ._startup import startup
from ._summary import check
from ._tables import Table
from ._talk import plan_markdown
from ._timeit import timeit
from ._topics import (PYPERFORMANCE, get_topic, list_topics, pyperformance_names,
                      pyperformance_version)
from ._trace import save_trace, trace
from ._tracereport import format_report
from ._warmup import save_warmup, warmup


#: how long `trace --all/--save` calls a variant at most, waiting for the JIT to close a loop
MAX_TRACE_SECONDS = 8


def _cmd_trace(args):
    if args.all:
        pairs = [(t, v) for t in list_topics() for v in t.traces]
    elif args.bench and args.variant:
        pairs = [(get_topic(args.bench), args.variant)]
    else:
        raise JitgapError("name BENCH and VARIANT, or give --all")
    if args.save or args.all:
        for topic, variant in pairs:
            seconds = args.seconds
            report = trace(topic, variant, args.python, seconds=seconds)
            while not report.loops and seconds * 4 <= MAX_TRACE_SECONDS:
                # a long body is traced in segments (bridges) before a loop closes: give it
                # the time it needs on this machine, and say so
                seconds *= 4
                print("%s.%s: no loop compiled yet; tracing again for %g s"
                      % (topic.name, variant, seconds), file=sys.stderr)
                report = trace(topic, variant, args.python, seconds=seconds)
            print("%s.%s: %d loop(s), %d allocation(s) in %g s -> %s" % (
                topic.name, variant, len(report.loops), report.as_dict()["allocations"],
                seconds, save_trace(report, topic) if args.save else "(not saved)"))
        return 0
    report = trace(args.bench, args.variant, args.python, seconds=args.seconds)
    if args.json:
        print(json.dumps(report.as_dict(), indent=1))
        return 0
    print(format_report(report))
    if args.loop:
        if report.loops:
            print()
            print(report.format_loop(0))
        else:
            print("\n(no optimised loop of the benchmark's own code was compiled)")
    return 0


def _cmd_warmup(args):
    interpreters = select_interpreters(args.python, parse_only(args.only))
    if args.all:
        failed = 0
        for topic in list_topics():
            for variant in topic.warmups:
                report = warmup(topic, variant, args.calls, interpreters)
                for name, message in report.failures.items():
                    print("%s.%s: %s NOT MEASURED: %s" % (topic.name, variant, name, message),
                          file=sys.stderr)
                failed += bool(report.failures) or not report.curves
                print("%s.%s: %s -> %s" % (
                    topic.name, variant, ", ".join("%s %s" % (n, report.steady_text(n))
                                                   for n in report.curves),
                    save_warmup(report) if args.save and report.curves else "(not saved)"))
        return 1 if failed else 0
    if not (args.bench and args.variant):
        raise JitgapError("name BENCH and VARIANT, or give --all")
    report = warmup(args.bench, args.variant, args.calls, interpreters)
    if args.save and report.curves:
        print("stored: %s" % save_warmup(report), file=sys.stderr)
    if args.output:

        with atomic_path(args.output) as tmp:
            warmup_figure(report).savefig(tmp, dpi=120,
                                          format=Path(args.output).suffix.lstrip(".") or "png")
    if args.json:
        print(json.dumps(report.as_dict(), indent=1))
    else:
        print("%s.%s: the first %d calls, each in a fresh process per interpreter"
              % (report.topic.name, report.variant, report.calls))
        for name, times in report.curves.items():
            print("  %-40s call 1: %-10s call 2: %-10s last tenth: %-10s %s"
                  % (report.labels[name], format_seconds(times[0]),
                     format_seconds(times[1]) if len(times) > 1 else "-",
                     format_seconds(report.steady_seconds(name)), report.steady_text(name)))
    for name, message in report.failures.items():
        print("%s: NOT MEASURED: %s" % (name, message), file=sys.stderr)
    return 1 if report.failures or not report.curves else 0


def _cmd_memory(args):
    if args.reference:
        sizes, failures = load_sizes(), {}
    else:
        sizes, failures = object_sizes(select_interpreters(args.python, parse_only(args.only)))
        if args.save and sizes:
            print("stored: %s" % save_sizes(sizes), file=sys.stderr)
    if args.json:
        print(json.dumps(sizes, indent=1))
    elif sizes:
        print(object_size_table(sizes))
    for name, message in failures.items():
        print("%s: NOT MEASURED: %s" % (name, message), file=sys.stderr)
    return 1 if failures else 0


def _cmd_startup(args):
    rows, failures = startup(args.mode, select_interpreters(args.python, parse_only(args.only)),
                             directory=None, measure=not args.reference,
                             echo=None if args.json else stderr_echo)
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        print(Table(["", "python -c pass", "script (work once)", "work, in process",
                     "process / in process"], [[
                         r["label"],
                         format_seconds(r["empty_process_s"], r["empty_process_stdev_s"]),
                         format_seconds(r["script_process_s"], r["script_process_stdev_s"]),
                         format_seconds(r["in_process_s"], r["in_process_stdev_s"]),
                         format_factor(r["process_over_in_process"],
                                       r["process_over_in_process_err"])] for r in rows])
              .text([40, 20, 20, 20]))
    for name, message in failures.items():
        print("%s: NOT MEASURED: %s" % (name, message), file=sys.stderr)
    return 1 if failures or not rows else 0


def _cmd_doctor(args):
    checks = diagnose(kernels=not args.no_kernels)
    if args.json:
        print(json.dumps([c.as_dict() for c in checks], indent=1))
    else:
        for c in checks:
            print("%-4s %-15s %s" % (c.status, c.name, c.detail))
            if c.fix:
                print("%-20s fix: %s" % ("", c.fix))
        bad = [c for c in checks if not c.ok]
        print("\n%s" % ("everything needed is here" if not bad else
                        "%d problem(s); the fixes are above" % len(bad)))
    return 1 if any(not c.ok for c in checks) else 0


def _cmd_nav(args):
    changed = update_nav(check=args.check)
    for path in changed:
        print("%s %s" % ("out of date:" if args.check else "updated:", path))
    if args.check and changed:
        print("run `jitgap nav` to regenerate the navigation cells", file=sys.stderr)
        return 1
    return 0


def _cmd_notebooks(args):
    outcome = render(args.paths or None, args.destination, args.kernel, args.mode)
    failed = [p for p, err in outcome.items() if err]
    for path in failed:
        print("FAILED: %s: %s" % (path, outcome[path]), file=sys.stderr)
    return 1 if failed else 0


def _cmd_deck(args):
    if args.plan:
        print(plan_markdown(deck_plan(args.source)))
        return 0
    print(build_deck(args.source, args.destination, args.results))
    return 0


def _cmd_screens(args):
    m = re.match(r"^\s*(\d+)\s*[xX]\s*(\d+)\s*$", args.size)
    if not m or not int(m.group(1)) or not int(m.group(2)):
        raise JitgapError("--size must be WIDTHxHEIGHT, e.g. 1920x1080 (not %r)" % args.size)
    for path in screens(args.deck, args.output, (int(m.group(1)), int(m.group(2)))):
        print(path)
    return 0


def _cmd_pdf(args):
    print(pdf(args.deck, args.output))
    return 0


def _warn(results):
    for message in results.warnings():
        print("warning: %s" % message, file=sys.stderr)


def _cmd_list(args):
    for topic in list_topics():
        print("%-14s %s" % (topic.name, topic.title))
        print("%-14s %s: %s; %d claim(s)" % ("", "programs" if topic.programs else "variants",
                                            ", ".join(topic.variants) or "-",
                                            len(topic.claims_source)))
    names = pyperformance_names()
    if names:
        print("\npyperformance %s (jitgap run %sNAME; unmodified, from the installed "
              "package):" % (pyperformance_version(), PYPERFORMANCE))
        print(textwrap.fill(", ".join(names), width=92, initial_indent="  ",
                            subsequent_indent="  "))
    else:
        print("\npyperformance is not installed here: `make setup` installs it")
    return 0


def _cmd_run(args):
    if args.all:
        topics = list_topics()
    elif args.benches:
        topics = [get_topic(b) for b in args.benches]
    else:
        raise JitgapError("name a topic or a benchmark file, or give --all")
    only = parse_only(args.only)
    native = True   # the C twin of a topic that has one
    if only is not None:
        native = NATIVE in only
        only = [n for n in only if n != NATIVE]
    interpreters = select_interpreters(args.python, only) if only or only is None else []
    if args.mode == "adaptive" and args.jobs not in (None, 1):
        raise JitgapError("the adaptive mode measures one run at a time (--jobs 1): its "
                          "results are the reference")
    for warning in nursery_warnings(interpreters):
        print("warning: %s" % warning, file=sys.stderr)
    failures = []
    settings = dict(mode=args.mode, directory=args.results, timeout=args.timeout,
                    echo=None if args.quiet else stderr_echo, force=args.force,
                    memory_gb=args.memory_limit, native=native)

    def done(report):
        for note in report.notes:
            print("%s: note: %s" % (report.topic.name, note), file=sys.stderr)
        for name, path in report.written.items():
            print("%s: %s -> %s" % (report.topic.name, name, path))
        for name, path in report.skipped.items():
            print("%s: %s up to date: %s" % (report.topic.name, name, path))
        for failure in report.failures:
            print("%s: %s NOT MEASURED: %s" % (report.topic.name, failure.interpreter,
                                               failure.message), file=sys.stderr)
        failures.extend(report.failures)
        sys.stdout.flush()

    if args.mode == "adaptive":
        reports = []
        for topic in topics:
            reports.append(run_adaptive(topic, interpreters, **settings))
            done(reports[-1])
    else:
        reports = run_topics(topics, interpreters, jobs=args.jobs, done=done, **settings)
    again = noisy_again(reports, args.mode, args.results)
    if again:
        print(again, file=sys.stderr)
    spread = values_warning([p for r in reports for p in r.written.values()])
    if spread:
        print(spread, file=sys.stderr)
    return 1 if failures else 0


def nursery_warnings(interpreters, environ=None):
    """The PyPy interpreters about to be measured with a nursery no typical machine has
    (:func:`jitgap._interpreters.nursery_warning`); one warning each."""
    settings = gc_settings(environ)
    out = []
    for interp in interpreters:
        try:
            info = interp.info() if interp.available else {}
        except JitgapError:
            continue        # reported when it is measured
        warning = nursery_warning(interp.name, info.get("gc_nursery"), settings)
        if warning:
            out.append(warning)
    return out


def noisy_again(reports, mode, results=None):
    """After a run of several topics, the ones measured on a noisy machine (their probe
    over 10 %) and the command that re-measures just those; ``""`` if none."""
    noisy = [r for r in reports if r.noise is not None and not r.noise.quiet]
    if not noisy:
        return ""
    redo = "  jitgap run %s --mode %s --force%s" % (
        " ".join(r.topic.spec for r in noisy), mode, " -o %s" % results if results else "")
    if len(noisy) > 1 and len({id(r.noise) for r in noisy}) == 1:
        # runs side by side share the one probe made before they all started
        return ("warning: the machine was noisy when this run of %d topics started (one "
                "probe for all of them: %.0f %%). Their intervals are wider than they need "
                "be (and bursts of noise can make a verdict wrong); when the machine is "
                "quiet, re-measure them:\n%s" % (
                    len(noisy), 100 * noisy[0].noise.spread, redo))
    return ("warning: %d of %d topics measured on a noisy machine: %s. Their intervals are "
            "wider than they need be (and bursts of noise can make a verdict wrong); when "
            "the machine is quiet, re-measure them:\n%s" % (
                len(noisy), len(reports), ", ".join(
                    "%s (%.0f %%)" % (r.topic.name, 100 * r.noise.spread) for r in noisy),
                redo))


def _cmd_show(args):
    results = load_results(args.bench, args.results)
    _warn(results)
    rows = results.rows()
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0 if rows else 1
    if not rows:
        print("%s: no results in %s; run `jitgap run %s` first"
              % (results.topic.name, results.directory, results.topic.spec), file=sys.stderr)
        return 1
    print("%s: %s" % (results.topic.name, results.topic.title))
    print("measured on %s\n" % results.machine())
    _print_rows(rows)
    return 0


def _print_rows(rows):
    """``jitgap show``'s table: variant, interpreter, time, ratio to CPython."""
    cells = []
    for r in rows:
        if r["interpreter"] == "cpython":
            versus = "(reference)"
        elif r["ratio_vs_cpython"] is not None:
            versus = "%s than CPython" % Ratio(r["ratio_vs_cpython"],
                                              r["ratio_vs_cpython_err"]).phrase()
        else:
            versus = ""
        if not r.get("steady", True):
            versus += "  NOT STEADY"
        if not r.get("consistent", True):
            versus += "  PROCESSES DISAGREE"
        cells.append([r["variant"], r["label"], format_seconds(r["mean_s"], r["stdev_s"]),
                      versus])
    print(Table(None, cells).text([max(len(r["variant"]) for r in rows), 40, 22], [2, 1, 1]))


def _cmd_timeit(args):
    results, report = timeit("\n".join(args.stmt), "\n".join(args.setup) or "pass",
                             select_interpreters(args.python, parse_only(args.only)),
                             mode=args.mode,
                             timeout=args.timeout, memory_gb=args.memory_limit,
                             echo=None if args.quiet or args.json else stderr_echo)
    rows = results.rows()
    if args.json:
        print(json.dumps(rows, indent=1))
    elif rows:
        _print_rows(rows)
    for failure in report.failures:
        print("%s: NOT MEASURED: %s" % (failure.interpreter, failure.naming("the snippet")),
              file=sys.stderr)
    return 1 if report.failures or not rows else 0


def _cmd_plot(args):
    results = load_results(args.bench, args.results)
    _warn(results)
    fig = gap_figure(results)
    with atomic_path(args.file) as tmp:
        fig.savefig(tmp, dpi=120, format=Path(args.file).suffix.lstrip(".") or "png")
    print(args.file)
    return 0 if results else 1


def _cmd_check(args):
    for topic in [get_topic(args.bench)] if args.bench else list_topics():
        _warn(load_results(topic, args.results))
    verdicts = check(args.bench, args.results)
    if args.json:
        print(json.dumps([v.as_dict() for v in verdicts], indent=1))
        return 0
    if not verdicts:
        print("no claims found")
        return 0
    for v in verdicts:
        print("%-13s %s/%s" % (v.verdict.upper(), v.claim.topic, v.claim.id))
        print("              claim:    %s" % v.claim.text)
        print("              measured: %s" % v.measured)
        for m in v.unsteady:
            print("              NOT STEADY: %s on %s (%d of %d processes hit the warm-up "
                  "cap)" % (m.variant, m.interpreter, m.unsteady, len(m.runs)))
        for m in v.inconsistent:
            print("              PROCESSES DISAGREE: %s on %s (%s)" % (
                m.variant, m.interpreter, m.disagreement()))
    counts = {}
    for v in verdicts:
        counts[v.verdict] = counts.get(v.verdict, 0) + 1
    print("\n%d claims: %s" % (len(verdicts), ", ".join(
        "%d %s" % (counts[k], k) for k in VERDICTS if k in counts)))
    return 0


COMMANDS = {"list": _cmd_list, "run": _cmd_run, "timeit": _cmd_timeit, "show": _cmd_show,
            "plot": _cmd_plot, "check": _cmd_check, "deck": _cmd_deck, "screens": _cmd_screens,
            "pdf": _cmd_pdf, "nav": _cmd_nav, "doctor": _cmd_doctor, "trace": _cmd_trace,
            "warmup": _cmd_warmup, "memory": _cmd_memory, "startup": _cmd_startup,
            "notebooks": _cmd_notebooks}
