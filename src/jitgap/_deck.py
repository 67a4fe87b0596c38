"""Build the talk: expand jitgap directives in the RST, draw figures, run landslide.

The deck's source (``slides/speed_of_pypy.rst``) is plain landslide RST plus a few
line directives, each replaced at build time by content computed from ``results/``
and the benchmark files, so no number, verdict or code snippet is typed by hand::

    .. jitgap-figure:: TOPIC            the gap chart (PNG, embedded)
    .. jitgap-verdict:: TOPIC/CLAIM ... claims as badges, with the numbers
    .. jitgap-verdicts:: TOPIC          every claim of a topic (but those shown by a
                                        jitgap-verdict elsewhere in the deck)
    .. jitgap-code:: TOPIC NAME [...]   source of variants/helpers from the benchmark file
    .. jitgap-ccode:: TOPIC NAME [...]  the same from the topic's C twin (benchmarks/TOPIC.c)
    .. jitgap-notebook:: TOPIC          link to the topic's rendered notebook
    .. jitgap-ratio:: TOPIC VARIANT [NAME [REF]]   one variant's ratio (to CPython, or to REF)
    .. jitgap-trace:: TOPIC VARIANT     its stored optimised loop (jitgap trace --save)
    .. jitgap-warmup:: TOPIC VARIANT    its stored warm-up curves (jitgap warmup --save)
    .. jitgap-memory::                  bytes per object, per interpreter (jitgap memory --save)
    .. jitgap-overall::                 PyPy's geometric-mean speed-up: micro-benchmarks,
                                        real programs, the published figure
    .. jitgap-overview::                every variant's speed-up, one chart
    .. jitgap-changed:: [inconclusive]  claims that do not hold (or neither hold nor fail:
                                        on their threshold, or undecided)
    .. jitgap-measured:: TOPIC CLAIM [CLAIM [CLAIM]]   a whole measured slide: its title
                                        computed from the first claim, a chart of the
                                        variants the claims use, a badge per claim (the
                                        other claims go to the presenter notes)
    .. jitgap-programs:: TOPIC [CLAIM ...]  real programs sorted by PyPy's speed-up, badges
    .. jitgap-slower::                  every variant where PyPy is slower than CPython
    .. jitgap-reversals:: [N]           the N largest reversals of 2010/2013 claims
    .. jitgap-backup:: [TOPIC ...]      per topic: the full chart and every claim
    .. jitgap-talk::  /  jitgap-kit::   speaker, event, date / where to get the kit
                                        (slides/talk.cfg)

A directive naming an unknown topic, claim, function or notebook fails the build with
the slide's line number.  The expanded RST is checked with docutils (landslide hides RST
errors), then landslide writes one self-contained HTML file (``-i``: CSS, JS and images
embedded), atomically.
"""

import html
import json
import re
import shutil
from pathlib import Path

import sys

from . import _deckslides as slides
from ._atomic import atomic_path
from ._compare import format_seconds, ratio
from ._deckslides import _raw, figure_html
from ._errors import JitgapError
from ._interpreters import REFERENCE
from ._memory import load_sizes
from ._paths import notebooks_dir, project_root
from ._phrases import VERDICT_MARK
from ._plot import gap_figure, overview_caption, overview_figure, warmup_caption, warmup_figure
from ._results import load_results
from ._slidetext import TRANSITION_RE, add_notes, slide_numbers, split_slides
from ._summary import changed, check
from ._tables import Table
from ._talk import kit_line, plan, read_talk, talk_lines
from ._topics import get_topic, list_topics
from ._trace import load_trace
from ._warmup import load_warmup

DIRECTIVE_RE = re.compile(r"^(?P<indent> *)\.\. jitgap-(?P<kind>[a-z]+)::\s*(?P<arg>.*?)\s*$")


def notebook_for(topic_name, folder=None):
    """``notebooks/NN-<topic>.ipynb`` for a topic, or ``None``."""
    folder = Path(folder) if folder else notebooks_dir()
    found = sorted(folder.glob("[0-9][0-9]-%s.ipynb" % topic_name))
    return found[0] if found else None


#: the directive kinds, each a method of _Expander
DIRECTIVES = ("figure", "verdict", "verdicts", "code", "ccode", "notebook", "trace", "warmup",
              "memory", "ratio", "overall", "overview", "changed", "measured", "slower",
              "reversals", "backup", "talk", "kit", "programs")
TOPIC_KINDS = ("code", "ccode", "figure", "verdicts", "verdict", "notebook", "trace", "warmup",
               "measured", "programs")


def _directive_topic(m):
    return m.group("arg").split()[0].split("/")[0] if m.group("arg") else None


def topic_slides(rst_text, linked_only=False):
    """{topic: number of the first slide about it} (for the notebooks' "back" link).

    With ``linked_only``, only slides that link the notebook count (``jitgap-notebook``,
    or ``jitgap-measured``, whose chart caption links it)."""
    numbers = slide_numbers(rst_text)
    found = {}
    for i, line in enumerate(rst_text.splitlines(), 1):
        m = DIRECTIVE_RE.match(line)
        if m and m.group("kind") in (("notebook", "measured", "programs") if linked_only
                                     else TOPIC_KINDS):
            found.setdefault(_directive_topic(m), numbers[i])
    return found


def link_notebooks(rst_text):
    """Give every slide about a topic a link to its notebook (``jitgap-notebook:: T
    short`` before its notes) unless it already has one."""
    out, slide = [], []

    def flush():
        topics = []
        has_link = False
        for line in slide:
            m = DIRECTIVE_RE.match(line)
            if m and m.group("kind") in TOPIC_KINDS:
                # a measured slide links its notebook in the chart's caption
                has_link = has_link or m.group("kind") in ("notebook", "measured", "programs")
                if _directive_topic(m) not in topics:
                    topics.append(_directive_topic(m))
        if topics and not has_link:
            at = next((k for k, line in enumerate(slide) if line == "Presenter Notes"),
                      len(slide))
            while at > 0 and not slide[at - 1].strip():
                at -= 1
            link = [""]
            for t in topics:   # one paragraph each: a class directive applies to one
                link += [".. jitgap-notebook:: %s short" % t, ""]
            slide[at:at] = link
        out.extend(slide)
        del slide[:]

    lines = rst_text.splitlines()
    for i, line in enumerate(lines):
        if TRANSITION_RE.match(line) and (i == 0 or not lines[i - 1].strip()) and (
                i + 1 == len(lines) or not lines[i + 1].strip()):
            flush()
        slide.append(line)
    flush()
    return "\n".join(out) + "\n"


def _indent(text, prefix="   "):
    return "\n".join(prefix + line if line.strip() else "" for line in text.splitlines())


def verdict_rst(verdict):
    return "**%s** — %s" % (VERDICT_MARK[verdict.verdict], verdict.measured.replace("*", r"\*"))


def compact_trace(loop_text):
    """An optimised loop as a slide shows it: without its header line (the caption says
    it) and with addresses and token ids (nine digits or more) shortened to ``…``."""
    lines = (loop_text or "").splitlines()
    if lines and lines[0].startswith("loop "):
        lines = lines[1:]
    return "\n".join(re.sub(r"\b\d{9,}\b", "…", line) for line in lines)


class _Expander:
    def __init__(self, out_dir, results_dir=None, notebooks_href="../notebooks"):
        self.out_dir = Path(out_dir)
        self.results_dir = results_dir
        self.notebooks_href = notebooks_href
        self._results = {}
        self._checked = {}
        self.errors = []
        self.warnings = []
        self.shown_alone = set()    # claims a jitgap-verdict shows (set by expand)
        self.topic_order = []       # topics in the order the deck first shows them
        self.notes = []             # cues a directive adds to its slide's presenter notes
        self.talk_info = read_talk(None)      # build_deck reads the talk.cfg beside the source

    def results(self, name):
        if name not in self._results:
            self._results[name] = load_results(name, self.results_dir)
            self.warnings.extend(self._results[name].warnings())
        return self._results[name]

    def figure(self, arg):
        results = self.results(arg)
        figures = self.out_dir / "figures"
        figures.mkdir(parents=True, exist_ok=True)
        fig = gap_figure(results, title="", width=12, fontsize=11)
        fig.savefig(str(figures / (arg + ".png")), dpi=100)
        return ".. image:: figures/%s.png\n   :class: gap\n   :alt: gap chart of %s" % (arg, arg)

    def verdicts_of(self, name):
        """{claim id: Verdict} of a topic, computed once per build."""
        if name not in self._checked:
            self._checked[name] = {v.claim.id: v for v in check(name, self.results_dir)}
        return self._checked[name]

    def verdict(self, arg):
        """``TOPIC/CLAIM [TOPIC/CLAIM ...]``: claims as badges, side by side (with "Today:"
        when one does not hold)."""
        shown = []
        for key in arg.split():
            name, _, claim_id = key.partition("/")
            verdicts = self.verdicts_of(name)
            if claim_id not in verdicts:
                raise JitgapError("topic %s has no claim %r (claims: %s)"
                                  % (name, claim_id, ", ".join(verdicts) or "none"))
            shown.append(verdicts[claim_id])
        return _raw(slides.badges_html(shown))

    def verdicts(self, arg):
        """Every claim of a topic, except those a ``jitgap-verdict`` shows elsewhere."""
        verdicts = self.verdicts_of(arg)
        if not verdicts:
            raise JitgapError("topic %s declares no claims" % arg)
        shown = [v for v in verdicts.values() if v.claim.key not in self.shown_alone]
        if not shown:
            return ""
        return ".. class:: verdicts\n\n" + "\n".join("- " + verdict_rst(v) for v in shown)

    def code(self, arg, kind="code"):
        parts = arg.split()
        if len(parts) < 2:
            raise JitgapError("jitgap-%s needs TOPIC NAME [NAME ...]" % kind)
        topic = get_topic(parts[0])
        if kind == "ccode":
            read, language = topic.c_code, "c"
        else:   # the docstrings are for readers of the file; the slide says it aloud
            read, language = (lambda n: topic.code(n, docstring=False)), "python"
        code = "\n\n".join(read(n) for n in parts[1:])
        return ".. code-block:: %s\n\n%s" % (language, _indent(code))

    def ccode(self, arg):
        return self.code(arg, "ccode")

    def notebook(self, arg):
        name, _, style = arg.partition(" ")
        path = notebook_for(name)
        if path is None:
            raise JitgapError("no notebook notebooks/NN-%s.ipynb" % name)
        if style.strip() == "short":
            return (".. class:: nblink\n\n→ notebook `%s <%s/%s.html>`__"
                    % (path.stem, self.notebooks_href, path.stem))
        return ("Notebook: `%s <%s/%s.html>`__ (source: ``notebooks/%s``)"
                % (path.stem, self.notebooks_href, path.stem, path.name))

    def notebook_link(self, name):
        """`` → notebook 03-boxing`` as HTML (inside a raw block, e.g. a caption)."""
        path = notebook_for(name)
        if path is None:
            raise JitgapError("no notebook notebooks/NN-%s.ipynb" % name)
        return (' <span class="nblink">→ notebook <a href="%s/%s.html">%s</a></span>'
                % (self.notebooks_href, path.stem, path.stem))

    def trace(self, arg):
        """``TOPIC VARIANT``: the stored optimised loop (``jitgap trace --save``)."""
        parts = arg.split()
        if len(parts) != 2:
            raise JitgapError("jitgap-trace needs TOPIC VARIANT")
        get_topic(parts[0])
        try:
            data = load_trace(parts[0], parts[1], self.results_dir)
        except JitgapError as exc:
            self.warnings.append(str(exc))
            return "*%s/%s: not traced yet (make bench)*" % (parts[0], parts[1])
        r = data["report"]
        body = r["in_loop_bodies"]
        caption = ("Optimised loop of %s under %s, per iteration: %d allocation(s), %d "
                   "guard(s), %d call(s) (results/%s/traces/%s.json)" % (
                       parts[1], data["interpreter"], body["allocations"], body["guards"],
                       body["calls"], parts[0], parts[1]))
        body = compact_trace(data["loop"]) or "(no optimised loop was compiled)"
        return "%s\n\n.. class:: caption\n\n%s" % (
            _raw('<pre class="trace">%s</pre>' % html.escape(body)), caption)

    def warmup(self, arg):
        """``TOPIC VARIANT``: the stored warm-up curves and, per interpreter, a sentence."""
        parts = arg.split()
        if len(parts) != 2:
            raise JitgapError("jitgap-warmup needs TOPIC VARIANT")
        topic = get_topic(parts[0])
        if parts[1] not in topic.variants:
            raise JitgapError("topic %s has no variant %r" % (parts[0], parts[1]))
        try:
            report = load_warmup(topic, parts[1], self.results_dir)
        except JitgapError as exc:
            self.warnings.append(str(exc))
            return "*%s/%s: warm-up not measured yet (make bench)*" % (parts[0], parts[1])
        fig = warmup_figure(report, width=9.6, fontsize=15, title="", caption_below=False)
        self.notes.extend("%s: first call %s, %s at %s" % (
            report.labels[interp], format_seconds(report.curves[interp][0]),
            report.steady_text(interp), format_seconds(report.steady_seconds(interp)))
            for interp in sorted(report.curves, key=lambda n: (n != "cpython", n)))
        return figure_html(self, fig, "warmup-%s-%s.png" % (parts[0], parts[1]),
                           "warm-up curves of %s.%s" % (parts[0], parts[1]),
                           warmup_caption(report), cls="chart wide")

    def memory(self, arg):
        """Bytes per object for a million small objects, as stored by ``make bench``."""
        if arg.strip():
            raise JitgapError("jitgap-memory takes no argument")
        try:
            sizes = load_sizes(self.results_dir)
        except JitgapError as exc:
            self.warnings.append(str(exc))
            return "*bytes per object: not measured yet (make bench)*"
        names = list(sizes)
        head = [re.sub(r" \(Python [\d.]+\)", "", sizes[n]["label"]) for n in names]
        table = Table(["one more …"] + head, [
            [kind] + ["%.0f B" % sizes[n]["bytes"][kind] for n in names]
            for kind in (sizes[names[0]]["bytes"] if names else [])])
        return table.list_table("memory") + ("\n\n.. class:: detail\n\nA million objects kept in a list, "
                                 "resident-set growth per object, the list's 8-byte slot "
                                 "included (results/memory/bytes_per_object.json)")

    def ratio(self, arg):
        """``TOPIC VARIANT [NAME [REF]]``: "PyPy 52 ± 4x faster than CPython" (NAME
        defaults to pypy, REF to cpython)."""
        parts = arg.split()
        if len(parts) not in (2, 3, 4):
            raise JitgapError("jitgap-ratio needs TOPIC VARIANT [INTERPRETER [REFERENCE]]")
        results = self.results(parts[0])
        if parts[1] not in results.topic.variants:
            raise JitgapError("topic %s has no variant %r" % (parts[0], parts[1]))
        name = parts[2] if len(parts) >= 3 else "pypy"
        reference = parts[3] if len(parts) == 4 else REFERENCE
        ref, m = results.get(parts[1], reference), results.get(parts[1], name)
        if ref is None or m is None:
            missing = " and ".join(n for n, x in ((name, m), (reference, ref)) if x is None)
            return "*%s/%s on %s: not measured*" % (parts[0], parts[1], missing)
        return "**%s**" % ratio(ref, m).describe(results.short_label(name),
                                                 results.short_label(reference))

    def overall(self, arg):
        """Three numbers side by side: this kit's micro-benchmarks, real programs measured
        here, and the published figure; then PyPy without its JIT."""
        return slides.headlines(self)

    def overview(self, arg):
        fig = overview_figure(self.results_dir, width=12, fontsize=14, caption_below=False,
                              height=5.6)
        machine = next((self.results(t).machine() for t in self.topic_order
                        if self.results(t)), None)
        return figure_html(self, fig, "overview.png", "every variant's gap",
                           overview_caption(machine), cls="chart overview")

    def changed(self, arg):
        """Every claim that does not hold (or, ``inconclusive``, that neither holds nor
        fails: on its threshold, or not decided)."""
        fails, unsure = changed(self.results_dir)
        picked = unsure if arg.strip() == "inconclusive" else fails
        return slides.changed_list(picked) if picked else "(none)"

    def measured(self, arg):
        parts = arg.split()
        if len(parts) < 2:
            raise JitgapError("jitgap-measured needs TOPIC CLAIM [CLAIM [CLAIM]]")
        rst, notes = slides.measured(self, get_topic(parts[0]), parts[1:])
        self.notes.extend(notes)
        return rst

    def programs(self, arg):
        """``TOPIC [CLAIM ...]``: a topic of real programs, sorted by PyPy's speed-up."""
        parts = arg.split()
        if not parts:
            raise JitgapError("jitgap-programs needs TOPIC [CLAIM ...]")
        return slides.programs(self, get_topic(parts[0]), parts[1:])

    def slower(self, arg):
        return slides.slower(self)

    def reversals(self, arg):
        return slides.reversals(self, int(arg) if arg.strip() else 6)

    def backup(self, arg):
        """Per topic (named, else every topic in the order the deck shows them): its full
        chart and every claim, two slides each."""
        names = arg.split() or self.topic_order + sorted(
            t.name for t in list_topics() if t.name not in self.topic_order)
        return "\n\n----\n\n".join(slides.backup_topic(self, get_topic(n)) for n in names)

    def talk(self, arg):
        return talk_lines(self.talk_info)

    def kit(self, arg):
        return kit_line(self.talk_info)

    def expand(self, text):
        # a claim shown on its own slide (jitgap-verdict) is left out of its topic's list
        self.shown_alone = {key for m in map(DIRECTIVE_RE.match, text.splitlines())
                            if m and m.group("kind") == "verdict"
                            for key in m.group("arg").split()}
        order = topic_slides(text)
        self.topic_order = sorted(order, key=order.get)
        out = []
        for first, lines in split_slides(text):
            body = []
            self.notes = []
            for lineno, line in enumerate(lines, first):
                m = DIRECTIVE_RE.match(line)
                if not m:
                    body.append(line)
                    continue
                kind = m.group("kind")
                handler = getattr(self, kind) if kind in DIRECTIVES else None
                if handler is None:
                    self.errors.append("line %d: unknown directive jitgap-%s" % (lineno, kind))
                    continue
                try:
                    body.append(_indent(handler(m.group("arg")), m.group("indent")))
                except JitgapError as exc:
                    self.errors.append("line %d: %s" % (lineno, exc))
            slide = "\n".join(body)
            out.append(add_notes(slide, self.notes) if self.notes else slide)
        return "\n\n----\n\n".join(s.strip("\n") for s in out) + "\n"


def _stderr_warning(message):
    print("warning: %s" % message, file=sys.stderr)


def check_rst(text, source):
    """docutils warnings and errors of the expanded deck (landslide would hide them)."""
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import Reporter, new_document

    settings = get_default_settings(Parser)
    settings.report_level = settings.halt_level = Reporter.SEVERE_LEVEL + 1
    document = new_document(str(source), settings)
    messages = []

    def observer(msg):
        if msg["level"] >= Reporter.WARNING_LEVEL:
            messages.append("line %s: %s" % (msg.get("line", "?"), msg.astext()))

    document.reporter.attach_observer(observer)
    Parser().parse(text, document)
    return messages


def deck_plan(source=None):
    """The minute plan of a deck source (its ``talk.cfg`` beside it), without building it:
    see :func:`jitgap._talk.plan`."""
    source = Path(source) if source else project_root() / "slides" / "speed_of_pypy.rst"
    return plan(source.read_text(encoding="utf-8"), read_talk(source.parent / "talk.cfg"))


def build_deck(source=None, destination=None, results_dir=None, warn=None):
    """Build the deck; returns the HTML path.  Raises JitgapError listing every problem.

    Unreadable or stale result files do not stop the build (their topic shows as not
    measured); each is passed to ``warn`` (default: printed on stderr) with its path."""
    from landslide.generator import Generator   # imported to build, not to plan

    root = project_root()
    source = Path(source) if source else root / "slides" / "speed_of_pypy.rst"
    destination = Path(destination) if destination else root / "build" / "slides" / (
        source.stem + ".html")
    text = source.read_text(encoding="utf-8")
    work = destination.parent / ("." + destination.stem + "-src")
    if work.exists():
        shutil.rmtree(str(work))
    work.mkdir(parents=True)
    expander = _Expander(work, results_dir)
    expander.talk_info = read_talk(source.parent / "talk.cfg")
    expanded = expander.expand(link_notebooks(text))
    if expander.errors:
        raise JitgapError("%s:\n  %s" % (source, "\n  ".join(expander.errors)))
    for message in sorted(set(expander.warnings)):
        (warn or _stderr_warning)(message)
    problems = check_rst(expanded, work / source.name)
    if problems:
        raise JitgapError("%s (after expansion): RST problems:\n  %s"
                          % (source, "\n  ".join(problems)))
    rst = work / source.name
    rst.write_text(expanded, encoding="utf-8")
    slides_dir = root / "slides"
    css = slides_dir / "jitgap.css"
    theme = str(slides_dir / "theme") if (slides_dir / "theme").is_dir() else "light"
    plan_js = work / "plan.js"
    plan_js.write_text("window.JITGAP_PLAN = %s;\n" % json.dumps(plan(expanded,
                                                                      expander.talk_info)),
                       encoding="utf-8")
    log = []
    with atomic_path(destination) as tmp:
        gen = Generator(str(rst), destination_file=tmp, embed=True, theme=theme,
                        presenter_notes=True, linenos="no", verbose=True,
                        logger=lambda message, kind="notice": log.append((kind, message)))
        if css.exists():
            gen.add_user_css(str(css))
        gen.add_user_js(str(plan_js))
        gen.execute()
        html = Path(tmp).read_text(encoding="utf-8")
        problems = [m for kind, m in log if kind in ("warning", "error")]
        problems += ["refers to %s outside the page" % url for url in sorted(set(
            re.findall(r'(?:src|href)="((?:https?:|file:|//)[^"]*)"', html)))]
        problems += ["image not embedded: %s" % url for url in sorted(set(
            re.findall(r'<img [^>]*src="(?!data:)([^"]*)"', html)))]
        if problems:
            raise JitgapError("%s:\n  %s" % (destination, "\n  ".join(problems)))
    return destination
