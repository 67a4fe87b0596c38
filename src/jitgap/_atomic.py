"""Stored files: written so that a reader never sees half of one (temp file, then
os.replace), read back checked against the digest of the code that made them, and
stamped with where and when they were measured."""

import contextlib
import datetime
import json
import os
import platform
import tempfile
from pathlib import Path

from ._errors import JitgapError


def _umask_mode():
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path (which does not exist yet) next to ``path``; on success it
    replaces ``path`` in one step, on error it is removed and ``path`` is untouched."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".tmp" + path.suffix,
                               dir=str(path.parent))
    os.close(fd)
    os.unlink(tmp)
    try:
        yield tmp
        os.chmod(tmp, _umask_mode())
        os.replace(tmp, str(path))
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def atomic_write_text(path, text):
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)


def write_json(path, data):
    """``data`` as indented JSON at ``path``, written atomically; returns the path."""
    atomic_write_text(path, json.dumps(data, indent=1) + "\n")
    return Path(path)


def read_stored(path, digest, missing, older, fix):
    """A JSON object stored by ``make bench`` (a trace, warm-up curves, bytes per object),
    checked against the ``digest`` of the code that made it.

    Raises JitgapError naming ``path`` and saying ``fix``: ``missing`` when there is no
    file, "is not valid JSON" when it is broken, ``older`` when its digest differs."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError:
        raise JitgapError("%s (%s); %s" % (missing, path, fix))
    except ValueError as exc:
        raise JitgapError("%s is not valid JSON (%s); %s" % (path, exc, fix))
    if not isinstance(data, dict) or data.get("digest") != digest:
        raise JitgapError("%s %s; %s" % (path, older, fix))
    return data


def cpu_model():
    """The machine's CPU (``/proc/cpuinfo``'s model name, else the architecture)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine() or "unknown CPU"


def now():
    """The date and time a stored file records (to the minute)."""
    return datetime.datetime.now().isoformat(" ", "minutes")
