"""One interpreter's pyperf run of a benchmark file, stored as one pyperf JSON.

The interpreter is pyperf's *master* process (pyperf picks JIT-aware defaults in the
master), started as a subprocess: pyperf's Runner re-executes ``sys.argv[0]`` for its
workers, so it cannot run inside a notebook kernel.  Interpreter options such as
``--jit off`` reach the workers through a tiny wrapper passed as pyperf's ``--python``.

Results go to ``<results>/<topic>/<interpreter>.json``: written to a temporary file,
checked by loading it back with pyperf, tagged with jitgap metadata, then moved into
place, so a failed or interrupted run never leaves a half-written file and never
touches the other interpreters' results.  pyperf itself is imported when a run starts
(it takes a tenth of a second to import under PyPy).
"""

import json
import os
import shlex
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from ._atomic import atomic_path
from ._errors import JitgapError
from ._interpreters import DEFAULT_NAMES, gc_environment, gc_settings, with_pyperf
from ._paths import results_dir
from ._proc import Timeout, error_lines, kill_group, stream
from ._topics import get_topic

#: pyperf options per mode.  ``default`` is pyperf's own defaults (for a JIT: 6 worker
#: processes x 10 values after a calibrated warm-up; otherwise 20 x 3).
MODES = {
    "smoke": ["--debug-single-value"],
    "quick": ["--values", "5", "--warmups", "1", "--loops", "1", "--min-time", "0.01"],
    "default": [],
    "rigorous": ["--rigorous"],
    "adaptive": ["--values", "10", "--warmups", "1", "--loops", "1", "--min-time", "0.01"],
}
MODE_HELP = {
    "smoke": "one value, one process: checks that a file runs (tests)",
    "quick": "3 rounds of 1 process x 5 values of >= 10 ms (30 ms with the JIT off; at "
             "least 3 values, 0.2 s of them if fewer) per variant, each process warmed up "
             "until steady; two interpreters at once on 2 CPUs or more that do not slow each "
             "other (live demos, CI)",
    "default": "pyperf's defaults (JIT: 6 processes x 10 values after pyperf's warm-up "
               "calibration; else 20 x 3)",
    "rigorous": "pyperf --rigorous (twice the processes)",
    # "adaptive": jitgap._adaptive.HELP (its numbers are that module's)
}
#: modes whose workers warm up until steady (jitgap._steady), with its settings:
#: window, tolerance, plateau fraction, max warm-up values, max warm-up seconds; their
#: workers calibrate their own loops (--loops 1), so no calibration process is run
STEADY = {"quick": "4,0.05,0.5,200,20", "adaptive": "5,0.05,0.5,300,60"}
#: the window of an interpreter without a JIT (CPython: its specialising interpreter
#: adapts within a value's first few milliseconds), so its shortest tail is 9 values.
#: Replayed on the stored warm-up series of make bench (tools/replay_steady.py), a window
#: of 3 instead of 5 takes a fifth less of CPython's timing (4.2 -> 3.4 min) and moves
#: its means by +0.1 % on average (at most 5 %, deltablue).  PyPy with its JIT off keeps
#: its window: its interpreter warms up too (its means read 12-15 % slow with a 9-value
#: tail, replayed on the reference results; measured with the nursery filled first,
#: jitgap._steady.fill_nursery, locals still read 7-13 % slow in quick mode).
NO_JIT_WINDOW = 3
#: PyPy with its JIT off takes values of >= 30 ms in quick and adaptive mode.  Its values
#: of 10 ms used to read about 20 % slow (locals/exc_info_loop: 191 ns at 10 ms, 148 ns
#: at 30 ms): most of that was the first pass through PyPy's nursery, which the workers
#: now fill before warming up (jitgap._steady.fill_nursery; with it, 10 ms and 30 ms
#: values agree within 4 %).  But its 10 ms values spread more on a noisy machine (it
#: allocates every integer, through a 240 MB nursery here): in quick mode, 3 processes x
#: 5 values of 10 ms left the calibration's 1.5x pair undecided on it (1.44 ± 0.15x,
#: 2026-12-02) where CPython's and PyPy's were decided.  Longer values keep its power.
NO_JIT_MIN_TIME = 0.03
#: modes run in rounds: (rounds, worker processes per variant and round)
ROUNDS = {"quick": (3, 1), "adaptive": (3, 1)}
#: pyperf options for a C twin (compiled code needs no warm-up: a fixed one, pyperf's
#: loop calibration; in adaptive mode half of pyperf's 20 processes, which a compiled
#: loop does not need: its processes agree within a few per cent)
NATIVE_MODES = dict(MODES, quick=["--processes", "3", "--values", "3", "--warmups", "1",
                                  "--min-time", "0.05"], adaptive=["--processes", "10"])


#: the interpreter's full command line (JSON list), for benchmarks that start one
#: themselves (start-up time): ``json.loads(os.environ.get(ARGV_ENV, "null")) or
#: [sys.executable]`` keeps options such as ``--jit off``.
ARGV_ENV = "JITGAP_PYTHON_ARGV"
#: the adaptive warm-up's settings, for the workers (see jitgap._steady)
STEADY_ENV = "JITGAP_STEADY"
ROUND_ENV = "JITGAP_ROUND"


#: the pyperf masters running now (several at once in quick mode: jitgap._runner)
_RUNNING = set()
_RUNNING_LOCK = threading.Lock()


def stop_all():
    """Kill every pyperf master :func:`run_pyperf` has running, and their workers (the
    runs in other threads, when one of several runs at once is interrupted)."""
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for proc in running:
        kill_group(proc)


#: default limit for one interpreter's whole run of a topic (jitgap run --timeout)
DEFAULT_TIMEOUT = 900
#: default address-space limit of each pyperf process, in GiB (--memory-limit; 0: none)
DEFAULT_MEMORY_GB = 8
#: jitgap's hook in every worker of the modes that warm up until steady (standard library
#: and pyperf only: run as a script, never imported)
HOOK = Path(__file__).with_name("_steady.py")


def _worker_python(interp, tmpdir, steady=False):
    """pyperf's --python for the workers: the interpreter itself, or a wrapper adding
    its options and, with ``steady``, jitgap's hook (a worker is started as
    ``PYTHON bench.py --worker ...``; the wrapper runs ``PYTHON [options] _steady.py
    bench.py --worker ...``)."""
    if not interp.options and not steady:
        return interp.executable
    argv = list(interp.argv) + ([str(HOOK)] if steady else [])
    wrapper = Path(tmpdir) / ("python-" + interp.name)
    wrapper.write_text("#!/bin/sh\nexec %s \"$@\"\n" % " ".join(shlex.quote(a) for a in argv))
    wrapper.chmod(0o755)
    return str(wrapper)


def steady_settings(mode, info):
    """The warm-up settings (``JITGAP_STEADY``) of ``mode`` for an interpreter whose
    :meth:`jitgap.Interpreter.info` is ``info``: :data:`NO_JIT_WINDOW` without a JIT;
    the loop count calibrated in one step unless the JIT is on (jitgap._steady)."""
    fields = STEADY[mode].split(",")
    if info.get("jit") == "none":
        fields[0] = str(min(int(fields[0]), NO_JIT_WINDOW))
    if info.get("jit") != "on":
        fields.append("1")
    return ",".join(fields)


def run_one(topic, interp, mode="quick", directory=None, echo=None, timeout=DEFAULT_TIMEOUT,
            quiet=False, memory_gb=DEFAULT_MEMORY_GB, only=None, rounds=None, processes=None,
            append=False, first_round=0, tags=None):
    """Measure ``topic`` under one interpreter; return the path of the JSON written.

    In the modes that warm up until steady (:data:`STEADY`) the processes are run in
    rounds (:data:`ROUNDS`; or ``rounds`` of ``processes``), each round a pyperf master
    that runs ``only`` these variants (default: all), in an order shuffled per round
    (``first_round`` numbers them), so that each variant's processes spread over the
    whole run.  ``append`` adds the runs to those already stored (the adaptive mode).
    ``tags``: more metadata for the stored result (``jitgap_noise``).
    Raises :class:`JitgapError` with a message naming the interpreter and the file.
    """
    import pyperf

    topic = get_topic(topic)
    check_mode(mode)
    info = interp.info()
    if not info.get("pyperf") and interp.name not in DEFAULT_NAMES:
        interp = with_pyperf(interp, echo)      # a managed .venv-NAME, made once
        info = interp.info()
    if not info.get("pyperf"):
        raise JitgapError("%s (%s) cannot import pyperf (%s); run `make setup`, or install "
                          "it there: %s -m pip install pyperf" % (
                              interp.name, interp.executable, info.get("pyperf_error", "?"),
                              interp.executable))
    final = results_dir(directory) / topic.name / (interp.name + ".json")
    final.parent.mkdir(parents=True, exist_ok=True)
    steady = mode in STEADY
    count, per_round = ROUNDS.get(mode, (1, None))
    count, per_round = rounds or count, processes or per_round
    started = time.time()
    suite = None
    with tempfile.TemporaryDirectory(prefix="jitgap-") as tmpdir:
        env = {ARGV_ENV: json.dumps(interp.argv)}
        # PyPy's GC settings (PYPY_GC_NURSERY, ...) reach the workers, which pyperf
        # would otherwise start without them
        inherit = [ARGV_ENV, ROUND_ENV] + list(gc_environment())
        options = list(MODES[mode])
        if steady and info.get("jit") == "off":
            options[options.index("--min-time") + 1] = str(NO_JIT_MIN_TIME)
        if steady:
            env[STEADY_ENV] = steady_settings(mode, info)
            inherit.append(STEADY_ENV)
            options += ["--processes", str(per_round)]
        for index, (path, keep) in enumerate(topic.files()):
            names = keep if only is None else [n for n in (keep or only) if n in only]
            if not names and (keep is not None or only is not None):
                continue
            # the hook runs the adaptive warm-up, and a round's chosen benchmarks
            hooked = steady or names is not None
            head = list(interp.argv) + ([str(HOOK)] if hooked else [])
            file_options = list(options)
            if interp.options or hooked:
                file_options += ["--python", _worker_python(interp, tmpdir, hooked)]
            file_options += ["--inherit-environ", ",".join(inherit)]
            file_options += ["--quiet"] if quiet else []
            for k in range(count):
                raw = Path(tmpdir) / ("raw-%d-%d.json" % (index, k))
                plan = {"only": names, "order": first_round + k if steady else None}
                env[ROUND_ENV] = json.dumps(plan) if hooked else ""
                if count > 1 and echo is not None:
                    echo("  %sround %d/%d\n" % ("%s: " % names[0] if keep else "", k + 1,
                                                count))
                left = timeout - (time.time() - started) if timeout else None
                if left is not None and left <= 0:
                    raise JitgapError("%s timed out on {path} after %g s (--timeout)"
                                      % (interp.name, timeout), interpreter=interp.name,
                                      path=path)
                part = run_pyperf(head + [str(path), "-o", str(raw)] + file_options, raw,
                                  interp.name, path, env=env, echo=echo, timeout=left,
                                  memory_gb=memory_gb, limit=timeout)
                if suite is None:
                    suite = part
                else:
                    suite.add_runs(part)
        if suite is None:
            raise JitgapError("%s: nothing to measure in %s (only: %s)"
                              % (interp.name, topic.name, ", ".join(only or [])))
        suite, wall = with_stored(suite, time.time() - started, final, append)
        extra_tags, tags = dict(tags or {}), {
            "jitgap_interpreter": interp.name,
            "jitgap_command": " ".join(interp.argv),
            "jitgap_jit": info["jit"],
            "jitgap_implementation": info["implementation"],
            "jitgap_version": info.get("pypy_version") or info["python_version"],
            "jitgap_python_version": info["python_version"],
            "jitgap_mode": mode,
            "jitgap_topic": topic.name,
            "jitgap_benchmark_sha256": topic.digest,
            "jitgap_wall_s": round(wall, 3),
        }
        tags.update(gc_tags(info))
        tags.update(extra_tags)
        return store_suite(suite, tags, final)


def gc_tags(info, environ=None):
    """The metadata of a PyPy result about its garbage collector: the nursery size PyPy
    chose (``jitgap_gc_nursery``, bytes), the cache size it read to choose it
    (``jitgap_gc_cache``) and the ``PYPY_GC_*`` variables it ran with (``jitgap_gc_env``);
    nothing for other interpreters."""
    if info.get("implementation") != "PyPy":
        return {}
    tags = {}
    for key in ("gc_nursery", "gc_cache"):
        if info.get(key):
            tags["jitgap_" + key] = int(info[key])
    settings = gc_settings(environ)
    if settings:
        tags["jitgap_gc_env"] = settings
    return tags


def with_stored(suite, wall, final, append):
    """``(suite, wall)``: with ``append``, the runs stored in ``final`` (if any) with
    ``suite``'s added, and their wall time added to ``wall``; else as given."""
    import pyperf
    if append and final.exists():
        stored = pyperf.BenchmarkSuite.load(str(final))
        wall += _stored_wall(stored)
        stored.add_runs(suite)
        suite = stored
    return suite, wall


def _stored_wall(suite):
    """The wall time already spent on a stored result (its ``jitgap_wall_s``)."""
    for bench in suite.get_benchmarks():
        value = bench.get_metadata().get("jitgap_wall_s")
        if isinstance(value, (int, float)):
            return float(value)
    return 0.0


def check_mode(mode):
    if mode not in MODES:
        raise JitgapError("unknown mode %r (choose from %s)" % (mode, ", ".join(MODES)))


def run_pyperf(cmd, raw, who, what, env=None, echo=None, timeout=DEFAULT_TIMEOUT,
               memory_gb=DEFAULT_MEMORY_GB, cwd=None, limit=None):
    """Run a pyperf master command line that writes ``raw`` and return the loaded suite.

    ``who`` (an interpreter name) and ``what`` (the file measured) name the run in every
    error.  Output streams to ``echo``; at ``timeout`` seconds the master and its workers
    are killed (``limit``, if given, is the --timeout the error names: ``timeout`` may be
    what is left of it); ``memory_gb`` caps each process's address space.
    """
    import pyperf

    env = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
    if memory_gb:  # inherited by pyperf's workers; a blow-up becomes a MemoryError
        cmd = ["/bin/sh", "-c", 'ulimit -v %d && exec "$@"' % int(memory_gb * 2 ** 20),
               "sh"] + list(cmd)
    started = time.time()
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=env,
                                cwd=str(cwd or Path(what).parent), start_new_session=True)
    except OSError as exc:
        raise JitgapError("%s: cannot start %s: %s" % (who, cmd[0], exc.strerror))
    with _RUNNING_LOCK:
        _RUNNING.add(proc)
    try:
        output = stream(proc, echo, started + timeout if timeout else None)
        proc.wait()
    except Timeout:
        kill_group(proc)
        raise JitgapError("%s timed out on {path} after %g s (--timeout); stopped it and its "
                          "workers" % (who, limit or timeout), interpreter=who, path=what)
    except BaseException:
        kill_group(proc)
        raise
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(proc)
    if proc.returncode != 0 or not Path(raw).exists():
        tail = "\n".join(error_lines(output))
        raise JitgapError("%s failed on {path} (exit code %s):\n%s"
                          % (who, proc.returncode, tail), interpreter=who, path=what)
    try:
        return pyperf.BenchmarkSuite.load(str(raw))
    except Exception as exc:
        raise JitgapError("%s wrote unreadable results for %s: %s" % (who, what, exc))


def store_suite(suite, tags, final):
    """Tag every benchmark of ``suite`` and write it to ``final`` atomically."""
    for bench in suite.get_benchmarks():
        bench.update_metadata(tags)
    with atomic_path(final) as tmp:
        suite.dump(tmp)
    return final


def up_to_date(topic, interp, mode, directory=None):
    """The stored result of ``topic`` under ``interp`` if it was measured in ``mode`` from
    the current benchmark code (every declared variant present), else ``None``."""
    path = results_dir(directory) / topic.name / (interp.name + ".json")
    return path if stored_matches(path, topic.digest, mode, " ".join(interp.argv),
                                  topic.variants) else None


def stored_matches(path, digest, mode, command, variants):
    """Whether the pyperf JSON at ``path`` holds ``variants`` measured in ``mode`` by
    ``command`` from code with this ``digest`` (a missing or broken file does not)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        common = data.get("metadata", {})
        names, tags = [], []
        for bench in data["benchmarks"]:
            md = dict(common, **bench.get("metadata", {}))
            names.append(md.get("name"))
            tags.append((md.get("jitgap_benchmark_sha256"), md.get("jitgap_mode"),
                         md.get("jitgap_command")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    wanted = (digest, mode, command)
    return bool(tags) and all(t == wanted for t in tags) and set(variants) <= set(names)
