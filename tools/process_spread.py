"""How noisy stored results were: the spread of each worker process's values.

    python tools/process_spread.py RESULTS [RESULTS ...]
    python tools/process_spread.py --spot     # is this machine quiet enough for make bench?

On a quiet machine the values one process takes of the same code, warmed up, agree within
a few per cent; when something shares the CPU they spread further.  For every stored
measurement (C twins left out) this takes each process's values, their spread between the
10th and 90th percentiles relative to their median (as :class:`jitgap._noise.Noise`
reckons a probe's), and prints, per interpreter, the median and the 90th percentile of
those spreads over all processes: the figure that compares two runs of ``make bench``
(README, "How far to trust the numbers").

``--spot`` measures first: a few topics under CPython in adaptive mode (about 30 s), into a
temporary folder, then the same figure; it exits with 1 when CPython's median spread is
over :data:`jitgap._noise.QUIET_VALUES` (3 %: the reference results read 2.3 %) or
its 90th percentile over :data:`SPOT_BURSTS` (bursts), when a reference run would decide
less.  Its short probes read a host's bursts of noise at
random (0.3 s each); half a minute of real processes does not.  Wait for a quiet machine:
``until python tools/process_spread.py --spot; do sleep 600; done; make bench``.
"""

import argparse
import collections
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from jitgap._noise import QUIET_VALUES, Noise  # noqa: E402
from replay_steady import interpreted  # noqa: E402  (tools/replay_steady.py)


def spreads(directory):
    """``{interpreter: [spread of each process's values, ...]}`` (processes with fewer
    than 3 values left out)."""
    out = collections.defaultdict(list)
    for path, bench in interpreted(directory):
        for run in bench.get_runs():
            if len(run.values) >= 3:
                out[path.stem].append(Noise(run.values).spread)
    return dict(out)


def quantile(ordered, q):
    return ordered[int(round(q * (len(ordered) - 1)))]


def report(directory):
    """One line per interpreter: processes, median spread, 90th percentile."""
    lines = []
    for name, found in sorted(spreads(directory).items()):
        ordered = sorted(found)
        lines.append("%s %s: %d processes, values spread by %.1f %% (median; %.1f %% at the "
                     "90th percentile)" % (directory, name, len(ordered),
                                          100 * quantile(ordered, 0.5),
                                          100 * quantile(ordered, 0.9)))
    return lines


#: what --spot measures: on the quiet reference day CPython's values of these topics
#: spread by 2.0 % per process (median; 3.8 % at the 90th percentile)
SPOT_TOPICS = ["frames", "dispatch"]
#: the most --spot allows at the 90th percentile: bursts of noise hit a tenth of the
#: processes or more (the reference results: 7.8 % over all topics; spot checks on the
#: noisy AMD host, 2026-12-03: 13-38 %, while their median read 1.8-4.5 %)
SPOT_BURSTS = 0.10


def measure_spot(directory):
    """Measure :data:`SPOT_TOPICS` under CPython in adaptive mode into ``directory``."""
    subprocess.run([sys.executable, "-m", "jitgap", "run"] + SPOT_TOPICS
                   + ["--only", "cpython", "--mode", "adaptive", "--quiet", "-o",
                      str(directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)


def spot(measure=measure_spot):
    """Measure, then ``(line, quiet)``: CPython's spread, and whether it is quiet enough."""
    with tempfile.TemporaryDirectory(prefix="jitgap-spot-") as tmp:
        measure(tmp)
        found = sorted(spreads(tmp).get("cpython", []))
    if not found:
        return "spot check: no CPython process measured", False
    median, high = quantile(found, 0.5), quantile(found, 0.9)
    quiet = median <= QUIET_VALUES and high <= SPOT_BURSTS
    return ("spot check (%s under CPython, adaptive): values spread by %.1f %% per process "
            "(median over %d; %.1f %% at the 90th percentile): %s (a reference run wants at "
            "most %.0f %% and %.0f %%)" % (
                ", ".join(SPOT_TOPICS), 100 * median, len(found), 100 * high,
                "quiet enough for make bench" if quiet else
                "noisy: make bench would decide less; measure later",
                100 * QUIET_VALUES, 100 * SPOT_BURSTS)), quiet


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="*")
    parser.add_argument("--spot", action="store_true",
                        help="measure first (about 30 s); exit 1 when the machine is noisy")
    args = parser.parse_args(argv)
    if args.spot:
        line, quiet = spot()
        print(line)
        return 0 if quiet else 1
    if not args.results:
        parser.error("give a results folder, or --spot")
    for directory in args.results:
        lines = report(directory)
        if not lines:
            print("%s: no stored results with 3 values or more in a process" % directory,
                  file=sys.stderr)
            return 1
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
