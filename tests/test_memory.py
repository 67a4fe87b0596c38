"""Memory: peak RSS per variant in the results, bytes per object per interpreter."""

import json

import jitgap
import pytest
from conftest import run_cli


@pytest.mark.slow
def test_show_json_rows_carry_peak_rss():
    out = run_cli("show", "allocation", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert all(isinstance(r["peak_rss_bytes"], int) and r["peak_rss_bytes"] > 1e6 for r in rows)


def test_memory_table_lists_each_variant(tmp_path):
    table = str(jitgap.memory_table(jitgap.load_results("allocation")))
    for variant in jitgap.get_topic("allocation").variants:
        assert "`%s`" % variant in table
    assert " MB |" in table


@pytest.mark.slow
def test_bytes_per_object_cli():
    out = run_cli("memory", "--only", "cpython", "--json")
    assert out.returncode == 0, out.stderr
    sizes = json.loads(out.stdout)["cpython"]["bytes"]
    assert set(sizes) == {"instance", "slots instance", "tuple (i, i)", "int (large)", "float"}
    assert all(8 <= b < 1000 for b in sizes.values())    # at least the list's own slot


@pytest.mark.slow
def test_bad_interpreter_is_reported():
    out = run_cli("memory", "--only", "fake", "--python", "fake=/bin/false")
    assert out.returncode == 1 and "fake: NOT MEASURED" in out.stderr


@pytest.mark.slow
def test_save_then_reference_prints_the_stored_table(tmp_path):
    env = {"JITGAP_RESULTS": str(tmp_path)}
    out = run_cli("memory", "--only", "cpython", "--save", env=env)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "memory" / "bytes_per_object.json").exists()
    again = run_cli("memory", "--reference", "--json", env=env)
    assert again.returncode == 0, again.stderr
    assert set(json.loads(again.stdout)) == {"cpython"}


def test_missing_or_stale_stored_sizes_name_the_file_and_the_fix(tmp_path):
    import pytest
    from jitgap._memory import load_sizes, save_sizes
    with pytest.raises(jitgap.JitgapError, match=r"no stored bytes per object.*--save"):
        load_sizes(tmp_path)
    path = save_sizes({"cpython": {"label": "CPython", "bytes": {"float": 40.0}}},
                      directory=tmp_path)
    assert load_sizes(tmp_path)["cpython"]["bytes"] == {"float": 40.0}
    data = json.loads(path.read_text())
    path.write_text(json.dumps(dict(data, digest="0" * 16)))
    with pytest.raises(jitgap.JitgapError, match="older version of jitgap's memory driver"):
        load_sizes(tmp_path)


def test_committed_sizes_are_current_and_on_the_deck(tmp_path):
    from jitgap._deck import build_deck
    from jitgap._memory import load_sizes
    sizes = load_sizes()                                  # raises if missing or stale
    assert {"cpython", "pypy", "pypy-nojit"} <= set(sizes)
    src = tmp_path / "deck.rst"
    src.write_text("Memory\n======\n\n.. jitgap-memory::\n")
    html = build_deck(src, tmp_path / "deck.html").read_text()
    assert "int (large)" in html and " B</td>" in html
    warnings = []
    html = build_deck(src, tmp_path / "d2.html", results_dir=tmp_path / "empty",
                      warn=warnings.append).read_text()
    assert "not measured yet" in html and "no stored bytes per object" in warnings[0]
