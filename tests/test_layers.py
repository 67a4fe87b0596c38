"""The package's structure: imports point one way (the layers the README declares), no
import cycle (imports inside functions counted too), no module over 500 lines."""

import ast
import re

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "jitgap"
MODULES = {p.stem: p for p in sorted(PACKAGE.glob("*.py"))}
MAX_LINES = 500


def layers():
    """``[(layer, [module, ...])]``, lowest first, from the README's layers block."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- layers:[^>]*-->\n(.*?)<!-- /layers -->", text, re.S)
    assert block, "README.md has no <!-- layers --> block"
    return [(line.split()[0], line.split()[1:]) for line in block.group(1).splitlines()
            if line.strip()]


def own_imports(path):
    """The package's modules that ``path`` imports, anywhere in it (at the top or in a
    function; relative or absolute)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        names = []
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1 or module == "jitgap" or module.startswith("jitgap."):
                parts = module.split(".")[1:] if node.level == 0 else (
                    module.split(".") if module else [])
                names = [parts[0]] if parts else [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name.split(".")[1] for a in node.names
                     if a.name.startswith("jitgap.")]
        found.update(n for n in names if n in MODULES)
    found.discard(path.stem)
    return found


GRAPH = {name: own_imports(path) for name, path in MODULES.items()}


def test_the_import_parser_sees_every_form(tmp_path):
    source = tmp_path / "_x.py"
    source.write_text("from ._topics import get_topic\nfrom . import _plot as p\n"
                      "import jitgap._stats\nfrom jitgap import _tables\n"
                      "from jitgap._paths import results_dir\n"
                      "def f():\n    from ._trace import trace\n")
    assert own_imports(source) == {"_topics", "_plot", "_stats", "_tables", "_paths", "_trace"}


def test_no_import_cycle():
    state, path = {}, []

    def visit(name):
        state[name] = "open"
        path.append(name)
        for other in sorted(GRAPH[name]):
            if state.get(other) == "open":
                pytest.fail("import cycle: %s" % " -> ".join(path[path.index(other):] + [other]))
            if other not in state:
                visit(other)
        path.pop()
        state[name] = "done"

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)


def test_no_module_over_500_lines():
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines())
             for name, path in MODULES.items()}
    assert {n: s for n, s in sizes.items() if s > MAX_LINES} == {}


def test_every_module_is_in_exactly_one_layer():
    listed = [m for _, modules in layers() for m in modules]
    assert sorted(listed) == sorted(MODULES), "README layers vs src/jitgap"


def test_a_module_imports_only_from_its_own_or_lower_layers():
    rank = {m: k for k, (_, modules) in enumerate(layers()) for m in modules}
    names = [name for name, _ in layers()]
    upward = ["%s (%s) imports %s (%s)" % (m, names[rank[m]], other, names[rank[other]])
              for m in sorted(GRAPH) for other in sorted(GRAPH[m]) if rank[other] > rank[m]]
    assert upward == []
