import pytest

import jitgap
from jitgap import JitgapError, parse_claim


def test_parse_full_sentence():
    c = parse_claim("t", "id", "a on pypy is faster than b on cpython by at least 2.5x")
    assert (c.a, c.x, c.relation, c.b, c.y, c.factor) == ("a", "pypy", "faster", "b", "cpython",
                                                          2.5)


def test_parse_shorthands_same_variant_and_same_interpreter():
    c = parse_claim("t", "id", "a on pypy is slower than on cpython")
    assert (c.b, c.y, c.factor) == ("a", "cpython", 1.0)
    c = parse_claim("t", "id", "a on pypy is about as fast as b within 20%")
    assert (c.b, c.y, c.relation, c.tolerance) == ("b", "pypy", "about", 0.2)


def test_about_as_fast_defaults_to_ten_percent():
    assert parse_claim("t", "id", "a on x is about as fast as b").tolerance == pytest.approx(0.1)


@pytest.mark.parametrize("text", [
    "a is faster than b",                                   # no interpreter
    "a on pypy is quicker than b on cpython",               # unknown relation
    "a on pypy is faster than",                             # nothing to compare with
    "a on pypy is about as fast as b by at least 2x",       # wrong qualifier
    "a on pypy is faster than b within 5%",                 # wrong qualifier
    "a on pypy is faster than b by at least 0.5x",          # factor below 1
])
def test_bad_sentences_are_refused_with_the_claim_named(text):
    with pytest.raises(JitgapError) as err:
        parse_claim("topic", "the-id", text)
    assert "the-id" in str(err.value)


def verdicts(demo_topic, demo_results):
    results = jitgap.load_results(demo_topic, demo_results)
    return {c.id: c.evaluate(results) for c in demo_topic.claims}


def test_verdicts_computed_from_results(demo_topic, demo_results):
    v = verdicts(demo_topic, demo_results)
    assert v["fast-beats-slow"].verdict == "holds"          # 3.0 vs 1.0, 10 % spread
    assert v["pypy-wins"].verdict == "holds"                # 10 ± 1.4x >= 2
    assert v["same"].verdict == "holds"                     # identical values
    assert "10.0 ± 1.4x faster" in v["pypy-wins"].measured


def test_fails_and_inconclusive(demo_topic, demo_results):
    results = jitgap.load_results(demo_topic, demo_results)
    fails = parse_claim("demo", "c", "fast on pypy is faster than on cpython by at least 20x")
    assert fails.evaluate(results).verdict == "fails"       # 10 ± 1.4x < 20
    unsure = parse_claim("demo", "c", "fast on pypy is faster than on cpython by at least 10x")
    assert unsure.evaluate(results).verdict == "inconclusive"
    slower = parse_claim("demo", "c", "fast on pypy-nojit is slower than on cpython by at least 1.1x")
    assert slower.evaluate(results).verdict == "inconclusive"   # 1.20 ± 0.16 straddles 1.1
    far = parse_claim("demo", "c", "fast on cpython is about as fast as slow on cpython")
    assert far.evaluate(results).verdict == "fails"


@pytest.mark.parametrize("text, low, high, verdict", [
    # "at least 2x": the zone is 2x within 5 % (1.905-2.1)
    ("a on x is faster than b by at least 2x", 1.98, 2.05, "borderline"),
    ("a on x is faster than b by at least 2x", 1.87, 2.00, "inconclusive"),  # reaches 1.87
    ("a on x is faster than b by at least 2x", 1.95, 2.20, "inconclusive"),  # reaches 2.2
    ("a on x is faster than b by at least 2x", 2.00, 2.05, "holds"),         # not straddling
    ("a on x is slower than b by at least 2x", 1.90, 1.99, "fails"),
    # equal speed as the threshold: "no difference, within 5 %"
    ("a on x is faster than b", 0.97, 1.03, "borderline"),
    # within 25 %: a zone around each end; straddling both ends is only wide
    ("a on x is about as fast as b within 25%", 0.79, 0.809, "borderline"),
    ("a on x is about as fast as b within 25%", 1.22, 1.28, "borderline"),
    ("a on x is about as fast as b within 25%", 0.79, 1.30, "inconclusive"),
    # a zone stops halfway to 1x: within 5 % has a 2.5 % zone, so an interval that
    # reaches 1x is never "on the threshold"; nor is one of "at least 1.05x"
    ("a on x is about as fast as b within 5%", 1.00, 1.06, "inconclusive"),
    ("a on x is about as fast as b within 5%", 1.03, 1.07, "borderline"),
    ("a on x is faster than b by at least 1.05x", 1.01, 1.06, "inconclusive"),
    ("a on x is faster than b by at least 1.05x", 1.03, 1.07, "borderline"),
])
def test_an_interval_close_around_its_threshold_is_borderline(text, low, high, verdict):
    assert parse_claim("t", "id", text).judge(low, high) == verdict


def test_borderline_from_results(tmp_path, demo_topic):
    """A ratio measured on its threshold, narrowly: neither holds nor fails."""
    from conftest import write_results
    write_results(tmp_path, "demo", "cpython", {"fast": [1.0, 1.01, 0.99, 1.0, 1.02, 0.98],
                                                "slow": [2.0, 2.02, 1.99, 2.01, 1.98, 2.0]})
    results = jitgap.load_results(demo_topic, tmp_path)
    claim = parse_claim("demo", "c", "slow on cpython is slower than fast on cpython by at "
                        "least 2x")
    v = claim.evaluate(results)
    assert v.verdict == "borderline", v.measured
    assert 1.905 <= v.interval[0] < 2.0 < v.interval[1] <= 2.1
    assert jitgap.check(demo_topic, tmp_path)  # the topic's own claims still judge
    from jitgap._phrases import MARKS, VERDICT_WORDS
    assert (MARKS["borderline"], VERDICT_WORDS["borderline"]) == ("≈", "on the threshold")
    assert set(MARKS) == set(jitgap.VERDICTS) == set(VERDICT_WORDS)


def test_missing_measurement_is_unmeasured(demo_topic, demo_results):
    results = jitgap.load_results(demo_topic, demo_results)
    claim = parse_claim("demo", "c", "fast on graalpy is faster than on cpython")
    v = claim.evaluate(results)
    assert v.verdict == "unmeasured"
    assert "fast on graalpy" in v.measured


def test_one_process_is_never_conclusive(tmp_path, demo_topic):
    from conftest import write_results
    write_results(tmp_path, "demo", "cpython", {"fast": [1.0], "slow": [3.0]})
    results = jitgap.load_results(demo_topic, tmp_path)
    v = demo_topic.claims[0].evaluate(results)
    assert v.verdict == "inconclusive"
    assert "one worker process" in v.measured


def test_check_on_a_folder_and_json_shape(demo_topic, demo_results):
    out = jitgap.check(demo_topic, demo_results)
    assert [v.claim.id for v in out] == ["fast-beats-slow", "pypy-wins", "same"]
    d = out[1].as_dict()
    for key in ("topic", "claim", "verdict", "measured", "ratio", "ratio_err", "ratio_low",
                "ratio_high", "threshold", "a", "b"):
        assert key in d
    assert d["verdict"] in jitgap.VERDICTS


@pytest.mark.parametrize("text,expected", [
    ("trace of v has no allocations", ("v", "allocations", "most", 0)),
    ("trace of v has at least 1 allocation", ("v", "allocations", "least", 1)),
    ("trace of v has at most 3 bridges", ("v", "bridges", "most", 3)),
    ("trace of v has at least 32 bridges", ("v", "bridges", "least", 32)),
    ("trace of v has no call", ("v", "calls", "most", 0)),
])
def test_parse_trace_claims(text, expected):
    c = parse_claim("t", "id", text)
    assert c.kind == "trace" and (c.a, c.metric, c.bound, c.count) == expected


def test_bad_trace_claim_names_the_claim_and_the_forms():
    with pytest.raises(JitgapError, match=r"(?s)the-id.*trace of A has no\|at least K"):
        parse_claim("t", "the-id", "trace of v has few allocations")


def _stored(tmp_path, variant, **body):
    """results/boxing/traces/VARIANT.json in tmp_path: the committed trace, edited."""
    import json
    from conftest import ROOT
    data = json.loads((ROOT / "results" / "boxing" / "traces" / "point_temporary.json")
                      .read_text())
    data["variant"] = variant
    data["report"]["in_loop_bodies"].update(body)
    folder = tmp_path / "boxing" / "traces"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / (variant + ".json")).write_text(json.dumps(data))
    return jitgap.load_results("boxing", tmp_path)


def test_trace_claims_hold_or_fail_on_the_stored_trace(tmp_path):
    results = _stored(tmp_path, "point_temporary", allocations=0, calls=2)
    none = parse_claim("boxing", "a", "trace of point_temporary has no allocations").evaluate(
        results)
    assert none.verdict == "holds" and none.value == 0
    assert "0 allocations per iteration" in none.measured and "claim: no allocations" in none.measured
    calls = parse_claim("boxing", "b", "trace of point_temporary has no calls").evaluate(results)
    assert calls.verdict == "fails" and calls.value == 2
    least = parse_claim("boxing", "c", "trace of point_temporary has at least 2 calls")
    assert least.evaluate(results).verdict == "holds"
    d = calls.as_dict()
    assert (d["kind"], d["metric"], d["value"], d["threshold"], d["verdict"]) == (
        "trace", "calls", 2, 0, "fails")


def test_trace_claim_without_a_stored_trace_is_unmeasured_with_the_fix(tmp_path):
    results = jitgap.load_results("boxing", tmp_path)
    v = parse_claim("boxing", "x", "trace of int_arith has no calls").evaluate(results)
    assert v.verdict == "unmeasured" and "jitgap trace boxing int_arith --save" in v.measured


def test_stale_trace_is_not_used(tmp_path):
    import json
    results = _stored(tmp_path, "int_arith", allocations=0)
    path = tmp_path / "boxing" / "traces" / "int_arith.json"
    data = json.loads(path.read_text())
    data["digest"] = "0000000000000000"
    path.write_text(json.dumps(data))
    v = parse_claim("boxing", "x", "trace of int_arith has no allocations").evaluate(results)
    assert v.verdict == "unmeasured" and "older version" in v.measured


def test_trace_claim_needs_its_variant_in_traces(tmp_path):
    from conftest import DATA
    source = (DATA / "demo.py").read_text().replace(
        "CLAIMS = {", 'CLAIMS = {\n    "t": "trace of fast has no allocations",')
    path = tmp_path / "demo2.py"
    path.write_text(source)
    with pytest.raises(JitgapError, match="list it in TRACES"):
        jitgap.get_topic(str(path)).claims
