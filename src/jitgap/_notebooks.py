"""The notebooks folder: generated navigation cells, and headless execution to HTML.

Navigation (``jitgap nav``): every ``notebooks/NN-*.ipynb`` gets a first and a last
cell tagged ``jitgap-nav`` (previous · index · next · the topic's slide), and
``00-index.ipynb`` a cell tagged ``jitgap-index`` listing every notebook.  They are
generated from the file names, the benchmark docstrings and the deck, never edited by
hand; ``jitgap nav --check`` fails when they are out of date.

Rendering (``jitgap notebooks``): executes each notebook in a fresh kernel (mode from
``JITGAP_MODE``) and writes ``build/notebooks/NN-*.html`` with ``.ipynb`` links turned
into ``.html`` ones, so the rendered notebooks and the deck link to each other.  The
notebooks are saved with the PyPy kernel (the talk's subject, what JupyterLab opens);
reference mode, which measures nothing, renders with the CPython kernel so that the deck
(``make slides``) needs no PyPy.  The pages work offline: titled by the notebook's first
heading, they load nothing (see ``OFFLINE_TEMPLATE``).
"""

import json
import os
import re
import tempfile
from pathlib import Path

from ._atomic import atomic_write_text
from ._deck import topic_slides
from ._errors import JitgapError
from ._paths import notebooks_dir, project_root
from ._topics import get_topic

NAV_TAG = "jitgap-nav"
INDEX_TAG = "jitgap-index"
DECK_FROM_NOTEBOOKS = "../build/slides/speed_of_pypy.html"
REFERENCE_KERNEL = "cpython3"  # renders reference mode (the deck's notebooks): no PyPy needed

# nbconvert's lab template loads require.js, MathJax and (for diagrams) Mermaid from a CDN.
# The notebooks use none of them (no widgets, no math, no diagrams: ``offline_gaps`` finds
# any, and the tests check every notebook), so the pages leave them out and load nothing;
# everything else (CSS, images) is inline already.
OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


def list_notebooks(folder=None):
    folder = Path(folder) if folder else notebooks_dir()
    return sorted(folder.glob("[0-9][0-9]-*.ipynb"))


def topic_of(path):
    """``03-boxing.ipynb`` -> ``boxing`` (``None`` for the index)."""
    name = Path(path).stem[3:]
    return None if name == "index" else name


def _title(path):
    topic = topic_of(path)
    if topic is None:
        return "Index"
    try:
        return get_topic(topic).title.rstrip(".")
    except JitgapError:
        return topic


def _plain(markdown):
    """Markdown inline text as plain text: links by their text, no code or emphasis marks."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"[`*]", "", text).strip()


def notebook_title(nb, path=None):
    """A notebook's title (its rendered page's tab): ``metadata.title`` if set, else its
    first markdown heading, else the topic's title."""
    title = nb.get("metadata", {}).get("title")
    if title:
        return title
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown" or _tagged(cell, NAV_TAG):
            continue
        for line in _source(cell).splitlines():
            match = re.match(r" {0,3}#{1,6}\s+(.+?)(?:\s+#+)?\s*$", line)
            if match:
                return _plain(match.group(1))
    return _title(path) if path else "Notebook"


_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.S)
_MATH = re.compile(r"\$\$|\\\(|\\\[|\\begin\{|(?<![\w$\\])\$(?=\S)[^$\n]*?\S\$(?![\w$])")
_MERMAID = re.compile(r"^\s*(```|~~~)\s*mermaid", re.M)


def offline_gaps(nb):
    """What an offline page of ``nb`` could not show (it loads no MathJax, widget manager
    or Mermaid): math, widgets, diagrams; an empty list when nothing is lost."""
    gaps = []
    if "widgets" in nb.get("metadata", {}):
        gaps.append("notebook metadata: widget state")
    for number, cell in enumerate(nb.get("cells", []), 1):
        texts = [_source(cell)] if cell.get("cell_type") == "markdown" else []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data:
                gaps.append("cell %d: a widget" % number)
            if "text/latex" in data and not {"text/html", "text/markdown", "image/svg+xml"} \
                    & set(data):  # nbconvert shows LaTeX before PNG or plain text
                gaps.append("cell %d: a LaTeX output (needs MathJax)" % number)
            text = data.get("text/markdown", "")
            texts.append("".join(text) if isinstance(text, list) else text)
        for text in texts:
            if _MERMAID.search(text):
                gaps.append("cell %d: a Mermaid diagram" % number)
            if _MATH.search(_CODE.sub("", text)):
                gaps.append("cell %d: math (needs MathJax)" % number)
    return gaps


def html_exporter():
    """nbconvert's HTML exporter with the lab template minus everything it would load."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    return HTMLExporter(extra_loaders=[DictLoader({"jitgap-offline.html.j2": OFFLINE_TEMPLATE})],
                        template_file="jitgap-offline.html.j2")


def to_html(nb, path=None, exporter=None):
    """The page of a (usually executed) notebook: offline, titled, links to rendered files."""
    exporter = exporter or html_exporter()
    html, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": notebook_title(nb, path)}})
    return html_links(html)


def _slides(deck):
    deck = Path(deck) if deck else project_root() / "slides" / "speed_of_pypy.rst"
    return topic_slides(deck.read_text(encoding="utf-8")) if deck.exists() else {}


def nav_markdown(paths, index, slides):
    path = paths[index]
    parts = []
    if index > 0:
        parts.append("[← %s](%s)" % (paths[index - 1].stem, paths[index - 1].name))
    if topic_of(path) is not None:
        parts.append("[Index](00-index.ipynb)")
    if index + 1 < len(paths):
        parts.append("[%s →](%s)" % (paths[index + 1].stem, paths[index + 1].name))
    topic = topic_of(path)
    if topic in slides:
        parts.append("[Slide %d of the talk](%s#slide%d)" % (slides[topic], DECK_FROM_NOTEBOOKS,
                                                             slides[topic]))
    elif topic is None:
        parts.append("[The talk](%s)" % DECK_FROM_NOTEBOOKS)
    return "<!-- generated by `jitgap nav`: do not edit -->\n" + " · ".join(parts)


def index_markdown(paths):
    lines = ["<!-- generated by `jitgap nav`: do not edit -->",
             "| # | notebook | what it measures |", "|---|---|---|"]
    for path in paths:
        topic = topic_of(path)
        if topic is None:
            continue
        lines.append("| %s | [%s](%s) | %s |" % (path.stem[:2], topic, path.name, _title(path)))
    return "\n".join(lines)


def _cell(source, tag, cell_id):
    return {"cell_type": "markdown", "id": cell_id, "metadata": {"tags": [tag]},
            "source": source}


def _tagged(cell, tag):
    return tag in cell.get("metadata", {}).get("tags", [])


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def render_nav(nb, paths, index, slides):
    """The notebook dict with its generated cells (re)placed; other cells untouched."""
    cells = [c for c in nb["cells"] if not _tagged(c, NAV_TAG)]
    nav = nav_markdown(paths, index, slides)
    if topic_of(paths[index]) is None:
        body = index_markdown(paths)
        for i, c in enumerate(cells):
            if _tagged(c, INDEX_TAG):
                cells[i] = _cell(body, INDEX_TAG, c.get("id", "index"))
                break
        else:
            cells.append(_cell(body, INDEX_TAG, "index"))
    nb = dict(nb)
    nb["cells"] = [_cell(nav, NAV_TAG, "nav-top")] + cells + [_cell(nav, NAV_TAG, "nav-bottom")]
    return nb


def dumps(nb):
    """A notebook's text as Jupyter writes it (``nbformat.writes``), so a notebook saved by
    JupyterLab under `make lab` is byte for byte the committed file."""
    import nbformat
    text = nbformat.writes(nbformat.from_dict(nb), version=nbformat.NO_CONVERT)
    return text if text.endswith("\n") else text + "\n"     # as nbformat.write ends a file


#: what every tracked notebook is saved with (they open on the PyPy kernel)
SAVED_KERNELSPEC = {"display_name": "PyPy 3 (jitgap)", "language": "python", "name": "pypy3"}

#: the metadata `nbstripout` strips by default (its command line's list, 0.9)
NBSTRIPOUT_KEYS = ["metadata.signature", "metadata.widgets", "cell.metadata.collapsed",
                   "cell.metadata.ExecuteTime", "cell.metadata.execution",
                   "cell.metadata.heading_collapsed", "cell.metadata.hidden",
                   "cell.metadata.scrolled"]


def clean_notebook(nb):
    """The notebook (a dict) as the project stores it: no outputs, no execution counts, none
    of the metadata a run writes (nbstripout's list), on the PyPy kernel."""
    import nbformat
    from nbstripout._utils import strip_output

    nb = strip_output(nbformat.from_dict(nb), keep_output=False, keep_count=False,
                      keep_id=True, extra_keys=NBSTRIPOUT_KEYS + ["metadata.language_info",
                                                                  "metadata.kernelspec"])
    nb.metadata["kernelspec"] = dict(SAVED_KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def clean(text):
    """A notebook's text as git stores it (:func:`clean_notebook`, written by :func:`dumps`).
    `make setup` makes it git's clean filter of ``*.ipynb`` (tools/nbclean.py)."""
    import nbformat
    return dumps(clean_notebook(nbformat.reads(text, as_version=nbformat.NO_CONVERT)))


def pre_save_hook(model, **_):
    """Jupyter's ``ContentsManager.pre_save_hook`` under `make lab` (jupyter/
    jupyter_config.json): a notebook is saved clean, so running it in JupyterLab (autosave
    included) leaves the tracked file as it is; the outputs stay on the screen."""
    if model.get("type") == "notebook" and model.get("content") is not None:
        model["content"] = clean_notebook(model["content"])


def update_nav(check=False, folder=None, deck=None):
    """Regenerate the navigation cells; returns the notebooks that changed (or would)."""
    paths = list_notebooks(folder)
    slides = _slides(deck)
    changed = []
    for i, path in enumerate(paths):
        text = path.read_text(encoding="utf-8")
        new = dumps(render_nav(json.loads(text), paths, i, slides))
        if new != text:
            changed.append(path)
            if not check:
                atomic_write_text(path, new)
    return changed


def html_links(html):
    """Rewrite links for the rendered copies in build/notebooks/."""
    html = re.sub(r'href="([0-9][0-9]-[\w-]+)\.ipynb', r'href="\1.html', html)
    return html.replace('href="%s' % DECK_FROM_NOTEBOOKS, 'href="../slides/speed_of_pypy.html')


def execute(path, kernel=None, timeout=900):
    """Run a notebook top to bottom in a fresh kernel: ``(executed notebook, error)``.

    ``error`` is ``None`` or a one-line description of the failing cell (whose output
    stays in the notebook).  The kernel talks over IPC sockets in a private folder rather
    than TCP on localhost, and is shut down cleanly.
    """
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(str(path), as_version=4)
    name = kernel or nb.metadata.get("kernelspec", {}).get("name", "")
    error = None
    with tempfile.TemporaryDirectory(prefix="jitgap-kernel-") as tmp:
        km = KernelManager(kernel_name=name, transport="ipc", ip=os.path.join(tmp, "k"))
        client = NotebookClient(nb, km=km, timeout=timeout, kernel_name=name,
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute()
        except Exception as exc:
            lines = [line for line in str(exc).strip().splitlines() if line.strip()]
            error = "%s: %s" % (type(exc).__name__, lines[-1] if lines else "")
        finally:
            if km.has_kernel:
                km.shutdown_kernel(now=False)
    return nb, error


def render(paths=None, out_dir=None, kernel=None, mode=None, timeout=900, echo=print):
    """Execute notebooks headless and write HTML; returns {path: error or None}.

    The kernel is ``kernel``, else in reference mode CPython's, else the notebook's (PyPy).
    """
    root = project_root()
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(root)] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p])
    if mode:
        os.environ["JITGAP_MODE"] = mode
    mode = os.environ.get("JITGAP_MODE", "quick")
    if kernel is None and mode == "reference":
        kernel = REFERENCE_KERNEL
    out_dir = Path(out_dir) if out_dir else root / "build" / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    exporter = html_exporter()
    outcome = {}
    for path in paths or list_notebooks():
        path = Path(path)
        echo("executing %s (kernel %s, mode %s)" % (path.name, kernel or "from notebook", mode))
        nb, outcome[path] = execute(path, kernel, timeout)
        if outcome[path]:  # the failing cell's output stays in the HTML; go on
            echo("  FAILED: %s" % outcome[path])
        for gap in offline_gaps(nb):
            echo("  warning: the page works offline and cannot show %s" % gap)
        atomic_write_text(out_dir / (path.stem + ".html"), to_html(nb, path, exporter))
    return outcome
