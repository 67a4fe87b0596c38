"""The public API is small and documented; importing it changes nothing global."""

import re
import subprocess
import sys

import jitgap
import pytest
from conftest import ROOT


def test_public_names_exist_and_are_documented():
    for name in jitgap.__all__:
        obj = getattr(jitgap, name)
        if callable(obj):
            assert obj.__doc__ or obj.__init__.__doc__ or name in ("VERDICTS", "MODES"), name


def markdown_links(path):
    """The relative targets of a Markdown file's links and images (a link's text may span
    lines), without their #anchors."""
    text = path.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    return [t.split("#")[0] for t in targets
            if t.split("#")[0] and not re.match(r"[a-z]+:", t)]


def test_markdown_links_resolve():
    """Every relative link of the README and of docs/ points at a file of the repository."""
    pages = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))
    broken = [(page.name, target) for page in pages for target in markdown_links(page)
              if not (page.parent / target).exists()]
    assert not broken, broken


def test_markdown_links_are_found(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("see [the\nlog](docs/log.md#top), [a site](https://x.org), ![](a.png)")
    assert markdown_links(page) == ["docs/log.md", "a.png"]


@pytest.mark.slow
def test_import_does_not_import_matplotlib_or_pyplot():
    code = ("import sys, jitgap; jitgap.list_topics(); "
            "print('matplotlib' in sys.modules, 'matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE,
                         universal_newlines=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_readme_commands_exist():
    """Every `jitgap COMMAND` and `make TARGET` the README shows is real."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    from jitgap.__main__ import COMMANDS
    commands = set(re.findall(r"(?:^ {4}|`)jitgap (\w[\w-]*)", readme, re.M))
    assert commands and commands <= set(COMMANDS), commands - set(COMMANDS)
    targets = set(re.findall(r"(?:^ {4}|`)make (\w[\w-]*)", readme, re.M))
    defined = set(re.findall(r"^([a-z-]+):", makefile, re.M))
    assert {"slides", "test"} <= targets and targets <= defined, targets - defined


@pytest.mark.slow
def test_make_help_lists_the_targets():
    out = subprocess.run(["make", "-s", "help"], cwd=str(ROOT), stdout=subprocess.PIPE,
                         universal_newlines=True, check=True)
    for target in ("slides", "test", "setup", "bench", "notebooks", "lab", "kernels", "clean"):
        assert "make %s" % target in out.stdout


@pytest.mark.slow
def test_make_kernels_installs_specs_pointing_at_this_checkout(tmp_path):
    import json
    import os
    env = dict(os.environ, JUPYTER_DATA_DIR=str(tmp_path))
    subprocess.run([sys.executable, str(ROOT / "tools" / "install_kernels.py")], env=env,
                   check=True, stdout=subprocess.PIPE)
    for name in ("cpython3", "pypy3"):
        spec = json.loads((tmp_path / "kernels" / name / "kernel.json").read_text())
        python = spec["argv"][0]
        assert os.path.isabs(python) and os.path.exists(python) and "{prefix}" not in python
        # the environment's own python (the interpreter it links to lacks ipykernel)
        venv = os.path.dirname(os.path.dirname(python))
        assert venv in (str(ROOT / ".venv"), str(ROOT / ".venv-pypy")), python
        assert os.path.exists(os.path.join(venv, "pyvenv.cfg")), python


def test_committed_kernel_specs_have_no_machine_paths():
    import json
    for path in (ROOT / "kernels").glob("*/kernel.json"):
        argv = json.loads(path.read_text())["argv"]
        assert argv[0].startswith("{prefix}/"), path
        assert not any(a.startswith("/") for a in argv), path


@pytest.mark.kernel
def test_jupyter_sees_both_kernels_from_the_checkout():
    import json
    import os
    jupyter = os.path.join(os.path.dirname(sys.executable), "jupyter")
    out = subprocess.run([jupyter, "kernelspec", "list", "--json"], stdout=subprocess.PIPE,
                         universal_newlines=True, check=True,
                         env=dict(os.environ, JUPYTER_PATH=str(ROOT)))
    specs = json.loads(out.stdout)["kernelspecs"]
    for name in ("cpython3", "pypy3"):
        assert specs[name]["resource_dir"] == str(ROOT / "kernels" / name)
