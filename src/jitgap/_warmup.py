"""Warm-up curves: the time of each of the first N calls of a variant, in a fresh process.

pyperf discards warm-up on purpose; this shows it.  Each interpreter starts a new process
that imports the benchmark file (its ``__main__`` block does not run) and times each of
the first ``calls`` calls of one variant with ``time.perf_counter``.  On PyPy the curve
drops once the JIT has compiled the loop; CPython 3.11 warms up too (its specialising
interpreter rewrites a function's bytecode from its 8th call); PyPy with its JIT off is
the interpreter alone.  One process per interpreter: a curve is one run, not an average,
so read its shape, not its third digit.
"""

from ._atomic import cpu_model, now, read_stored, write_json
from ._errors import JitgapError
from ._interpreters import select_interpreters
from ._paths import results_dir
from ._proc import run_driver
from ._topics import get_topic

DEFAULT_CALLS = 50

_DRIVER = r"""
import importlib.util, json, sys, time
path, variant, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])
spec = importlib.util.spec_from_file_location("_jitgap_warmup", path)
module = importlib.util.module_from_spec(spec)
sys.modules["_jitgap_warmup"] = module
spec.loader.exec_module(module)
func = getattr(module, variant)
timer = time.perf_counter
times = []
for _ in range(calls):
    t0 = timer()
    func()
    times.append(timer() - t0)
print("JITGAP-WARMUP " + json.dumps(times))
"""


class WarmupReport:
    """Per-call seconds of the first calls, per interpreter, and what could not run."""

    def __init__(self, topic, variant, calls):
        self.topic = topic
        self.variant = variant
        self.calls = calls
        self.curves = {}      # name -> list of seconds
        self.labels = {}      # name -> label with versions
        self.failures = {}    # name -> message
        self.stored = None    # for a stored report: its file, machine and date

    def steady_after(self, name):
        """First call from which every later call is within 1.5x of the last tenth's
        median: a rough "warmed up after N calls"."""
        times = self.curves[name]
        steady = self.steady_seconds(name)
        for i in range(len(times)):
            if all(t <= 1.5 * steady for t in times[i:]):
                return i + 1
        return len(times)

    def steady_seconds(self, name):
        """Median of the last tenth of the calls: the curve's end."""
        times = self.curves[name]
        tail = sorted(times[-max(len(times) // 10, 1):])
        return tail[len(tail) // 2]

    def steady_text(self, name):
        """``steady from the first call`` or ``steady after ~N calls``."""
        n = self.steady_after(name)
        return "steady from the first call" if n == 1 else "steady after ~%d calls" % n

    def as_dict(self):
        return {
            "topic": self.topic.name, "variant": self.variant, "calls": self.calls,
            "interpreters": {name: {"label": self.labels[name], "seconds": times,
                                    "steady_after": self.steady_after(name)}
                             for name, times in self.curves.items()},
            "failures": self.failures,
        }


def warmup(topic, variant, calls=DEFAULT_CALLS, interpreters=None, timeout=300):
    """Time each of the first ``calls`` calls of ``variant`` under each interpreter."""
    topic = get_topic(topic)
    if variant not in topic.variants:
        raise JitgapError("%s has no variant %r (variants: %s)"
                          % (topic.path.name, variant, ", ".join(topic.variants) or "none"))
    if calls < 1:
        raise JitgapError("--calls must be at least 1")
    report = WarmupReport(topic, variant, calls)
    for interp in interpreters or select_interpreters():
        if interp.missing:
            report.failures[interp.name] = interp.missing
            continue
        try:
            report.curves[interp.name] = run_driver(interp, _DRIVER, [topic.path, variant, calls],
                                                    "JITGAP-WARMUP", timeout,
                                                    cwd=str(topic.path.parent))
        except JitgapError as exc:
            report.failures[interp.name] = exc.reason
            continue
        report.labels[interp.name] = interp.label()
    return report


def warmup_path(topic, variant, directory=None):
    return results_dir(directory) / get_topic(topic).name / "warmup" / (variant + ".json")


def save_warmup(report, directory=None):
    """Store the curves for the deck and the reference notebooks:
    ``results/<topic>/warmup/<variant>.json`` (written atomically), with the benchmark's
    digest, the date and the CPU."""
    return write_json(warmup_path(report.topic, report.variant, directory), dict(
        report.as_dict(), digest=report.topic.digest, cpu=cpu_model(), date=now()))


def load_warmup(topic, variant, directory=None):
    """A stored :class:`WarmupReport` (``stored`` says from where and when); raises
    JitgapError naming the file when it is missing, unreadable or from older code."""
    topic = get_topic(topic)
    path = warmup_path(topic, variant, directory)
    fix = "`make bench` or `jitgap warmup %s %s --save` stores it" % (topic.name, variant)
    data = read_stored(path, topic.digest, "%s/%s: no stored warm-up curve" % (topic.name, variant),
                       "was measured from an older version of %s" % topic.path.name, fix)
    try:
        report = WarmupReport(topic, variant, int(data["calls"]))
        for name, curve in data["interpreters"].items():
            report.curves[name] = [float(t) for t in curve["seconds"]]
            report.labels[name] = curve["label"]
        report.failures = dict(data.get("failures") or {})
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise JitgapError("%s is not a jitgap warm-up file (%s); %s" % (path, exc, fix))
    report.stored = "%s, %s, %s" % (path.name, data.get("cpu", "?"), data.get("date", "?")[:10])
    return report
