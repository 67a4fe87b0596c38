"""Running a notebook does not dirty the tree: git stores notebooks through a clean filter."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT
from jitgap._notebooks import SAVED_KERNELSPEC, clean

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def as_jupyterlab_saves_it(text, kernel="python3"):
    """The notebook after a run in JupyterLab on another kernel: outputs, counts, metadata."""
    nb = json.loads(text)
    for n, cell in enumerate(nb["cells"]):
        source = cell["source"]
        cell["source"] = "".join(source) if isinstance(source, list) else source
        cell["metadata"]["execution"] = {"iopub.status.busy": "2026-12-01T10:00:00.0Z"}
        if cell["cell_type"] == "code":
            cell["execution_count"] = n
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["hi\n"]},
                               {"output_type": "execute_result", "execution_count": n,
                                "data": {"text/plain": ["1"]}, "metadata": {}}]
    nb["metadata"]["kernelspec"] = {"display_name": "CPython 3 (jitgap)", "language": "python",
                                    "name": kernel}
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.7",
                                       "mimetype": "text/x-python"}
    return json.dumps(nb, indent=1)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebooks_are_stored_clean(path):
    text = path.read_text(encoding="utf-8")
    assert clean(text) == text, "run: python tools/nbclean.py < %s" % path.name
    assert json.loads(text)["metadata"]["kernelspec"] == SAVED_KERNELSPEC


def test_a_run_on_another_kernel_cleans_back_to_the_committed_text():
    text = (ROOT / "notebooks" / "03-boxing.ipynb").read_text(encoding="utf-8")
    ran = as_jupyterlab_saves_it(text)
    assert ran != text
    assert clean(ran) == text


def test_setup_registers_the_filter_and_gitattributes_applies_it():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "git config filter.jitgap-notebook.clean" in makefile
    assert "tools/nbclean.py" in makefile
    attributes = (ROOT / ".gitattributes").read_text(encoding="utf-8")
    assert "*.ipynb filter=jitgap-notebook" in attributes


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_stores_a_run_notebook_without_its_outputs(tmp_path):
    def git(*args):
        return subprocess.run(["git"] + list(args), cwd=str(tmp_path), check=True,
                              stdout=subprocess.PIPE, universal_newlines=True).stdout

    git("init", "-q")
    git("config", "user.email", "t@example.org")
    git("config", "user.name", "t")
    git("config", "filter.jitgap-notebook.clean",
        '"%s" "%s"' % (sys.executable, ROOT / "tools" / "nbclean.py"))
    git("config", "filter.jitgap-notebook.smudge", "cat")
    git("config", "filter.jitgap-notebook.required", "true")
    shutil.copy(str(ROOT / ".gitattributes"), str(tmp_path / ".gitattributes"))
    nb = tmp_path / "03-boxing.ipynb"
    text = (ROOT / "notebooks" / "03-boxing.ipynb").read_text(encoding="utf-8")
    nb.write_text(text, encoding="utf-8")
    git("add", ".")
    git("commit", "-qm", "notebook")
    nb.write_text(as_jupyterlab_saves_it(text), encoding="utf-8")
    # saved by a Jupyter without the pre-save hook: git sees through the outputs (git status
    # may still list the file until it is added, as with nbstripout), and commits none
    assert git("diff") == ""
    git("add", "-A")
    assert git("status", "--porcelain") == ""
    assert git("diff", "--cached") == ""


def test_jupyterlab_under_make_lab_saves_the_notebook_clean():
    """`make lab` sets Jupyter's pre_save_hook: autosave writes the committed text."""
    config = json.loads((ROOT / "jupyter" / "jupyter_config.json").read_text())
    assert config["FileContentsManager"]["pre_save_hook"] == "jitgap._notebooks.pre_save_hook"
    import nbformat
    from jitgap._notebooks import pre_save_hook
    text = (ROOT / "notebooks" / "03-boxing.ipynb").read_text(encoding="utf-8")
    model = {"type": "notebook", "content": json.loads(as_jupyterlab_saves_it(text))}
    pre_save_hook(model=model, path="notebooks/03-boxing.ipynb", contents_manager=None)
    out = nbformat.writes(nbformat.from_dict(model["content"]), version=4)
    assert out + "\n" == text          # nbformat.write (Jupyter's) ends the file with a newline
    other = {"type": "file", "content": "x = 1\n"}
    pre_save_hook(model=other, path="x.py", contents_manager=None)
    assert other["content"] == "x = 1\n"
