"""Quick mode against default mode, over every topic: the README's table.

    jitgap run --all --mode quick -o /tmp/quick
    jitgap run --all --mode default -o /tmp/default
    python tools/quick_vs_default.py /tmp/quick /tmp/default [TOPIC ...] [--markdown] [--verify]

For every variant and every interpreter but CPython, the ratio to CPython in quick mode
is compared with default mode's: the deviation ``quick / default - 1``, whether it is
within ±20 %, and whether the two point in opposite directions (one says faster, the
other slower, each beyond its own uncertainty).  Also the wall time of each mode (sum of
``jitgap_wall_s`` over topics and interpreters).  ``--markdown`` prints the summary and
the variants outside ±20 % or in the opposite direction as Markdown (what the README
shows).  ``--verify`` measures each variant outside ±20 % once more, with plain pyperf
and a long fixed warm-up (60 values of >= 50 ms, 2 processes), and says which mode that
agrees with: the one that reached the steady state.
"""

import argparse
import sys

import jitgap

LIMIT = 0.20


def wall_seconds(results):
    """Recorded wall time of a topic's results: one ``jitgap_wall_s`` per interpreter
    (every variant of a result carries it; a result measured in looks, their sum)."""
    seen, total = set(), 0.0
    for m in results.measurements:
        if m.interpreter not in seen:
            seen.add(m.interpreter)
            total += float(m.metadata.get("jitgap_wall_s") or 0.0)
    return total


def compare(quick_dir, default_dir, topics=None):
    """Rows (topic, variant, interpreter, quick Ratio, default Ratio, deviation, opposite)
    and the wall times of both modes in seconds."""
    rows, walls = [], [0.0, 0.0]
    for topic in topics or jitgap.list_topics():
        q = jitgap.load_results(topic, quick_dir)
        d = jitgap.load_results(topic, default_dir)
        walls[0] += wall_seconds(q)
        walls[1] += wall_seconds(d)
        for variant in q.variants:
            for name in q.interpreters:
                if name in ("cpython", "c"):
                    continue
                pairs = [(r.get(variant, "cpython"), r.get(variant, name)) for r in (q, d)]
                if any(a is None or b is None for a, b in pairs):
                    continue
                rq, rd = (jitgap.ratio(a, b) for a, b in pairs)
                opposite = (rq.low > 1 and rd.high < 1) or (rq.high < 1 and rd.low > 1)
                rows.append((jitgap.get_topic(topic).name, variant, name, rq, rd,
                             rq.value / rd.value - 1, opposite))
    return rows, walls


def long_warmup(topic, variant, interpreter):
    """The ratio to CPython after a long fixed warm-up (plain pyperf, jitgap's hook only
    choosing the variant): a third opinion on where the steady state is."""
    import json
    import os
    import subprocess
    import tempfile

    from jitgap import _steady
    topic = jitgap.get_topic(topic)
    means = {}
    for interp in jitgap.select_interpreters(only=["cpython", interpreter]):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out.json")
            wrapper = os.path.join(tmp, "python")
            with open(wrapper, "w") as f:
                f.write('#!/bin/sh\nexec %s %s "$@"\n' % (" ".join(interp.argv), _steady.__file__))
            os.chmod(wrapper, 0o755)
            env = dict(os.environ, JITGAP_ROUND=json.dumps({"only": [variant], "order": None}))
            env.pop("JITGAP_STEADY", None)
            subprocess.run(interp.argv + [_steady.__file__, str(topic.files()[0][0]), "-o", out,
                                          "--processes", "2", "--values", "5", "--warmups",
                                          "60", "--min-time", "0.05", "--python", wrapper,
                                          "--inherit-environ", "JITGAP_ROUND", "--quiet"],
                           env=env, check=True, stdout=subprocess.DEVNULL,
                           cwd=str(topic.files()[0][0].parent))
            import pyperf
            means[interp.name] = pyperf.BenchmarkSuite.load(out).get_benchmark(variant).mean()
    return means["cpython"] / means[interpreter]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("quick", help="results of jitgap run --all --mode quick")
    parser.add_argument("default", help="results of jitgap run --all --mode default "
                        "(or adaptive: any reference)")
    parser.add_argument("topics", nargs="*", help="topics (default: every topic)")
    parser.add_argument("--markdown", action="store_true",
                        help="the summary and the variants outside as Markdown")
    parser.add_argument("--verify", action="store_true",
                        help="measure each variant outside once more, long warm-up")
    args = parser.parse_args(argv)
    markdown, verify = args.markdown, args.verify
    rows, walls = compare(args.quick, args.default, args.topics or None)
    outside = [r for r in rows if abs(r[5]) > LIMIT]
    opposite = [r for r in rows if r[6]]
    within = len(rows) - len(outside)
    devs = sorted(abs(r[5]) for r in rows)
    median = devs[len(devs) // 2] if devs else 0.0
    summary = ("%d ratios to CPython: %d within ±%d%% (%.1f%%), %d outside, %d in the "
               "opposite direction; median deviation %.1f%%; quick %.1f min, default "
               "%.1f min" % (len(rows), within, LIMIT * 100, 100.0 * within / max(len(rows), 1),
                             len(outside), len(opposite), 100 * median, walls[0] / 60,
                             walls[1] / 60))
    if verify:
        for topic, variant, name, rq, rd, dev, opp in outside:
            r = long_warmup(topic, variant, name)
            near = "quick" if abs(r / rq.value - 1) < abs(r / rd.value - 1) else "default"
            print("%s/%s on %s: long warm-up %.3gx (quick %.3gx, default %.3gx): agrees with %s"
                  % (topic, variant, name, r, rq.value, rd.value, near))
        return 0
    if markdown:
        print(summary + "\n")
        print("| topic | variant | interpreter | quick | default | deviation |")
        print("|---|---|---|---|---|---|")
        shown = outside + [r for r in opposite if r not in outside]
        for topic, variant, name, rq, rd, dev, opp in sorted(shown, key=lambda r: -abs(r[5])):
            print("| %s | %s | %s | %s | %s | %+.0f%%%s |" % (
                topic, variant, name, rq.describe("", "").replace(" than", "").strip(),
                rd.describe("", "").replace(" than", "").strip(), 100 * dev,
                " (opposite)" if opp else ""))
        return 0
    for topic, variant, name, rq, rd, dev, opp in rows:
        print("%-12s %-18s %-11s quick %-16s default %-16s %+6.1f%%%s%s" % (
            topic, variant, name, jitgap.format_factor(rq.value, rq.error),
            jitgap.format_factor(rd.value, rd.error), 100 * dev,
            "  OUTSIDE" if abs(dev) > LIMIT else "", "  OPPOSITE" if opp else ""))
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
