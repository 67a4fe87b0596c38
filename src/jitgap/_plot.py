"""The charts: the gap chart, speed-ups, the overview, warm-up curves; one function,
one figure, no global state.

``gap_figure(results)`` returns a :class:`matplotlib.figure.Figure` built without
pyplot and without touching ``rcParams``, so importing or calling it changes nothing
for the caller.  The figure shows itself in a notebook (``_repr_png_``) and is saved
with ``fig.savefig(path)``.  matplotlib is imported when a figure is drawn:
``import jitgap`` must not import it.
"""

import io

from ._compare import format_seconds, ratio
from ._interpreters import REFERENCE
from ._paths import shown
from ._results import caveats, load_results
from ._topics import list_topics

#: colours per interpreter name (others get the tab10 cycle)
COLORS = {"cpython": "#3572A5", "pypy": "#D9534F", "pypy-nojit": "#9E9E9E", "c": "#2E7D32"}
CYCLE = ["#8E44AD", "#F39C12", "#16A085", "#2C3E50", "#7F8C8D"]


def _titled(fig, ax, title, caption_text, fontsize):
    """A figure's title (left, above the axes) and its caption (below, small, grey)."""
    if title:
        ax.set_title(title, loc="left", fontsize=fontsize * 1.15)
    if caption_text:
        fig.supxlabel(caption_text, x=0.01, ha="left", fontsize=fontsize * 0.72,
                      color="#555555")
    return fig


def figure_class():
    from matplotlib.figure import Figure

    class GapFigure(Figure):
        """A Figure that renders itself as PNG in Jupyter, with any backend."""

        def _repr_png_(self):
            buf = io.BytesIO()
            self.savefig(buf, format="png", dpi=100)
            return buf.getvalue()

    return GapFigure


def gap_figure(results, variants=None, interpreters=None, title=None, width=9.0,
               fontsize=9, caption_below=True, height=None, short_legend=False):
    """Time per call of each variant under each interpreter, on a log scale.

    Bars carry one standard deviation as error bars; each non-reference bar is labelled
    with its ratio to CPython ("52 ± 4x faster").  The legend names the interpreter
    versions; the caption names the benchmark file, the results folder and the machine.
    ``title=""`` leaves the title out (e.g. under a slide's own title);
    ``caption_below=False`` leaves the caption to the page showing the figure (a slide
    prints :func:`caption` and :func:`versions` as text); ``height`` (inches) overrides
    the computed height; ``short_legend`` names interpreters without versions and
    shortens the axis label (a slide's caption gives both).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.ticker import FuncFormatter

    variants = list(variants or results.variants)
    interpreters = [i for i in (interpreters or results.interpreters)]
    n_int = max(len(interpreters), 1)
    bar_h = 0.82 / n_int
    height = height or 1.6 + (fontsize / 9.0) * (0.2 * n_int + 0.22) * max(len(variants), 1)
    fig = figure_class()(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()

    if not results.measurements:
        ax.text(0.5, 0.5, "%s: not measured\n(run `jitgap run %s`)"
                % (results.topic.name, results.topic.spec),
                ha="center", va="center", transform=ax.transAxes, fontsize=12)
        ax.set_axis_off()
        return fig

    cycle = iter(CYCLE * 4)
    colors = {name: COLORS.get(name) or next(cycle) for name in interpreters}
    xmin, xmax = float("inf"), 0.0
    for j, name in enumerate(interpreters):
        ys, xs, errs, labels = [], [], [], []
        for i, variant in enumerate(variants):
            m = results.get(variant, name)
            if m is None:
                continue
            y = i + (j - (n_int - 1) / 2.0) * bar_h
            ref = results.get(variant, REFERENCE)
            if name == REFERENCE or ref is None:
                text = format_seconds(m.mean)
            else:
                text = ratio(ref, m).phrase()
            text += "".join(" (%s)" % word for word in caveats(m))
            ys.append(y)
            xs.append(m.mean)
            errs.append(m.stdev)
            labels.append(text)
            xmin = min(xmin, m.mean - m.stdev if m.mean > m.stdev else m.mean / 2)
            xmax = max(xmax, m.mean + m.stdev)
        if not ys:
            continue
        ax.barh(ys, xs, height=bar_h * 0.92, xerr=errs, color=colors[name],
                label=results.short_label(name) if short_legend else results.label(name),
                error_kw={"elinewidth": 1, "capsize": 2,
                                                     "ecolor": "#333333"})
        for y, x, err, text in zip(ys, xs, errs, labels):
            ax.text((x + err) * 1.08, y, text, va="center", fontsize=fontsize * 0.85,
                    color="#222222")
    ax.set_xscale("log")
    ax.set_xlim(xmin / 1.5, xmax * 12)
    ax.set_yticks(range(len(variants)))
    ax.set_yticklabels(variants, fontsize=fontsize)
    ax.set_ylim(len(variants) - 0.5, -0.5)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_seconds(x).replace(".00", "")))
    ax.tick_params(axis="x", labelsize=fontsize * 0.9)
    ax.set_xlabel(("time per %s (log scale; lower is faster)" if short_legend else
                   "time per %s (log scale, lower is faster; error bars: ± 1 std dev)")
                  % unit_of_time(results), fontsize=fontsize * 0.9)
    ax.grid(axis="x", which="major", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.legend(loc="outside upper center", ncol=min(n_int, 4 if short_legend else 3),
               fontsize=fontsize * 0.9, frameon=False, columnspacing=1.2,
               handlelength=1.2 if short_legend else 2.0)
    return _titled(fig, ax, results.topic.title if title is None else title,
                   caption(results) if caption_below else None, fontsize)


def smallest_font_px(fig, dpi):
    """The size, in the saved image's pixels at ``dpi``, of the smallest visible text of
    ``fig`` (what a page showing the image needs to know to judge its legibility)."""
    from matplotlib.text import Text
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    sizes = []
    for text in fig.findobj(Text):
        if not (text.get_visible() and text.get_text().strip()):
            continue
        extent = text.get_window_extent(renderer)     # drawn inside the figure?
        if extent.x1 > box.x0 and extent.x0 < box.x1 and extent.y1 > box.y0 \
                and extent.y0 < box.y1:
            sizes.append(text.get_fontsize())
    return min(sizes) * dpi / 72.0 if sizes else 0.0


def speedup_figure(results, interpreter="pypy", width=9.0, fontsize=11):
    """One row per variant, sorted by speed-up: ``interpreter`` against CPython as a bar
    from 1x (right: faster, left: slower), PyPy without its JIT as a grey dot; log scale.
    Made for a topic of real programs, where the ranking is the message."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.ticker import FuncFormatter
    rows = []
    for variant in results.variants:
        ref, m = results.get(variant, REFERENCE), results.get(variant, interpreter)
        if ref is None or m is None:
            continue
        off = results.get(variant, "pypy-nojit") if interpreter != "pypy-nojit" else None
        rows.append((results.topic.label(variant), ratio(ref, m),
                     ratio(ref, off) if off is not None else None))
    rows = sorted(rows, key=lambda row: row[1].value)
    n = max(len(rows), 1)
    fig = figure_class()(figsize=(width, 1.0 + 0.3 * n), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for i, (label, r, jitless) in enumerate(rows):
        color = COLORS["pypy"] if r.value >= 1 else "#7B1F1C"
        ax.barh(i, r.value - 1 if r.value >= 1 else 1 - r.value, left=min(r.value, 1.0),
                color=color, height=0.7)
        text = r.phrase()
        x = max(r.value, 1.0) * 1.08
        ax.text(x, i, text, va="center", fontsize=fontsize * 0.8)
        if jitless is not None:
            ax.plot([jitless.value], [i], "o", color=COLORS["pypy-nojit"], markersize=5)
    ax.axvline(1.0, color=COLORS["cpython"], linewidth=1.5)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([row[0] for row in rows], fontsize=fontsize * 0.8)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xscale("log")
    values = [row[1].value for row in rows] + [row[2].value for row in rows if row[2]]
    ax.set_xlim(min(values + [1.0]) / 1.6, max(values + [1.0]) * 8)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: "%gx" % x))
    ax.tick_params(axis="x", labelsize=fontsize * 0.8)
    ax.set_xlabel("speed-up against CPython (log; right of the blue line is faster; "
                  "grey dot: JIT off)", fontsize=fontsize * 0.8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


def unit_of_time(results):
    """``iteration`` when pyperf divided by inner loops (``inner_loops``), else ``call``."""
    inner = {m.metadata.get("inner_loops", 1) for m in results.measurements}
    return "iteration" if any(n and n > 1 for n in inner) else "call"


def versions(results):
    """``CPython 3.11.7 · PyPy 7.3.11 (Python 3.9.16) · …``: what the bars ran on."""
    return " · ".join(results.label(name) for name in results.interpreters)


def caption(results):
    """Where the figure's numbers come from: the benchmark file and the results folder,
    or, for code measured from a temporary file (``%%jitgap``, ``try_variant``,
    ``jitgap timeit``), what ``results.source`` names instead ("the cell above")."""
    modes = "/".join(sorted({str(m.metadata.get("jitgap_mode", "?"))
                             for m in results.measurements}))
    if results.source:
        return "Source: %s, measured by jitgap in %s mode on %s" % (
            results.source, modes, results.machine())
    return "Source: %s, %s/*.json (%s mode); measured on %s" % (
        shown(results.topic.path), shown(results.directory), modes, results.machine())


def overview_figure(directory=None, interpreters=("pypy", "pypy-nojit"), width=10.0,
                    fontsize=10, caption_below=True, height=None):
    """Every variant of every topic as a dot: its speed-up against CPython (log scale).

    One row per topic; a dot per variant and interpreter with ± 1 std dev error bars; the
    vertical line is CPython.  Right of it is faster, left of it slower.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.ticker import FuncFormatter

    rows = []
    machine = None
    for topic in list_topics():
        results = load_results(topic, directory)
        if results:
            rows.append((topic, results))
            machine = machine or results.machine()
    height = height or 1.6 + 0.34 * max(len(rows), 1) * fontsize / 10.0
    fig = figure_class()(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    offsets = {name: (k - (len(interpreters) - 1) / 2.0) * 0.22
               for k, name in enumerate(interpreters)}
    labels = {}
    for i, (topic, results) in enumerate(rows):
        for name in interpreters:
            xs, errs = [], []
            for variant in results.variants:
                ref, m = results.get(variant, REFERENCE), results.get(variant, name)
                if ref is None or m is None:
                    continue
                r = ratio(ref, m)
                xs.append(r.value)
                errs.append(r.error)
            if xs:
                first = name not in labels
                labels[name] = results.label(name)
                ax.errorbar(xs, [i + offsets[name]] * len(xs), xerr=errs, fmt="o",
                            color=COLORS.get(name, "#8E44AD"), markersize=5, alpha=0.8,
                            elinewidth=1, label=labels[name] if first else None)
    ax.axvline(1.0, color=COLORS["cpython"], linewidth=1.5)
    ax.text(1.0, -0.9, " CPython", color=COLORS["cpython"], fontsize=fontsize * 0.9,
            va="bottom")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: "%gx" % x))
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([t.name for t, _ in rows], fontsize=fontsize)
    ax.tick_params(axis="x", labelsize=fontsize * 0.9)
    ax.set_ylim(len(rows) - 0.5, -1.0)
    ax.set_xlabel("speed-up against CPython (log scale; right is faster; one dot per variant)",
                  fontsize=fontsize * 0.9)
    ax.grid(axis="x", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.legend(loc="outside upper center", ncol=2, fontsize=fontsize * 0.9, frameon=False)
    if caption_below:
        fig.supxlabel(overview_caption(machine), x=0.01, ha="left", fontsize=fontsize * 0.72,
                      color="#555555")
    return fig


def overview_caption(machine):
    return "Source: benchmarks/*.py, results/*/*.json; measured on %s" % (
        machine or "nothing yet")


def warmup_figure(report, width=9.0, fontsize=9, title=None, caption_below=True):
    """Seconds per call against call number, one line per interpreter (log y);
    ``title=""`` leaves the title out (under a slide's own title); ``caption_below=False``
    leaves :func:`warmup_caption` to the page showing the figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.ticker import FuncFormatter

    fig = figure_class()(figsize=(width, 4.2), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    cycle = iter(CYCLE * 4)
    names = sorted(report.curves, key=lambda n: (n != REFERENCE, n))
    for name in names:
        times = report.curves[name]
        ax.plot(range(1, len(times) + 1), times, marker="o", markersize=3, linewidth=1.2,
                color=COLORS.get(name) or next(cycle),
                label="%s (%s)" % (report.labels[name], report.steady_text(name)))
    if not names:
        ax.text(0.5, 0.5, "nothing measured", ha="center", va="center", transform=ax.transAxes)
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: format_seconds(y)))
    ax.set_xlabel("call number, in a fresh process", fontsize=fontsize)
    ax.set_ylabel("time of that call (log scale)", fontsize=fontsize)
    ax.grid(alpha=0.3)
    ax.tick_params(labelsize=fontsize * 0.85)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(fontsize=fontsize * 0.85, frameon=False)
    if title is None:
        title = "Warm-up: the first %d calls of %s.%s" % (report.calls, report.topic.name,
                                                          report.variant)
    return _titled(fig, ax, title, warmup_caption(report) if caption_below else None,
                   fontsize)


def warmup_caption(report):
    """Where a warm-up figure's numbers come from."""
    return ("Source: benchmarks/%s, variant %s, timed call by call with time.perf_counter "
            "(one process per interpreter)%s" % (
                report.topic.path.name, report.variant,
                "; stored in results/%s/warmup/%s" % (report.topic.name, report.stored)
                if report.stored else ""))
