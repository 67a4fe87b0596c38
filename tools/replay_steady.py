"""Replay the steady-state rule on stored warm-up series: what other settings would cost.

    python tools/replay_steady.py RESULTS [--window 5] [--no-jit-window 3]
                                  [--tail-seconds 0.5] [--values-seconds 0.2] [--worst 12]

Every worker process of every stored measurement kept its whole warm-up series (pyperf's
``warmups``) and its values.  This replays :func:`jitgap._steady.is_steady` on each series
with the settings given (``--no-jit-window`` for an interpreter without a JIT, CPython,
as :func:`jitgap._pyperf.steady_settings` gives its workers), as the worker would have
run it: where the warm-up would have stopped, the extra values it would have taken, how
many values it would then have kept (the next ones of the same series), and the time all
that takes.  It prints the seconds of timing in all against what was measured, and how
far each ratio to CPython would move.  ``--tail-seconds inf --values-seconds inf`` is the rule before the shortest tail
and the value count depended on a value's length (three windows and ``--values``).

A replay can only stop earlier than the measurement did (a process that stopped later
is cut short where the measured one stopped), so it answers "what would a shorter
warm-up have given", not the other way round.
"""

import argparse
import collections
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from jitgap import _pyperf, _steady  # noqa: E402


def load(directory):
    """``{(topic, variant, interpreter): [(warmups, values), ...]}``: each process's
    warm-up and values as ``(seconds per value, seconds the value took)`` pairs (``None``
    for the first: a value of the loop calibration the worker's series never saw, see
    :func:`_unseen`); and
    ``{interpreter: jit}`` (``jitgap_jit``: on, off or none)."""
    out, jits = {}, {}
    for path, bench in interpreted(directory):
        md = bench.get_metadata()
        jits[path.stem] = md.get("jitgap_jit", "on")
        runs = []
        for run in bench.get_runs():
            if not run.values:
                continue
            rmd = run.get_metadata()
            inner = rmd.get("inner_loops", 1)
            pairs = list(run.warmups or ())
            unseen = _unseen([loops for loops, _ in pairs])
            warm = [(None if k in unseen else v, loops * inner * v)
                    for k, (loops, v) in enumerate(pairs)]
            loops = rmd.get("loops", 1) * inner
            runs.append((warm, [(v, loops * v) for v in run.values]))
        out[(path.parent.name, bench.get_name(), path.stem)] = runs
    return out, jits


def interpreted(directory):
    """``(path, benchmark)`` of every stored pyperf benchmark in ``directory``
    (``TOPIC/INTERPRETER.json``) but a C twin's; unreadable files left out."""
    import pyperf
    for path in sorted(Path(directory).glob("*/*.json")):
        try:
            suite = pyperf.BenchmarkSuite.load(str(path))
        except Exception:
            continue
        for bench in suite.get_benchmarks():
            if bench.get_metadata().get("jitgap_implementation") != "C":
                yield path, bench


def _unseen(loops):
    """Indices of the warm-up values the worker's series left out: while it calibrates
    its loops, a value too short for --min-time is stored, the loops are doubled and the
    value is taken again, in one step of the series (the next stored value has more
    loops)."""
    return {k for k in range(len(loops) - 1) if loops[k + 1] > loops[k]}


def replay_process(warm, values, window, tail_seconds, values_seconds, tolerance=0.05,
                   fraction=0.5):
    """``(kept values, seconds taken)`` of one process under the given settings."""
    seen = [k for k, (v, _) in enumerate(warm) if v is not None]
    series = [warm[k][0] for k in seen]
    durations = [warm[k][1] for k in seen]
    n = len(series)
    for k in range(1, len(series) + 1):
        shortest = _steady.shortest_tail(window, _steady.typical_seconds(durations[:k]),
                                         tail_seconds)
        if _steady.is_steady(series[:k], window, tolerance, fraction, shortest):
            n = k
            break
    seconds = _steady.typical_seconds(durations[:n])
    # the mean of the worker's random 0..most_extra
    extra = _steady.most_extra(window, _steady.shortest_tail(window, seconds,
                                                             tail_seconds)) // 2
    count = _steady.value_count(len(values), seconds, values_seconds)
    full = warm + values
    start = (seen[n - 1] + 1 if n else 0) + extra
    kept = [p for p in full[start:] if p[0] is not None][:count]
    if len(kept) < count:                   # past what was measured: its last values
        kept = full[-count:]
    return [v for v, _ in kept], sum(s for _, s in full[:start]) + sum(s for _, s in kept)


def replay(data, jits=None, no_jit_window=None, window=_steady.DEFAULTS[0], **settings):
    """``({key: [[values], ...]}, seconds per topic, measured seconds per topic)``; an
    interpreter whose ``jits`` entry is ``none`` replays with ``no_jit_window``."""
    kept, spent, measured = {}, collections.Counter(), collections.Counter()
    for key, runs in data.items():
        kept[key] = []
        w = window
        if no_jit_window and (jits or {}).get(key[2]) == "none":
            w = min(window, no_jit_window)
        for warm, values in runs:
            vals, seconds = replay_process(warm, values, window=w, **settings)
            kept[key].append(vals)
            spent[key[0]] += seconds
            measured[key[0]] += sum(s for _, s in warm + values)
    return kept, spent, measured


def _mean(runs):
    values = [v for r in runs for v in r]
    return sum(values) / len(values)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results")
    parser.add_argument("--window", type=int, default=_steady.DEFAULTS[0])
    parser.add_argument("--no-jit-window", type=int, default=_pyperf.NO_JIT_WINDOW)
    parser.add_argument("--tail-seconds", type=float, default=_steady.TAIL_SECONDS)
    parser.add_argument("--values-seconds", type=float, default=_steady.VALUES_SECONDS)
    parser.add_argument("--fraction", type=float, default=_steady.DEFAULTS[2])
    parser.add_argument("--worst", type=int, default=12)
    args = parser.parse_args(argv)
    data, jits = load(args.results)
    kept, spent, measured = replay(data, jits, args.no_jit_window, window=args.window,
                                   tail_seconds=args.tail_seconds,
                                   values_seconds=args.values_seconds,
                                   fraction=args.fraction)
    print("timing (warm-up and values): %.1f min measured, %.1f min replayed"
          % (sum(measured.values()) / 60, sum(spent.values()) / 60))
    for topic in sorted(spent):
        print("  %-14s %7.1f s -> %7.1f s" % (topic, measured[topic], spent[topic]))
    rows = []
    for (topic, variant, name), runs in kept.items():
        ref = (topic, variant, "cpython")
        if name == "cpython" or ref not in kept:
            continue
        before = _mean([[v for v, _ in vals] for _, vals in data[ref]]) / _mean(
            [[v for v, _ in vals] for _, vals in data[(topic, variant, name)]])
        after = _mean(kept[ref]) / _mean(runs)
        rows.append((abs(after / before - 1), topic, variant, name, before, after))
    rows.sort(reverse=True)
    moved = [r[0] for r in rows]
    print("ratios to CPython: %d; moved by more than 5 %%: %d, 10 %%: %d, 20 %%: %d"
          % (len(rows), sum(m > .05 for m in moved), sum(m > .1 for m in moved),
             sum(m > .2 for m in moved)))
    for row in rows[:args.worst]:
        print("  %5.1f %%  %s/%s on %s: %.3g -> %.3g" % ((100 * row[0],) + row[1:]))
    for name in sorted({k[2] for k in kept}):
        logs = [math.log(_mean(kept[k]) / _mean([[v for v, _ in vals] for _, vals in data[k]]))
                for k in kept if k[2] == name]
        print("  %s: its own means move by %+.2f %% on average (%d measurements)"
              % (name, 100 * (math.exp(sum(logs) / len(logs)) - 1), len(logs)))


if __name__ == "__main__":
    main()
