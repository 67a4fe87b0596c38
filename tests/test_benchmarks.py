"""Every benchmark file: well-formed, and runs once under every available interpreter."""

import json
import math
import subprocess

import pytest

import jitgap
from conftest import available_interpreters

TOPICS = jitgap.list_topics()
INTERPRETERS = available_interpreters()


def test_there_are_topics():
    assert TOPICS


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.name)
def test_benchmark_file_declares_what_it_shows(topic):
    assert len(topic.doc.splitlines()) >= 3, "docstring: what it shows and where it comes from"
    assert topic.variants, "VARIANTS lists the timed functions (or PROGRAMS the programs)"
    if topic.programs:      # pyperformance's files, each with the benchmark of its name
        for path, keep in topic.files():
            assert path.is_file() and keep, path
    else:
        for name in topic.variants:
            assert topic.summary(name), "%s: first docstring line says what it times" % name
    assert topic.claims, "CLAIMS: at least one measurable claim"
    names = {"cpython", "pypy", "pypy-nojit"} | ({"c"} if topic.c_path else set())
    for claim in topic.claims:
        if getattr(claim, "kind", None) == "trace":
            assert claim.a in topic.traces, claim
            continue
        assert {claim.a, claim.b} <= set(topic.variants) | {"mean"}, claim
        assert {claim.x, claim.y} <= names, claim
        for variant, name in ((claim.a, claim.x), (claim.b, claim.y)):
            assert name != "c" or variant in topic.c_variants, (claim, "no C twin of", variant)


@pytest.mark.slow
@pytest.mark.pypy
@pytest.mark.parametrize("interp", INTERPRETERS, ids=lambda i: i.name)
@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.name)
def test_smoke_run(topic, interp, tmp_path):
    path = jitgap._runner.run_one(topic, interp, mode="smoke", directory=tmp_path)
    data = json.loads(path.read_text())
    names = [b["metadata"]["name"] for b in data["benchmarks"]]
    assert names == topic.variants
    tags = data["metadata"]
    assert tags["jitgap_interpreter"] == interp.name
    assert tags["jitgap_jit"] == {"cpython": "none", "pypy": "on", "pypy-nojit": "off"}.get(
        interp.name, tags["jitgap_jit"])


def test_all_default_interpreters_are_available_here():
    """`make setup` installs PyPy: a missing one must fail the suite, not skip silently."""
    missing = [i.missing for i in jitgap.default_interpreters() if i.missing]
    assert not missing, missing


#: each group of SAME_RESULT called by a small script under one interpreter: the variants
#: with an ``n`` (all of the group's) get a small one, the others their defaults
SAME_RESULT_DRIVER = r"""
import importlib.util, inspect, json, sys
path, groups, small = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
spec = importlib.util.spec_from_file_location("same_result_check", path)
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module
spec.loader.exec_module(module)          # not __main__: defines, runs nothing
out = []
for group in groups:
    funcs = [getattr(module, name) for name in group]
    with_n = all("n" in inspect.signature(f).parameters for f in funcs)
    out.append([f(n=small) if with_n else f() for f in funcs])
print(json.dumps(out, default=repr))
"""
SAME_RESULT_N = 257
SAME_TOPICS = [t for t in TOPICS if t.same_result]
SAME_INTERPRETERS = [pytest.param(i, marks=[pytest.mark.slow] + (
    [pytest.mark.pypy] if i.name.startswith("pypy") else []), id=i.name)
    for i in INTERPRETERS if i.name in ("cpython", "pypy")]


def _same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def test_same_result_is_declared_where_docstrings_say_so():
    assert {t.name for t in SAME_TOPICS} >= {"dispatch", "boxing", "generators", "interpreter"}


@pytest.mark.parametrize("interp", SAME_INTERPRETERS)
@pytest.mark.parametrize("topic", SAME_TOPICS, ids=lambda t: t.name)
def test_variants_declared_the_same_return_the_same(topic, interp):
    proc = subprocess.run(list(interp.argv) + [
        "-c", SAME_RESULT_DRIVER, str(topic.path), json.dumps(topic.same_result),
        str(SAME_RESULT_N)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True, cwd=str(topic.path.parent), timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    for group, values in zip(topic.same_result, json.loads(proc.stdout)):
        different = [(name, value) for name, value in zip(group, values)
                     if not _same(value, values[0])]
        assert not different, "%s: %s returns %r, but %s returns %r" % (
            topic.name, group[0], values[0], different[0][0], different[0][1])
