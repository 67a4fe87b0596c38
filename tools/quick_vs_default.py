"""Compare quick-mode against default-mode results of a topic (the README's figures).

    jitgap run boxing --mode quick -o /tmp/quick
    jitgap run boxing --mode default -o /tmp/default
    python tools/quick_vs_default.py boxing /tmp/quick /tmp/default
"""

import sys

import jitgap


def main(topic, quick_dir, default_dir):
    q = jitgap.load_results(topic, quick_dir)
    d = jitgap.load_results(topic, default_dir)
    nvar = len(q.variants)
    for name in q.interpreters:
        wq = q.get(q.variants[0], name).metadata["jitgap_wall_s"]
        wd = d.get(d.variants[0], name).metadata["jitgap_wall_s"]
        print("%-11s quick %5.2f s/variant   default %5.1f s/variant" % (name, wq / nvar,
                                                                        wd / nvar))
    worst = 0.0
    for variant in q.variants:
        for name in q.interpreters:
            if name == "cpython":
                continue
            rq = jitgap.ratio(q.get(variant, "cpython"), q.get(variant, name))
            rd = jitgap.ratio(d.get(variant, "cpython"), d.get(variant, name))
            dev = rq.value / rd.value - 1
            worst = max(worst, abs(dev))
            print("%-16s %-11s quick %-16s default %-16s %+6.1f%%" % (
                variant, name, jitgap.format_factor(rq.value, rq.error),
                jitgap.format_factor(rd.value, rd.error), 100 * dev))
    print("largest difference of a ratio: %.1f%%" % (100 * worst))


if __name__ == "__main__":
    main(*sys.argv[1:4])
