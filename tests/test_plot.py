import matplotlib

import jitgap


def test_gap_figure_is_a_pure_function(demo_topic, demo_results):
    before = dict(matplotlib.rcParams)
    results = jitgap.load_results(demo_topic, demo_results)
    fig = jitgap.gap_figure(results)
    assert dict(matplotlib.rcParams) == before
    assert isinstance(fig, matplotlib.figure.Figure)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["fast", "slow"]
    assert len(ax.patches) == 6                      # 2 variants x 3 interpreters
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["CPython 3.11.7", "PyPy 7.3.11 (Python 3.9.16)",
                      "PyPy 7.3.11 (Python 3.9.16), JIT off"]
    labels = [t.get_text() for t in ax.texts]
    assert "10.0 ± 1.4x faster" in labels              # the ratio label, with its spread
    caption = fig._supxlabel.get_text()
    assert "demo.py" in caption and "Test CPU" in caption


def test_gap_figure_renders_png(demo_topic, demo_results, tmp_path):
    fig = jitgap.gap_figure(jitgap.load_results(demo_topic, demo_results))
    png = fig._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    fig.savefig(str(tmp_path / "x.svg"))
    assert (tmp_path / "x.svg").read_text().startswith("<?xml")


def test_unmeasured_topic_gives_a_figure_that_says_so(demo_topic, tmp_path):
    fig = jitgap.gap_figure(jitgap.load_results(demo_topic, tmp_path))
    assert "not measured" in fig.axes[0].texts[0].get_text()
