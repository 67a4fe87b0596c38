"""Decided, not just measured: the adaptive mode of ``make bench``.

A topic is measured in *looks*.  The first look runs every variant under every
interpreter in rounds of one worker process each (as quick mode does, with longer values);
a look goes round by round, each round one pyperf master per interpreter in turn (who
goes first rotates), and the C twin's processes run in chunks between the first look's
rounds (:func:`twin_chunks`): a noisy minute then falls on every side of a ratio, not on
one interpreter's whole look, which an interval over processes cannot see;
after each look, every claim of the topic is judged on the results so far, and a variant
stays in the next look only while a claim that uses it is undecided or its interval is
wide (half-width over :data:`NARROW` of the ratio), or, for a variant no claim uses, while
its ratio to CPython is that wide.  From :data:`FUTILE_FROM` processes on, a claim is not
measured further when even :data:`MOST_PROCESSES` processes would not decide it (or make
its interval narrow), were they to vary as the ones so far do
(:func:`jitgap._stats.projected_interval`): a ratio sitting near its threshold, with
processes too spread to put it "borderline" (within 5 % of the threshold), stays
"inconclusive" at a fraction of the cost (stopping for futility never makes a verdict,
so it cannot make a false one); one that 16 processes would put "borderline" is measured
until it is (a borderline claim is decided).  A variant whose processes mostly stop
warming up at a cap before settling is not measured again: more processes of it would
measure its warm-up, not a steady state (its claims are flagged "not steady").  It stops at
:data:`LOOKS` looks, or before a look that would end past the topic's budget (a look's
length is expected from the durations of the worker processes so far); a look that would
end past the smaller :data:`NARROW_BUDGET` measures only what undecided claims need, and
leaves the intervals of decided claims as wide as they are (the progress names them).

Looking after every look and stopping when the verdict suits would inflate the false
verdicts; so the error is split across the looks in advance (Bonferroni): every look
judges at the level :data:`LEVEL` = ``1 - 0.05 / LOOKS``, and the results carry that level
(``jitgap_ci_level``) so that ``jitgap check`` judges them at it too.  ``tests/test_
calibration.py`` and ``tools/calibration.py`` check that identical variants are never
judged different, and that a known 1.5x difference is found.
"""

import time

from ._claims import MEAN
from ._compare import ratio
from ._errors import JitgapError
from ._interpreters import REFERENCE, select_interpreters
from ._native import NAME, CCompiler, run_twin, twin_up_to_date
from ._pyperf import (DEFAULT_MEMORY_GB, DEFAULT_TIMEOUT, NATIVE_MODES, run_one, store_suite,
                      up_to_date)
from ._results import load_results
from ._runner import RunFailure, RunReport, probe_noise
from ._stats import looks_level, projected_interval, ratio_interval
from ._summary import check
from ._topics import get_topic

MODE = "adaptive"
#: the most looks at a topic, and how many new worker processes each gives a variant
LOOKS = 4
PROCESSES = (3, 3, 4, 6)
#: the most worker processes a variant gets, and from how many on a claim that even that
#: many would not decide is not measured further (fewer say too little about the spread)
MOST_PROCESSES = sum(PROCESSES)
FUTILE_FROM = 6
#: the C twin's worker processes (its mode's), measured in chunks between the rounds of
#: the first look (:func:`twin_chunks`)
TWIN_PROCESSES = int(NATIVE_MODES[MODE][NATIVE_MODES[MODE].index("--processes") + 1])
#: the confidence level of every look (and of the final verdicts)
LEVEL = looks_level(0.95, LOOKS)
#: seconds a worker process costs beyond its own duration (starting it, its master)
PROCESS_OVERHEAD = 0.3
#: an interval is narrow when its half-width is at most this fraction of the ratio
NARROW = 0.10
#: seconds a topic may take: the first look always completes, and a later look starts
#: only when it is expected to end within the budget
DEFAULT_BUDGET = 240
#: seconds within which a topic's looks may also narrow the intervals of decided claims
#: (and of ratios no claim uses): a later look that would end past it measures only
#: what undecided claims need.  Replayed on the reference results of 2026-12-01
#: (tools/replay_looks.py): 30.5 minutes of worker processes instead of 32.1 with no
#: such budget (28.0 with 60 s), no verdict changed, 25 intervals left wide instead of
#: 17 (50 with 60 s)
NARROW_BUDGET = 120

#: the mode's line in ``jitgap run --help``
HELP = ("make bench: looks of new processes until every claim is decided and every "
        "interval narrow, or even %d processes would not do it, or a topic's budget is "
        "spent (%d s; %d s to narrow intervals) (at most %d processes x 10 values of "
        ">= 10 ms, 30 ms with the JIT off, per variant; at least 3 values, 0.2 s of them "
        "if fewer)" % (MOST_PROCESSES, DEFAULT_BUDGET, NARROW_BUDGET, MOST_PROCESSES))


def _wide(low, high, value):
    return (high - low) / 2.0 > NARROW * value


def _futile(first, second, level, claim=None):
    """Whether :data:`MOST_PROCESSES` processes would still leave the ratio
    ``mean(first) / mean(second)`` undecided by ``claim`` (without one: wide), by its
    projected interval."""
    if min(len(first.runs), len(second.runs)) < FUTILE_FROM:
        return False
    low, high = projected_interval(first, second, MOST_PROCESSES, level)
    if claim is not None:
        return claim.judge(low, high) == "inconclusive"
    return _wide(low, high, ratio(first, second).value)


def pending(topic, directory=None, level=LEVEL, narrow=True):
    """``{interpreter: {variant, ...}}``: what another look should measure, with the
    reasons (``[(claim or variant, why)]``; ``futile`` ones are not measured).
    ``narrow=False``: only what undecided claims need (not what only narrows an interval;
    the reasons still name the wide ones)."""
    need, decide, why = _pending(topic, directory, level)
    return (need if narrow else decide), why


def _pending(topic, directory=None, level=LEVEL):
    """``(need, decide, why)``: :func:`pending`'s ``need`` with and without what only
    narrows intervals, and its reasons."""
    topic = get_topic(topic)
    results = load_results(topic, directory)
    need, decide, why = {}, {}, []

    def add(variant, interpreter, narrowing=False):
        if interpreter != "c":        # the C twin is measured once (10 processes x 3 values)
            need.setdefault(interpreter, set()).add(variant)
            if not narrowing:
                decide.setdefault(interpreter, set()).add(variant)

    def settle(*pairs):
        found = [results.get(*p) for p in pairs]
        return all(m is None or m.settles for m in found)

    claimed = set()
    for v in check(topic, directory, level):
        c = v.claim
        if getattr(c, "kind", None) == "trace" or v.verdict == "unmeasured":
            continue
        claimed.update((c.a, c.b))
        if not settle((c.a, c.x), (c.b, c.y)):
            continue
        if v.verdict == "inconclusive" or (v.interval and _wide(v.interval[0], v.interval[1],
                                                                 v.ratio.value)):
            reason = v.verdict if v.verdict == "inconclusive" else "wide"
            if v.ma is not None and v.mb is not None and _futile(
                    *c.oriented(v.ma, v.mb), level=v.level or level,
                    claim=c if reason == "inconclusive" else None):
                why.append((c.key, "futile (%s)" % reason))
                continue
            for variant, interpreter in _measured_by(c, results):
                add(variant, interpreter, narrowing=reason == "wide")
            why.append((c.key, reason))
    for variant in results.variants:
        if variant in claimed:
            continue
        ref = results.get(variant, REFERENCE)
        for name in results.interpreters:
            m = results.get(variant, name)
            if name in (REFERENCE, "c") or ref is None or m is None or len(m.runs) < 2:
                continue
            if not (m.settles and ref.settles):
                continue
            low, high = ratio_interval(ref, m, level)
            value = ratio(ref, m).value
            if not _wide(low, high, value):
                continue
            key = "%s on %s" % (variant, name)
            if _futile(ref, m, level):
                why.append((key, "futile (wide)"))
                continue
            add(variant, name, narrowing=True)
            add(variant, REFERENCE, narrowing=True)
            why.append((key, "wide"))
    return need, decide, why


def _measured_by(claim, results):
    """``[(variant, interpreter)]``: what a claim's ratio is measured from: its two
    variants, or for a claim on the geometric mean every variant measured (and settling)
    on both of its interpreters."""
    if claim.a != MEAN:
        return [(claim.a, claim.x), (claim.b, claim.y)]
    both = [v for v, a, b in claim.mean_pairs(results) if a.settles and b.settles]
    return [(v, name) for v in both for name in (claim.x, claim.y)]


def expected_seconds(topic, plan, processes, directory=None):
    """How long a look is expected to take: ``processes`` new worker processes of each
    ``{interpreter: [variant, ...]}`` in ``plan``, at the mean duration of the processes
    stored so far, plus :data:`PROCESS_OVERHEAD` each."""
    results = load_results(topic, directory)
    total = 0.0
    for name, variants in plan.items():
        for variant in variants:
            m = results.get(variant, name)
            total += processes * ((m.process_seconds if m and m.process_seconds else 1.0)
                                  + PROCESS_OVERHEAD)
    return total


class Look:
    """What look ``number`` measures (:func:`next_look`): ``plan`` ``{interpreter:
    [variant, ...]}`` (empty: no more looks; ``stop`` says why: ``done`` or ``budget``),
    ``expected`` seconds, the reasons still pending (``why``: ``[(key, reason)]``, the
    futile ones apart in ``futile``) and ``unnarrowed``: the wide intervals this look
    leaves as they are, the narrowing budget being spent."""

    def __init__(self, number, plan, expected, why, futile, unnarrowed, stop=None):
        self.number, self.plan, self.expected, self.stop = number, plan, expected, stop
        self.why, self.futile, self.unnarrowed = why, futile, unnarrowed


def next_look(topic, number, spent, names, directory=None, budget=DEFAULT_BUDGET,
              narrow_budget=NARROW_BUDGET):
    """The :class:`Look` ``number`` (2 or more) of ``topic`` under the interpreters
    ``names``, ``spent`` seconds after the topic started: what :func:`pending` asks for,
    without what only narrows intervals when that would end past ``narrow_budget``, and
    nothing when it would end past ``budget``."""
    need, decide, why = _pending(topic, directory)
    futile = [k for k, reason in why if reason.startswith("futile")]
    why = [(k, reason) for k, reason in why if not reason.startswith("futile")]
    processes = PROCESSES[number - 1]

    def planned(wanted):
        plan = {name: sorted(wanted[name]) for name in names if wanted.get(name)}
        return plan, expected_seconds(topic, plan, processes, directory) if plan else 0.0

    plan, expected = planned(need)
    unnarrowed = []
    if plan and spent + expected > narrow_budget:
        unnarrowed = [k for k, reason in why if reason == "wide"]
        plan, expected = planned(decide)
    if not plan:
        return Look(number, {}, 0.0, why, futile, unnarrowed, "done")
    if spent + expected > budget:
        return Look(number, {}, expected, why, futile, unnarrowed, "budget")
    return Look(number, plan, expected, why, futile, unnarrowed)


def run_adaptive(topic, interpreters=None, mode=MODE, directory=None, echo=None,
                 timeout=DEFAULT_TIMEOUT, force=True, quiet=False, memory_gb=DEFAULT_MEMORY_GB,
                 native=None, budget=DEFAULT_BUDGET, narrow_budget=NARROW_BUDGET):
    """Measure ``topic`` in looks until its claims are decided (see the module docstring);
    returns a :class:`RunReport` like :func:`jitgap.run` (whose arguments it takes;
    ``mode`` must be ``adaptive``).  ``budget``: seconds for the looks after the first
    (``narrow_budget`` for those that only narrow intervals)."""
    if mode != MODE:
        raise JitgapError("run_adaptive measures in mode %r, not %r" % (MODE, mode))
    topic = get_topic(topic)
    if native is None:
        native = interpreters is None
    interpreters = list(interpreters if interpreters is not None else select_interpreters())
    report = RunReport(topic)

    def say(text):
        if echo is not None:
            echo(text)

    usable = []
    for interp in interpreters:
        if interp.missing:
            report.failures.append(RunFailure(interp.name, interp.missing))
            say("  skipped %s: %s\n" % (interp.name, interp.missing))
        else:
            usable.append(interp)
    current = {i.name: up_to_date(topic, i, MODE, directory) for i in usable}
    if not force and usable and all(current.values()):
        report.skipped.update(current)
        say("  up to date: %s (measured adaptively from the current %s; --force re-measures)\n"
            % (topic.name, topic.path.name))
        usable = []
    # the C twin is measured between the interpreters' rounds of the first look, its
    # processes in chunks, so that a noisy minute does not fall on it alone
    twin, compiler = [], None
    if native and topic.c_path is not None:
        compiler = CCompiler.find()
        if compiler.missing:
            report.notes.append("%s: %s" % (NAME, compiler.missing))
        elif force or twin_up_to_date(topic, compiler, MODE, directory) is None:
            twin = twin_chunks()

    def measure_twin(processes=None, append=False):
        """Run the twin (``processes`` of them, added to the stored ones with ``append``);
        whether it went well."""
        try:
            report.written[NAME] = run_twin(topic, compiler, MODE, directory, echo, timeout,
                                            quiet, memory_gb, processes=processes,
                                            append=append)
            return True
        except JitgapError as exc:
            report.failures.append(RunFailure(NAME, str(exc), exc))
            return False

    started = time.time()
    tags = probe_noise(echo, report) if usable else None
    if twin and not usable:         # only the twin is out of date: no rounds to go between
        measure_twin()
    announced = set()       # the claims said to be futile (each said once)
    for look in range(1, LOOKS + 1 if usable else 1):
        if look == 1:
            plan = {i.name: None for i in usable}
        else:
            spent = time.time() - started
            nxt = next_look(topic, look, spent, [i.name for i in usable], directory, budget,
                            narrow_budget)
            new = [k for k in nxt.futile if k not in announced]
            announced.update(new)
            if new:
                say("  look %d: not measured further (%d processes would not decide them "
                    "either): %s\n" % (look, MOST_PROCESSES, ", ".join(new)))
            if nxt.unnarrowed:
                say("  look %d: intervals left wide (narrowing them would end past %d s; "
                    "%d s spent): %s\n" % (look, narrow_budget, spent,
                                          ", ".join(nxt.unnarrowed)))
            if nxt.stop == "done":
                other = "other " if nxt.futile else ""
                say("  look %d: every %sclaim decided%s\n" % (
                    look, other, "" if nxt.unnarrowed else ", every %sinterval narrow" % other))
                break
            if nxt.stop == "budget":
                say("  look %d: would end past the budget of %d s (%d s spent, about %d s "
                    "more); still undecided or wide: %s\n"
                    % (look, budget, spent, nxt.expected, ", ".join(k for k, _ in nxt.why)))
                break
            plan = nxt.plan
            say("  look %d: %s\n" % (look, "; ".join(
                "%s: %s" % (name, ", ".join(vs)) for name, vs in plan.items())))
        rounds = PROCESSES[look - 1]
        for k in range(rounds):
            order = _rotated([i for i in usable if i.name in plan], k)
            for interp in order:
                say("[look %d/%d, round %d/%d] %s under %s\n" % (
                    look, LOOKS, k + 1, rounds, topic.name, interp.label()))
                try:
                    report.written[interp.name] = run_one(
                        topic, interp, MODE, directory, echo, timeout, quiet, memory_gb,
                        only=plan[interp.name], rounds=1, processes=1,
                        append=look > 1 or k > 0, first_round=100 * look + k, tags=tags)
                except JitgapError as exc:
                    report.failures.append(RunFailure(interp.name, str(exc), exc))
                    say("  FAILED: %s\n" % exc)
                    usable = [i for i in usable if i.name != interp.name]
            if look == 1 and k < len(twin) and twin[k]:
                if not measure_twin(twin[k], append=k > 0):
                    twin = []
    for name, path in report.written.items():
        if name != NAME:
            _tag_level(path)
    return report


def _rotated(items, k):
    """``items`` starting from the ``k``-th (cyclically): who goes first changes from one
    round to the next."""
    if not items:
        return []
    k %= len(items)
    return items[k:] + items[:k]


def twin_chunks(processes=TWIN_PROCESSES, rounds=PROCESSES[0]):
    """The C twin's processes, one chunk per round of the first look: 10 over 3 rounds is
    4, 3, 3."""
    return [processes // rounds + (1 if k < processes % rounds else 0)
            for k in range(rounds)]


def _tag_level(path):
    """Record the level the looks judged at, so ``check`` judges at it too."""
    import pyperf
    suite = pyperf.BenchmarkSuite.load(str(path))
    store_suite(suite, {"jitgap_ci_level": LEVEL, "jitgap_looks": LOOKS}, path)
