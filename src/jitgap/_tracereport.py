"""What the JIT did with one variant: a report built from its PYPYLOG, and its printing.

What belongs to the benchmark: a trace whose outermost code (a loop's header location; for
a bridge, the trace holding the guard it comes out of) is in a file of the benchmark
module (its path, plus the ``co_filename`` of code it generated with ``exec``).  The
driver's own loop, which inlines the variant, and the import machinery are left out of the
headline counts but kept in ``totals``.  The headline ``guards``, ``allocations`` and
``calls`` count the operations of the benchmark's *loops* (preamble and body): what runs
per iteration.  Its bridges and entry bridges are counted apart (``in_bridges``): the exit
bridge of a loop boxes the function's return value once per call (one
``new_with_vtable``) and an entry bridge is a function entered from the interpreter.
"""

import linecache
import os
import re
from collections import Counter, OrderedDict

from ._pypylog import (DEBUG_OPS, is_allocation, is_call, parse_calls_marker, parse_log,
                       parse_summary)


# --------------------------------------------------------------------------------------
# the report


def _sum_counts(loops):
    total = Counter()
    for loop in loops:
        total.update(loop.counts())
    return {k: total[k] for k in ("ops", "guards", "allocations", "calls")}


class TraceReport:
    """What the JIT did with one variant: see :meth:`as_dict`."""

    def __init__(self, topic, variant, loops, summary=None, files=(), interpreter=None,
                 calls_made=None, seconds=None, log_path=None, calls_started=None):
        self.topic = topic
        self.variant = variant
        self.all_loops = list(loops)
        self.summary = summary or {}
        self.files = sorted(set(files))
        self.interpreter = interpreter
        self.calls_made = calls_made
        self.seconds = seconds
        self.log_path = log_path
        self.calls_started = calls_started

    def __repr__(self):
        d = self.as_dict()
        return "<TraceReport %s.%s: %d loops, %d bridges, %d allocations>" % (
            self.topic, self.variant, d["loops"], d["bridges"], d["allocations"])

    def belongs(self, loop):
        """Whether a trace's outermost code is the benchmark's (see the module doc)."""
        home = loop.root.home if loop.kind == "bridge" else loop.home
        if not (home and home.file in self.files):
            return False
        # compiled while the file was imported (module-level code), not by the calls
        return (self.calls_started is None or loop.timestamp is None
                or loop.timestamp >= self.calls_started)

    @property
    def traces(self):
        """The benchmark's traces: loops, entry bridges and bridges."""
        return [loop for loop in self.all_loops if self.belongs(loop)]

    @property
    def loops(self):
        """The benchmark's optimised loops (what iterates)."""
        return [loop for loop in self.traces if loop.kind == "loop"]

    @property
    def bridges(self):
        return [loop for loop in self.traces if loop.kind != "loop"]

    @property
    def aborts(self):
        return OrderedDict((reason, n) for reason, n in self.summary.get("aborts", {}).items()
                           if n)

    def as_dict(self):
        loops, bridges = self.loops, self.bridges
        in_loops = _sum_counts(loops)
        result = OrderedDict()
        result["topic"] = self.topic
        result["variant"] = self.variant
        result["interpreter"] = self.interpreter
        result["loops"] = len(loops)
        result["bridges"] = sum(1 for b in bridges if b.kind == "bridge")
        result["entry_bridges"] = sum(1 for b in bridges if b.kind != "bridge")
        result["aborts"] = dict(self.aborts)
        result["guards"] = in_loops["guards"]
        result["allocations"] = in_loops["allocations"]
        result["calls"] = in_loops["calls"]
        result["ops"] = in_loops["ops"]
        result["allocations_by_op"] = dict(sorted(Counter(
            op.name for loop in loops for op in loop.operations
            if is_allocation(op.name)).items()))
        result["calls_by_op"] = dict(sorted(Counter(
            op.name for loop in loops for op in loop.operations if is_call(op.name)).items()))
        result["in_loop_bodies"] = _sum_counts([]) if not loops else {
            k: sum(loop.counts(loop.body)[k] for loop in loops)
            for k in ("ops", "guards", "allocations", "calls")}
        result["in_bridges"] = _sum_counts(bridges)
        everything = _sum_counts(self.all_loops)
        everything.update(
            loops=sum(1 for t in self.all_loops if t.kind == "loop"),
            bridges=sum(1 for t in self.all_loops if t.kind == "bridge"),
            entry_bridges=sum(1 for t in self.all_loops if t.kind not in ("loop", "bridge")))
        result["totals"] = everything
        result["files"] = self.files
        result["calls_made"] = self.calls_made
        result["seconds"] = self.seconds
        result["traces"] = [loop.as_dict() for loop in self.traces]
        return result

    def format_loop(self, index=0, **options):
        """:func:`format_loop` of the benchmark's loop number ``index`` (0: the first)."""
        loops = self.loops
        if not loops:
            return "(no loop of %s was compiled)" % self.variant
        return format_loop(loops[index], **options)


def build_report(text, topic, variant, files, interpreter=None, calls_made=None,
                 seconds=None, log_path=None):
    """A :class:`TraceReport` from a PYPYLOG text; ``files`` are the benchmark's files."""
    return TraceReport(topic, variant, parse_log(text), parse_summary(text), files,
                       interpreter=interpreter, calls_made=calls_made, seconds=seconds,
                       log_path=log_path, calls_started=parse_calls_marker(text))


# --------------------------------------------------------------------------------------
# pretty-printing

_DESCR = re.compile(r"descr=<Field[A-Za-z]*\s+([^>]*)>")
_FAILARGS = re.compile(r"\) \[[^\]]*\]\s*$")
_GUARD_ONLY = re.compile(r",? ?descr=<Guard[0-9a-fA-Fx]+>")


def _short_op(op, width=100):
    text = op.text
    if op.offset is not None:
        text = text.split(": ", 1)[1]
    text = _FAILARGS.sub(")", text)
    text = _GUARD_ONLY.sub("", text).replace("(, ", "(")

    def descr(match):
        words = match.group(1).split()
        name = words[0] if words else ""
        if "." in name:
            parts = name.split(".")
            name = ".".join(parts[-2:])
        return "descr=<%s>" % name
    text = _DESCR.sub(descr, text)
    return text if len(text) <= width else text[:width - 3] + "..."


def _source_line(point, source_lines):
    lines = None
    if isinstance(source_lines, dict):
        lines = source_lines.get(point.file)
    elif source_lines is not None:
        lines = source_lines
    if lines is not None:
        if 1 <= point.line <= len(lines):
            return lines[point.line - 1].strip()
        return ""
    if point.file and os.path.isfile(point.file):
        return linecache.getline(point.file, point.line).strip()
    return ""


def format_loop(loop, source_lines=None, max_ops=40, part="body", width=100):
    """A shortened listing of one optimised trace: for each Python line its operations
    came from (``file:line | source``, indented by inlining depth), the operations under
    it; elided in the middle beyond ``max_ops`` operations.

    ``source_lines``: the lines of the benchmark file (a list), or ``{file: lines}``;
    by default files are read from disk.  ``part``: ``body`` (a loop's operations after
    its last label: what iterates; a bridge's all), ``all`` (preamble too).
    """
    ops = loop.ops
    if part == "body" and loop.kind == "loop":
        labels = [i for i, op in enumerate(ops) if op.name == "label"]
        if labels:
            start = labels[-1]
            # the merge point in force at the label
            before = [op for op in ops[:start] if op.merge_point is not None]
            ops = ([before[-1]] if before else []) + ops[start:]
    real = [op for op in ops if op.name not in DEBUG_OPS]
    counts = loop.counts([op for op in real])
    home = loop.root.home if loop.kind == "bridge" else loop.home
    where = ""
    if home is not None:
        where = " %s (%s:%s)" % (home.name, os.path.basename(home.file or "?"), home.line)
    shown = "loop body" if part == "body" and loop.kind == "loop" else loop.kind
    out = ["%s%s: %d operations in the %s: %d guards, %d allocations, %d calls"
           % (loop.title, where, counts["ops"], shown, counts["guards"],
              counts["allocations"], counts["calls"])]
    keep_head = max_ops - max_ops // 2
    keep_tail = max_ops // 2
    elide = len(real) > max_ops
    index = 0
    last_key = None
    elided_once = False
    for op in ops:
        if op.merge_point is not None:
            point = op.merge_point
            key = (point.file, point.line, point.depth)
            in_gap = elide and keep_head <= index < len(real) - keep_tail
            if key != last_key and not in_gap:
                indent = "  " * (point.depth + 1)
                if point.file is None:
                    out.append("%s# %s" % (indent, point.location))
                else:
                    out.append("%s%s:%d | %s" % (indent, os.path.basename(point.file),
                                                 point.line, _source_line(point, source_lines)))
            last_key = key
            continue
        if op.name in DEBUG_OPS:
            continue
        if elide and keep_head <= index < len(real) - keep_tail:
            if not elided_once:
                out.append("      ... %d operations not shown ..."
                           % (len(real) - keep_head - keep_tail))
                elided_once = True
                last_key = None
            index += 1
            continue
        depth = op_depth = 0
        # indent under the last merge point shown
        for prev in reversed(out):
            stripped = len(prev) - len(prev.lstrip(" "))
            if " | " in prev or prev.lstrip().startswith("# "):
                depth = stripped
                break
        op_depth = max(depth, 2) + 4
        out.append(" " * op_depth + _short_op(op, width))
        index += 1
    return "\n".join(out)


def format_report(report):
    """A short table: loops, bridges, aborts by reason, guards, allocations, calls."""
    d = report.as_dict() if isinstance(report, TraceReport) else report
    rows = [("loops", d["loops"]),
            ("bridges", "%d (+ %d entry bridges)" % (d["bridges"], d.get("entry_bridges", 0))),
            ("guards", d["guards"]),
            ("allocations", "%d%s" % (d["allocations"], "  (%s)" % ", ".join(
                "%s %d" % kv for kv in d.get("allocations_by_op", {}).items())
                if d.get("allocations_by_op") else "")),
            ("calls", d["calls"])]
    aborts = d.get("aborts") or {}
    rows.append(("aborts", ", ".join("%s: %d" % kv for kv in aborts.items()) or "none"))
    bridges = d.get("in_bridges")
    if bridges:
        rows.append(("in bridges", "%d guards, %d allocations, %d calls"
                     % (bridges["guards"], bridges["allocations"], bridges["calls"])))
    title = "%s.%s under %s" % (d["topic"], d["variant"], d.get("interpreter") or "PyPy")
    width = max(len(k) for k, _ in rows)
    lines = [title, "(the benchmark's optimised loops; aborts for the whole process)"]
    lines += ["  %-*s  %s" % (width, k, v) for k, v in rows]
    return "\n".join(lines)
