"""Build the talk: expand jitgap directives in the RST, draw figures, run landslide.

The deck's source (``slides/speed_of_pypy.rst``) is plain landslide RST plus a few
line directives, each replaced at build time by content computed from ``results/``
and the benchmark files, so no number, verdict or code snippet is typed by hand::

    .. jitgap-figure:: TOPIC            the gap chart (PNG, embedded)
    .. jitgap-verdict:: TOPIC/CLAIM     one claim's verdict, with the numbers
    .. jitgap-verdicts:: TOPIC          every claim of a topic (but those shown by a
                                        jitgap-verdict elsewhere in the deck)
    .. jitgap-code:: TOPIC NAME [...]   source of variants/helpers from the benchmark file
    .. jitgap-ccode:: TOPIC NAME [...]  the same from the topic's C twin (benchmarks/TOPIC.c)
    .. jitgap-notebook:: TOPIC          link to the topic's rendered notebook
    .. jitgap-ratio:: TOPIC VARIANT [NAME [REF]]   one variant's ratio (to CPython, or to REF)
    .. jitgap-trace:: TOPIC VARIANT     its stored optimised loop (jitgap trace --save)
    .. jitgap-warmup:: TOPIC VARIANT    its stored warm-up curves (jitgap warmup --save)
    .. jitgap-memory::                  bytes per object, per interpreter (jitgap memory --save)
    .. jitgap-overall:: [NAME ...]      geometric-mean speed-up over every topic
    .. jitgap-overview::                every variant's speed-up, one chart
    .. jitgap-changed:: [inconclusive]  claims that do not hold (or cannot be decided)

A directive naming an unknown topic, claim, function or notebook fails the build with
the slide's line number.  The expanded RST is checked with docutils (landslide hides RST
errors), then landslide writes one self-contained HTML file (``-i``: CSS, JS and images
embedded), atomically.
"""

import json
import re
import shutil
from pathlib import Path

from ._atomic import atomic_path
from ._errors import JitgapError
from ._topics import get_topic, project_root

DIRECTIVE_RE = re.compile(r"^(?P<indent> *)\.\. jitgap-(?P<kind>[a-z]+)::\s*(?P<arg>.*?)\s*$")
TRANSITION_RE = re.compile(r"^-{4,}\s*$")
VERDICT_MARK = {"holds": "✔ holds", "fails": "✘ does not hold",
                "inconclusive": "≈ inconclusive", "unmeasured": "– not measured"}


def notebook_for(topic_name, folder=None):
    """``notebooks/NN-<topic>.ipynb`` for a topic, or ``None``."""
    folder = Path(folder) if folder else project_root() / "notebooks"
    found = sorted(folder.glob("[0-9][0-9]-%s.ipynb" % topic_name))
    return found[0] if found else None


def slide_numbers(rst_text):
    """{line number (1-based): slide number (1-based)} for every line of the deck."""
    numbers = {}
    slide = 1
    lines = rst_text.splitlines()
    for i, line in enumerate(lines, 1):
        blank_around = (i == 1 or not lines[i - 2].strip()) and (
            i == len(lines) or not lines[i].strip())
        if TRANSITION_RE.match(line) and blank_around:
            slide += 1
        numbers[i] = slide
    return numbers


#: the directive kinds, each a method of _Expander
DIRECTIVES = ("figure", "verdict", "verdicts", "code", "ccode", "notebook", "trace", "warmup",
              "memory", "ratio", "overall", "overview", "changed")
TOPIC_KINDS = ("code", "ccode", "figure", "verdicts", "verdict", "notebook", "trace", "warmup")


def _directive_topic(m):
    return m.group("arg").split()[0].split("/")[0] if m.group("arg") else None


def topic_slides(rst_text, linked_only=False):
    """{topic: number of the first slide about it} (for the notebooks' "back" link).

    With ``linked_only``, only slides with an explicit ``jitgap-notebook`` count."""
    numbers = slide_numbers(rst_text)
    found = {}
    for i, line in enumerate(rst_text.splitlines(), 1):
        m = DIRECTIVE_RE.match(line)
        if m and m.group("kind") in (("notebook",) if linked_only else TOPIC_KINDS):
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
                has_link = has_link or m.group("kind") == "notebook"
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


class _Expander:
    def __init__(self, out_dir, results_dir=None, notebooks_href="../notebooks"):
        self.out_dir = Path(out_dir)
        self.results_dir = results_dir
        self.notebooks_href = notebooks_href
        self._results = {}
        self.errors = []
        self.warnings = []
        self.shown_alone = set()    # claims a jitgap-verdict shows (set by expand)

    def results(self, name):
        from ._results import load_results
        if name not in self._results:
            self._results[name] = load_results(name, self.results_dir)
            self.warnings.extend(self._results[name].warnings())
        return self._results[name]

    def figure(self, arg):
        from ._plot import gap_figure
        results = self.results(arg)
        figures = self.out_dir / "figures"
        figures.mkdir(parents=True, exist_ok=True)
        fig = gap_figure(results, title="", width=12, fontsize=11)
        fig.savefig(str(figures / (arg + ".png")), dpi=100)
        return ".. image:: figures/%s.png\n   :class: gap\n   :alt: gap chart of %s" % (arg, arg)

    def _verdicts(self, name):
        from ._claims import check
        return {v.claim.id: v for v in check(name, self.results_dir)}

    def verdict(self, arg):
        name, _, claim_id = arg.partition("/")
        verdicts = self._verdicts(name)
        if claim_id not in verdicts:
            raise JitgapError("topic %s has no claim %r (claims: %s)"
                              % (name, claim_id, ", ".join(verdicts) or "none"))
        return ".. class:: verdict %s\n\n%s" % (verdicts[claim_id].verdict,
                                                verdict_rst(verdicts[claim_id]))

    def verdicts(self, arg):
        """Every claim of a topic, except those a ``jitgap-verdict`` shows elsewhere."""
        verdicts = self._verdicts(arg)
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
        read, language = (topic.c_code, "c") if kind == "ccode" else (topic.code, "python")
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

    def trace(self, arg):
        """``TOPIC VARIANT``: the stored optimised loop (``jitgap trace --save``)."""
        from ._trace import load_trace
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
        caption = ("Optimised loop of ``%s`` under %s, per iteration: %d allocation(s), %d "
                   "guard(s), %d call(s) (results/%s/traces/%s.json)" % (
                       parts[1], data["interpreter"], body["allocations"], body["guards"],
                       body["calls"], parts[0], parts[1]))
        body = data["loop"] or "(no optimised loop was compiled)"
        return ".. code-block:: text\n\n%s\n\n.. class:: detail\n\n%s" % (_indent(body),
                                                                          caption)

    def warmup(self, arg):
        """``TOPIC VARIANT``: the stored warm-up curves and, per interpreter, a sentence."""
        from ._compare import format_seconds
        from ._warmup import load_warmup, warmup_figure
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
        figures = self.out_dir / "figures"
        figures.mkdir(parents=True, exist_ok=True)
        name = "warmup-%s-%s.png" % (parts[0], parts[1])
        warmup_figure(report, width=12, fontsize=11, title="").savefig(str(figures / name),
                                                                      dpi=100)
        lines = []
        for interp in sorted(report.curves, key=lambda n: (n != "cpython", n)):
            lines.append("- %s: first call %s, %s at %s" % (
                report.labels[interp], format_seconds(report.curves[interp][0]),
                report.steady_text(interp), format_seconds(report.steady_seconds(interp))))
        return (".. image:: figures/%s\n   :class: gap\n   :alt: warm-up curves of %s.%s\n\n"
                ".. class:: detail\n\n%s" % (name, parts[0], parts[1], "\n".join(lines)))

    def memory(self, arg):
        """Bytes per object for a million small objects, as stored by ``make bench``."""
        from ._memory import load_sizes
        if arg.strip():
            raise JitgapError("jitgap-memory takes no argument")
        try:
            sizes = load_sizes(self.results_dir)
        except JitgapError as exc:
            self.warnings.append(str(exc))
            return "*bytes per object: not measured yet (make bench)*"
        names = list(sizes)
        head = [re.sub(r" \(Python [\d.]+\)", "", sizes[n]["label"]) for n in names]
        rows = [["one more …"] + head]
        for kind in sizes[names[0]]["bytes"] if names else []:
            rows.append([kind] + ["%.0f B" % sizes[n]["bytes"][kind] for n in names])
        out = [".. list-table::", "   :header-rows: 1", "   :class: memory", ""]
        for row in rows:
            out += ["   * - %s" % row[0]] + ["     - %s" % cell for cell in row[1:]]
        return "\n".join(out) + ("\n\n.. class:: detail\n\nA million objects kept in a list, "
                                 "resident-set growth per object, the list's 8-byte slot "
                                 "included (results/memory/bytes_per_object.json)")

    def ratio(self, arg):
        """``TOPIC VARIANT [NAME [REF]]``: "PyPy 52 ± 4x faster than CPython" (NAME
        defaults to pypy, REF to cpython)."""
        from ._compare import ratio
        from ._interpreters import REFERENCE
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
        from ._summary import overall
        out = []
        for name in (arg.split() or ["pypy", "pypy-nojit"]):
            o = overall(name, self.results_dir)
            out += [".. class:: headline %s" % name, "", o.headline(), "",
                    ".. class:: detail", "", o.detail().replace("*", r"\*"), ""]
        return "\n".join(out)

    def overview(self, arg):
        from ._plot import overview_figure
        figures = self.out_dir / "figures"
        figures.mkdir(parents=True, exist_ok=True)
        overview_figure(self.results_dir, width=10, fontsize=11).savefig(
            str(figures / "overview.png"), dpi=100)
        return ".. image:: figures/overview.png\n   :class: overview\n   :alt: every variant's gap"

    def changed(self, arg):
        from ._summary import changed
        fails, unsure = changed(self.results_dir)
        out = [".. class:: changed", ""]
        picked = unsure if arg.strip() == "inconclusive" else fails
        for v in picked:
            out.append("- ``%s``: %s" % (v.claim.key, v.measured.replace("*", r"\*")))
        if not picked:
            out.append("- (none)")
        return "\n".join(out)

    def expand(self, text):
        # a claim shown on its own slide (jitgap-verdict) is left out of its topic's list
        self.shown_alone = {m.group("arg").strip() for m in map(DIRECTIVE_RE.match,
                                                                text.splitlines())
                            if m and m.group("kind") == "verdict"}
        out = []
        for lineno, line in enumerate(text.splitlines(), 1):
            m = DIRECTIVE_RE.match(line)
            if not m:
                out.append(line)
                continue
            handler = getattr(self, m.group("kind")) if m.group("kind") in DIRECTIVES else None
            if handler is None:
                self.errors.append("line %d: unknown directive jitgap-%s" % (lineno,
                                                                              m.group("kind")))
                continue
            try:
                out.append(_indent(handler(m.group("arg")), m.group("indent")))
            except JitgapError as exc:
                self.errors.append("line %d: %s" % (lineno, exc))
        return "\n".join(out) + "\n"


def slide_titles(rst_text):
    """The title of every slide, in order (its first heading)."""
    titles = {}
    lines = rst_text.splitlines()
    numbers = slide_numbers(rst_text)
    for i in range(1, len(lines)):
        if lines[i] and set(lines[i]) <= set("=-~^*+#") and len(lines[i]) >= 3 \
                and lines[i - 1].strip() and not TRANSITION_RE.match(lines[i]):
            titles.setdefault(numbers[i + 1], lines[i - 1].strip())
    return [titles.get(n, "") for n in range(1, max(numbers.values() or [0]) + 1)]


def talk_plan(rst_text, minutes=None):
    """When each main slide is planned to start: ``{"total_minutes", "main_slides",
    "slides": [{"start", "minutes"}, ...]}`` (one entry per slide; ``null`` for backup
    slides, those from the one titled "Backup" on).  Provisional: every main slide gets
    an equal share of the talk's minutes."""
    titles = slide_titles(rst_text)
    main = titles.index("Backup") if "Backup" in titles else len(titles)
    total = float(minutes or 40)
    share = total / max(main, 1)
    slides = [{"start": round(k * share, 2), "minutes": round(share, 2)} if k < main else None
              for k in range(len(titles))]
    return {"total_minutes": total, "main_slides": main, "slides": slides}


def _stderr_warning(message):
    import sys
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


def build_deck(source=None, destination=None, results_dir=None, theme=None, warn=None):
    """Build the deck; returns the HTML path.  Raises JitgapError listing every problem.

    Unreadable or stale result files do not stop the build (their topic shows as not
    measured); each is passed to ``warn`` (default: printed on stderr) with its path."""
    from landslide.generator import Generator

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
    if theme is None:
        theme = str(slides_dir / "theme") if (slides_dir / "theme").is_dir() else "light"
    plan = work / "plan.js"
    plan.write_text("window.JITGAP_PLAN = %s;\n" % json.dumps(talk_plan(expanded)),
                    encoding="utf-8")
    log = []
    with atomic_path(destination) as tmp:
        gen = Generator(str(rst), destination_file=tmp, embed=True, theme=theme,
                        presenter_notes=True, linenos="no", verbose=True,
                        logger=lambda message, kind="notice": log.append((kind, message)))
        if css.exists():
            gen.add_user_css(str(css))
        gen.add_user_js(str(plan))
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
