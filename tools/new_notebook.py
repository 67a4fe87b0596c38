"""Write a notebook from a plain-text outline: python3 tools/new_notebook.py OUTLINE NOTEBOOK.

The outline is a sequence of cells separated by lines of the form ``%% md`` or
``%% code``.  Cells get stable ids (cell-1, cell-2, ...) so diffs stay readable; the
navigation cells are added afterwards by ``jitgap nav``.  Used to author notebooks as
reviewable text; the notebook is the file that is committed and maintained.  Notebooks are
saved with the PyPy kernel (kernels/pypy3/kernel.json), which JupyterLab then opens.
"""

import json
import re
import sys
from pathlib import Path

KERNELS = Path(__file__).resolve().parents[1] / "kernels"
KERNEL = "pypy3"  # the talk's subject: JupyterLab opens the notebook on it


def cells_from_outline(text):
    cells = []
    for kind, body in re.findall(r"^%% (md|code)\n(.*?)(?=^%% (?:md|code)\n|\Z)", text,
                                 re.S | re.M):
        cell = {"cell_type": "markdown" if kind == "md" else "code",
                "id": "cell-%d" % (len(cells) + 1), "metadata": {}, "source": body.strip("\n")}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        cells.append(cell)
    return cells


def kernelspec(name=KERNEL):
    """A notebook's ``metadata.kernelspec`` for one of the project's kernels/NAME."""
    spec = json.loads((KERNELS / name / "kernel.json").read_text(encoding="utf-8"))
    return {"display_name": spec["display_name"], "language": spec["language"], "name": name}


def notebook(cells):
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": kernelspec(),
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


if __name__ == "__main__":
    outline, target = sys.argv[1:3]
    nb = notebook(cells_from_outline(open(outline, encoding="utf-8").read()))
    with open(target, "w", encoding="utf-8") as f:
        f.write(json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
