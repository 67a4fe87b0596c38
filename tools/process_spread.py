"""How noisy stored results were: the spread of each worker process's values.

    python tools/process_spread.py RESULTS [RESULTS ...]

On a quiet machine the values one process takes of the same code, warmed up, agree within
a few per cent; when something shares the CPU they spread further.  For every stored
measurement (C twins left out) this takes each process's values, their spread between the
10th and 90th percentiles relative to their median (as :class:`jitgap._noise.Noise`
reckons a probe's), and prints, per interpreter, the median and the 90th percentile of
those spreads over all processes: the figure that compares two runs of ``make bench``
(README, "How far to trust the numbers").
"""

import argparse
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from jitgap._noise import Noise  # noqa: E402
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+")
    args = parser.parse_args(argv)
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
