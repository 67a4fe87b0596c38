"""The deck builds from results/, is self-contained, and every claim is evaluated."""

import re

import pytest

import jitgap
from conftest import ROOT, write_results
from jitgap import JitgapError
from jitgap._deck import build_deck, slide_numbers
from jitgap._deckslides import short_title
from jitgap._native import twin_digest

SOURCE = ROOT / "slides" / "speed_of_pypy.rst"


@pytest.fixture(scope="module")
def deck(talk_deck):
    return talk_deck, talk_deck.read_text(encoding="utf-8")


def test_no_placeholder_in_source_or_output(deck):
    assert not re.search(r"\bxxx\b", SOURCE.read_text(encoding="utf-8"), re.I)
    text = re.sub(r"data:[^\"')]*", "", deck[1])      # embedded images are base64
    assert not re.search(r"\bxxx\b", text, re.I)


def test_html_references_nothing_outside_itself(deck):
    html = deck[1]
    assert not re.findall(r'(?:src|href)\s*=\s*["\']?(?:https?:|file:|//)', html, re.I)
    assert not re.findall(r'url\(\s*["\']?(?:https?:|file:|//)', html, re.I)
    assert not re.findall(r'@import', html)
    images = re.findall(r'<img [^>]*src="([^"]*)"', html)
    assert images and all(src.startswith("data:image/png;base64,") for src in images)


def test_every_link_resolves(deck):
    out, html = deck
    for href in re.findall(r'<a [^>]*href="([^"#]+)[^"]*"', html):
        assert not re.match(r"[a-z]+:", href), "external link: %s" % href
        target = (out.parent / href).resolve()
        if target.parent.name == "notebooks" and target.suffix == ".html":
            # rendered by `make slides` from the notebook source
            assert (ROOT / "notebooks" / (target.stem + ".ipynb")).exists(), href
        else:
            assert target.exists(), href


def test_every_slide_has_a_title_and_presenter_notes():
    """A slide starts with its title, or with a directive that computes it (a measured
    slide) or that makes whole slides (the backup); every hand-written slide has notes."""
    text = SOURCE.read_text(encoding="utf-8")
    slides = re.split(r"\n\n-{4,}\n\n", text)
    assert max(slide_numbers(text).values()) == len(slides)
    for slide in slides:
        lines = slide.strip().splitlines()
        if lines[0].startswith(".. jitgap-backup::"):
            continue
        if not lines[0].startswith(".. jitgap-measured::"):
            assert len(lines) > 2 and set(lines[1]) == {"="}, lines[:2]
        assert "Presenter Notes\n---------------" in slide, lines[0]
        notes = slide.split("Presenter Notes\n---------------", 1)[1].strip().splitlines()
        assert notes and all(line.startswith(("- ", "  ")) for line in notes), \
            "notes are short cues, one bullet each: %s" % lines[0]


def test_deck_shows_every_topic_and_every_claim(deck):
    """Each topic has its full chart and every claim in the backup; a measured slide or the
    slower-than-CPython slide brings it into the talk."""
    text = SOURCE.read_text(encoding="utf-8")
    html = deck[1]
    assert ".. jitgap-backup::" in text and ".. jitgap-slower::" in text
    for topic in jitgap.list_topics():
        name = short_title(topic)
        assert "%s: every variant" % name in html and "%s: every claim" % name in html, name
        assert ".. jitgap-measured:: %s " % topic.name in text or topic.reasons, topic.name
        for claim in topic.claims:
            assert claim.key in html, claim.key


def test_every_claim_is_evaluated_on_the_committed_results():
    verdicts = jitgap.check()
    claims = [c.key for t in jitgap.list_topics() for c in t.claims]
    assert sorted(v.claim.key for v in verdicts) == sorted(claims)
    unmeasured = [v.claim.key for v in verdicts if v.verdict == "unmeasured"]
    assert not unmeasured, "run `make bench`: %s" % unmeasured


def test_results_match_the_benchmark_code_and_carry_pyperf_metadata():
    for topic in jitgap.list_topics():
        results = jitgap.load_results(topic)
        assert not results.errors
        assert set(results.interpreters) >= {"cpython", "pypy", "pypy-nojit"}
        for m in results.measurements:
            digest = twin_digest(topic) if m.is_native else topic.digest
            assert m.metadata["jitgap_benchmark_sha256"] == digest, \
                "%s changed since results/ was measured: make bench" % topic.name
            for key in ("cpu_model_name", "hostname", "jitgap_command", "jitgap_version"):
                assert key in m.metadata, key


def test_committed_results_come_from_make_bench():
    """The results in git are adaptive-mode runs (what `make bench` writes): at least 3
    worker processes per variant, each warmed up, judged at the looks' level."""
    import subprocess
    changed = subprocess.run(["git", "status", "--porcelain", "--", "results"], cwd=str(ROOT),
                             stdout=subprocess.PIPE, universal_newlines=True).stdout
    if changed.strip():
        pytest.skip("results/ has local changes (a local run); this checks committed results")
    for topic in jitgap.list_topics():
        for m in jitgap.load_results(topic).measurements:
            if m.is_native:     # the C twin: pyperf's default mode
                assert len(m.runs) >= 3, m
                continue
            assert m.metadata["jitgap_mode"] == "adaptive", (m, "regenerate with make bench")
            assert len(m.runs) >= 3 and m.metadata.get("jitgap_ci_level"), m


def _build(tmp_path, text):
    src = tmp_path / "deck.rst"
    src.write_text(text, encoding="utf-8")
    return build_deck(src, tmp_path / "deck.html")


def test_unknown_claim_fails_the_build_with_the_line(tmp_path):
    with pytest.raises(JitgapError, match=r"line 5: topic boxing has no claim 'nope'"):
        _build(tmp_path, "Title\n=====\n\nText\n.. jitgap-verdict:: boxing/nope\n")


def test_unknown_directive_topic_and_function_fail_the_build(tmp_path):
    text = ("Title\n=====\n\n.. jitgap-frobnicate:: boxing\n\n.. jitgap-figure:: nope\n\n"
            ".. jitgap-code:: boxing no_such_function\n\n.. jitgap-warnings:: boxing\n")
    with pytest.raises(JitgapError) as err:
        _build(tmp_path, text)
    message = str(err.value)
    assert "line 4: unknown directive jitgap-frobnicate" in message
    assert "line 6: unknown topic 'nope'" in message
    assert "line 8:" in message and "no_such_function" in message
    assert "line 10: unknown directive jitgap-warnings" in message


def test_c_code_ratio_to_c_and_one_link_per_topic(tmp_path):
    text = ("Metal\n=====\n\n.. jitgap-ccode:: dispatch while_loop\n\n"
            ".. jitgap-ratio:: dispatch while_loop pypy c\n\n"
            ".. jitgap-verdict:: boxing/allocation-costs-in-c-too\n")
    html = _build(tmp_path, text).read_text(encoding="utf-8")
    assert "KEEP" in html and "while_loop" in html
    assert re.search(r"PyPy [\d.]+ ± [\d.]+x (faster|slower) than C\b", html)
    assert html.count("01-dispatch.html") == 1 and html.count("03-boxing.html") == 1
    assert ".. class::" not in html
    with pytest.raises(JitgapError, match="no function 'nope'"):
        _build(tmp_path, "T\n=\n\n.. jitgap-ccode:: boxing nope\n")
    with pytest.raises(JitgapError, match="frames has no C twin"):
        _build(tmp_path, "T\n=\n\n.. jitgap-ccode:: frames star_forward\n")


def test_a_claim_shown_alone_is_left_out_of_its_topics_list(tmp_path):
    text = ("One\n===\n\n.. jitgap-verdict:: boxing/int-in-register\n\n----\n\n"
            "All\n===\n\n.. jitgap-verdicts:: boxing\n")
    html = _build(tmp_path, text).read_text(encoding="utf-8")
    assert html.count("an integer can stay in a register") == 1          # the badge
    assert not re.search(r"int_arith on PyPy is [^<]* than on CPython", html)
    assert re.search(r"int_arith on PyPy is [^<]* than on PyPy \(JIT off\)", html)
    assert "float_arith on PyPy is" in html


def test_rst_errors_are_not_silenced(tmp_path):
    with pytest.raises(JitgapError, match="RST problems"):
        _build(tmp_path, "Title\n=====\n\n* a list\nnot indented properly\n\n`broken link <_\n")


def test_a_corrupted_result_file_still_builds_showing_not_measured(tmp_path):
    import shutil
    results = tmp_path / "results"
    shutil.copytree(str(ROOT / "results" / "boxing"), str(results / "boxing"))
    for path in (results / "boxing").glob("*.json"):
        path.write_text("{ truncated")
    src = tmp_path / "deck.rst"
    src.write_text("Boxing\n======\n\n.. jitgap-figure:: boxing\n\n.. jitgap-verdicts:: boxing\n")
    warnings = []
    html = build_deck(src, tmp_path / "deck.html", results_dir=results,
                      warn=warnings.append).read_text()
    assert "not measured" in html
    assert len(warnings) == len(list((results / "boxing").glob("*.json"))) >= 3
    assert all("is not valid JSON" in w for w in warnings)
    assert str(results / "boxing" / "pypy.json") in " ".join(warnings)


def test_overall_number_and_changed_claims_are_computed(demo_topic, demo_results):
    from jitgap._summary import overall
    o = overall("pypy", demo_results, topics=[demo_topic])
    assert len(o.points) == 2
    assert o.headline() == "PyPy 10.0 ± 0.9x faster than CPython"   # geometric mean of 10, 10
    assert o.detail().startswith("geometric mean over 2 variants in 1 topic; from 10.0 ± ")
    nojit = overall("pypy-nojit", demo_results, topics=[demo_topic])
    assert nojit.headline().startswith("PyPy (JIT off) ")


def test_declared_traces_are_stored_and_current():
    from jitgap._trace import load_trace
    for topic in jitgap.list_topics():
        for variant in topic.traces:
            data = load_trace(topic, variant)          # raises if missing or stale
            assert data["report"]["loops"] >= 1 and data["loop"]


def test_warmup_directive_draws_the_stored_curves_or_says_they_are_missing(tmp_path):
    src = tmp_path / "deck.rst"
    src.write_text("Warm-up\n=======\n\n.. jitgap-warmup:: megamorphic mega_32\n")
    html = build_deck(src, tmp_path / "deck.html").read_text()
    assert html.count("data:image/png") >= 1 and "first call" in html
    warnings = []
    html = build_deck(src, tmp_path / "deck2.html", results_dir=tmp_path / "empty",
                      warn=warnings.append).read_text()
    assert "warm-up not measured yet" in html
    assert warnings and "no stored warm-up curve" in warnings[0]
    with pytest.raises(JitgapError, match="has no variant 'nope'"):
        _build(tmp_path, "T\n=\n\n.. jitgap-warmup:: megamorphic nope\n")


def test_trace_directive_without_a_stored_trace(tmp_path):
    warnings = []
    src = tmp_path / "deck.rst"
    src.write_text("Trace\n=====\n\n.. jitgap-trace:: boxing point_temporary\n")
    html = build_deck(src, tmp_path / "deck.html", results_dir=tmp_path / "empty",
                      warn=warnings.append).read_text()
    assert "not traced yet" in html
    assert warnings and "no stored trace" in warnings[0]


def test_readme_shows_the_current_minute_plan_and_slide_count():
    from jitgap._deck import deck_plan
    from jitgap._talk import plan_markdown
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"<!-- plan: [^\n]*-->\n(.*?)\n<!-- /plan -->", readme, re.S)
    assert shown, "README.md has no minute plan between its plan markers"
    plan = deck_plan()
    assert shown.group(1).strip() == plan_markdown(plan), "run `jitgap deck --plan`"
    assert "**%d main slides for %g minutes**" % (plan["main_slides"],
                                                  plan["total_minutes"]) in readme
    assert abs(plan["total_minutes"] - 40) < 0.01


def test_the_plan_gives_every_main_slide_a_start_and_backup_none(tmp_path):
    from jitgap._talk import plan
    text = ("T\n=\n\n.fx: title\n\n----\n\nA\n=\n\n.fx: divider\n\n----\n\nB\n=\n\nb\n\n----\n\n"
            "Backup\n======\n\n----\n\nX\n=\n\nx\n")
    talk = {"minutes": 10.0, "plan": {"Opening": 2, "A": 8}}
    p = plan(text, talk)
    assert p["main_slides"] == 3 and p["slides"][3:] == [None, None]
    assert [s["start"] for s in p["slides"][:3]] == [0.0, 2.0, 3.6]
    assert p["total_minutes"] == 10.0
    with pytest.raises(JitgapError) as err:
        plan(text, {"minutes": 10.0, "plan": {"Opening": 2, "Nope": 8}})
    assert "'A'" in str(err.value) and "'Nope'" in str(err.value)



@pytest.mark.parametrize("settled", [True, False])
def test_a_loser_that_does_not_settle_says_so(tmp_path, settled):
    """The slower-than-CPython slide marks a variant whose processes did not settle."""
    from jitgap._deckslides import losers
    write_results(tmp_path, "settrace", "cpython", {"no_tracer": [1.0, 1.1, 0.9]})
    write_results(tmp_path, "settrace", "pypy", {"no_tracer": [3.0, 3.1, 2.9]},
                  implementation="PyPy", version="7.3.11", jit="on",
                  extra=None if settled else {"jitgap_steady": 0})
    [(topic, variant, r, note)] = losers(tmp_path)
    assert (topic.name, variant, note) == ("settrace", "no_tracer",
                                           "" if settled else "not steady")
    assert r.high < 1
