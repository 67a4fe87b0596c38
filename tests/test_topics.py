import pytest

import jitgap
from conftest import ROOT, VENV_PYPY
from jitgap import JitgapError


def test_reads_docstring_variants_and_claims_without_running(demo_topic):
    assert demo_topic.name == "demo"
    assert demo_topic.title.startswith("Demo topic")
    assert demo_topic.variants == ["fast", "slow"]
    assert set(demo_topic.claims_source) == {"fast-beats-slow", "pypy-wins", "same"}


def test_code_is_the_functions_source(demo_topic):
    code = demo_topic.code("fast")
    assert code.startswith("def fast(n=N):") and code.rstrip().endswith("return total")
    assert "def slow" not in code


def test_unknown_topic_lists_the_known_ones():
    with pytest.raises(JitgapError, match="unknown topic 'nope'.*boxing"):
        jitgap.get_topic("nope")


@pytest.mark.parametrize("source, message", [
    ("def f(:\n", "does not parse"),
    ("VARIANTS = [g]\n", "undefined functions: g"),
    ("def f(): pass\nVARIANTS = ['f']\n", "list of function names"),
    ("def f(): pass\nVARIANTS = [f]\nCLAIMS = ['x']\n", "CLAIMS must be a dict"),
    ("def f(): pass\nVARIANTS = [f]\nCLAIMS = {'x': 1 + len('a')}\n", "must be a literal"),
])
def test_bad_benchmark_files_get_a_clear_error_naming_the_file(tmp_path, source, message):
    path = tmp_path / "bad.py"
    path.write_text(source)
    with pytest.raises(JitgapError, match=message) as err:
        jitgap.get_topic(str(path))
    assert str(path) in str(err.value)


def test_missing_file():
    with pytest.raises(JitgapError, match="no benchmark file"):
        jitgap.get_topic("/nonexistent/bench.py")


def test_digest_ignores_claims_but_not_code(tmp_path):
    base = "def f():\n    return 1\nVARIANTS = [f]\nCLAIMS = {'a': 'f on x is faster than on y'}\n"
    path = tmp_path / "t.py"
    path.write_text(base)
    digest = jitgap.get_topic(str(path)).digest
    path.write_text(base.replace("faster", "slower"))
    assert jitgap.get_topic(str(path)).digest == digest
    path.write_text(base.replace("return 1", "return 2"))
    assert jitgap.get_topic(str(path)).digest != digest


def test_traces_name_declared_variants_and_stay_out_of_the_digest(tmp_path):
    base = "def f():\n    return 1\nVARIANTS = [f]\n"
    path = tmp_path / "t.py"
    path.write_text(base)
    digest = jitgap.get_topic(str(path)).digest
    for name, attribute in (("TRACES", "traces"), ("WARMUPS", "warmups")):
        path.write_text(base + "%s = ['f']\n" % name)
        topic = jitgap.get_topic(str(path))
        assert getattr(topic, attribute) == ["f"] and topic.digest == digest
        path.write_text(base + "%s = ['g']\n" % name)
        with pytest.raises(JitgapError, match="%s names unknown variants: g" % name):
            jitgap.get_topic(str(path))


@pytest.mark.parametrize("declared, message", [
    ("[['f', 'g']]", None),
    ("[['f', 'nope']]", "SAME_RESULT names unknown variants: nope"),
    ("[['f']]", "at least two"),
    ("['f', 'g']", "list of groups"),
])
def test_same_result_names_groups_of_variants_and_stays_out_of_the_digest(tmp_path, declared,
                                                                           message):
    base = "def f():\n    return 1\ndef g():\n    return 1\nVARIANTS = [f, g]\n"
    path = tmp_path / "t.py"
    path.write_text(base)
    digest = jitgap.get_topic(str(path)).digest
    path.write_text(base + "SAME_RESULT = %s\n" % declared)
    if message is None:
        topic = jitgap.get_topic(str(path))
        assert topic.same_result == [["f", "g"]] and topic.digest == digest
    else:
        with pytest.raises(JitgapError, match=message) as err:
            jitgap.get_topic(str(path))
        assert str(path) in str(err.value)


def test_digest_ignores_docstrings_comments_and_blank_lines(tmp_path):
    base = ('"""Topic."""\n\n\ndef f():\n    """Doc."""\n    x = 1  # one\n    return x\n'
            "VARIANTS = [f]\n")
    path = tmp_path / "t.py"
    path.write_text(base)
    digest = jitgap.get_topic(str(path)).digest
    for edit in (base.replace("Topic.", "Another topic, with more words."),
                 base.replace('"""Doc."""', '"""Two\n    lines — and a dash."""'),
                 base.replace("# one", "# the first"),
                 base.replace("    return x\n", "\n    # a comment line\n    return x   \n\n")):
        path.write_text(edit)
        assert jitgap.get_topic(str(path)).digest == digest, edit
    path.write_text(base.replace("x = 1", "x = 2"))
    assert jitgap.get_topic(str(path)).digest != digest
    path.write_text(base.replace('    """Doc."""\n', '    "not a docstring" + "!"\n'))
    assert jitgap.get_topic(str(path)).digest != digest


@pytest.mark.pypy
@pytest.mark.skipif(not VENV_PYPY.exists(), reason="PyPy is not installed")
def test_digest_is_the_same_under_pypy():
    import subprocess
    code = "import jitgap; print(' '.join(t.digest for t in jitgap.list_topics()))"
    out = subprocess.run([str(VENV_PYPY), "-c", code], stdout=subprocess.PIPE, check=True,
                         universal_newlines=True, cwd=str(ROOT))
    assert out.stdout.split() == [t.digest for t in jitgap.list_topics()]


def test_a_topic_names_how_to_find_it_again(demo_topic):
    """``spec`` is what get_topic (and jitgap run) takes back: a name, a file, or a
    pyperformance benchmark."""
    boxing = jitgap.get_topic("boxing")
    assert boxing.spec == "boxing"
    assert demo_topic.spec == str(demo_topic.path)
    assert jitgap.get_topic(demo_topic.spec).path == demo_topic.path
    try:
        deltablue = jitgap.get_topic("pyperformance:deltablue")
    except JitgapError as exc:
        pytest.skip(str(exc))
    assert deltablue.spec == "pyperformance:deltablue"
    assert jitgap.get_topic(deltablue.spec).path == deltablue.path
