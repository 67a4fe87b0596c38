"""jitgap: measure the gap between CPython, PyPy and PyPy without its JIT.

Public API (everything else is private)::

    import jitgap
    jitgap.list_topics()                    # benchmark files in benchmarks/
    report = jitgap.run("boxing", mode="quick")   # pyperf JSON per interpreter
    results = jitgap.load_results("boxing")
    results.rows()                          # dicts: variant, interpreter, mean_s, ratio...
    jitgap.gap_figure(results)              # matplotlib Figure
    jitgap.check("boxing")                  # claim verdicts
    jitgap.run_twin("boxing")               # the C bar: benchmarks/boxing.c, cc -O2
    jitgap.try_variant(source, topic="boxing", compare=["tuple_temporary"])  # your own

In Jupyter: ``%load_ext jitgap`` then a ``%%jitgap`` cell times the cell everywhere.
Command line: ``jitgap --help`` (or ``python -m jitgap``).
"""

from ._adaptive import run_adaptive
from ._claims import VERDICTS, Claim, Verdict, parse_claim
from ._compare import Ratio, format_factor, format_seconds, ratio
from ._errors import JitgapError
from ._interpreters import (Interpreter, default_interpreters, parse_python_spec,
                            select_interpreters)
from ._magic import load_ipython_extension
from ._memory import object_sizes
from ._native import CCompiler, run_twin
from ._notebook import (bytes_per_object, findings, geometric_means, measure, memory_table,
                        object_size_table, result_table, show_c_code, show_code, trace_loop,
                        trace_table, verdict_table, warmup_curves)
from ._paths import project_root
from ._plot import gap_figure, speedup_figure, warmup_figure
from ._pyperf import MODES
from ._results import Measurement, Results, load_results
from ._runner import RunReport, run
from ._summary import check
from ._timeit import timeit
from ._topics import Topic, get_topic, list_topics
from ._trace import trace
from ._try import try_variant
from ._tracereport import TraceReport
from ._warmup import WarmupReport, warmup

__version__ = "0.1.0"

__all__ = [
    "VERDICTS", "Claim", "Verdict", "check", "parse_claim",
    "Ratio", "format_factor", "format_seconds", "ratio",
    "JitgapError",
    "Interpreter", "default_interpreters", "parse_python_spec", "select_interpreters",
    "findings", "measure", "result_table", "show_code", "verdict_table", "warmup_curves",
    "bytes_per_object", "trace_loop", "trace_table", "show_c_code", "CCompiler", "run_twin",
    "gap_figure", "speedup_figure", "geometric_means",
    "Measurement", "Results", "load_results",
    "MODES", "RunReport", "run", "run_adaptive", "timeit", "try_variant",
    "load_ipython_extension", "TraceReport", "trace",
    "WarmupReport", "warmup", "warmup_figure",
    "memory_table", "object_size_table", "object_sizes",
    "Topic", "get_topic", "list_topics", "project_root",
]
