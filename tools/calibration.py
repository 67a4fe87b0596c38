"""Are jitgap's verdicts calibrated?  Repeat the calibration file and count false verdicts.

    python tools/calibration.py [--runs 5] [--modes quick,adaptive] [-o DIR]

tests/data/calibration.py holds five identical variants (A/A) and a loop run 1x and 1.5x,
with claims on every interpreter: A/A pairs "about as fast within 5 %" (a calibrated
method never says "fails") and "faster by at least 1.1x" (never "holds"); the 1.5x pair
"slower by at least 1.3x" (must hold) and "by at least 2x" (must fail).  No pair sits
within the "on the threshold" zone of its claims (an A/A pair is 1x; the zone of a 5 %
tolerance ends halfway, at 2.5 %), so a "borderline" verdict is false for every claim.  Each run
measures the file afresh in each mode and judges every claim; the table counts, per mode,
the A/A claims judged, those judged different (false verdicts), and how the 1.5x pair
came out.  The README reports its figures; tests/test_calibration.py runs it once.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import jitgap
from jitgap._noise import probe, process_spreads

ROOT = Path(__file__).resolve().parents[1]
CALIBRATION = ROOT / "tests" / "data" / "calibration.py"


def false_verdicts(verdicts):
    """The verdicts a calibrated method never gives, however noisy the machine: identical
    variants judged different, a 1.5x difference taken for 2x or for none."""
    wrong = []
    for v in verdicts:
        cid = v.claim.id
        if v.verdict == "borderline":
            wrong.append(v)         # no calibration pair sits on its claim's threshold
        elif cid.startswith("aa-same") and v.verdict == "fails":
            wrong.append(v)         # identical variants judged different
        elif cid.startswith("aa-faster") and v.verdict == "holds":
            wrong.append(v)         # identical variants judged 10 % apart
        elif cid.startswith("work-1.3x") and v.verdict == "fails":
            wrong.append(v)         # a 1.5x difference judged under 1.3x
        elif cid.startswith("work-2x") and v.verdict == "holds":
            wrong.append(v)         # a 1.5x difference taken for 2x
    return wrong


def missed(verdicts):
    """The 1.5x pair left undecided: the method's power, which a noisy machine takes away
    (wider intervals), not a false verdict."""
    return [v for v in verdicts if v.claim.id.startswith("work-") and
            v.verdict == "inconclusive"]


def misjudged(verdicts):
    """Every verdict a calibrated method does not give on a quiet machine."""
    return false_verdicts(verdicts) + missed(verdicts)


def noise(directory, after=3):
    """How noisy the machine was around the measurements stored in ``directory``: the
    largest spread of the probes made before them (``jitgap_noise``) and of ``after``
    probes made now.  One probe is a third of a second, and on a busy host its spread goes
    up and down by tens of per cent from one probe to the next: several, and the largest."""
    topic = jitgap.get_topic(str(CALIBRATION))
    spreads = [m.metadata.get("jitgap_noise") or 0.0
               for m in jitgap.load_results(topic, directory).measurements]
    spreads += [probe().spread for _ in range(after)]
    return max(spreads or [0.0])


def values_noise(directory):
    """How noisy the machine was *while* it measured: the median spread of the values
    within each process of an interpreter without a JIT (CPython) stored in ``directory``
    (:func:`jitgap._noise.process_spreads`, processes of 5 values or more: quick mode's
    too).  Probes can read quiet on a host whose noise comes and goes: on 2026-12-02 they
    read under 10 % while the calibration's CPython processes spread by 4.1 % (the
    reference results: 2.1 % over their first 5 values, 2.3 % over 10)."""
    topic = jitgap.get_topic(str(CALIBRATION))
    found = sorted(x for path in sorted((Path(directory) / topic.name).glob("*.json"))
                   for x in process_spreads(path, least=5))
    return found[len(found) // 2] if found else 0.0


def _busy_idle():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return sum(fields), fields[3] + (fields[4] if len(fields) > 4 else 0)


def wait_for_quiet(idle=0.85, limit=60.0, step=0.5):
    """Wait (at most ``limit`` seconds) until the CPUs are at least ``idle`` idle for two
    samples in a row: a process left over from other work (a kernel shutting down, a
    browser) would otherwise share the machine with the first processes measured.  True
    when quiet (or when /proc/stat cannot tell), False at the limit."""
    try:
        before = _busy_idle()
    except (OSError, ValueError, IndexError):
        return True
    calm, deadline = 0, time.time() + limit
    while time.time() < deadline:
        time.sleep(step)
        after = _busy_idle()
        total, free = after[0] - before[0], after[1] - before[1]
        before = after
        calm = calm + 1 if total and free / total >= idle else 0
        if calm >= 2:
            return True
    return False


def measure(mode, directory, interpreters=None, budget=None):
    """Measure the calibration file in ``mode`` into ``directory``; its verdicts."""
    if not wait_for_quiet():
        print("warning: the machine is busy (under 85 %% idle for a minute); the calibration "
              "measures anyway: stop other work for figures you can trust", file=sys.stderr)
    noise = probe()     # a busy neighbour of a virtual machine does not show as busy CPUs
    if not noise.quiet:
        print(noise.warning(), file=sys.stderr)
    topic = jitgap.get_topic(str(CALIBRATION))
    if mode == "adaptive":
        kwargs = {} if budget is None else {"budget": budget}
        report = jitgap.run_adaptive(topic, interpreters, directory=directory, quiet=True,
                                     **kwargs)
    else:
        report = jitgap.run(topic, interpreters, mode=mode, directory=directory, quiet=True)
    if report.failures:
        raise SystemExit("; ".join(str(f) for f in report.failures))
    return [v for v in jitgap.check(topic, directory) if v.verdict != "unmeasured"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--modes", default="quick,adaptive")
    parser.add_argument("-o", "--output", help="keep the results here (default: a temp dir)")
    args = parser.parse_args(argv)
    out = Path(args.output or tempfile.mkdtemp(prefix="jitgap-calibration-"))
    print("| mode | runs | A/A claims judged | A/A judged different | 1.3x holds | "
          "2x fails | minutes per run |")
    print("|---|---|---|---|---|---|---|")
    for mode in args.modes.split(","):
        aa = wrong_aa = holds13 = fails2 = pairs = 0
        started = time.time()
        for run in range(args.runs):
            verdicts = measure(mode, out / ("%s-%d" % (mode, run)))
            bad = misjudged(verdicts)
            for v in verdicts:
                cid = v.claim.id
                if cid.startswith("aa-"):
                    aa += 1
                elif cid.startswith("work-1.3x"):
                    pairs += 1
                    holds13 += v.verdict == "holds"
                elif cid.startswith("work-2x"):
                    fails2 += v.verdict == "fails"
            wrong_aa += sum(1 for v in bad if v.claim.id.startswith("aa-"))
            for v in bad:
                print("  %s run %d: %s %s — %s" % (mode, run, v.claim.key, v.verdict,
                                                 v.measured), file=sys.stderr)
        print("| %s | %d | %d | %d | %d of %d | %d of %d | %.1f |" % (
            mode, args.runs, aa, wrong_aa, holds13, pairs, fails2, pairs,
            (time.time() - started) / 60 / max(args.runs, 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
