"""Memory: bytes per object for a million small objects, and peak RSS per variant.

Peak RSS comes with every result: pyperf records each worker's ``mem_max_rss`` (the
``peak_rss_bytes`` of ``jitgap show --json``; it includes the interpreter itself).

``object_sizes`` measures what one more object costs: in a fresh process per
interpreter and kind (freed memory stays resident, so kinds must not share a process), it
reads the resident set size (``/proc/self/statm``), makes a
million objects kept in a list, collects garbage, reads it again, and divides the growth
by a million (the list's own slots included: 8 bytes per object on a 64-bit machine).
"""

import hashlib

from ._atomic import cpu_model, now, read_stored, write_json
from ._errors import JitgapError
from ._interpreters import select_interpreters
from ._paths import results_dir
from ._proc import run_driver

COUNT = 1000000

_DRIVER = r"""
import gc, json, os, sys
count, wanted = int(sys.argv[1]), sys.argv[2]
page = os.sysconf("SC_PAGE_SIZE")

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * page

class Point(object):
    def __init__(self, x, y):
        self.x = x
        self.y = y

class SlotPoint(object):
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x = x
        self.y = y

KINDS = [
    ("instance", lambda i: Point(i, i)),
    ("slots instance", lambda i: SlotPoint(i, i)),
    ("tuple (i, i)", lambda i: (i, i)),
    ("int (large)", lambda i: i + 10 ** 6),
    ("float", lambda i: i + 0.5),
]
if wanted == "--list":
    print("JITGAP-MEMORY " + json.dumps([name for name, _ in KINDS]))
    sys.exit(0)
make = dict(KINDS)[wanted]
gc.collect()
before = rss()
kept = [make(i) for i in range(count)]
gc.collect()
print("JITGAP-MEMORY " + json.dumps((rss() - before) / float(count)))
"""


def _ask(interp, count, kind, timeout):
    return run_driver(interp, _DRIVER, [count, kind], "JITGAP-MEMORY", timeout)


def object_sizes(interpreters=None, count=COUNT, timeout=300):
    """{interpreter: {"label": ..., "bytes": {kind: bytes per object}}}, failures apart."""
    out, failures = {}, {}
    for interp in interpreters or select_interpreters():
        if interp.missing:
            failures[interp.name] = interp.missing
            continue
        try:
            kinds = _ask(interp, count, "--list", timeout)
            sizes = {kind: _ask(interp, count, kind, timeout) for kind in kinds}
        except JitgapError as exc:
            failures[interp.name] = exc.reason
            continue
        out[interp.name] = {"label": interp.label(), "bytes": sizes}
    return out, failures


def sizes_path(directory=None):
    """Where ``make bench`` stores bytes per object: ``results/memory/bytes_per_object.json``."""
    return results_dir(directory) / "memory" / "bytes_per_object.json"


def _digest(count):
    return hashlib.sha256(("%s\n%d" % (_DRIVER, count)).encode("utf-8")).hexdigest()[:16]


def save_sizes(sizes, count=COUNT, directory=None):
    """Store :func:`object_sizes`' result (with the driver's digest, the CPU and the date)
    for the reference notebooks and the deck; written atomically."""
    return write_json(sizes_path(directory), {
        "count": count, "digest": _digest(count), "cpu": cpu_model(), "date": now(),
        "sizes": sizes})


def load_sizes(directory=None):
    """The stored sizes (a million objects of each kind); raises JitgapError naming the
    file when missing, broken or made by another version of the measuring code."""
    path = sizes_path(directory)
    data = read_stored(path, _digest(COUNT), "no stored bytes per object",
                       "was measured by an older version of jitgap's memory driver",
                       "`make bench` or `jitgap memory --save` stores it")
    if not isinstance(data.get("sizes"), dict):
        raise JitgapError("%s is not a jitgap memory file (no sizes); `make bench` or "
                          "`jitgap memory --save` stores it" % path)
    return data["sizes"]
