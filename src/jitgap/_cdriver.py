"""pyperf script timing a compiled C twin (benchmarks/<topic>.c) through ctypes.

Run by jitgap, not imported: ``PYTHON _cdriver.py --lib TWIN.so --names A,B [pyperf
options]``.  pyperf re-runs this file for its workers, so it stays standalone (pyperf and
ctypes only).  Each variant's ``bench_VARIANT(loops)`` times ``loops`` calls inside C and
returns the seconds, so ctypes' call overhead is outside the measurement; pyperf divides
by the ``jitgap_n`` iterations per call, as it does for the Python file (``inner_loops``).
"""

import ctypes

import pyperf


def _timer(lib, name):
    func = getattr(lib, "bench_" + name)
    func.restype = ctypes.c_double
    func.argtypes = [ctypes.c_long]
    return func


def _add_args(cmd, args):
    cmd.extend(("--lib", args.lib, "--names", args.names))


def main():
    runner = pyperf.Runner(add_cmdline_args=_add_args)
    runner.argparser.add_argument("--lib", required=True, help="the compiled twin (.so)")
    runner.argparser.add_argument("--names", required=True, help="comma-separated variants")
    args = runner.parse_args()
    lib = ctypes.CDLL(args.lib)
    inner = ctypes.c_long.in_dll(lib, "jitgap_n").value
    runner.metadata["description"] = "C twin, compiled ahead of time, timed through ctypes"
    for name in args.names.split(","):
        runner.bench_time_func(name, _timer(lib, name), inner_loops=inner)


if __name__ == "__main__":
    main()
