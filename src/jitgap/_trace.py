"""What the JIT did: run one variant under PyPy with the JIT log on and read the log.

``trace(topic, variant)`` starts PyPy with ``PYPYLOG=jit-summary,jit-log-opt,
jit-abort-log,jit-backend-counts:FILE`` on a small driver that imports the benchmark file
under a module name other than ``__main__`` (so its pyperf block does not run) and calls
the variant again and again for about ``seconds`` seconds, then parses the log.

The PYPYLOG format (PyPy 7.3): sections open with ``[<hex timestamp>] {<name>`` and close
with ``[<hex timestamp>] <name>}``.  The sections read here:

* ``jit-log-opt-loop``: one optimised trace, headed ``# Loop 21 (<location>) : loop with
  118 ops`` (``entry bridge`` instead of ``loop`` for a function entered from the
  interpreter), then its input boxes ``[p0, p1]``, then one operation per line, prefixed
  with the machine-code offset (``+416: guard_value(i5, 5, descr=<Guard0x...>) [fail
  args]``).  A loop is a *preamble* (run once per entry) up to its last ``label(...)``,
  then the *body* that iterates, ending in ``jump``;
* ``jit-log-opt-bridge``: ``# bridge out of Guard 0x7f... with 13 ops``: the code run when
  that guard fails often enough to be compiled;
* ``debug_merge_point(<call depth>, <call id>, '<code name>;<file>:<first line>-<line>~#
  <bytecode offset> <OPNAME>')``: no machine code; marks where the Python bytecode of the
  following operations comes from (commas in the location are written as dots);
* ``jit-summary``: counters for the whole process, among them ``abort: trace too long:
  <n>`` for every abort reason, ``Total # of loops`` and ``Total # of bridges``;
* ``jit-abort-log``: the operations of an aborted trace (the reason is only counted in the
  summary);
* ``jit-backend-counts``: how many times each loop was entered (``entry <loop number>:
  <n>``), each label reached (``TargetToken(<id>):<n>``) and each bridge run
  (``bridge <guard id in decimal>:<n>``).

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

import json
import linecache
import os
import re
import subprocess
import tempfile
from collections import Counter, OrderedDict
from pathlib import Path

from ._errors import JitgapError
from ._runner import _error_lines, _kill_group
from ._topics import get_topic

#: the PYPYLOG sections asked for (jit-log-opt enables jit-log-opt-loop and -bridge).
PYPYLOG_SECTIONS = "jit-summary,jit-log-opt,jit-abort-log,jit-backend-counts,jitgap-calls"

#: an empty section the driver writes (``__pypy__.debug_start``) just before its first call
#: of the variant: traces compiled before it come from importing the benchmark file.
CALLS_MARKER = "jitgap-calls"

#: operations that allocate on the heap (all of them start with "new" in the log).
ALLOCATION_OPS = ("new", "new_with_vtable", "new_array", "new_array_clear", "newstr",
                  "newunicode")

#: operations that produce no machine code; not counted as operations of a trace.
DEBUG_OPS = ("debug_merge_point", "enter_portal_frame", "leave_portal_frame")

#: seconds allowed on top of ``seconds`` (PyPy start-up, import, compiling, writing the log).
TIMEOUT_MARGIN = 120

_MARKER = re.compile(r"^\[([0-9a-f]+)\] (?:\{([\w-]+)|([\w-]+)\})\s*$")
_LOOP_HEADER = re.compile(r"^# Loop (\d+) \((.*)\) : (.+?) with (\d+) ops\s*$")
_BRIDGE_HEADER = re.compile(r"^# bridge out of Guard (0x[0-9a-fA-F]+|\d+) with (\d+) ops\s*$")
_OP = re.compile(r"^(?:\+(\d+): )?(?:([a-z]+\d+) = )?([a-z_][a-z0-9_]*)\((.*)$")
_MERGE_POINT = re.compile(r"^debug_merge_point\((\d+), (\d+), '(.*)'\)\s*$")
_GUARD_DESCR = re.compile(r"descr=<Guard(0x[0-9a-fA-F]+|\d+)>")
_TARGET_TOKEN = re.compile(r"descr=TargetToken\((\d+)\)")
_LOCATION = re.compile(r"^(?P<name>[^;]*);(?P<file>.*):(?P<first>-?\d+)-(?P<line>-?\d+)"
                       r"~#(?P<offset>\d+) (?P<opname>\S+)\s*$")


def is_guard(name):
    return name.startswith("guard_")


def is_allocation(name):
    return name in ALLOCATION_OPS or name.startswith("new")


def is_call(name):
    return name.startswith("call") or name.startswith("cond_call")


class MergePoint:
    """One ``debug_merge_point``: where the following operations come from."""

    def __init__(self, depth, call_id, location):
        self.depth = depth
        self.call_id = call_id
        self.location = location
        match = _LOCATION.match(location)
        if match:
            self.name = match.group("name")
            self.file = match.group("file")
            self.first_line = int(match.group("first"))
            self.line = int(match.group("line"))
            self.offset = int(match.group("offset"))
            self.opname = match.group("opname")
        else:  # another jit driver (regular expressions...): keep the text as it is
            self.name, self.file, self.first_line, self.line = location, None, None, None
            self.offset, self.opname = None, None

    def __repr__(self):
        return "MergePoint(%d, %r)" % (self.depth, self.location)

    def as_dict(self):
        return {"depth": self.depth, "name": self.name, "file": self.file,
                "line": self.line, "opname": self.opname}


class Op:
    """One operation of an optimised trace (or a debug_merge_point)."""

    def __init__(self, name, text, offset=None, result=None, merge_point=None):
        self.name = name
        self.text = text
        self.offset = offset
        self.result = result
        self.merge_point = merge_point

    def __repr__(self):
        return "Op(%r)" % self.text

    @property
    def guard_id(self):
        match = _GUARD_DESCR.search(self.text)
        return int(match.group(1), 0) if match and is_guard(self.name) else None


class Loop:
    """One optimised trace: ``kind`` is ``loop``, ``entry bridge`` or ``bridge``."""

    def __init__(self, kind, number=None, location=None, guard=None, declared_ops=None):
        self.kind = kind
        self.number = number
        self.location = location          # header location of a loop or entry bridge
        self.guard = guard                 # id of the guard a bridge comes out of
        self.declared_ops = declared_ops   # "with N ops" in the header
        self.inputs = None
        self.ops = []                      # Op, debug_merge_points included
        self.parent = None                 # for a bridge: the trace holding its guard
        self.entries = None                # from jit-backend-counts, when logged
        self.iterations = None
        self.timestamp = None              # the section's start (CPU clock ticks)

    def __repr__(self):
        return "<Loop %s %s: %d ops>" % (self.kind, self.number if self.number is not None
                                         else hex(self.guard or 0), len(self.operations))

    @property
    def title(self):
        if self.kind == "bridge":
            return "bridge out of guard %s" % (hex(self.guard) if self.guard is not None
                                               else "?")
        return "%s %s" % (self.kind, self.number)

    @property
    def merge_points(self):
        return [op.merge_point for op in self.ops if op.merge_point is not None]

    @property
    def operations(self):
        """The operations that make code (no debug_merge_point, no portal frame marks)."""
        return [op for op in self.ops if op.name not in DEBUG_OPS]

    @property
    def body(self):
        """The operations after the last ``label``: what iterates (all ops of a bridge)."""
        ops = self.operations
        labels = [i for i, op in enumerate(ops) if op.name == "label"]
        return ops[labels[-1]:] if labels else ops

    @property
    def preamble(self):
        ops = self.operations
        labels = [i for i, op in enumerate(ops) if op.name == "label"]
        return ops[:labels[-1]] if labels else []

    @property
    def home(self):
        """The outermost code this trace runs: its header location, else its first
        merge point of the smallest call depth (a MergePoint, or None)."""
        if self.location:
            return MergePoint(0, 0, self.location)
        points = self.merge_points
        if not points:
            return None
        depth = min(p.depth for p in points)
        return next(p for p in points if p.depth == depth)

    @property
    def root(self):
        """The loop a bridge finally hangs from (itself for a loop)."""
        trace, seen = self, set()
        while trace.parent is not None and id(trace) not in seen:
            seen.add(id(trace))
            trace = trace.parent
        return trace

    @property
    def files(self):
        return sorted({p.file for p in self.merge_points if p.file})

    def counts(self, ops=None):
        ops = self.operations if ops is None else ops
        by_kind = Counter(op.name for op in ops)
        return {"ops": len(ops),
                "guards": sum(n for k, n in by_kind.items() if is_guard(k)),
                "allocations": sum(n for k, n in by_kind.items() if is_allocation(k)),
                "calls": sum(n for k, n in by_kind.items() if is_call(k))}

    def as_dict(self):
        home = self.root.home if self.kind == "bridge" else self.home
        result = OrderedDict()
        result["kind"] = self.kind
        result["number"] = self.number
        result["guard"] = hex(self.guard) if self.guard is not None else None
        result["code"] = home.name if home else None
        result["file"] = home.file if home else None
        result["line"] = home.line if home else None
        result.update(self.counts())
        result["body"] = self.counts(self.body)
        result["ops_by_kind"] = dict(sorted(Counter(op.name for op in self.operations)
                                            .items()))
        result["entries"] = self.entries
        result["iterations"] = self.iterations
        return result


# --------------------------------------------------------------------------------------
# parsing


def sections(text, timestamps=False):
    """``(name, lines)`` for every PYPYLOG section, in the order they close (nested ones
    too); ``(name, lines, start timestamp)`` with ``timestamps``."""
    stack = []
    for line in text.splitlines():
        match = _MARKER.match(line)
        if match:
            if match.group(2):
                stack.append((match.group(2), [], int(match.group(1), 16)))
                continue
            name = match.group(3)
            if stack and stack[-1][0] == name:
                section = stack.pop()
                yield section if timestamps else section[:2]
                continue
        if stack:
            stack[-1][1].append(line)


def _parse_trace(name, lines):
    kind = "bridge" if name == "jit-log-opt-bridge" else "loop"
    loop = Loop(kind)
    for line in lines:
        if line.startswith("#"):
            header = _LOOP_HEADER.match(line)
            if header:
                loop.number = int(header.group(1))
                loop.location = header.group(2)
                loop.kind = header.group(3)
                loop.declared_ops = int(header.group(4))
                continue
            header = _BRIDGE_HEADER.match(line)
            if header:
                loop.guard = int(header.group(1), 0)
                loop.declared_ops = int(header.group(2))
            continue
        if line.startswith("[") and loop.inputs is None and not loop.ops:
            loop.inputs = line.strip("[] \n").split(", ") if line.strip("[] \n") else []
            continue
        merge = _MERGE_POINT.match(line)
        if merge:
            point = MergePoint(int(merge.group(1)), int(merge.group(2)), merge.group(3))
            loop.ops.append(Op("debug_merge_point", line, merge_point=point))
            continue
        op = _OP.match(line)
        if op:
            loop.ops.append(Op(op.group(3), line, offset=op.group(1) and int(op.group(1)),
                               result=op.group(2)))
    return loop


def parse_log(text):
    """Every optimised loop, entry bridge and bridge in a PYPYLOG text, in log order.

    A bridge's ``parent`` is set to the trace holding the guard it comes out of, when
    that trace is in the log; loop entry and iteration counts are filled in from
    ``jit-backend-counts`` when it was logged.
    """
    loops = []
    for name, lines, stamp in sections(text, timestamps=True):
        if name in ("jit-log-opt-loop", "jit-log-opt-bridge"):
            loops.append(_parse_trace(name, lines))
            loops[-1].timestamp = stamp
    guards = {}
    for loop in loops:
        for op in loop.ops:
            gid = op.guard_id
            if gid is not None:
                guards.setdefault(gid, loop)
    for loop in loops:
        if loop.kind == "bridge" and loop.guard is not None:
            parent = guards.get(loop.guard)
            loop.parent = parent if parent is not loop else None
    counts = parse_backend_counts(text)
    if counts:
        for loop in loops:
            if loop.kind == "bridge":
                loop.entries = counts["bridges"].get(loop.guard)
            else:
                loop.entries = counts["entries"].get(loop.number)
                labels = [op for op in loop.operations if op.name == "label"]
                token = labels and _TARGET_TOKEN.search(labels[-1].text)
                if token:
                    loop.iterations = counts["targets"].get(int(token.group(1)))
    return loops


def parse_summary(text):
    """The last ``jit-summary`` section as a dict (``{}`` when there is none).

    Numbers are ints or floats; ``aborts`` maps each abort reason (``trace too long``...)
    to its count, zeros included.
    """
    found = [lines for name, lines in sections(text) if name == "jit-summary"]
    if not found:
        return {}
    summary = OrderedDict()
    aborts = OrderedDict()
    for line in found[-1]:
        if ":" not in line:
            continue
        key, _, value = line.rpartition(":")
        key, fields = key.strip(), value.split()
        if not key or not fields:
            continue
        try:
            number = float(fields[-1]) if "." in fields[-1] else int(fields[-1])
        except ValueError:
            continue
        if key.startswith("abort:"):
            aborts[key[len("abort:"):].strip()] = number
        else:
            summary[key] = number
    summary["aborts"] = aborts
    return summary


def parse_aborts(text):
    """Abort reason -> count (the non-zero ones) from the jit-summary."""
    return OrderedDict((reason, n) for reason, n in parse_summary(text).get("aborts", {})
                       .items() if n)


def parse_abort_logs(text):
    """For each ``jit-abort-log`` section (an aborted trace): its first merge point and
    its number of operations."""
    result = []
    for name, lines in sections(text):
        if name != "jit-abort-log":
            continue
        trace = _parse_trace(name, lines)
        points = trace.merge_points
        result.append({"start": points[0].as_dict() if points else None,
                       "ops": len(trace.operations)})
    return result


def parse_calls_marker(text):
    """The timestamp of the driver's ``jitgap-calls`` mark (None when absent)."""
    for name, _, stamp in sections(text, timestamps=True):
        if name == CALLS_MARKER:
            return stamp
    return None


def parse_backend_counts(text):
    """``{"entries": {loop number: n}, "targets": {token: n}, "bridges": {guard: n}}``
    from ``jit-backend-counts`` (``{}`` when it was not logged)."""
    found = [lines for name, lines in sections(text) if name == "jit-backend-counts"]
    if not found:
        return {}
    counts = {"entries": {}, "targets": {}, "bridges": {}}
    for line in found[-1]:
        key, sep, value = line.rpartition(":")
        if not sep:
            continue
        try:
            value = int(value)
            if key.startswith("entry "):
                counts["entries"][int(key[6:])] = value
            elif key.startswith("bridge "):
                counts["bridges"][int(key[7:], 0)] = value
            elif key.startswith("TargetToken("):
                counts["targets"][int(key[12:].rstrip(")"))] = value
        except ValueError:
            continue
    return counts


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
                 calls_made=None, seconds=None, abort_logs=None, log_path=None,
                 calls_started=None):
        self.topic = topic
        self.variant = variant
        self.all_loops = list(loops)
        self.summary = summary or {}
        self.files = sorted(set(files))
        self.interpreter = interpreter
        self.calls_made = calls_made
        self.seconds = seconds
        self.abort_logs = abort_logs or []
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
                       abort_logs=parse_abort_logs(text), log_path=log_path,
                       calls_started=parse_calls_marker(text))


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


# --------------------------------------------------------------------------------------
# running PyPy

_DRIVER = r"""
import importlib.util, json, sys, time, types
path, variant, seconds, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
spec = importlib.util.spec_from_file_location("_jitgap_traced", path)
module = importlib.util.module_from_spec(spec)
sys.modules["_jitgap_traced"] = module
spec.loader.exec_module(module)
func = getattr(module, variant)
files = set()
def visit(code, seen=set()):
    if id(code) in seen:
        return
    seen.add(id(code))
    files.add(code.co_filename)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            visit(const)
for value in list(vars(module).values()):
    candidates = [value] + (list(vars(value).values()) if isinstance(value, type) else [])
    for item in candidates:
        item = getattr(item, "__func__", item)
        code = getattr(item, "__code__", None)
        if isinstance(code, types.CodeType) and getattr(item, "__module__", None) == "_jitgap_traced":
            visit(code)
try:
    import __pypy__
    __pypy__.debug_start("jitgap-calls")
    __pypy__.debug_stop("jitgap-calls")
except (ImportError, AttributeError):
    pass
calls = 0
start = time.perf_counter()
end = start + seconds
while True:
    func()
    calls += 1
    if time.perf_counter() >= end:
        break
elapsed = time.perf_counter() - start
with open(out, "w") as handle:
    json.dump({"calls": calls, "seconds": elapsed, "files": sorted(files)}, handle)
"""


def _interpreter(interpreter):
    from ._interpreters import Interpreter, default_interpreters, parse_python_spec

    if interpreter is None:
        interp = next(i for i in default_interpreters() if i.name == "pypy")
    elif isinstance(interpreter, Interpreter):
        interp = interpreter
    else:
        spec = str(interpreter)
        named = {i.name: i for i in default_interpreters()}
        if spec in named:
            interp = named[spec]
        elif "=" in spec.split()[0]:
            interp = parse_python_spec(spec)
        else:
            interp = parse_python_spec("custom=" + spec)
    if not interp.available:
        raise JitgapError("cannot trace the JIT: %s: %s" % (interp.name, interp.missing))
    info = interp.info()
    if info.get("implementation") != "PyPy":
        raise JitgapError("cannot trace the JIT with %s (%s): it is %s, not PyPy; the JIT "
                          "log needs PyPy" % (interp.name, " ".join(interp.argv),
                                              info.get("implementation", "?")))
    if info.get("jit") == "off":
        raise JitgapError("cannot trace the JIT with %s (%s): its JIT is off"
                          % (interp.name, " ".join(interp.argv)))
    return interp, info


def _check_variant(topic, variant):
    import ast
    functions = {node.name for node in ast.parse(topic.source).body
                 if isinstance(node, ast.FunctionDef)}
    if variant in topic.variants or (not topic.variants and variant in functions):
        return
    known = topic.variants or sorted(functions)
    raise JitgapError("%s has no variant %r (variants: %s)"
                      % (topic.path, variant, ", ".join(known) or "none"))


def trace(topic, variant, interpreter=None, seconds=0.5, directory=None, timeout=None):
    """Run ``variant`` of ``topic`` under PyPy with the JIT log on; a :class:`TraceReport`.

    ``topic``: a name or the path of a benchmark file.  ``interpreter``: an
    :class:`~jitgap._interpreters.Interpreter`, a default interpreter's name, ``NAME=PATH``
    or a path (default: the ``pypy`` interpreter); it must be PyPy with its JIT on.
    The variant is called with its default arguments again and again for about
    ``seconds`` seconds (so its loops are compiled).  ``directory``: where to keep the
    raw log (``<topic>-<variant>.pypylog``); by default it is a temporary file, removed.
    ``timeout`` (default ``seconds`` + 120 s) stops a run that does not finish.
    """
    topic = get_topic(topic)
    _check_variant(topic, variant)
    interp, info = _interpreter(interpreter)
    timeout = float(timeout) if timeout else float(seconds) + TIMEOUT_MARGIN
    from ._interpreters import label_from_info
    with tempfile.TemporaryDirectory(prefix="jitgap-trace-") as tmpdir:
        log = Path(tmpdir) / "jit.pypylog"
        out = Path(tmpdir) / "driver.json"
        env = {k: v for k, v in os.environ.items() if k not in ("PYPYLOG", "PYPY_GC_DEBUG")}
        env["PYPYLOG"] = "%s:%s" % (PYPYLOG_SECTIONS, log)
        cmd = interp.argv + ["-c", _DRIVER, str(topic.path), variant, repr(float(seconds)),
                             str(out)]
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, env=env,
                                    cwd=str(topic.path.parent), start_new_session=True,
                                    universal_newlines=True)
        except OSError as exc:
            raise JitgapError("%s: cannot start %s: %s" % (interp.name, interp.executable,
                                                          exc.strerror))
        try:
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise JitgapError("%s: tracing %s.%s did not finish within %g s; stopped it"
                              % (interp.name, topic.name, variant, timeout))
        except BaseException:
            _kill_group(proc)
            raise
        if proc.returncode != 0 or not out.exists():
            tail = "\n".join(_error_lines(output or ""))
            raise JitgapError("%s failed running %s.%s with the JIT log on (exit code %s):\n%s"
                              % (interp.name, topic.name, variant, proc.returncode, tail))
        driver = json.loads(out.read_text())
        if not log.exists():
            raise JitgapError("%s wrote no JIT log (PYPYLOG): is it PyPy with its JIT?"
                              % interp.name)
        text = log.read_text(encoding="utf-8", errors="replace")
        kept = None
        if directory:
            folder = Path(directory)
            folder.mkdir(parents=True, exist_ok=True)
            kept = folder / ("%s-%s.pypylog" % (topic.name, variant))
            kept.write_text(text, encoding="utf-8")
    files = set(driver["files"]) | {str(topic.path)}
    return build_report(text, topic.name, variant, files,
                        interpreter="%s (%s)" % (interp.name, label_from_info(info)),
                        calls_made=driver["calls"], seconds=round(driver["seconds"], 3),
                        log_path=str(kept) if kept else None)


def trace_path(topic, variant, directory=None):
    from ._runner import results_dir
    return results_dir(directory) / get_topic(topic).name / "traces" / (variant + ".json")


def save_trace(report, topic, directory=None):
    """Store a report (counts and the first optimised loop, printed) next to the topic's
    results, for the deck: ``results/<topic>/traces/<variant>.json``, written atomically."""
    from ._atomic import write_json

    topic = get_topic(topic)
    return write_json(trace_path(topic, report.variant, directory), {
        "topic": topic.name, "variant": report.variant, "digest": topic.digest,
        "interpreter": str(report.interpreter), "report": report.as_dict(),
        "loop": report.format_loop(0) if report.loops else None})


def load_trace(topic, variant, directory=None):
    """A stored trace as saved by :func:`save_trace`; raises JitgapError naming the file
    when it is missing, unreadable or measured from another version of the benchmark."""
    from ._atomic import read_stored

    topic = get_topic(topic)
    return read_stored(trace_path(topic, variant, directory), topic.digest,
                       "%s/%s: no stored trace" % (topic.name, variant),
                       "was traced from an older version of %s" % topic.path.name,
                       "`make bench` or `jitgap trace %s %s --save` stores it"
                       % (topic.name, variant))
