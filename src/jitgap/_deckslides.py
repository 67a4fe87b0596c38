"""The deck's composite slides: measured slides, verdict badges, the slower-than-CPython
list, the reversals since 2010, the backup section and the talk's own facts.

Each function returns RST (often a ``raw`` HTML block, so the layout classes reach the
page) and is called by a directive of :mod:`jitgap._deck`.  Every number comes from the
results through :mod:`jitgap._phrases`; nothing here is typed by hand.
"""

import html
import math
import re

from . import _phrases as ph
from ._compare import format_factor, ratio
from ._errors import JitgapError
from ._interpreters import REFERENCE
from ._plot import (COLORS, caption, figure_class, gap_figure, smallest_font_px, speedup_figure,
                    versions)
from ._results import caveats, load_results
from ._summary import check, overall, program_topics
from ._topics import list_topics

#: claims from these sources are the talk's history: "What changed since 2010"
HISTORIC_SOURCES = ("2010", "2013")
#: the most rows a main slide's chart may have
MAX_ROWS = 5
#: slide charts: drawn at this size and resolution, base font size (points)
CHART_INCHES = (6.4, 4.6)
CHART_DPI = 200
CHART_FONT = 15


def short_title(topic):
    """``Removing object boxing`` from the docstring's first line."""
    text = topic.title.rstrip(".")
    for sep in (":", ","):
        if sep in text:
            return text.split(sep, 1)[0].strip()
    return text


def _e(text):
    return html.escape(str(text), quote=True)


def rst_escape(text):
    """Plain text safe inside RST (no inline markup starts)."""
    return re.sub(r"([\\*`|_])", r"\\\1", text)


def _raw(markup):
    """An RST raw HTML block.  No ``<div>`` in it: landslide strips every div from the
    RST's HTML (article, aside, figure and span carry the layout instead)."""
    return ".. raw:: html\n\n" + "\n".join("   " + line for line in markup.splitlines())


def badge_html(verdict):
    """One verdict as a badge: its mark and word, the claim in words, the key number
    large and, for a claim that does not hold, what today's interpreters do instead."""
    c = verdict.claim
    source = ph.SOURCE_NAMES.get(c.source, c.source)
    said = ph.said(verdict)
    if c.said and c.source != "kit":
        said = "“%s”" % said
    number = ph.number(verdict)
    if number is not None:
        figure = '<span class="number">%s</span> %s %s' % (
            _e(number[0]), _e(number[1]), _e(ph.context(verdict)))
        if c.a != c.b and c.x == c.y and ph.label(c.topic, c.a) not in said:
            figure = "%s: %s" % (_e(ph.subject(verdict)), figure)
    elif getattr(c, "kind", None) == "trace" and verdict.value is not None:
        figure = '<span class="number">%d</span> %s' % (
            verdict.value, _e(ph.trace_fact(verdict).split(" ", 1)[1]))
    else:
        figure = _e(verdict.measured)
    if verdict.verdict == "fails":
        figure = '<span class="today-label">Today:</span> ' + figure
    return ('<article class="badge %s">\n<span class="badge-head"><span class="mark">%s'
            '</span> %s <span class="badge-source">· %s</span></span>\n<p class="said">%s</p>'
            '\n<p class="figure-line">%s</p>\n</article>' % (
                verdict.verdict, ph.MARKS[verdict.verdict], ph.VERDICT_WORDS[verdict.verdict],
                _e(source), _e(said), figure))


def badges_html(verdicts):
    return '<aside class="badges n%d">\n%s\n</aside>' % (
        len(verdicts), "\n".join(badge_html(v) for v in verdicts))


def note_line(verdict):
    """A verdict as a short presenter-note cue: its mark, the claim, the number."""
    n = ph.number(verdict)
    if n is None:
        return "%s %s" % (ph.MARKS[verdict.verdict], ph.today(verdict))
    return "%s %s: %s %s" % (ph.MARKS[verdict.verdict], ph.words(verdict), n[0], n[1])


def chart_variants(topic, verdicts):
    """The variants the claims compare, in the topic's order."""
    used = set()
    for v in verdicts:
        used.add(v.claim.a)
        used.add(getattr(v.claim, "b", v.claim.a))
    if "mean" in used:      # a claim on the geometric mean: every variant
        return list(topic.variants)
    return [name for name in topic.variants if name in used]


def chart(results, variants, out_dir, name, alt, link=""):
    """A slide-sized gap chart (PNG) and the HTML that shows it with its caption (and
    ``link``, HTML put at the caption's end)."""
    if len(variants) > MAX_ROWS:
        raise JitgapError("%s: a main slide's chart shows at most %d variants, these claims "
                          "use %d (%s)" % (results.topic.name, MAX_ROWS, len(variants),
                                           ", ".join(variants)))
    figures = out_dir / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    rows = max(len(variants), 1)
    fig = gap_figure(results, variants=variants, title="", width=CHART_INCHES[0],
                     fontsize=CHART_FONT, caption_below=False, short_legend=True,
                     height=min(CHART_INCHES[1], 1.5 + 0.72 * rows))
    font_px = smallest_font_px(fig, CHART_DPI)
    fig.savefig(str(figures / name), dpi=CHART_DPI)
    return ('<figure class="chart"><img src="figures/%s" alt="%s" data-font-px="%.1f">'
            '<figcaption class="caption">%s</figcaption></figure>' % (
                name, _e(alt), font_px, _e("Error bars: ± 1 std dev. %s. %s" % (
                    versions(results), caption(results))) + link))


def figure_html(expander, fig, name, alt, caption_text, cls="chart", link="", raw=True):
    """Save ``fig`` for a slide and show it as an HTML figure whose image carries
    ``data-font-px`` (its smallest text, in the image's pixels) and whose caption is text
    (then ``link``, HTML); as an RST raw block unless ``raw=False``."""
    figures = expander.out_dir / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    font_px = smallest_font_px(fig, CHART_DPI)
    fig.savefig(str(figures / name), dpi=CHART_DPI)
    markup = ('<figure class="%s"><img src="figures/%s" alt="%s" data-font-px="%.1f">'
              '<figcaption class="caption">%s%s</figcaption></figure>' % (
                  cls, name, _e(alt), font_px, _e(caption_text), link))
    return _raw(markup) if raw else markup


def measured(expander, topic, claim_ids):
    """A measured slide: its computed title, a chart of the variants the claims use and up
    to three badges.  Returns (rst, extra presenter-note lines)."""
    if not 1 <= len(claim_ids) <= 3:
        raise JitgapError("jitgap-measured shows 1 to 3 claims, not %d" % len(claim_ids))
    verdicts = expander.verdicts_of(topic.name)
    unknown = [c for c in claim_ids if c not in verdicts]
    if unknown:
        raise JitgapError("topic %s has no claim %s (claims: %s)" % (
            topic.name, ", ".join(map(repr, unknown)), ", ".join(verdicts)))
    shown = [verdicts[c] for c in claim_ids]
    lead = next((v for v in shown if v.ratio is not None), shown[0])
    title = ph.title(lead)
    results = expander.results(topic.name)
    markup = '<article class="measured">\n%s\n%s\n</article>' % (
        chart(results, chart_variants(topic, shown), expander.out_dir,
              "%s-main.png" % topic.name, "%s: %s" % (short_title(topic), title),
              link=expander.notebook_link(topic.name)),
        badges_html(shown))
    heading = rst_escape(title)
    rst = "%s\n%s\n\n%s" % (heading, "=" * len(heading), _raw(markup))
    others = [v for k, v in verdicts.items() if k not in claim_ids]
    notes = []
    if others:
        notes = ["Also (backup, \"%s: every claim\"):" % short_title(topic)] + [
            note_line(v) for v in others]
    return rst, notes


def _mean_html(o, kind, level=0.95):
    """One headline: PyPy's geometric mean over some variants, its interval, its range."""
    if not o:
        return ('<figure class="hl %s"><span class="hl-label">%s</span><span class="hl-number">'
                '–</span><p class="range">not measured yet (make bench)</p></figure>' % (
                    kind, {"micro": "This kit's micro-benchmarks",
                           "programs": "Real programs, measured here"}[kind]))
    r = o.mean
    value, _, word = r.direction()
    ci = o.interval(level)
    if ci and r.value < 1:
        ci = (1 / ci[1], 1 / ci[0])
    label = {"micro": "This kit's micro-benchmarks",
             "programs": "Real programs, measured here"}[kind]
    low, high = o.lowest, o.highest
    return ('<figure class="hl %s"><span class="hl-label">%s</span>'
            '<span class="hl-number">%.1fx</span> <span class="hl-word">%s</span>'
            '<p class="range">%s%d %s; from %s to %s</p></figure>' % (
                kind, label, value, word,
                "95%% CI %.1f–%.1fx; " % ci if ci else "", len(o.points),
                "variants" if kind == "micro" else "programs",
                _e(_extreme(low)), _e(_extreme(high))))


def _extreme(point):
    topic, variant, r = point
    return "%s (%s)" % (r.phrase(), ph.label(topic, variant))


def headlines(expander):
    """The talk's headline: micro-benchmarks, real programs, the published figure."""
    micro = overall("pypy", expander.results_dir)
    programs = program_topics()
    real = overall("pypy", expander.results_dir, programs) if programs else None
    nojit = overall("pypy-nojit", expander.results_dir)
    published = programs[0].published if programs else {}
    quote = ('<figure class="hl published"><span class="hl-label">pypy.org, its own suite'
             '</span><span class="hl-number">%gx</span> <span class="hl-word">faster</span>'
             '<p class="range">“%s” (%s)</p></figure>' % (
                 published["pypy"], _e(published["said"]), _e(published["source"]))
             if published else "")
    markup = '<article class="headlines">\n%s\n%s\n%s\n</article>' % (
        _mean_html(micro, "micro"), _mean_html(real, "programs"), quote)
    jitless = ""
    if nojit:
        jitless = "\n\n.. class:: jitless\n\nWithout its JIT, PyPy is %s than CPython on " \
                  "the micro-benchmarks: the speed is the JIT's." % rst_escape(nojit.mean.phrase())
    return _raw(markup) + jitless


def programs(expander, topic, claim_ids):
    """The real-programs slide: every program sorted by PyPy's speed-up, and up to three
    claims of the topic as badges."""
    results = expander.results(topic.name)
    verdicts = expander.verdicts_of(topic.name)
    unknown = [c for c in claim_ids if c not in verdicts]
    if unknown or len(claim_ids) > 3:
        raise JitgapError("jitgap-programs shows up to 3 claims of %s (unknown: %s)"
                          % (topic.name, ", ".join(unknown) or "-"))
    if results.get(results.variants[0] if results.variants else "", "pypy") is None:
        return "*%s: not measured yet (make bench)*" % topic.name
    markup = '<article class="measured programs">\n%s\n%s\n</article>' % (
        figure_html(expander, speedup_figure(results, width=6.6, fontsize=14), "programs.png",
                    "real programs, PyPy against CPython",
                    "%s. %s" % (versions(results), caption(results)),
                    link=expander.notebook_link(topic.name), raw=False),
        badges_html([verdicts[c] for c in claim_ids]))
    others = [v for k, v in verdicts.items() if k not in claim_ids]
    if others:
        expander.notes.extend(["Also (backup, \"%s: every claim\"):" % short_title(topic)]
                              + [note_line(v) for v in others])
    return _raw(markup)


def losers(directory, interpreter="pypy"):
    """Every variant where ``interpreter`` is decidedly slower than CPython (its whole
    ratio interval below 1), slowest first: [(topic, variant, Ratio, note)], ``note``
    ``"not steady"`` when either side's processes did not all settle, ``"processes
    disagree"`` when they reached different states, else ``""``."""
    found = []
    for topic in list_topics():
        results = load_results(topic, directory)
        for variant in results.variants:
            ref, m = results.get(variant, REFERENCE), results.get(variant, interpreter)
            if ref is None or m is None:
                continue
            r = ratio(ref, m)
            if r.high < 1:
                found.append((topic, variant, r, ", ".join(caveats(ref, m))))
    return sorted(found, key=lambda item: item[2].value)


def slower_figure(points, width=6.6, fontsize=14):
    """Horizontal bars: how many times slower PyPy is than CPython, one row per variant."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.ticker import FuncFormatter
    rows = max(len(points), 1)
    fig = figure_class()(figsize=(width, 0.9 + 0.36 * rows), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    factors = [p[2].inverse()[0] for p in points]
    errors = [p[2].inverse()[1] for p in points]
    ax.barh(range(rows)[:len(points)], factors, xerr=errors, color=COLORS["pypy"],
            error_kw={"elinewidth": 1, "capsize": 2, "ecolor": "#333333"})
    for i, (value, err) in enumerate(zip(factors, errors)):
        ax.text((value + err) * 1.1, i, format_factor(value, err), va="center",
                fontsize=fontsize * 0.8)
    ax.set_yticks(range(len(points)))
    ax.set_yticklabels(["%s (%s%s)" % (ph.label(t.name, v), t.name, note and ", " + note)
                        for t, v, _, note in points],
                       fontsize=fontsize * 0.8)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_xscale("log")
    ax.set_xlim(0.9, max(factors + [2]) * 6)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: "%gx" % x))
    ax.tick_params(axis="x", labelsize=fontsize * 0.8)
    ax.set_xlabel("times slower than CPython (log scale)", fontsize=fontsize * 0.8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


def slower(expander, top=4):
    """Where PyPy with its JIT loses to CPython: every such variant, slowest first, with the
    reasons the benchmark files give for the top ones."""
    points = losers(expander.results_dir)
    if not points:
        return "Nowhere: PyPy is not decidedly slower than CPython on any variant measured."
    figures = expander.out_dir / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    fig = slower_figure(points)
    font_px = smallest_font_px(fig, CHART_DPI)
    fig.savefig(str(figures / "slower.png"), dpi=CHART_DPI)
    items = []
    for topic, variant, r, note in points[:top]:
        reason = topic.reasons.get(variant)
        if not reason:
            expander.warnings.append("%s: no REASONS entry for %s, which is slower on PyPy "
                                     "than on CPython" % (topic.path.name, variant))
            reason = "(no reason given in %s)" % topic.path.name
        items.append('<li><span class="who">%s</span> <span class="number">%s</span> '
                     'slower%s: %s</li>' % (_e(ph.label(topic.name, variant)),
                                            _e(format_factor(*r.inverse())),
                                            " (%s)" % note if note else "", _e(reason)))
    markup = ('<article class="measured slower">\n<figure class="chart"><img src="figures/slower.png"'
              ' alt="variants where PyPy is slower than CPython" data-font-px="%.1f">'
              '<figcaption class="caption">Every variant whose whole interval says PyPy '
              '(JIT on) is slower than CPython: %d of the %d variants measured; results/*/*.json'
              '</figcaption></figure>\n<ul class="reasons">\n%s\n</ul>\n</article>' % (
                  font_px, len(points), _count_variants(expander), "\n".join(items)))
    return _raw(markup)


def _count_variants(expander):
    return len(overall("pypy", expander.results_dir).points)


def reversals(expander, count=6):
    """The largest reversals of claims from the 2010 talk or the 2013 post, in words."""
    fails = [v for v in check(None, expander.results_dir)
             if v.verdict == "fails" and v.claim.source in HISTORIC_SOURCES]
    fails.sort(key=lambda v: -math.log(ph.miss(v)))
    if not fails:
        return "No claim from 2010 or 2013 fails on these results."
    items = ['<li><span class="then">%s:</span> %s — <span class="today-label">today:</span> '
             '%s</li>' % (v.claim.source, _e(ph.said(v)), _number_phrase(v))
             for v in fails[:count]]
    return _raw('<ul class="reversals">\n%s\n</ul>' % "\n".join(items))


def _number_phrase(verdict):
    """The measured sentence with its number set large."""
    text = _e(ph.today(verdict))
    n = ph.number(verdict)
    if n:
        text = text.replace(_e(n[0]), '<span class="number">%s</span>' % _e(n[0]), 1)
    return text


def changed_list(verdicts):
    """Every given verdict, one line each (the backup's full lists)."""
    return _raw('<ul class="verdict-list%s">\n%s\n</ul>' % (
        " long" if len(verdicts) > 12 else "", "\n".join(
        '<li class="%s"><span class="mark">%s</span> <code>%s</code> %s</li>' % (
            v.verdict, ph.MARKS[v.verdict], _e(v.claim.key), _e(v.measured))
        for v in verdicts)))


def backup_topic(expander, topic):
    """Two backup slides for a topic: its full chart, and every claim's verdict."""
    results = expander.results(topic.name)
    name = short_title(topic)
    figures = expander.out_dir / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    fig = gap_figure(results, title="", width=12, fontsize=12, caption_below=False,
                     height=min(5.4, 1.6 + 0.2 * len(results.variants) * (1 + len(
                         results.interpreters))))
    fig.savefig(str(figures / ("%s.png" % topic.name)), dpi=100)
    chart_title = "%s: every variant" % name
    claims_title = "%s: every claim" % name
    verdicts = list(expander.verdicts_of(topic.name).values())
    return "\n".join([
        chart_title, "=" * len(chart_title), "", ".fx: backup", "",
        ".. image:: figures/%s.png" % topic.name, "   :class: gap", "",
        ".. class:: caption", "", caption(results).replace("*", r"\*"), "",
        expander.notebook(topic.name + " short"), "",
        "----", "",
        claims_title, "=" * len(claims_title), "", ".fx: backup", "",
        changed_list(verdicts), "",
        expander.notebook(topic.name + " short"),
    ])


def strip_markup(text):
    return re.sub(r"<[^>]+>", "", text)
