"""Replay the adaptive mode's looks on stored results: what another rule would cost.

    python tools/replay_looks.py RESULTS [--budget 240] [--narrow-budget 120] [--topics A,B]

``make bench`` stores every worker process each look measured, in the order measured.
This replays its looks on them with the current rules: the first look's processes of
every measurement, then, look after look, :func:`jitgap._adaptive.pending` decides what
the next look measures, and that look's processes are the next stored ones.  It stops as
the adaptive mode does: when nothing is pending, at the last look, or before a look that
would end past the budget (spent and expected seconds both reckoned from the stored
processes' durations, plus :data:`jitgap._adaptive.PROCESS_OVERHEAD` each).  It prints,
per topic, the seconds of worker processes replayed against the stored ones, and every
claim whose verdict the replay changes: what the current rules (or another budget) would
have measured of these results.

A rule that measures less than ``make bench`` did replays exactly; a process it asks
for that was never measured cannot be replayed: the replay counts it as ``missing`` and
goes on without it (a verdict it changes is then a guess).
"""

import argparse
import copy
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from jitgap import _adaptive  # noqa: E402
from jitgap._summary import check  # noqa: E402


def _result_files(folder):
    """``{interpreter: pyperf JSON}`` of a topic's folder (not the memory figures' JSON),
    each file read once."""
    out = {}
    for path in sorted(folder.glob("*.json")):
        if not path.name.startswith("."):
            data = json.loads(path.read_text())
            if "benchmarks" in data:
                out[path.stem] = data
    return out


def _value_runs(bench):
    return [r for r in bench["runs"] if r.get("values")]


def _cost(run):
    return run.get("metadata", {}).get("duration", 0.0) + _adaptive.PROCESS_OVERHEAD


class Stored:
    """One topic's stored results: ``{interpreter: pyperf JSON}`` and how many of each
    measurement's processes the replay has taken so far."""

    def __init__(self, folder, topic=None, files=None):
        self.topic = topic or folder.name
        self.wide = []          # what the replay left wide (replay_topic)
        self.files = files if files is not None else _result_files(folder)
        self.taken = {}
        for name, data in self.files.items():
            for bench in data["benchmarks"]:
                stored = len(_value_runs(bench))
                first = stored if name == "c" else min(stored, _adaptive.PROCESSES[0])
                self.taken[(name, bench["metadata"]["name"])] = first
        self.missing = 0

    def write(self, folder):
        """The processes taken so far, as result files of ``folder/TOPIC``."""
        out = folder / getattr(self.topic, "name", self.topic)
        out.mkdir(parents=True, exist_ok=True)
        for name, data in self.files.items():
            data = copy.deepcopy(data)
            for bench in data["benchmarks"]:
                keep = self.taken[(name, bench["metadata"]["name"])]
                bench["runs"] = _value_runs(bench)[:keep]
            (out / (name + ".json")).write_text(json.dumps(data))
        return folder

    def take(self, plan, processes):
        for name, variants in plan.items():
            for variant in variants:
                key = (name, variant)
                if key not in self.taken:
                    continue
                stored = len(_value_runs(self._bench(*key)))
                want = self.taken[key] + processes
                self.missing += max(0, want - stored)
                self.taken[key] = min(want, stored)

    def _bench(self, name, variant):
        return next(b for b in self.files[name]["benchmarks"]
                    if b["metadata"]["name"] == variant)

    def seconds(self, all_stored=False):
        """Seconds of worker processes taken (or stored), per interpreter (C twin left
        out: it is measured once, the same either way)."""
        out = {}
        for (name, variant), taken in self.taken.items():
            if name == "c":
                continue
            runs = _value_runs(self._bench(name, variant))
            out[name] = out.get(name, 0.0) + sum(_cost(r) for r in
                                                 (runs if all_stored else runs[:taken]))
        return out


def replay_topic(folder, budget, scratch, topic=None, files=None,
                 narrow_budget=_adaptive.NARROW_BUDGET):
    """``(stored, verdicts {claim: (stored verdict, replayed verdict)}, looks)`` of the
    results in ``folder`` (of ``topic``: by default the one named like the folder;
    ``files``: its result files, if already read)."""
    stored = Stored(folder, topic, files)
    names = sorted(name for name in stored.files if name != "c")
    looks = 1
    for number in range(2, _adaptive.LOOKS + 1):
        spent = sum(stored.seconds().values())
        look = _adaptive.next_look(stored.topic, number, spent, names, stored.write(scratch),
                                   budget, narrow_budget)
        if not look.plan:
            break
        stored.take(look.plan, _adaptive.PROCESSES[number - 1])
        looks = number
    replayed_results = stored.write(scratch)
    _, why = _adaptive.pending(stored.topic, replayed_results)
    stored.wide = sorted(k for k, reason in why if reason in ("wide", "futile (wide)"))
    replayed = {v.claim.key: v.verdict for v in check(stored.topic, replayed_results)}
    measured = {v.claim.key: v.verdict for v in check(stored.topic, folder.parent)}
    return stored, {k: (measured.get(k), replayed[k]) for k in replayed}, looks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("--budget", type=float, default=_adaptive.DEFAULT_BUDGET)
    parser.add_argument("--narrow-budget", type=float, default=_adaptive.NARROW_BUDGET)
    parser.add_argument("--topics", help="comma-separated topics (default: every one)")
    args = parser.parse_args(argv)
    folders = sorted(p for p in args.results.iterdir() if p.is_dir())
    if args.topics:
        wanted = set(args.topics.split(","))
        folders = [f for f in folders if f.name in wanted]
    total_stored = total_replayed = 0.0
    changed, missing, wide = [], 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        for folder in folders:
            files = _result_files(folder)
            if not files:
                continue
            stored, verdicts, looks = replay_topic(folder, args.budget, Path(tmp),
                                                   files=files,
                                                   narrow_budget=args.narrow_budget)
            before = sum(stored.seconds(all_stored=True).values())
            after = sum(stored.seconds().values())
            total_stored += before
            total_replayed += after
            missing += stored.missing
            wide += len(stored.wide)
            moved = [(k, a, b) for k, (a, b) in sorted(verdicts.items()) if a != b]
            changed += moved
            print("%-12s %6.1f s -> %6.1f s  (%d looks%s)" % (
                folder.name, before, after, looks,
                ", %d processes missing" % stored.missing if stored.missing else ""))
            for key, a, b in moved:
                print("    %s: %s -> %s" % (key, a, b))
    print("all: %.1f min of worker processes -> %.1f min (budget %g s per topic, %g s to "
          "narrow intervals); %d verdicts changed; %d intervals left wide; %d processes "
          "asked for but never measured" % (
              total_stored / 60, total_replayed / 60, args.budget, args.narrow_budget,
              len(changed), wide, missing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
