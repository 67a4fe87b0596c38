"""Ad-hoc snippets: time a statement under every interpreter (``jitgap timeit``).

The statement becomes a one-benchmark pyperf file (``runner.timeit``) in a temporary
folder, measured like any topic; each interpreter compiles the statement itself, so a
syntax error on one interpreter (``match`` under PyPy 3.9) is that interpreter's failure
and the others are still measured.
"""

import shutil
import tempfile
from pathlib import Path

from ._paths import shown
from ._results import load_results
from ._runner import run

DEFAULT_TIMEOUT = 60

_TEMPLATE = '''"""jitgap timeit: {title}"""

import pyperf

runner = pyperf.Runner()
runner.timeit("snippet", stmt={stmt!r}, setup={setup!r})
'''


def _decode(code):
    """Read a literal ``\\n`` as a newline when the code does not compile otherwise
    (``jitgap timeit "for i in x:\\n pass"``)."""
    if "\\n" not in code:
        return code
    try:
        compile(code, "<stmt>", "exec")
        return code
    except SyntaxError:
        return code.replace("\\n", "\n").replace("\\t", "\t")


def timeit(stmt, setup="pass", interpreters=None, mode="quick", timeout=DEFAULT_TIMEOUT,
           echo=None, directory=None, quiet=False, memory_gb=None,
           source="a jitgap timeit statement"):
    """Measure ``stmt`` (after ``setup``) under each interpreter.

    Returns ``(results, report)``: a :class:`jitgap.Results` with one variant,
    ``snippet``, and the :class:`jitgap.RunReport` with failures per interpreter.
    Results go to a temporary folder unless ``directory`` is given; ``source`` is what
    the captions name (the statement's file is temporary).
    """
    stmt, setup = _decode(stmt), _decode(setup or "pass")
    title = " ".join(stmt.split())[:60]
    text = _TEMPLATE.format(title=title.replace('"', "'"), stmt=stmt, setup=setup)
    # The statement's file is temporary: name the statement, not a path of this machine.
    return measure_text(text, "timeit.py", source, interpreters, mode,
                        timeout=timeout, echo=echo, directory=directory, quiet=quiet,
                        memory_gb=memory_gb)


def measure_text(text, filename, source, interpreters=None, mode="quick",
                 timeout=DEFAULT_TIMEOUT, echo=None, directory=None, quiet=False,
                 memory_gb=None, measure=True):
    """Write ``text``, a whole pyperf benchmark file, as ``filename`` into a temporary
    folder of its own (so that two kernels measuring at once never share a file), measure
    it like any topic and load the results; the folder is removed afterwards.

    Returns ``(results, report)``; ``results.source`` is ``source``, what the captions
    name instead of the file that is gone.  Results go to that folder too unless
    ``directory`` is given.  ``measure=False`` runs nothing (``report`` is ``None``, the
    results empty)."""
    work = Path(tempfile.mkdtemp(prefix="jitgap-"))
    try:
        bench = work / filename
        bench.write_text(text, encoding="utf-8")
        out = Path(directory) if directory else work / "results"
        report = None
        if measure:
            report = run(str(bench), interpreters, mode=mode, directory=str(out), echo=echo,
                         timeout=timeout, quiet=quiet,
                         **({} if memory_gb is None else {"memory_gb": memory_gb}))
        results = load_results(str(bench), str(out))
        results.source = source
        if directory:
            results.source += ", %s/*.json" % shown(results.directory)
        return results, report
    finally:
        shutil.rmtree(str(work), ignore_errors=True)
