"""Command line: ``jitgap`` / ``python -m jitgap``."""

import argparse
import sys

from ._adaptive import HELP as ADAPTIVE_HELP
from ._commands import COMMANDS
from ._errors import JitgapError
from ._pyperf import DEFAULT_MEMORY_GB, DEFAULT_TIMEOUT, MODE_HELP, MODES
from ._timeit import DEFAULT_TIMEOUT as TIMEIT_TIMEOUT

_EPILOG = """\
interpreters: by default cpython (.venv, else python3), pypy (.venv-pypy, else pypy3)
and pypy-nojit (the same PyPy with --jit off); JITGAP_CPYTHON / JITGAP_PYPY override
them, --python NAME=PATH adds one. A topic with a C twin (benchmarks/<topic>.c) also
gets a `c` result: the twin built with $CC or cc -O2 (skipped with a note if there is
no compiler). Results: results/<topic>/<interpreter>.json
(-o DIR or JITGAP_RESULTS to change).
"""


#: the options several commands share: flags and their argparse settings
_SHARED = {
    "mode": (("--mode",), dict(choices=list(MODES), default="quick",
                               help="how long to measure (default: quick)")),
    "python": (("--python",), dict(action="append", default=[], metavar="NAME=PATH",
                                   help="add an interpreter (repeatable)")),
    "only": (("--only",), dict(metavar="NAMES", help="comma-separated interpreter names")),
    "json": (("--json",), dict(action="store_true", help=None)),
}


def _add_shared(p, *names, **helps):
    """Add the shared options ``names`` (mode, python, only, json) to ``p`` in that order;
    ``helps`` gives a command's own help text for one (``None``: none)."""
    for name in names:
        flags, settings = _SHARED[name]
        settings = dict(settings)
        if name in helps:
            settings["help"] = helps[name]
        p.add_argument(*flags, **settings)


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
                       epilog="modes:\n" + "\n".join(
                           "  %-9s %s" % kv
                           for kv in dict(MODE_HELP, adaptive=ADAPTIVE_HELP).items()))
    p.add_argument("benches", nargs="*", metavar="BENCH",
                   help="topic name or path of a pyperf benchmark file")
    p.add_argument("--all", action="store_true", help="every topic in benchmarks/")
    _add_shared(p, "mode", "python", "only",
                python="add an interpreter (repeatable); PATH may carry options",
                only="comma-separated interpreter names to run (default: all); `c` is the C "
                "twin (benchmarks/<topic>.c) of a topic that has one")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="stop an interpreter's run of a topic after this long "
                   "(default: %(default)g s)")
    p.add_argument("--memory-limit", type=float, default=DEFAULT_MEMORY_GB, metavar="GIB",
                   help="address space of each pyperf process (default: %(default)g GiB; 0: none)")
    p.add_argument("--force", action="store_true",
                   help="re-measure results already measured in this mode from the current "
                   "benchmark file (skipped by default, so an interrupted run resumes)")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="interpreters' runs at once (default: 2 in quick mode on a machine "
                   "with 2 CPUs or more where a probe finds that two runs do not slow "
                   "each other; 1 in the other modes)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    _add_results_dir(p)

    p = sub.add_parser("timeit", help="time a statement under every interpreter",
                       description="Time STMT (after SETUP) under each interpreter, like "
                       "python -m timeit, and compare. A literal \\n in STMT or SETUP is read "
                       "as a newline when the code does not compile otherwise.")
    p.add_argument("stmt", nargs="+", metavar="STMT", help="statement (several: one per line)")
    p.add_argument("-s", "--setup", action="append", default=[], metavar="SETUP",
                   help="setup code run once per process (repeatable: one per line)")
    _add_shared(p, "mode", "python", "only")
    p.add_argument("--timeout", type=float, default=TIMEIT_TIMEOUT, metavar="SECONDS",
                   help="stop an interpreter's run after this long (default: %(default)g s)")
    p.add_argument("--memory-limit", type=float, default=DEFAULT_MEMORY_GB, metavar="GIB",
                   help="address space of each pyperf process (default: %(default)g GiB; 0: none)")
    _add_shared(p, "json", json="rows as in `jitgap show --json`")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")

    p = sub.add_parser("show", help="variants x interpreters, with ratios to CPython")
    p.add_argument("bench", metavar="BENCH")
    _add_shared(p, "json", json="one JSON object per measurement")
    _add_results_dir(p)

    p = sub.add_parser("plot", help="draw the gap chart to a file (.png, .svg, .pdf)")
    p.add_argument("bench", metavar="BENCH")
    p.add_argument("-o", "--output", dest="file", required=True, metavar="FILE",
                   help="image file to write (format from the extension)")
    _add_results_dir(p, short=False)

    p = sub.add_parser("check", help="evaluate the claims on the stored results")
    p.add_argument("bench", nargs="?", metavar="BENCH", help="one topic (default: all)")
    _add_shared(p, "json", json="one JSON object per claim")
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
    _add_shared(p, "json",
                json="an object with loops, bridges, aborts, guards, allocations, calls ...")

    p = sub.add_parser("warmup", help="time each of the first calls of a variant in a fresh "
                       "process per interpreter (warm-up curves)")
    _add_stored(p, "WARMUPS", "warmup", "warmup")
    p.add_argument("--calls", type=int, default=50, help="how many calls (default: %(default)s)")
    _add_shared(p, "python", "only")
    p.add_argument("-o", "--output", metavar="FILE", help="also draw the curves to FILE")
    _add_shared(p, "json", json="per interpreter, the list of per-call seconds")

    p = sub.add_parser("memory", help="bytes per object for a million small objects, "
                       "per interpreter")
    _add_shared(p, "python", "only", python=None)
    p.add_argument("--save", action="store_true", help="store the result in "
                   "results/memory/bytes_per_object.json (make bench; reference notebooks "
                   "and the deck read it)")
    p.add_argument("--reference", action="store_true",
                   help="measure nothing: print the stored result")
    _add_shared(p, "json")

    p = sub.add_parser("startup", help="whole-process time (empty, small script) against "
                       "in-process steady state, per interpreter")
    _add_shared(p, "mode")
    p.add_argument("--reference", action="store_true",
                   help="measure nothing: read the committed results/warmup")
    _add_shared(p, "python", "only", "json", python=None)

    p = sub.add_parser("doctor", help="check interpreters, venvs, kernels, landslide, "
                       "Chromium, PYPYLOG; print what fixes each problem")
    p.add_argument("--no-kernels", action="store_true", help="do not start the kernels")
    _add_shared(p, "json")

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
