"""``%load_ext jitgap`` then ``%%jitgap``: time a cell under every interpreter, live.

    %%jitgap -s "data = list(range(1000))" --mode quick
    total = 0
    for x in data:
        total += x

The cell is the statement (as in ``jitgap timeit``); options are those of ``jitgap
timeit``.  It shows the table of times and ratios, the gap chart, and a line per
interpreter that could not run the cell (a syntax error, a timeout ...), never a
traceback from jitgap itself.  Works in the CPython and the PyPy kernel.
"""

import argparse
import shlex
import sys

from ._errors import JitgapError
from ._interpreters import parse_only, select_interpreters
from ._notebook import notebook_mode, result_table
from ._plot import gap_figure
from ._pyperf import MODES
from ._tables import Markdown
from ._timeit import DEFAULT_TIMEOUT, timeit


def _parser():
    p = argparse.ArgumentParser(prog="%%jitgap", add_help=False)
    p.add_argument("-s", "--setup", action="append", default=[])
    p.add_argument("--mode", choices=list(MODES), default=None)
    p.add_argument("--python", action="append", default=[])
    p.add_argument("--only", default=None)
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    p.add_argument("--no-plot", action="store_true")
    return p


def jitgap_cell(line, cell, display=None):
    """The body of ``%%jitgap``; returns (results, report) and displays them."""
    if display is None:
        from IPython.display import display     # only in a kernel
    try:
        args = _parser().parse_args(shlex.split(line))
    except SystemExit:
        display(Markdown("**%%jitgap:** bad options `%s`; options: `-s SETUP`, `--mode "
                         "smoke|quick|default|rigorous`, `--python NAME=PATH`, `--only NAMES`, "
                         "`--timeout SECONDS`, `--no-plot`" % line))
        return None, None
    mode = args.mode or notebook_mode()
    if mode == "reference":     # a live demo: there is nothing stored to show instead
        mode = "quick"
    try:
        interpreters = select_interpreters(args.python, parse_only(args.only))
    except JitgapError as exc:
        display(Markdown("**%%%%jitgap:** %s" % exc))
        return None, None

    def echo(text):
        sys.stdout.write(text)
        sys.stdout.flush()

    # its temporary benchmark file is gone: the caption names the cell
    results, report = timeit(cell, "\n".join(args.setup) or "pass", interpreters, mode=mode,
                             timeout=args.timeout, echo=echo, quiet=True,
                             source="the cell above")
    if results:
        display(result_table(results))
        if not args.no_plot:
            display(gap_figure(results, title="%%jitgap cell (%s mode)" % mode))
    for failure in report.failures:
        message = failure.naming("this cell")
        display(Markdown("**%s could not run the cell:**\n\n```\n%s\n```"
                         % (failure.interpreter, message)))
    return results, report


def load_ipython_extension(ipython):
    """``%load_ext jitgap``: registers the ``%%jitgap`` cell magic."""

    def jitgap(line, cell):
        jitgap_cell(line, cell)

    jitgap.__doc__ = __doc__
    ipython.register_magic_function(jitgap, magic_kind="cell", magic_name="jitgap")
