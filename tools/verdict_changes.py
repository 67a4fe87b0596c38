"""What a new `make bench` changed, claim by claim: the figures a reference run is judged by.

    python tools/verdict_changes.py OLD NEW [--topics T,T] [--ratio-change 0.10]

OLD and NEW are results folders, e.g. the committed ``results/`` and a fresh run's
(``jitgap run --all --mode adaptive -o DIR``); ``git:REV`` stands for ``results/`` as
committed at REV (``make bench`` ends with ``git:HEAD results``: what it changed).  For each,
the minutes of recorded wall time (``jitgap_wall_s``, summed over topics and
interpreters; a result measured in looks carries the sum over its looks), the verdict
counts and how noisy its processes were (``tools/process_spread.py``, over the whole folder: the median spread
of a process's CPython values; a quiet machine is under 3 %).  Then every claim whose
verdict changed, with both measured sentences (the interval each verdict was judged on),
and the claims that kept their verdict while their ratio moved by more than
``--ratio-change``.  The note of a reference run names these (issue 10).
"""

import argparse
import collections
import io
import math
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import jitgap  # noqa: E402
from jitgap import VERDICTS  # noqa: E402
from process_spread import quantile, spreads  # noqa: E402  (tools/process_spread.py)
from quick_vs_default import wall_seconds  # noqa: E402  (tools/quick_vs_default.py)


def minutes(directory, topics):
    """Recorded wall time of the results in ``directory``, in minutes."""
    return sum(wall_seconds(jitgap.load_results(t, directory)) for t in topics) / 60.0


def verdicts(directory, topics):
    """``{claim key: Verdict}`` of every claim of ``topics`` on ``directory``."""
    found = {}
    for topic in topics:
        for v in jitgap.check(topic, directory):
            found[v.claim.key] = v
    return found


def counts(found):
    tally = collections.Counter(v.verdict for v in found.values())
    return ", ".join("%d %s" % (tally[k], k) for k in VERDICTS if tally[k])


def noise(directory):
    """CPython's median process spread (and its 90th percentile), or None."""
    found = sorted(spreads(directory).get("cpython", []))
    return (quantile(found, 0.5), quantile(found, 0.9)) if found else None


def moved(old, new, limit):
    """Claims with the same verdict whose ratio moved by more than ``limit`` (a factor)."""
    out = []
    for key in sorted(set(old) & set(new)):
        a, b = old[key], new[key]
        if a.verdict != b.verdict or a.ratio is None or b.ratio is None:
            continue
        change = b.ratio.value / a.ratio.value
        if abs(math.log(change)) > math.log1p(limit):
            out.append((key, change, a, b))
    return out


def report(old_dir, new_dir, topics=None, limit=0.10, names=None):
    """The comparison as lines of text; ``names``: what to call the two folders (default:
    their paths)."""
    topics = [jitgap.get_topic(t) for t in topics] if topics else jitgap.list_topics()
    old, new = verdicts(old_dir, topics), verdicts(new_dir, topics)
    names = names or (old_dir, new_dir)
    lines = []
    for name, shown, directory, found in (("old", names[0], old_dir, old),
                                          ("new", names[1], new_dir, new)):
        spread = noise(directory)
        lines.append("%s %s: %.1f minutes of recorded wall time; %d claims: %s; CPython's "
                     "values spread by %s" % (
                         name, shown, minutes(directory, topics), len(found),
                         counts(found), "%.1f %% per process (median; %.1f %% at the 90th "
                         "percentile)" % (100 * spread[0], 100 * spread[1])
                         if spread else "(no CPython processes of 3 values)"))
    changed = [k for k in sorted(set(old) | set(new))
               if k not in old or k not in new or old[k].verdict != new[k].verdict]
    lines.append("")
    lines.append("%d verdicts changed%s" % (len(changed), ":" if changed else ""))
    for key in changed:
        a, b = old.get(key), new.get(key)
        lines.append("  %s: %s -> %s" % (key, a.verdict if a else "(no claim)",
                                         b.verdict if b else "(no claim)"))
        for label, v in (("old", a), ("new", b)):
            if v is not None:
                lines.append("      %s: %s" % (label, v.measured))
    far = moved(old, new, limit)
    lines.append("")
    lines.append("%d ratios moved by more than %g %% with the same verdict%s" % (
        len(far), 100 * limit, ":" if far else ""))
    for key, change, a, b in far:
        lines.append("  %s (%s): %.3g -> %.3g (x%.2f)" % (key, a.verdict, a.ratio.value,
                                                         b.ratio.value, change))
    return lines


def committed(rev, into):
    """Extract ``results/`` as committed at ``rev`` into the folder ``into``; its path.
    Raises ``ValueError`` saying why not."""
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev,
                              "results"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as exc:
        raise ValueError("git:%s: cannot run git (%s)" % (rev, exc))
    if out.returncode:
        raise ValueError("git:%s: no committed results there (%s)" % (
            rev, out.stderr.decode("utf-8", "replace").strip()))
    with tarfile.open(fileobj=io.BytesIO(out.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):     # 3.12+ (and late 3.8-3.11 releases)
            tar.extractall(into, filter="data")
        else:
            tar.extractall(into)
    return Path(into) / "results"


def results_folder(given, into):
    """The results folder ``given`` names: a path, or ``git:REV`` extracted into
    ``into``.  Raises ``ValueError`` when there is none."""
    if given.startswith("git:"):
        return committed(given[4:], into)
    if not Path(given).is_dir():
        raise ValueError("no results folder %s" % given)
    return Path(given)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--topics", help="comma-separated topics or benchmark files "
                        "(default: every topic)")
    parser.add_argument("--ratio-change", type=float, default=0.10,
                        help="report same-verdict ratios that moved more than this "
                        "(default: 0.10)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="verdict-changes-") as tmp:
        try:
            folders = [results_folder(given, Path(tmp) / str(k))
                       for k, given in enumerate((args.old, args.new))]
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
        topics = args.topics.split(",") if args.topics else None
        print("\n".join(report(folders[0], folders[1], topics, args.ratio_change,
                               names=(args.old, args.new))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
