"""Every benchmark file: well-formed, and runs once under every available interpreter."""

import json

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
