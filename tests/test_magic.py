"""What `%%jitgap` shows: times and spreads written by the one formatter (no scientific
notation), and a caption that names the cell, not a temporary folder that is gone."""

import re

import jitgap
from conftest import write_results
from jitgap import _magic


class _Report:
    failures = []


def test_magic_table_writes_times_without_exponents_and_names_the_cell(tmp_path, monkeypatch):
    monkeypatch.delenv("JITGAP_MODE", raising=False)
    bench = tmp_path / "jitgap-timeit-abc" / "timeit.py"
    bench.parent.mkdir()
    bench.write_text('"""jitgap timeit: x"""\n')
    write_results(bench.parent / "results", "timeit", "cpython",
                  {"snippet": [621e-6, 787e-6, 953e-6]})
    results = jitgap.load_results(str(bench), str(bench.parent / "results"))
    results.source = "a jitgap timeit statement"
    def fake_timeit(*args, **kwargs):       # as jitgap.timeit: the caption names `source`
        results.source = kwargs.get("source", "a jitgap timeit statement")
        return results, _Report()

    monkeypatch.setattr(_magic, "timeit", fake_timeit)
    shown = []
    _magic.jitgap_cell("--no-plot --only cpython", "x = 1", display=shown.append)
    (table,) = [str(s) for s in shown]
    assert "787 µs ± 166 µs" in table, table
    assert not re.search(r"\de[+-]\d", table), table
    assert "Source: the cell above, measured by jitgap in quick mode on " in table
    assert str(tmp_path) not in table and "jitgap-timeit" not in table
