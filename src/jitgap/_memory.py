"""Memory: bytes per object for a million small objects, and peak RSS per variant.

Peak RSS comes with every result: pyperf records each worker's ``mem_max_rss`` (the
``peak_rss_bytes`` of ``jitgap show --json``; it includes the interpreter itself).

``object_sizes`` measures what one more object costs: in a fresh process per
interpreter and kind (freed memory stays resident, so kinds must not share a process), it
reads the resident set size (``/proc/self/statm``), makes a
million objects kept in a list, collects garbage, reads it again, and divides the growth
by a million (the list's own slots included: 8 bytes per object on a 64-bit machine).
"""

from ._errors import JitgapError
from ._interpreters import run_driver, select_interpreters

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
            failures[interp.name] = str(exc).split(": ", 1)[1]
            continue
        out[interp.name] = {"label": interp.label(), "bytes": sizes}
    return out, failures


def sizes_path(directory=None):
    """Where ``make bench`` stores bytes per object: ``results/memory/bytes_per_object.json``."""
    from ._runner import results_dir
    return results_dir(directory) / "memory" / "bytes_per_object.json"


def _digest(count):
    import hashlib
    return hashlib.sha256(("%s\n%d" % (_DRIVER, count)).encode("utf-8")).hexdigest()[:16]


def save_sizes(sizes, count=COUNT, directory=None):
    """Store :func:`object_sizes`' result (with the driver's digest, the CPU and the date)
    for the reference notebooks and the deck; written atomically."""
    import datetime

    from ._atomic import write_json
    from ._warmup import _cpu

    return write_json(sizes_path(directory), {
        "count": count, "digest": _digest(count), "cpu": _cpu(),
        "date": datetime.datetime.now().isoformat(" ", "minutes"), "sizes": sizes})


def load_sizes(directory=None):
    """The stored sizes (a million objects of each kind); raises JitgapError naming the
    file when missing, broken or made by another version of the measuring code."""
    from ._atomic import read_stored

    path = sizes_path(directory)
    data = read_stored(path, _digest(COUNT), "no stored bytes per object",
                       "was measured by an older version of jitgap's memory driver",
                       "`make bench` or `jitgap memory --save` stores it")
    if not isinstance(data.get("sizes"), dict):
        raise JitgapError("%s is not a jitgap memory file (no sizes); `make bench` or "
                          "`jitgap memory --save` stores it" % path)
    return data["sizes"]


def object_size_table(sizes, source=None):
    """Markdown: kinds x interpreters, bytes per object (``source``: where stored ones
    come from)."""
    from ._notebook import Markdown

    names = list(sizes)
    kinds = list(sizes[names[0]]["bytes"]) if names else []
    lines = ["| one more ... | " + " | ".join(sizes[n]["label"] for n in names) + " |",
             "|---" * (len(names) + 1) + "|"]
    for kind in kinds:
        lines.append("| %s | %s |" % (kind, " | ".join(
            "%.0f bytes" % sizes[n]["bytes"][kind] for n in names)))
    lines.append("\n<sub>A million objects kept in a list, resident-set growth per object "
                 "(the list's 8-byte slot included), one fresh process per interpreter and "
                 "kind%s.</sub>" % ("; stored in `%s`" % source if source else ""))
    return Markdown("\n".join(lines))


def memory_table(results):
    """Markdown: peak RSS of pyperf's worker processes per variant and interpreter."""
    from ._notebook import Markdown

    names = results.interpreters
    lines = ["| peak RSS | " + " | ".join(results.label(n) for n in names) + " |",
             "|---" * (len(names) + 1) + "|"]
    for variant in results.variants:
        cells = []
        for name in names:
            m = results.get(variant, name)
            rss = m.peak_rss_bytes if m is not None else None
            cells.append("%.0f MB" % (rss / 1e6) if rss else "—")
        lines.append("| `%s` | %s |" % (variant, " | ".join(cells)))
    lines.append("\n<sub>Largest resident set of pyperf's worker processes (the interpreter "
                 "included), from the results' `mem_max_rss`.</sub>")
    return Markdown("\n".join(lines))
