"""JupyterLab as designed: the notebooks open on the PyPy kernel, and `make lab` offers the
project's two kernels only (jupyter/jupyter_config.json, through the Makefile's
JUPYTER_CONFIG_PATH), PyPy's by default; the deck's rendering needs no PyPy."""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, have_pypy
from jitgap import _notebooks

JUPYTER = Path(sys.executable).parent / "jupyter"
CHROMIUM = shutil.which("chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
EXPECTED = {"cpython3": "CPython 3 (jitgap)", "pypy3": "PyPy 3 (jitgap)"}


def pypy_kernelspec():
    spec = json.loads((ROOT / "kernels" / "pypy3" / "kernel.json").read_text())
    return {"name": "pypy3", "display_name": spec["display_name"], "language": spec["language"]}


def makefile_env():
    """The environment `make` exports (``export NAME := VALUE``, ``$(CURDIR)`` = the root)."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {name: value.replace("$(CURDIR)", str(ROOT)) for name, value in
            re.findall(r"^export\s+(\w+)\s*:?=\s*(.*?)\s*$", text, re.M)}


def test_every_notebook_is_saved_with_the_pypy_kernel():
    for path in _notebooks.list_notebooks():
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["metadata"]["kernelspec"] == pypy_kernelspec(), path.name


@pytest.mark.parametrize("mode, kernel", [("reference", "cpython3"), ("quick", None)])
def test_reference_rendering_takes_the_cpython_kernel(mode, kernel, monkeypatch, tmp_path):
    """`make slides` renders in reference mode: CPython's kernel, so no PyPy is needed;
    other modes run the kernel the notebook names (PyPy)."""
    import nbformat
    chosen = []

    def execute(path, kernel=None, timeout=900):
        chosen.append(kernel)
        return nbformat.read(str(path), as_version=4), None

    monkeypatch.setattr(_notebooks, "execute", execute)
    monkeypatch.setenv("JITGAP_MODE", "quick")                 # render() sets both
    monkeypatch.setenv("JUPYTER_PATH", os.environ.get("JUPYTER_PATH", ""))
    _notebooks.render([_notebooks.list_notebooks()[0]], tmp_path, mode=mode,
                      echo=lambda *a: None)
    assert chosen == [kernel]


def test_the_makefile_points_jupyter_at_the_config():
    env = makefile_env()
    assert env["JUPYTER_PATH"] == str(ROOT)
    config = Path(env["JUPYTER_CONFIG_PATH"]) / "jupyter_config.json"
    settings = json.loads(config.read_text())
    assert set(settings["KernelSpecManager"]["allowed_kernelspecs"]) == set(EXPECTED)
    assert settings["MultiKernelManager"]["default_kernel_name"] == "pypy3"


def _jupyter_env(tmp_path):
    env = dict(os.environ, **makefile_env())
    # Private runtime (where the server says its port) and user config/data folders.
    env.update(JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_DATA_DIR=str(tmp_path / "data"), IPYTHONDIR=str(tmp_path / "ipython"))
    return env


needs_jupyter = pytest.mark.skipif(not JUPYTER.exists(), reason="jupyter is not installed "
                                   "in this environment (make setup)")


@pytest.mark.kernel
@needs_jupyter
def test_jupyter_kernelspec_list_shows_the_two_kernels(tmp_path):
    out = subprocess.run([str(JUPYTER), "kernelspec", "list", "--json"], stdout=subprocess.PIPE,
                         universal_newlines=True, check=True, env=_jupyter_env(tmp_path),
                         timeout=60)
    specs = json.loads(out.stdout)["kernelspecs"]
    assert {name: s["spec"]["display_name"] for name, s in specs.items()} == EXPECTED


class Lab:
    """`make lab`'s command, headless on a free port, in the Makefile's environment."""

    def __init__(self, tmp_path, notebook_dir=ROOT, notebook="notebooks/00-index.ipynb"):
        self.tmp, self.token = tmp_path, secrets.token_hex(16)
        argv = [str(JUPYTER), "lab", "--notebook-dir=%s" % notebook_dir, "--no-browser",
                "--port=0", "--ServerApp.ip=127.0.0.1", "--ServerApp.token=%s" % self.token,
                notebook]
        if os.geteuid() == 0:
            argv.insert(2, "--allow-root")
        self.log = (tmp_path / "server.log").open("w")
        self.process = subprocess.Popen(argv, cwd=str(notebook_dir), env=_jupyter_env(tmp_path),
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.port = None

    def get(self, path, timeout=30):
        """GET /api/... as JSON, waiting up to ``timeout`` s for the server to answer."""
        deadline = time.monotonic() + timeout
        while True:
            assert self.process.poll() is None, (self.tmp / "server.log").read_text()
            if self.port is None:
                info = sorted((self.tmp / "runtime").glob("jpserver-*.json")) \
                    if (self.tmp / "runtime").is_dir() else []
                if info and info[0].stat().st_size:
                    self.port = json.loads(info[0].read_text())["port"]
            if self.port is not None:
                request = urllib.request.Request(
                    "http://127.0.0.1:%d%s" % (self.port, path),
                    headers={"Authorization": "token " + self.token})
                try:
                    with urllib.request.urlopen(request, timeout=5) as response:
                        return json.load(response)
                except OSError:
                    pass
            assert time.monotonic() < deadline, "no answer from the server in %d s:\n%s" % (
                timeout, (self.tmp / "server.log").read_text())
            time.sleep(0.3)

    def url(self, path):
        return "http://127.0.0.1:%d%s?token=%s" % (self.port, path, self.token)

    def put(self, path, model):
        """PUT /api/... with a JSON body (how JupyterLab saves, autosave included)."""
        self.get("/api/status")                         # waits for the server
        request = urllib.request.Request(
            "http://127.0.0.1:%d%s" % (self.port, path), method="PUT",
            data=json.dumps(model).encode("utf-8"),
            headers={"Authorization": "token " + self.token,
                     "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def stop(self):
        self.process.terminate()          # the server shuts its kernels down
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def lab(tmp_path):
    pytest.importorskip("jupyterlab")
    servers = []
    yield lambda *args: servers.append(Lab(tmp_path, *args)) or servers[-1]
    for server in servers:
        server.stop()


@pytest.mark.kernel
@needs_jupyter
def test_make_lab_offers_only_the_two_kernels_pypy_by_default(lab):
    model = lab().get("/api/kernelspecs")
    offered = {name: s["spec"]["display_name"] for name, s in model["kernelspecs"].items()}
    assert offered == EXPECTED
    assert model["default"] == "pypy3"


@pytest.mark.kernel
@needs_jupyter
@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed")
@pytest.mark.skipif(not have_pypy(), reason="PyPy is not installed")
def test_jupyterlab_opens_a_topic_notebook_on_the_pypy_kernel(lab, tmp_path):
    """JupyterLab itself (headless Chromium) starts the kernel the notebook names.  A copy
    is opened, so that JupyterLab's autosave can never touch the committed notebook."""
    from playwright.sync_api import sync_playwright

    (tmp_path / "lab" / "notebooks").mkdir(parents=True)
    shutil.copy(str(ROOT / "notebooks" / "03-boxing.ipynb"), str(tmp_path / "lab" / "notebooks"))
    server = lab(tmp_path / "lab", "notebooks/03-boxing.ipynb")
    assert server.get("/api/sessions") == []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(server.url("/lab/tree/notebooks/03-boxing.ipynb"))
            deadline, sessions = time.monotonic() + 60, []
            # JupyterLab 4 may first create the session under a temporary name, then
            # rename it to the notebook's path
            while not (sessions and all(s["path"].endswith(".ipynb") for s in sessions)) \
                    and time.monotonic() < deadline:
                time.sleep(0.5)
                sessions = server.get("/api/sessions")
            assert [(s["path"], s["kernel"]["name"]) for s in sessions] == [
                ("notebooks/03-boxing.ipynb", "pypy3")]
            page.wait_for_selector("text=PyPy 3 (jitgap)", timeout=30000)
        finally:
            browser.close()


@pytest.mark.kernel
@needs_jupyter
def test_a_save_in_make_lab_leaves_the_notebook_file_as_committed(lab, tmp_path):
    """Jupyter saves a run notebook (outputs, counts, another kernel) through the project's
    pre-save hook: the file keeps the committed bytes, so `git status` stays clean."""
    from test_nbclean import as_jupyterlab_saves_it
    folder = tmp_path / "lab" / "notebooks"
    folder.mkdir(parents=True)
    committed = (ROOT / "notebooks" / "03-boxing.ipynb").read_text(encoding="utf-8")
    (folder / "03-boxing.ipynb").write_text(committed, encoding="utf-8")
    server = lab(tmp_path / "lab", "notebooks/03-boxing.ipynb")
    ran = json.loads(as_jupyterlab_saves_it(committed))
    server.put("/api/contents/notebooks/03-boxing.ipynb",
               {"type": "notebook", "format": "json", "content": ran})
    assert (folder / "03-boxing.ipynb").read_text(encoding="utf-8") == committed
