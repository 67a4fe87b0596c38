"""PyPy's JIT log (PYPYLOG): its model and its parser, pure functions of the log's text.

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
* ``jit-abort-log``: the operations of an aborted trace (kept in a raw log, not read here:
  the reason is only counted in the summary);
* ``jit-backend-counts``: how many times each loop was entered (``entry <loop number>:
  <n>``), each label reached (``TargetToken(<id>):<n>``) and each bridge run
  (``bridge <guard id in decimal>:<n>``).
"""

import re
from collections import Counter, OrderedDict

#: an empty section the tracing driver writes (``__pypy__.debug_start``) just before its
#: first call of the variant: traces compiled before it come from importing the benchmark.
CALLS_MARKER = "jitgap-calls"

#: operations that produce no machine code; not counted as operations of a trace.
DEBUG_OPS = ("debug_merge_point", "enter_portal_frame", "leave_portal_frame")

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
    """Whether an operation allocates on the heap (they all start with "new" in the log:
    new, new_with_vtable, new_array, new_array_clear, newstr, newunicode)."""
    return name.startswith("new")


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

