"""Notebooks: numbered, committed without outputs, navigation generated, one per topic,
and each runs top to bottom in a fresh CPython and PyPy kernel (smoke mode)."""

import json

import pytest

import jitgap
from conftest import ROOT, have_pypy
from jitgap import _notebooks

NOTEBOOKS = _notebooks.list_notebooks()
DECK = (ROOT / "slides" / "speed_of_pypy.rst").read_text(encoding="utf-8")


def test_index_and_numbered_names():
    names = [p.name for p in NOTEBOOKS]
    assert names[0] == "00-index.ipynb"
    numbers = [n[:2] for n in names]
    assert len(set(numbers)) == len(numbers), "each number once"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, cell["id"]


def test_navigation_is_generated_and_up_to_date():
    assert _notebooks.update_nav(check=True) == [], "run `jitgap nav`"


def test_every_topic_has_a_notebook_linked_from_the_deck():
    from jitgap._deck import notebook_for, topic_slides
    linked = topic_slides(DECK, linked_only=True)
    for topic in jitgap.list_topics():
        assert notebook_for(topic.name), "no notebooks/NN-%s.ipynb" % topic.name
        assert topic.name in linked, "the deck has no `.. jitgap-notebook:: %s`" % topic.name
    for path in NOTEBOOKS[1:]:
        assert jitgap.get_topic(_notebooks.topic_of(path)), path


@pytest.mark.parametrize("path", NOTEBOOKS[1:], ids=lambda p: p.stem)
def test_topic_notebook_shows_code_from_the_file_and_calls_jitgap(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    calls = ("show_code(", "measure(", "gap_figure(", "verdict_table(")
    if jitgap.get_topic(_notebooks.topic_of(path)).programs:
        # a topic of real programs runs pyperformance's files, unmodified: too long to show;
        # the notebook names each file and plots one bar per program
        calls = (".files()", "measure(", "speedup_figure(", "verdict_table(")
    for call in calls:
        assert call in code, call
    for banned in ("perf_counter", "timeit", "time.time("):
        assert banned not in code, "timing code belongs in benchmarks/, not notebooks"
    markdown = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert len(markdown) >= 6


KERNELS = ["cpython3", pytest.param("pypy3", marks=pytest.mark.skipif(
    not have_pypy(), reason="PyPy is not installed"))]


@pytest.mark.kernel
@pytest.mark.pypy
@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_top_to_bottom(path, kernel, monkeypatch, tmp_path):
    monkeypatch.setenv("JITGAP_MODE", "smoke")
    monkeypatch.setenv("JITGAP_LIVE_RESULTS", str(tmp_path))
    nb, error = _notebooks.execute(path, kernel, timeout=600)
    assert error is None, error
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = json.dumps([o for o in outputs])
    assert "NOT MEASURED" not in text
    if path.stem == "00-index":
        expected = {"cpython3": "CPython", "pypy3": "PyPy"}[kernel]
        assert "This kernel runs %s" % expected in text
    else:
        assert "image/png" in text, "the gap chart is displayed"
        assert "holds" in text or "inconclusive" in text or "does not hold" in text


@pytest.mark.kernel
@pytest.mark.pypy
def test_a_failing_notebook_is_reported_and_still_rendered(tmp_path):
    nb = json.loads((ROOT / "notebooks" / "00-index.ipynb").read_text(encoding="utf-8"))
    nb["cells"] = [{"cell_type": "code", "id": "boom", "metadata": {}, "execution_count": None,
                    "outputs": [], "source": "1 / 0"}]
    path = tmp_path / "99-broken.ipynb"
    path.write_text(json.dumps(nb))
    outcome = _notebooks.render([path], tmp_path / "html", kernel="cpython3",
                                echo=lambda *a: None)
    assert "ZeroDivisionError" in outcome[path]
    assert "ZeroDivisionError" in (tmp_path / "html" / "99-broken.html").read_text()


def test_rendered_links_point_at_rendered_files():
    html = '<a href="04-x.ipynb">n</a> <a href="../build/slides/speed_of_pypy.html#slide3">s</a>'
    out = _notebooks.html_links(html)
    assert 'href="04-x.html"' in out and 'href="../slides/speed_of_pypy.html#slide3"' in out


@pytest.mark.kernel
@pytest.mark.pypy
@pytest.mark.parametrize("kernel", KERNELS)
def test_cell_magic_reports_a_syntax_error_per_interpreter(kernel, tmp_path, monkeypatch):
    monkeypatch.setenv("JITGAP_MODE", "smoke")
    nb = json.loads((ROOT / "notebooks" / "00-index.ipynb").read_text(encoding="utf-8"))
    nb["cells"] = [
        {"cell_type": "code", "id": "a", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "%load_ext jitgap"},
        {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "%%jitgap --only cpython,pypy\nmatch 1:\n    case 1:\n        pass"},
        {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "%%jitgap --bogus\npass"},
    ]
    path = tmp_path / "magic.ipynb"
    path.write_text(json.dumps(nb))
    done, error = _notebooks.execute(path, kernel, timeout=300)
    assert error is None, error
    shown = json.dumps([o for c in done.cells for o in c.outputs])
    assert "CPython 3." in shown and "image/png" in shown          # CPython measured
    assert "pypy could not run the cell" in shown and "SyntaxError" in shown
    assert "bad options" in shown
    assert "src/jitgap/" not in shown
