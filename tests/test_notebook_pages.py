"""The rendered notebooks (build/notebooks/*.html, what the deck links to) work offline.

Every page loads nothing from the network (nbconvert's CDN scripts are left out), its tab
carries the notebook's title, and no path of the building machine shows.  Two notebooks
(the index, with its live ``%%jitgap`` cell, and a topic) are rendered in reference mode as
``make slides`` does and opened in Chromium; every notebook's page is checked statically.
"""

import html as html_lib
import json
import os
import re
import shutil
import tempfile

import nbformat
import pytest

from conftest import ROOT
from jitgap import _notebooks

NOTEBOOKS = _notebooks.list_notebooks()
RENDERED = ["00-index", "03-boxing"]
CHROMIUM = shutil.which("chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

# What a page could fetch: src/href/data of loading elements, CSS url() and @import,
# JavaScript import() (nbconvert's Mermaid loader), protocol-relative or http(s).
_REMOTE = re.compile(
    r"<(?:script|img|link|iframe|source|video|audio|embed|object|track|input)\b[^>]*?"
    r"\b(?:src|href|data|poster|srcset)\s*=\s*[\"']?\s*(?:https?:)?//[^\s\"'>]*"
    r"|url\(\s*[\"']?\s*(?:https?:)?//[^\s\"')]*"
    r"|@import\s+(?:url\()?\s*[\"']?\s*(?:https?:)?//[^\s\"')]*"
    r"|\bimport\(\s*[\"'](?:https?:)?//[^\"']*", re.I)


def remote_loads(page):
    return _REMOTE.findall(page)


def machine_paths(page):
    """Absolute paths of the building machine found in a page."""
    roots = {str(ROOT), "/root/", "/home/", "/tmp/", os.path.expanduser("~") + "/",
             tempfile.gettempdir().rstrip("/") + "/"} - {"//"}
    return sorted({m.group(0) for root in roots
                   for m in re.finditer(re.escape(root) + r"[^\s\"'<]{0,40}", page)})


def title_of(path):
    return _notebooks.notebook_title(json.loads(path.read_text(encoding="utf-8")), path)


# -- every notebook, statically --------------------------------------------------------

def test_the_remote_load_check_sees_nbconverts_cdn_scripts():
    """The check below is not vacuous: the stock lab template loads from cdnjs."""
    from nbconvert import HTMLExporter
    nb = nbformat.read(str(NOTEBOOKS[0]), as_version=4)
    stock, _ = HTMLExporter().from_notebook_node(nb)
    found = " ".join(remote_loads(stock))
    assert "require.min.js" in found and "mathjax" in found and "mermaid" in found


def test_every_notebook_page_loads_nothing_and_carries_its_title():
    exporter = _notebooks.html_exporter()
    for path in NOTEBOOKS:
        nb = nbformat.read(str(path), as_version=4)
        assert _notebooks.offline_gaps(nb) == [], path.name
        page = _notebooks.to_html(nb, path, exporter)
        assert remote_loads(page) == [], path.name
        assert "<script src=" not in page, path.name
        title = title_of(path)
        assert title and title != "Notebook", path.name
        assert "<title>%s</title>" % html_lib.escape(title, quote=False) in page, path.name


def test_titles_are_the_first_headings():
    assert title_of(ROOT / "notebooks" / "03-boxing.ipynb") == "03 · Removing object boxing"
    assert title_of(NOTEBOOKS[0]) == "Speed of PyPy — the notebooks"
    nb = {"metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {"tags": ["jitgap-nav"]}, "source": "# nav"},
        {"cell_type": "markdown", "metadata": {}, "source": "Intro\n\n## The `id()` of "
                                                             "[objects](x.ipynb) ##"}]}
    assert _notebooks.notebook_title(nb) == "The id() of objects"
    nb["metadata"]["title"] = "Chosen"
    assert _notebooks.notebook_title(nb) == "Chosen"


def test_offline_gaps_finds_what_an_offline_page_cannot_show():
    def md(text):
        return {"cell_type": "markdown", "metadata": {}, "source": text}

    clean = {"metadata": {}, "cells": [md("costs $5 or $6; `$x$` is code; ```\n$y$\n```")]}
    assert _notebooks.offline_gaps(clean) == []
    for cell in (md("Euler: $e^{i\\pi} = -1$"), md("$$x$$"), md("\\(x\\)"),
                 md("```mermaid\ngraph TD; A-->B\n```"),
                 {"cell_type": "code", "metadata": {}, "source": "", "outputs": [
                     {"output_type": "display_data", "metadata": {},
                      "data": {"application/vnd.jupyter.widget-view+json": {}}}]}):
        assert _notebooks.offline_gaps({"metadata": {}, "cells": [cell]}), cell
    assert _notebooks.offline_gaps({"metadata": {"widgets": {}}, "cells": []})


@pytest.mark.slow
def test_a_timeit_caption_names_no_temporary_path():
    from jitgap._interpreters import select_interpreters
    from jitgap._plot import caption
    from jitgap._timeit import timeit
    results, _ = timeit("x = 1", interpreters=select_interpreters(only=["cpython"]),
                        mode="smoke", quiet=True)
    assert results, "CPython measured the statement"
    text = caption(results)
    assert text.startswith("Source: a jitgap timeit statement, measured by jitgap in smoke "
                           "mode"), text
    assert not machine_paths(text), text


# -- two rendered pages in the browser -------------------------------------------------

@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """00-index and 03-boxing rendered as `make slides` does (reference mode)."""
    out = tmp_path_factory.mktemp("notebooks")
    paths = [ROOT / "notebooks" / (stem + ".ipynb") for stem in RENDERED]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JITGAP_MODE", "reference")       # render() sets it; undone afterwards
        mp.setenv("JUPYTER_PATH", os.environ.get("JUPYTER_PATH", ""))
        outcome = _notebooks.render(paths, out, mode="reference", echo=lambda *a: None)
    assert outcome == {p: None for p in paths}, outcome
    return {p: out / (p.stem + ".html") for p in paths}


@pytest.mark.kernel
def test_rendered_pages_name_no_path_of_this_machine(rendered):
    for path, page in rendered.items():
        text = page.read_text(encoding="utf-8")
        assert machine_paths(text) == [], path.name
        assert remote_loads(text) == [], path.name


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed "
                    "(make test installs it: apt-get install -y chromium)")
def test_rendered_pages_in_the_browser_load_nothing_and_show_their_title(rendered):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            requests = []
            page.on("request", lambda request: requests.append(request.url))
            for path, html in rendered.items():
                del requests[:]
                page.goto(html.as_uri(), wait_until="networkidle")
                outside = [u for u in requests if not u.startswith(("file:", "data:", "about:"))]
                assert not outside, (path.name, outside)
                assert page.title() == title_of(path), path.name
                state = page.evaluate("""() => ({
                    h1: (document.querySelector('h1') || {}).innerText || '',
                    images: document.images.length,
                    loaded: Array.from(document.images).filter(
                        i => i.complete && i.naturalWidth > 0).length,
                })""")
                assert state["h1"].startswith(title_of(path)), (path.name, state)
                assert state["images"] and state["loaded"] == state["images"], (path.name, state)
        finally:
            browser.close()
