"""What the JIT did: run one variant under PyPy with the JIT log on, and store it.

``trace(topic, variant)`` starts PyPy with ``PYPYLOG=jit-summary,jit-log-opt,
jit-abort-log,jit-backend-counts:FILE`` on a small driver that imports the benchmark file
under a module name other than ``__main__`` (so its pyperf block does not run) and calls
the variant again and again for about ``seconds`` seconds, then reads the log
(:mod:`jitgap._pypylog`) into a :class:`~jitgap._tracereport.TraceReport`.  ``make bench``
stores one per variant a benchmark file lists in ``TRACES`` (:func:`save_trace`).
"""

import ast
import json
import os
import subprocess
import tempfile
from pathlib import Path

from ._atomic import read_stored, write_json
from ._errors import JitgapError
from ._interpreters import Interpreter, default_interpreters, label_from_info, parse_python_spec
from ._paths import results_dir
from ._proc import error_lines, kill_group
from ._pypylog import CALLS_MARKER
from ._topics import get_topic
from ._tracereport import build_report

#: the PYPYLOG sections asked for (jit-log-opt enables jit-log-opt-loop and -bridge).
PYPYLOG_SECTIONS = "jit-summary,jit-log-opt,jit-abort-log,jit-backend-counts," + CALLS_MARKER

#: seconds allowed on top of ``seconds`` (PyPy start-up, import, compiling, writing the log).
TIMEOUT_MARGIN = 120

_DRIVER = r"""
import importlib.util, json, sys, time, types
path, variant, seconds, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
spec = importlib.util.spec_from_file_location("_jitgap_traced", path)
module = importlib.util.module_from_spec(spec)
sys.modules["_jitgap_traced"] = module
spec.loader.exec_module(module)
func = getattr(module, variant)
files = set()
def visit(code, seen=set()):
    if id(code) in seen:
        return
    seen.add(id(code))
    files.add(code.co_filename)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            visit(const)
for value in list(vars(module).values()):
    candidates = [value] + (list(vars(value).values()) if isinstance(value, type) else [])
    for item in candidates:
        item = getattr(item, "__func__", item)
        code = getattr(item, "__code__", None)
        if isinstance(code, types.CodeType) and getattr(item, "__module__", None) == "_jitgap_traced":
            visit(code)
try:
    import __pypy__
    __pypy__.debug_start("jitgap-calls")
    __pypy__.debug_stop("jitgap-calls")
except (ImportError, AttributeError):
    pass
calls = 0
start = time.perf_counter()
end = start + seconds
while True:
    func()
    calls += 1
    if time.perf_counter() >= end:
        break
elapsed = time.perf_counter() - start
with open(out, "w") as handle:
    json.dump({"calls": calls, "seconds": elapsed, "files": sorted(files)}, handle)
"""


def _interpreter(interpreter):
    if interpreter is None:
        interp = next(i for i in default_interpreters() if i.name == "pypy")
    elif isinstance(interpreter, Interpreter):
        interp = interpreter
    else:
        spec = str(interpreter)
        named = {i.name: i for i in default_interpreters()}
        if spec in named:
            interp = named[spec]
        elif "=" in spec.split()[0]:
            interp = parse_python_spec(spec)
        else:
            interp = parse_python_spec("custom=" + spec)
    if not interp.available:
        raise JitgapError("cannot trace the JIT: %s: %s" % (interp.name, interp.missing))
    info = interp.info()
    if info.get("implementation") != "PyPy":
        raise JitgapError("cannot trace the JIT with %s (%s): it is %s, not PyPy; the JIT "
                          "log needs PyPy" % (interp.name, " ".join(interp.argv),
                                              info.get("implementation", "?")))
    if info.get("jit") == "off":
        raise JitgapError("cannot trace the JIT with %s (%s): its JIT is off"
                          % (interp.name, " ".join(interp.argv)))
    return interp, info


def _check_variant(topic, variant):
    functions = {node.name for node in ast.parse(topic.source).body
                 if isinstance(node, ast.FunctionDef)}
    if variant in topic.variants or (not topic.variants and variant in functions):
        return
    known = topic.variants or sorted(functions)
    raise JitgapError("%s has no variant %r (variants: %s)"
                      % (topic.path, variant, ", ".join(known) or "none"))


def trace(topic, variant, interpreter=None, seconds=0.5, directory=None, timeout=None):
    """Run ``variant`` of ``topic`` under PyPy with the JIT log on; a :class:`TraceReport`.

    ``topic``: a name or the path of a benchmark file.  ``interpreter``: an
    :class:`~jitgap._interpreters.Interpreter`, a default interpreter's name, ``NAME=PATH``
    or a path (default: the ``pypy`` interpreter); it must be PyPy with its JIT on.
    The variant is called with its default arguments again and again for about
    ``seconds`` seconds (so its loops are compiled).  ``directory``: where to keep the
    raw log (``<topic>-<variant>.pypylog``); by default it is a temporary file, removed.
    ``timeout`` (default ``seconds`` + 120 s) stops a run that does not finish.
    """
    topic = get_topic(topic)
    _check_variant(topic, variant)
    interp, info = _interpreter(interpreter)
    timeout = float(timeout) if timeout else float(seconds) + TIMEOUT_MARGIN
    with tempfile.TemporaryDirectory(prefix="jitgap-trace-") as tmpdir:
        log = Path(tmpdir) / "jit.pypylog"
        out = Path(tmpdir) / "driver.json"
        env = {k: v for k, v in os.environ.items() if k not in ("PYPYLOG", "PYPY_GC_DEBUG")}
        env["PYPYLOG"] = "%s:%s" % (PYPYLOG_SECTIONS, log)
        cmd = interp.argv + ["-c", _DRIVER, str(topic.path), variant, repr(float(seconds)),
                             str(out)]
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, env=env,
                                    cwd=str(topic.path.parent), start_new_session=True,
                                    universal_newlines=True)
        except OSError as exc:
            raise JitgapError("%s: cannot start %s: %s" % (interp.name, interp.executable,
                                                          exc.strerror))
        try:
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(proc)
            raise JitgapError("%s: tracing %s.%s did not finish within %g s; stopped it"
                              % (interp.name, topic.name, variant, timeout))
        except BaseException:
            kill_group(proc)
            raise
        if proc.returncode != 0 or not out.exists():
            tail = "\n".join(error_lines(output or ""))
            raise JitgapError("%s failed running %s.%s with the JIT log on (exit code %s):\n%s"
                              % (interp.name, topic.name, variant, proc.returncode, tail))
        driver = json.loads(out.read_text())
        if not log.exists():
            raise JitgapError("%s wrote no JIT log (PYPYLOG): is it PyPy with its JIT?"
                              % interp.name)
        text = log.read_text(encoding="utf-8", errors="replace")
        kept = None
        if directory:
            folder = Path(directory)
            folder.mkdir(parents=True, exist_ok=True)
            kept = folder / ("%s-%s.pypylog" % (topic.name, variant))
            kept.write_text(text, encoding="utf-8")
    files = set(driver["files"]) | {str(topic.path)}
    return build_report(text, topic.name, variant, files,
                        interpreter="%s (%s)" % (interp.name, label_from_info(info)),
                        calls_made=driver["calls"], seconds=round(driver["seconds"], 3),
                        log_path=str(kept) if kept else None)


def trace_path(topic, variant, directory=None):
    return results_dir(directory) / get_topic(topic).name / "traces" / (variant + ".json")


def save_trace(report, topic, directory=None):
    """Store a report (counts and the first optimised loop, printed) next to the topic's
    results, for the deck: ``results/<topic>/traces/<variant>.json``, written atomically."""
    topic = get_topic(topic)
    return write_json(trace_path(topic, report.variant, directory), {
        "topic": topic.name, "variant": report.variant, "digest": topic.digest,
        "interpreter": str(report.interpreter), "report": report.as_dict(),
        "loop": report.format_loop(0) if report.loops else None})


def load_trace(topic, variant, directory=None):
    """A stored trace as saved by :func:`save_trace`; raises JitgapError naming the file
    when it is missing, unreadable or measured from another version of the benchmark."""
    topic = get_topic(topic)
    return read_stored(trace_path(topic, variant, directory), topic.digest,
                       "%s/%s: no stored trace" % (topic.name, variant),
                       "was traced from an older version of %s" % topic.path.name,
                       "`make bench` or `jitgap trace %s %s --save` stores it"
                       % (topic.name, variant))
