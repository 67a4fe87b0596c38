"""``jitgap doctor``: is everything the talk needs here, and if not, what fixes it."""

import os
import shutil
import subprocess
import tempfile

from ._errors import JitgapError
from ._interpreters import default_interpreters, gc_settings, megabytes, nursery_warning
from ._native import CCompiler
from ._noise import probe
from ._paths import project_root
from ._runner import choose_jobs


class Check:
    """One check: ``ok`` or not, and its ``fix``; a ``warning`` is ok but worth fixing."""

    def __init__(self, name, ok, detail, fix=None, warning=False):
        self.name, self.ok, self.detail, self.fix = name, ok, detail, fix
        self.warning = warning

    @property
    def status(self):
        return "FAIL" if not self.ok else "WARN" if self.warning else "ok"

    def as_dict(self):
        return {"check": self.name, "ok": self.ok, "warning": self.warning,
                "detail": self.detail, "fix": self.fix}


def _interpreters():
    out = []
    for interp in default_interpreters():
        try:
            info = interp.info()
        except JitgapError as exc:
            out.append(Check(interp.name, False, str(exc), "make setup"))
            continue
        if not info.get("pyperf"):
            out.append(Check(interp.name, False, "%s cannot import pyperf: %s"
                             % (interp.executable, info.get("pyperf_error")), "make setup"))
            continue
        out.append(Check(interp.name, True, "%s (%s), pyperf %s" % (
            interp.label(), " ".join(interp.argv), info["pyperf"])))
    return out


def _venvs():
    root = project_root()
    out = []
    for venv in (".venv", ".venv-pypy"):
        ok = (root / venv / ".setup-done").exists()
        out.append(Check(venv, ok, "set up" if ok else "missing or incomplete", None if ok
                         else "make setup"))
    return out


def _kernels():
    try:
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import KernelManager
    except ImportError:
        return [Check("kernels", False, "jupyter_client is not installed here", "make setup")]
    root = str(project_root())
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [root] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p])
    specs = KernelSpecManager().find_kernel_specs()
    out = []
    for name in ("cpython3", "pypy3"):
        if name not in specs:
            out.append(Check("kernel " + name, False, "no kernel spec", "make kernels"))
            continue
        try:
            with tempfile.TemporaryDirectory(prefix="jitgap-doctor-") as tmp:
                km = KernelManager(kernel_name=name, transport="ipc", ip=os.path.join(tmp, "k"))
                km.start_kernel()
                kc = km.client()
                try:
                    kc.start_channels()
                    kc.wait_for_ready(timeout=60)
                    reply = kc.execute_interactive("import platform, jitgap", timeout=60)
                    ok = reply["content"]["status"] == "ok"
                finally:
                    kc.stop_channels()
                    km.shutdown_kernel(now=True)
            out.append(Check("kernel " + name, ok, "starts and imports jitgap" if ok else
                             "starts but cannot import jitgap", None if ok else "make setup"))
        except Exception as exc:  # a kernel that does not start: say why
            out.append(Check("kernel " + name, False, "does not start: %s" % exc, "make setup"))
    return out


def _module(name, fix):
    try:
        module = __import__(name)
        return Check(name, True, "version %s" % getattr(module, "__version__", "?"))
    except ImportError as exc:
        return Check(name, False, str(exc), fix)


def _chromium():
    path = shutil.which("chromium")
    return Check("chromium", bool(path), path or "not found (browser tests need it)",
                 None if path else "sudo apt-get install -y chromium")


def _compiler():
    cc = CCompiler.find()
    if cc.missing:
        return Check("C compiler", False, "none: the C bar of dispatch and boxing is skipped",
                     "sudo apt-get install -y gcc (or set CC)")
    try:
        return Check("C compiler", True, "%s (%s) builds the C twins" % (cc.version(), cc.argv[0]))
    except JitgapError as exc:
        return Check("C compiler", False, str(exc), "set CC to a working C compiler")


def _pypylog():
    pypy = [i for i in default_interpreters() if i.name == "pypy"][0]
    if pypy.missing:
        return Check("PYPYLOG", False, "no PyPy", "make setup")
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "log")
        env = dict(os.environ, PYPYLOG="jit-summary:" + log)
        code = "def f():\n s = 0\n for i in range(100000): s += i\n return s\nf()"
        subprocess.run(pypy.argv + ["-c", code], env=env, timeout=60,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ok = os.path.exists(log) and "jit-summary" in open(log).read()
    return Check("PYPYLOG", ok, "the JIT log is written" if ok else "no JIT log written",
                 None if ok else "use a PyPy built with its JIT (Debian's pypy3 is)")


def _nursery():
    """PyPy's GC nursery: the size it chose here (a virtual machine may make it huge)."""
    pypy = [i for i in default_interpreters() if i.name == "pypy"][0]
    try:
        info = pypy.info()
    except JitgapError as exc:
        return Check("GC nursery", False, str(exc), "make setup")
    settings = gc_settings()
    if not info.get("gc_nursery"):
        return Check("GC nursery", True, "PyPy's log did not say its nursery size",
                     warning=True)
    detail = "PyPy's is %s%s" % (megabytes(info["gc_nursery"]),
                                 " (%s)" % settings if settings else "")
    warning = nursery_warning("pypy", info["gc_nursery"], settings)   # it names the fix
    return Check("GC nursery", True, detail, warning, warning=warning is not None)


def _noise():
    noise = probe()
    return Check("noise", True, ("quiet: " if noise.quiet else "noisy: ") + str(noise),
                 None if noise.quiet else "stop other programs (or measure later): a noisy "
                 "machine makes warm-ups longer and intervals wider", warning=not noise.quiet)


def _runs_at_once():
    jobs, note = choose_jobs("quick")           # the same choice quick mode makes
    if jobs > 1:
        return Check("runs at once", True, "quick mode runs two at once")
    return Check("runs at once", True, note or "one CPU: quick mode runs one run at a time",
                 "none needed: the numbers stay right, quick runs take longer" if note
                 else None, warning=bool(note))


def diagnose(kernels=True):
    """Every check, in order."""
    checks = _venvs() + _interpreters()
    checks += [_module("landslide", "make setup"), _module("matplotlib", "make setup"),
               _chromium(), _pypylog(), _nursery(), _compiler(), _noise(),
               _runs_at_once()]
    if kernels:
        checks += _kernels()
    return checks
