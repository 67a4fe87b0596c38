"""Quick mode against default mode, over every topic: the README's table.

    jitgap run --all --mode quick -o /tmp/quick
    jitgap run --all --mode default -o /tmp/default
    python tools/quick_vs_default.py /tmp/quick /tmp/default [TOPIC ...] [--markdown]

For every variant and every interpreter but CPython, the ratio to CPython in quick mode
is compared with default mode's: the deviation ``quick / default - 1``, whether it is
within ±20 %, and whether the two point in opposite directions (one says faster, the
other slower, each beyond its own uncertainty).  Also the wall time of each mode (sum of
``jitgap_wall_s`` over topics and interpreters).  ``--markdown`` prints the summary and
the variants outside ±20 % as Markdown (what the README shows).
"""

import sys

import jitgap

LIMIT = 0.20


def _wall(results):
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
        walls[0] += _wall(q)
        walls[1] += _wall(d)
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


def main(argv):
    markdown = "--markdown" in argv
    args = [a for a in argv if a != "--markdown"]
    rows, walls = compare(args[0], args[1], args[2:] or None)
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
    if markdown:
        print(summary + "\n")
        print("| topic | variant | interpreter | quick | default | deviation |")
        print("|---|---|---|---|---|---|")
        for topic, variant, name, rq, rd, dev, opp in sorted(outside, key=lambda r: -abs(r[5])):
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
