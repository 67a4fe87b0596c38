"""Memory: peak RSS per variant in the results, bytes per object per interpreter."""

import json

import jitgap
from conftest import run_cli


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


def test_bytes_per_object_cli():
    out = run_cli("memory", "--only", "cpython", "--json")
    assert out.returncode == 0, out.stderr
    sizes = json.loads(out.stdout)["cpython"]["bytes"]
    assert set(sizes) == {"instance", "slots instance", "tuple (i, i)", "int (large)", "float"}
    assert all(8 <= b < 1000 for b in sizes.values())    # at least the list's own slot


def test_bad_interpreter_is_reported():
    out = run_cli("memory", "--only", "fake", "--python", "fake=/bin/false")
    assert out.returncode == 1 and "fake: NOT MEASURED" in out.stderr
