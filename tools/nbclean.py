"""git's clean filter for notebooks: a notebook on stdin, as git stores it on stdout.

`make setup` registers it (``git config filter.jitgap-notebook.clean``) and
``.gitattributes`` applies it to ``*.ipynb``: outputs, execution counts and the kernel a run
chose stay in your working copy and never show in ``git status`` or a commit.
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))   # this checkout's jitgap
from jitgap._notebooks import clean  # noqa: E402

if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    text = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(clean(text).encode("utf-8"))
