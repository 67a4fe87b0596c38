"""Command line: ``jitgap`` / ``python -m jitgap``."""

import argparse
import json
import sys

from ._errors import JitgapError

_EPILOG = """\
interpreters: by default cpython (.venv, else python3), pypy (.venv-pypy, else pypy3)
and pypy-nojit (the same PyPy with --jit off); JITGAP_CPYTHON / JITGAP_PYPY override
them, --python NAME=PATH adds one. A topic with a C twin (benchmarks/<topic>.c) also
gets a `c` result: the twin built with $CC or cc -O2 (skipped with a note if there is
no compiler). Results: results/<topic>/<interpreter>.json
(-o DIR or JITGAP_RESULTS to change).
"""


def _add_results_dir(p, short=True):
    flags = ("-o", "--results") if short else ("--results",)
    p.add_argument(*flags, metavar="DIR", default=None, dest="results",
                   help="results folder (default: results/ of the project, or $JITGAP_RESULTS)")


def _add_stored(p, listed, folder, directive):
    """BENCH VARIANT, or --all (the variants a file lists in LISTED); --save stores them."""
    p.add_argument("bench", metavar="BENCH", nargs="?")
    p.add_argument("variant", metavar="VARIANT", nargs="?")
    p.add_argument("--all", action="store_true",
                   help="every variant listed in a benchmark file's %s" % listed)
    p.add_argument("--save", action="store_true",
                   help="store the result in results/<topic>/%s/<variant>.json (the deck "
                   "shows it with `.. jitgap-%s::`; reference notebooks read it)"
                   % (folder, directive))


def _parser():
    from ._runner import DEFAULT_MEMORY_GB, DEFAULT_TIMEOUT, MODE_HELP, MODES
    from ._timeit import DEFAULT_TIMEOUT as TIMEIT_TIMEOUT

    parser = argparse.ArgumentParser(
        prog="jitgap", epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Measure the gap between CPython, PyPy and PyPy without its JIT.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    sub.add_parser("list", help="list the topics (benchmark files) and their variants")

    p = sub.add_parser("run", help="measure topics under each interpreter",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Run benchmark files under each interpreter (each one "
                       "pyperf's master process) and store one pyperf JSON per interpreter.",
                       epilog="modes:\n" + "\n".join("  %-9s %s" % kv for kv in MODE_HELP.items()))
    p.add_argument("benches", nargs="*", metavar="BENCH",
                   help="topic name or path of a pyperf benchmark file")
    p.add_argument("--all", action="store_true", help="every topic in benchmarks/")
    p.add_argument("--mode", choices=list(MODES), default="quick",
                   help="how long to measure (default: quick)")
    p.add_argument("--python", action="append", default=[], metavar="NAME=PATH",
                   help="add an interpreter (repeatable); PATH may carry options")
    p.add_argument("--only", metavar="NAMES",
                   help="comma-separated interpreter names to run (default: all); `c` is "
                   "the C twin (benchmarks/<topic>.c) of a topic that has one")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="stop an interpreter's run of a topic after this long "
                   "(default: %(default)g s)")
    p.add_argument("--memory-limit", type=float, default=DEFAULT_MEMORY_GB, metavar="GIB",
                   help="address space of each pyperf process (default: %(default)g GiB; 0: none)")
    p.add_argument("--force", action="store_true",
                   help="re-measure results already measured in this mode from the current "
                   "benchmark file (skipped by default, so an interrupted run resumes)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    _add_results_dir(p)

    p = sub.add_parser("timeit", help="time a statement under every interpreter",
                       description="Time STMT (after SETUP) under each interpreter, like "
                       "python -m timeit, and compare. A literal \\n in STMT or SETUP is read "
                       "as a newline when the code does not compile otherwise.")
    p.add_argument("stmt", nargs="+", metavar="STMT", help="statement (several: one per line)")
    p.add_argument("-s", "--setup", action="append", default=[], metavar="SETUP",
                   help="setup code run once per process (repeatable: one per line)")
    p.add_argument("--mode", choices=list(MODES), default="quick",
                   help="how long to measure (default: quick)")
    p.add_argument("--python", action="append", default=[], metavar="NAME=PATH",
                   help="add an interpreter (repeatable)")
    p.add_argument("--only", metavar="NAMES", help="comma-separated interpreter names")
    p.add_argument("--timeout", type=float, default=TIMEIT_TIMEOUT, metavar="SECONDS",
                   help="stop an interpreter's run after this long (default: %(default)g s)")
    p.add_argument("--memory-limit", type=float, default=DEFAULT_MEMORY_GB, metavar="GIB",
                   help="address space of each pyperf process (default: %(default)g GiB; 0: none)")
    p.add_argument("--json", action="store_true", help="rows as in `jitgap show --json`")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")

    p = sub.add_parser("show", help="variants x interpreters, with ratios to CPython")
    p.add_argument("bench", metavar="BENCH")
    p.add_argument("--json", action="store_true", help="one JSON object per measurement")
    _add_results_dir(p)

    p = sub.add_parser("plot", help="draw the gap chart to a file (.png, .svg, .pdf)")
    p.add_argument("bench", metavar="BENCH")
    p.add_argument("-o", "--output", dest="file", required=True, metavar="FILE",
                   help="image file to write (format from the extension)")
    _add_results_dir(p, short=False)

    p = sub.add_parser("check", help="evaluate the claims on the stored results")
    p.add_argument("bench", nargs="?", metavar="BENCH", help="one topic (default: all)")
    p.add_argument("--json", action="store_true", help="one JSON object per claim")
    _add_results_dir(p)

    p = sub.add_parser("deck", help="build the talk (slides/speed_of_pypy.rst) into one HTML file")
    p.add_argument("source", nargs="?", help="deck source (default: slides/speed_of_pypy.rst)")
    p.add_argument("-d", "--destination", help="HTML file (default: build/slides/<name>.html)")
    p.add_argument("--plan", action="store_true",
                   help="print the minute plan (slides/talk.cfg [plan]) as Markdown; build nothing")
    _add_results_dir(p, short=False)

    p = sub.add_parser("screens", help="one PNG per slide of the built deck (Chromium)")
    p.add_argument("--deck", metavar="PATH",
                   help="deck HTML (default: build/slides/speed_of_pypy.html)")
    p.add_argument("-o", "--output", metavar="DIR", default=None,
                   help="folder for NN.png (default: screens/ beside the deck); "
                   "its old PNGs are removed")
    p.add_argument("--size", metavar="WxH", default="1280x720",
                   help="window size (default: %(default)s)")

    p = sub.add_parser("pdf", help="the built deck as a PDF, one 1280x720 page per slide "
                       "(Chromium)")
    p.add_argument("--deck", metavar="PATH",
                   help="deck HTML (default: build/slides/speed_of_pypy.html)")
    p.add_argument("-o", "--output", metavar="FILE", default=None,
                   help="PDF file (default: the deck's path with .pdf)")

    p = sub.add_parser("trace", help="what PyPy's JIT did with one variant: loops, bridges, "
                       "aborts, guards, allocations and calls in the optimised loops")
    _add_stored(p, "TRACES", "traces", "trace")
    p.add_argument("--python", metavar="NAME=PATH", default=None,
                   help="the PyPy to use (default: pypy)")
    p.add_argument("--seconds", type=float, default=0.5,
                   help="how long to call the variant (default: %(default)g s)")
    p.add_argument("--loop", action="store_true",
                   help="also print the optimised loop, op by op, under its Python lines")
    p.add_argument("--json", action="store_true",
                   help="an object with loops, bridges, aborts, guards, allocations, calls ...")

    p = sub.add_parser("warmup", help="time each of the first calls of a variant in a fresh "
                       "process per interpreter (warm-up curves)")
    _add_stored(p, "WARMUPS", "warmup", "warmup")
    p.add_argument("--calls", type=int, default=50, help="how many calls (default: %(default)s)")
    p.add_argument("--python", action="append", default=[], metavar="NAME=PATH",
                   help="add an interpreter (repeatable)")
    p.add_argument("--only", metavar="NAMES", help="comma-separated interpreter names")
    p.add_argument("-o", "--output", metavar="FILE", help="also draw the curves to FILE")
    p.add_argument("--json", action="store_true",
                   help="per interpreter, the list of per-call seconds")

    p = sub.add_parser("memory", help="bytes per object for a million small objects, "
                       "per interpreter")
    p.add_argument("--python", action="append", default=[], metavar="NAME=PATH")
    p.add_argument("--only", metavar="NAMES", help="comma-separated interpreter names")
    p.add_argument("--save", action="store_true", help="store the result in "
                   "results/memory/bytes_per_object.json (make bench; reference notebooks "
                   "and the deck read it)")
    p.add_argument("--reference", action="store_true",
                   help="measure nothing: print the stored result")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("startup", help="whole-process time (empty, small script) against "
                       "in-process steady state, per interpreter")
    p.add_argument("--mode", choices=list(MODES), default="quick",
                   help="how long to measure (default: quick)")
    p.add_argument("--reference", action="store_true",
                   help="measure nothing: read the committed results/warmup")
    p.add_argument("--python", action="append", default=[], metavar="NAME=PATH")
    p.add_argument("--only", metavar="NAMES", help="comma-separated interpreter names")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("doctor", help="check interpreters, venvs, kernels, landslide, "
                       "Chromium, PYPYLOG; print what fixes each problem")
    p.add_argument("--no-kernels", action="store_true", help="do not start the kernels")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("nav", help="regenerate the notebooks' navigation cells")
    p.add_argument("--check", action="store_true",
                   help="change nothing; exit 1 if a notebook's navigation is out of date")

    p = sub.add_parser("notebooks", help="execute notebooks headless into build/notebooks/*.html")
    p.add_argument("paths", nargs="*", metavar="NOTEBOOK", help="default: notebooks/NN-*.ipynb")
    p.add_argument("--mode", help="JITGAP_MODE inside the notebooks: reference (committed "
                   "results, no measuring), smoke, quick (default), default, rigorous")
    p.add_argument("--kernel", help="kernel name (default: the notebook's, pypy3; in reference "
                   "mode cpython3, so the deck's notebooks need no PyPy)")
    p.add_argument("-d", "--destination", help="output folder (default: build/notebooks)")
    return parser


def _cmd_trace(args):
    from ._topics import get_topic, list_topics
    from ._trace import format_report, save_trace, trace

    if args.all:
        pairs = [(t, v) for t in list_topics() for v in t.traces]
    elif args.bench and args.variant:
        pairs = [(get_topic(args.bench), args.variant)]
    else:
        raise JitgapError("name BENCH and VARIANT, or give --all")
    if args.save or args.all:
        for topic, variant in pairs:
            report = trace(topic, variant, args.python, seconds=args.seconds)
            print("%s.%s: %d loop(s), %d allocation(s) -> %s" % (
                topic.name, variant, len(report.loops), report.as_dict()["allocations"],
                save_trace(report, topic) if args.save else "(not saved)"))
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
    from ._compare import format_seconds
    from ._interpreters import select_interpreters
    from ._warmup import save_warmup, warmup, warmup_figure

    only = [n.strip() for n in args.only.split(",")] if args.only else None
    interpreters = select_interpreters(args.python, only)
    if args.all:
        from ._topics import list_topics
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
        from pathlib import Path

        from ._atomic import atomic_path
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
    from ._interpreters import select_interpreters
    from ._memory import load_sizes, object_size_table, object_sizes, save_sizes

    only = [n.strip() for n in args.only.split(",")] if args.only else None
    if args.reference:
        sizes, failures = load_sizes(), {}
    else:
        sizes, failures = object_sizes(select_interpreters(args.python, only))
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
    from ._compare import format_factor, format_seconds
    from ._interpreters import select_interpreters
    from ._runner import stderr_echo
    from ._startup import startup

    only = [n.strip() for n in args.only.split(",")] if args.only else None
    rows, failures = startup(args.mode, select_interpreters(args.python, only),
                             directory=None, measure=not args.reference,
                             echo=None if args.json else stderr_echo)
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        print("%-40s %-20s %-20s %-20s %s" % ("", "python -c pass", "script (work once)",
                                             "work, in process", "process / in process"))
        for r in rows:
            print("%-40s %-20s %-20s %-20s %s" % (
                r["label"], format_seconds(r["empty_process_s"], r["empty_process_stdev_s"]),
                format_seconds(r["script_process_s"], r["script_process_stdev_s"]),
                format_seconds(r["in_process_s"], r["in_process_stdev_s"]),
                format_factor(r["process_over_in_process"], r["process_over_in_process_err"])))
    for name, message in failures.items():
        print("%s: NOT MEASURED: %s" % (name, message), file=sys.stderr)
    return 1 if failures or not rows else 0


def _cmd_doctor(args):
    from ._doctor import diagnose
    checks = diagnose(kernels=not args.no_kernels)
    if args.json:
        print(json.dumps([c.as_dict() for c in checks], indent=1))
    else:
        for c in checks:
            print("%-4s %-15s %s" % ("ok" if c.ok else "FAIL", c.name, c.detail))
            if c.fix:
                print("%-20s fix: %s" % ("", c.fix))
        bad = [c for c in checks if not c.ok]
        print("\n%s" % ("everything needed is here" if not bad else
                        "%d problem(s); the fixes are above" % len(bad)))
    return 1 if any(not c.ok for c in checks) else 0


def _cmd_nav(args):
    from ._notebooks import update_nav
    changed = update_nav(check=args.check)
    for path in changed:
        print("%s %s" % ("out of date:" if args.check else "updated:", path))
    if args.check and changed:
        print("run `jitgap nav` to regenerate the navigation cells", file=sys.stderr)
        return 1
    return 0


def _cmd_notebooks(args):
    from ._notebooks import render
    outcome = render(args.paths or None, args.destination, args.kernel, args.mode)
    failed = [p for p, err in outcome.items() if err]
    for path in failed:
        print("FAILED: %s: %s" % (path, outcome[path]), file=sys.stderr)
    return 1 if failed else 0


def _cmd_deck(args):
    from ._deck import build_deck, deck_plan
    if args.plan:
        from ._deckslides import plan_markdown
        print(plan_markdown(deck_plan(args.source)))
        return 0
    print(build_deck(args.source, args.destination, args.results))
    return 0


def _cmd_screens(args):
    import re

    from ._browser import screens
    m = re.match(r"^\s*(\d+)\s*[xX]\s*(\d+)\s*$", args.size)
    if not m or not int(m.group(1)) or not int(m.group(2)):
        raise JitgapError("--size must be WIDTHxHEIGHT, e.g. 1920x1080 (not %r)" % args.size)
    for path in screens(args.deck, args.output, (int(m.group(1)), int(m.group(2)))):
        print(path)
    return 0


def _cmd_pdf(args):
    from ._browser import pdf
    print(pdf(args.deck, args.output))
    return 0


def _warn(results):
    for message in results.warnings():
        print("warning: %s" % message, file=sys.stderr)


def _cmd_list(args):
    import textwrap

    from ._topics import PYPERFORMANCE, list_topics, pyperformance_names, pyperformance_version
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
    from ._interpreters import select_interpreters
    from ._native import NAME as NATIVE
    from ._runner import run, stderr_echo
    from ._topics import get_topic, list_topics

    if args.all:
        topics = list_topics()
    elif args.benches:
        topics = [get_topic(b) for b in args.benches]
    else:
        raise JitgapError("name a topic or a benchmark file, or give --all")
    only = [n.strip() for n in args.only.split(",")] if args.only else None
    native = True   # the C twin of a topic that has one
    if only is not None:
        native = NATIVE in only
        only = [n for n in only if n != NATIVE]
    interpreters = select_interpreters(args.python, only) if only or only is None else []
    failures = 0
    measure = run
    if args.mode == "adaptive":
        from ._adaptive import run_adaptive as measure
    for topic in topics:
        report = measure(topic, interpreters, mode=args.mode, directory=args.results,
                         echo=None if args.quiet else stderr_echo, timeout=args.timeout,
                         force=args.force, memory_gb=args.memory_limit, native=native)
        for note in report.notes:
            print("%s: note: %s" % (topic.name, note), file=sys.stderr)
        for name, path in report.written.items():
            print("%s: %s -> %s" % (topic.name, name, path))
        for name, path in report.skipped.items():
            print("%s: %s up to date: %s" % (topic.name, name, path))
        for failure in report.failures:
            print("%s: %s NOT MEASURED: %s" % (topic.name, failure.interpreter,
                                               failure.message), file=sys.stderr)
        failures += len(report.failures)
    return 1 if failures else 0


def _cmd_show(args):
    from ._results import load_results

    results = load_results(args.bench, args.results)
    _warn(results)
    rows = results.rows()
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0 if rows else 1
    if not rows:
        print("%s: no results in %s; run `jitgap run %s` first"
              % (results.topic.name, results.directory, results.topic.name), file=sys.stderr)
        return 1
    print("%s: %s" % (results.topic.name, results.topic.title))
    print("measured on %s\n" % results.machine())
    _print_rows(rows)
    return 0


def _print_rows(rows):
    from ._compare import format_seconds

    width = max(len(r["variant"]) for r in rows)
    for r in rows:
        versus = "(reference)" if r["interpreter"] == "cpython" else r["ratio_text"] or ""
        if not r.get("steady", True):
            versus += "  NOT STEADY"
        print(("%-*s  %-40s %-22s %s" % (width, r["variant"], r["label"],
                                         format_seconds(r["mean_s"], r["stdev_s"]),
                                         versus.replace(r["label"] + " ", ""))).rstrip())


def _cmd_timeit(args):
    from ._interpreters import select_interpreters
    from ._runner import stderr_echo
    from ._timeit import timeit

    only = [n.strip() for n in args.only.split(",")] if args.only else None
    results, report = timeit("\n".join(args.stmt), "\n".join(args.setup) or "pass",
                             select_interpreters(args.python, only), mode=args.mode,
                             timeout=args.timeout, memory_gb=args.memory_limit,
                             echo=None if args.quiet or args.json else stderr_echo)
    rows = results.rows()
    if args.json:
        print(json.dumps(rows, indent=1))
    elif rows:
        _print_rows(rows)
    for failure in report.failures:
        message = failure.message.replace(" on %s" % report.topic.path, " on the snippet")
        print("%s: NOT MEASURED: %s" % (failure.interpreter, message), file=sys.stderr)
    return 1 if report.failures or not rows else 0


def _cmd_plot(args):
    from pathlib import Path

    from ._atomic import atomic_path
    from ._plot import gap_figure
    from ._results import load_results

    results = load_results(args.bench, args.results)
    _warn(results)
    fig = gap_figure(results)
    with atomic_path(args.file) as tmp:
        fig.savefig(tmp, dpi=120, format=Path(args.file).suffix.lstrip(".") or "png")
    print(args.file)
    return 0 if results else 1


def _cmd_check(args):
    from ._claims import check
    from ._results import load_results
    from ._topics import get_topic, list_topics

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
    counts = {}
    for v in verdicts:
        counts[v.verdict] = counts.get(v.verdict, 0) + 1
    print("\n%d claims: %s" % (len(verdicts), ", ".join(
        "%d %s" % (n, k) for k, n in sorted(counts.items()))))
    return 0


COMMANDS = {"list": _cmd_list, "run": _cmd_run, "timeit": _cmd_timeit, "show": _cmd_show, "plot": _cmd_plot,
            "check": _cmd_check, "deck": _cmd_deck,
            "screens": _cmd_screens, "pdf": _cmd_pdf,
            "nav": _cmd_nav, "doctor": _cmd_doctor, "trace": _cmd_trace, "warmup": _cmd_warmup, "memory": _cmd_memory, "startup": _cmd_startup, "notebooks": _cmd_notebooks}


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except JitgapError as exc:
        print("jitgap: error: %s" % exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("jitgap: interrupted; results already written are kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
