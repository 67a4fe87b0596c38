"""`jitgap.try_variant`: the notebooks' "try your own variant" cells."""

import re
import tempfile

import pytest

import jitgap
from conftest import ROOT
from jitgap import _try
from jitgap._errors import JitgapError

SNIPPET = '''
def pair_in_list(n=N):
    """A temporary list instead of a tuple."""
    total = 0
    for i in range(n):
        pair = [i, i + 1]
        total += pair[0] + pair[1]
    return total


def _helper():
    return 1
'''


def _namespace(text):
    """The generated benchmark file executed here, not as __main__: defines, runs nothing."""
    namespace = {"__name__": "your_variant"}
    exec(compile(text, "your_variant.py", "exec"), namespace)
    return namespace


def test_the_snippet_runs_in_the_topic_namespace_beside_the_compared_variant():
    topic = jitgap.get_topic("boxing")
    ns = _namespace(_try.benchmark_text(SNIPPET, topic, ["tuple_temporary"]))
    measured = ns["_MEASURED"]
    assert [f.__name__ for f in measured] == ["tuple_temporary", "pair_in_list"]
    assert measured[0].__module__ == "boxing", "the topic's own function, as the topic times it"
    assert measured[0](10) == measured[1](10) == sum(2 * i + 1 for i in range(10))
    assert ns["N"] == 10000 and not ns["_WHOLE"]


def test_whole_process_variants_and_no_topic():
    ns = _namespace(_try.benchmark_text('''
        import sys
        WHOLE_PROCESS = []
        def no_site_process():
            return [sys.executable, "-S", "-c", "pass"]
        WHOLE_PROCESS.append(no_site_process)
        ''', compare=[], n=7))
    assert [f.__name__ for f in ns["_MEASURED"]] == ["no_site_process"]
    assert ns["_WHOLE"] == {"no_site_process"}
    warmup = _namespace(_try.benchmark_text("def mine():\n    return PYTHON + ['-c', '1']\n",
                                            jitgap.get_topic("warmup"), ["empty_process"]))
    assert warmup["_WHOLE"] >= {"empty_process", "work_once_process"}


@pytest.mark.parametrize("kwargs, message", [
    ({"compare": ["tuple_temporary"]}, "give topic= too"),
    ({"topic": "boxing", "compare": ["nope"]}, "boxing has no variant nope"),
    ({"topic": "boxing", "compare": ["pair_in_list"]}, "has no variant pair_in_list"),
])
def test_bad_requests_are_clear_errors(kwargs, message):
    with pytest.raises(JitgapError, match=message):
        jitgap.try_variant(SNIPPET, mode="reference", **kwargs)


def test_a_variant_named_like_the_compared_one_is_refused():
    with pytest.raises(JitgapError, match="rename yours"):
        jitgap.try_variant("def ints_only(n=N):\n    return 0\n", topic="boxing",
                           compare=["ints_only"], mode="reference")


def test_readme_example_runs_in_reference_mode(monkeypatch, capsys):
    """The README's example, as written there; reference mode measures nothing (the
    rendered pages), so no process starts."""
    monkeypatch.setenv("JITGAP_MODE", "reference")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"\n(    mine = jitgap\.try_variant\(.*?\n    jitgap\.gap_figure\(mine\).*?)\n",
                      readme, re.S).group(1)
    namespace = {"jitgap": jitgap}
    exec("\n".join(line[4:] for line in block.splitlines()), namespace)
    mine = namespace["mine"]
    assert not mine and mine.variants == []
    assert mine.topic.variants == ["tuple_temporary", "pair_in_list"]
    assert "not measured here" in capsys.readouterr().out
    assert not list(mine.topic.path.parent.glob("*")), "the temporary folder is removed"


def test_public_api_in_the_readme():
    """Every `jitgap.NAME(` the README shows is public."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = set(re.findall(r"\bjitgap\.(\w+)\(", readme))
    assert "try_variant" in names
    assert names <= set(jitgap.__all__), names - set(jitgap.__all__)


@pytest.mark.slow
def test_a_tiny_snippet_in_smoke_mode_under_cpython(capsys):
    made = []
    real = tempfile.mkdtemp

    def mkdtemp(*a, **kw):
        made.append(real(*a, **kw))
        return made[-1]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tempfile, "mkdtemp", mkdtemp)
        results = jitgap.try_variant("def mine(n=N):\n    return sum(range(n))\n"
                                     "def _not_timed():\n    pass\n",
                                     topic="dispatch", compare=["for_range"], mode="smoke",
                                     interpreters=jitgap.select_interpreters(only=["cpython"]))
    assert results.variants == ["for_range", "mine"]
    assert results.interpreters == ["cpython"]
    assert "NOT MEASURED" not in capsys.readouterr().out
    caption = jitgap._plot.caption(results)
    assert caption.startswith("Source: the cell above, measured by jitgap in smoke mode on ")
    assert made and not any(__import__("os").path.exists(p) for p in made)
    assert "/tmp" not in caption and made[0] not in caption
