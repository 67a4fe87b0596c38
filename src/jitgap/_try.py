"""``jitgap.try_variant``: the notebooks' "try your own variant" cells.

    mine = jitgap.try_variant('''
    def pair_in_list(n=N):
        total = 0
        for i in range(n):
            pair = [i, i + 1]
            total += pair[0] + pair[1]
        return total
    ''', topic="boxing", compare=["tuple_temporary"])
    jitgap.gap_figure(mine)

The snippet's public functions (names not starting with ``_``) are the variants; with
``topic`` it runs in that topic's namespace (its ``N``, classes and helpers), and
``compare`` adds the topic's own variants, measured as the topic measures them.  The
snippet and a driver become one pyperf benchmark file in a temporary folder of its own
(removed afterwards, so two kernels never share a file), measured like ``%%jitgap`` and
``jitgap timeit`` measure theirs.  Each interpreter compiles the snippet itself: one
that cannot (a syntax error, an exception) is reported, the others are still measured.
"""

import ast
import sys
import textwrap

from ._errors import JitgapError
from ._notebook import NOTEBOOK_MODES, notebook_mode
from ._timeit import measure_text
from ._topics import get_topic

#: per interpreter: a snippet is small, but its loop may be long
DEFAULT_TIMEOUT = 300

_TEMPLATE = '''"""Your variant{of} (jitgap.try_variant)."""

import importlib.util as _importlib_util
import sys as _sys
import types as _types

import pyperf as _pyperf

_TOPIC = {topic_path!r}
_COMPARE = {compare!r}
if _TOPIC:
    # the snippet runs in the topic's namespace: its N, classes and helpers
    _spec = _importlib_util.spec_from_file_location({topic_name!r}, _TOPIC)
    _topic = _importlib_util.module_from_spec(_spec)
    _sys.modules[_spec.name] = _topic
    _spec.loader.exec_module(_topic)
    globals().update((_k, _v) for _k, _v in vars(_topic).items()
                     if not (_k.startswith("__") and _k.endswith("__")))

# -- the snippet -------------------------------------------------------------------
{source}
# ----------------------------------------------------------------------------------

# the topic's variants compared, then the public functions the snippet defines
_MEASURED = [getattr(_topic, _name) for _name in _COMPARE] + [
    _f for _k, _f in list(globals().items())
    if isinstance(_f, _types.FunctionType) and _f.__module__ == __name__
    and _f.__name__ == _k and not _k.startswith("_")]
# variants that return a command, timed as whole processes (the warmup topic's kind)
_WHOLE = set(_f.__name__ for _f in getattr(_topic, "WHOLE_PROCESS", [])) if _TOPIC else set()
_WHOLE.update(_f.__name__ for _f in globals().get("WHOLE_PROCESS", []))

if __name__ == "__main__":
    _runner = _pyperf.Runner()
    for _f in _MEASURED:
        if _f.__name__ in _WHOLE:
            _runner.bench_command(_f.__name__, _f())
        else:
            _runner.bench_func(_f.__name__, _f, inner_loops={inner})
'''


def _snippet_functions(source):
    """The public functions ``source`` defines, in order (``[]`` if it does not parse
    here: each interpreter compiles it itself and reports its own error)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and not node.name.startswith("_")]


def benchmark_text(source, topic=None, compare=(), n=None):
    """The pyperf benchmark file :func:`try_variant` writes: ``source`` (in the namespace
    of ``topic``, a :class:`jitgap.Topic`, if given) and a driver timing the topic's
    ``compare`` variants and the snippet's public functions."""
    return _TEMPLATE.format(
        of=" of %s" % topic.name if topic else "", topic_path=str(topic.path) if topic else "",
        topic_name=topic.name if topic else "", compare=list(compare),
        source=textwrap.dedent(source).strip("\n"),
        inner=int(n) if n else 'globals().get("N", 1)')


def try_variant(source, topic=None, compare=(), n=None, mode=None, interpreters=None,
                timeout=DEFAULT_TIMEOUT, echo=None):
    """Measure the functions ``source`` defines (your own variants) under every
    interpreter, like a topic's variants, and return the :class:`jitgap.Results`.

    ``source``: Python code; its public functions (names not starting with ``_``) are
    the variants, each called with no argument; ``_helpers`` are not measured.  A
    function listed in ``WHOLE_PROCESS`` returns a command, timed as a whole process.
    ``topic`` (a topic's name): the code runs in that benchmark file's namespace (its
    ``N``, classes and helpers), and ``compare`` names the topic's variants to measure
    beside yours.  ``n``: the iterations one call makes, for a time per iteration
    (default the ``N`` in scope, else 1: the time per call).

    ``mode`` defaults to ``$JITGAP_MODE`` (``quick``); in ``reference`` mode (the
    rendered pages) nothing is measured and the results are empty.  Progress is printed
    as it happens; an interpreter that cannot run the code is reported and the others
    are still measured.  Nothing is kept: the benchmark file and its results live in a
    temporary folder of their own, removed before this returns.
    """
    mode = mode or notebook_mode()
    if mode not in NOTEBOOK_MODES:
        raise ValueError("mode %r: choose from %s" % (mode, ", ".join(NOTEBOOK_MODES)))
    compare = [compare] if isinstance(compare, str) else list(compare)
    topic = get_topic(topic) if topic is not None else None
    if compare and topic is None:
        raise JitgapError("try_variant: compare=%r names variants of a topic: give topic= too"
                          % (compare,))
    unknown = [v for v in compare if v not in topic.variants] if topic else []
    if unknown:
        raise JitgapError("try_variant: %s has no variant %s (it has: %s)"
                          % (topic.name, ", ".join(unknown), ", ".join(topic.variants)))
    mine = _snippet_functions(textwrap.dedent(source))
    clash = sorted(set(mine) & set(compare))
    if clash:
        raise JitgapError("try_variant: your %s has the name of the %s variant it is compared "
                          "with: rename yours" % (", ".join(clash), topic.name))
    text = benchmark_text(source, topic, compare, n)
    name = "your_%s_variant.py" % topic.name if topic else "your_variant.py"

    def _print(text):
        sys.stdout.write(text)
        sys.stdout.flush()

    live = mode != "reference"
    if not live:
        print("%s mode: your variant is not measured here (JITGAP_MODE=quick measures it)"
              % mode)
    results, report = measure_text(
        text, name, "the cell above", interpreters, mode, timeout=timeout,
        echo=echo if echo is not None else _print, quiet=True, measure=live)
    if report is not None:
        for failure in report.failures:
            print("NOT MEASURED under %s: %s" % (failure.interpreter,
                                                  failure.naming("your variant")))
    # the table and the chart list the topic's variants first, then yours
    results.topic.variants = compare + mine
    return results
