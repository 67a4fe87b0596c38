"""Start-up against steady state (``jitgap startup``).

Uses the ``warmup`` topic (benchmarks/warmup.py): the whole-process time of an empty
program (``empty_process``) and of a script doing a small piece of work once
(``work_once_process``), both measured by pyperf as commands, next to the in-process,
steady-state time of the same work (``work_in_process``).  Comparing an in-process time
with a whole-process one measures start-up, not speed: that is how a "66,000x faster than
CPython" headline happens.
"""

from ._compare import ratio
from ._errors import JitgapError
from ._paths import live_results_dir
from ._results import load_results
from ._runner import run
from ._topics import get_topic

EMPTY, SCRIPT, STEADY = "empty_process", "work_once_process", "work_in_process"


def startup(mode="quick", interpreters=None, directory=None, measure=True, echo=None):
    """Rows per interpreter: empty process, script process, in-process steady state, and
    how many times longer the whole process takes than the work in process."""
    topic = get_topic("warmup")
    missing = {EMPTY, SCRIPT, STEADY} - set(topic.variants)
    if missing:
        raise JitgapError("%s lacks the variants %s" % (topic.path, ", ".join(sorted(missing))))
    failures = {}
    if measure:
        directory = directory or live_results_dir()
        report = run(topic, interpreters, mode=mode, directory=directory, echo=echo,
                     quiet=True)
        failures = {f.interpreter: f.message for f in report.failures}
    results = load_results(topic, directory)
    rows = []
    for name in results.interpreters:
        empty, script, steady = (results.get(v, name) for v in (EMPTY, SCRIPT, STEADY))
        if None in (empty, script, steady):
            continue
        r = ratio(script, steady)       # >1: in-process is that many times faster
        rows.append({
            "interpreter": name, "label": results.label(name),
            "mode": script.metadata.get("jitgap_mode"),
            "empty_process_s": empty.mean, "empty_process_stdev_s": empty.stdev,
            "script_process_s": script.mean, "script_process_stdev_s": script.stdev,
            "in_process_s": steady.mean, "in_process_stdev_s": steady.stdev,
            "process_over_in_process": r.value, "process_over_in_process_err": r.error,
        })
    return rows, failures
