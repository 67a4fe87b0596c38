"""Process plumbing: run a child, stream its output with a deadline, stop it and its
children, and keep the part of a failure's output worth showing."""

import json
import os
import select
import signal
import subprocess
import sys
import time

from ._errors import JitgapError

#: progress text shown per run at most; the rest is counted, not printed
ECHO_LIMIT = 64 * 1024
KEEP_LIMIT = 200 * 1024


class Timeout(Exception):
    """The child ran past its deadline (raised by :func:`stream`)."""


def stream(proc, echo, deadline=None):
    """Copy the child's output to ``echo`` as it comes (at most ECHO_LIMIT characters) and
    return its beginning and end (bounded); raise :class:`Timeout` at ``deadline``."""
    head, tail, size = [], [], 0
    fd = proc.stdout.fileno()
    while True:
        wait = None if deadline is None else max(deadline - time.time(), 0)
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            raise Timeout()
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        text = chunk.decode("utf-8", "replace")
        if size < KEEP_LIMIT:
            head.append(text)
        else:
            tail = (tail + [text])[-8:]
        if echo is not None:
            if size < ECHO_LIMIT:
                echo(text[:ECHO_LIMIT - size])
            elif size - len(text) < ECHO_LIMIT <= size + len(text):
                echo("\n[output beyond %d KB not shown]\n" % (ECHO_LIMIT // 1024))
        size += len(text)
    return "".join(head) + ("\n[... %d characters ...]\n" % size if tail else "") + "".join(tail)


def error_lines(output, keep=5):
    """The part of a failed run's output worth showing: each traceback (the worker's names
    the real error, the master's says which process failed) cut to its last ``keep``
    lines, i.e. the innermost frames and the exception; else the last lines."""
    lines = output.strip().splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback")]
    if not starts:
        return lines[-15:]
    out = []
    for start, end in zip(starts, starts[1:] + [len(lines)]):
        block = lines[start:end]
        # the exception is the first unindented line after the frames; what follows it
        # (pyperf prints the statement, setup ...) is not part of the traceback
        stop = next((k for k in range(1, len(block)) if block[k][:1] not in (" ", "\t", "")),
                    len(block) - 1)
        block = block[:stop + 1]
        out += block[:1] + (["  [...]"] if len(block) > keep + 1 else []) + block[1:][-keep:]
    return out


def kill_group(proc):
    """Stop a child started with ``start_new_session=True`` and every process it started
    (they share its process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        proc.kill()
    proc.wait()


def run_driver(interp, code, args=(), marker="JITGAP-RESULT", timeout=300, cwd=None):
    """Run ``code`` with ``interp`` (``PYTHON -c code args...``) and return the JSON value
    it printed on its last line starting with ``marker``.  Raises :class:`JitgapError`
    naming the interpreter (its ``reason`` says what failed) on a timeout, a failure or a
    missing result."""

    def failed(reason):
        return JitgapError("%s: %s" % (interp.name, reason), interpreter=interp.name,
                           reason=reason)

    try:
        proc = subprocess.run(interp.argv + ["-c", code] + [str(a) for a in args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        raise failed("timed out after %g s" % timeout)
    except OSError as exc:
        raise failed("cannot start %s: %s" % (interp.executable, exc.strerror))
    found = [line for line in proc.stdout.splitlines() if line.startswith(marker + " ")]
    if proc.returncode != 0 or not found:
        lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        raise failed("exit code %s: %s" % (proc.returncode, lines[-1] if lines else "no output"))
    return json.loads(found[-1].split(" ", 1)[1])


def stderr_echo(text):
    sys.stderr.write(text)
    sys.stderr.flush()
