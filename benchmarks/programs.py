"""Real programs: pyperformance's pure-Python benchmarks, run unmodified.

The other topics are micro-benchmarks, each built to test one claim; their geometric mean
says how fast PyPy is on *them*.  An engineer deciding whether PyPy fits their code needs
the other number too: real programs, measured on the same machine by the same kit.  These
are the pure-Python benchmarks of pyperformance (the suite CPython and PyPy are tracked
with; https://github.com/python/pyperformance), taken unmodified from the installed
package (pinned in requirements.txt) and run by each interpreter with pyperf alone, each
program in its own processes, only its benchmark of that name (deepcopy's file also
times deepcopy_reduce and deepcopy_memo, not measured here).

Chosen: the pure-Python programs that run on both CPython 3.11 and PyPy 3.9 with no
network and no third-party package: a scheduler simulation (richards), a constraint
solver (deltablue), chaos-game fractals (chaos), a Go player (go), a ray tracer
(raytrace), N-body physics (nbody), float objects (float), permutations (fannkuch),
N-queens by generators (nqueens), a hexagonal puzzle solver (hexiom), spectral norm
(spectral_norm), JSON encoding (json_dumps), deep copies (deepcopy), the V8 regex
benchmark (regex_v8), a pure-Python bzip2/gzip decoder (pyflate, with its data),
generators (generators) and tuple unpacking (unpack_sequence).  Left out: the
benchmarks that need third-party packages (sympy, sqlalchemy, sphinx, django, ...),
those that measure start-up or I/O rather than code (python_startup, the asyncio
servers), pickle (its file needs a sub-benchmark argument pyperformance passes), and
tomli_loads (needs tomli in every interpreter).

The published figure to compare with (PUBLISHED): pypy.org's front page, "On average,
PyPy is about 3 times faster than CPython 3.11", the geometric mean of speed.pypy.org's
suite since it moved its baseline to CPython 3.11 (PyPy blog, "Towards PyPy3.11 - an
update", December 2024); the same page names programs where PyPy is slower.
"""

PROGRAMS = ["richards", "deltablue", "chaos", "go", "raytrace", "nbody", "float",
            "fannkuch", "nqueens", "hexiom", "spectral_norm", "json_dumps", "deepcopy",
            "regex_v8", "pyflate", "generators", "unpack_sequence"]

#: the figure this topic's geometric mean is shown beside
PUBLISHED = {"pypy": 3.0, "said": "about 3 times faster than CPython 3.11 on average",
             "source": "pypy.org, speed.pypy.org against CPython 3.11 since Dec 2024"}

#: why PyPy loses where it does (the deck's "Where PyPy is slower" slide)
REASONS = {
    "regex_v8": "regular expressions: C (sre) on CPython, PyPy's own regex engine here",
    "generators": "a generator's frame is a real object, resumed for every value",
    "deepcopy": "deepcopy's memo dict of id()s: bookkeeping for every young object",
    "json_dumps": "CPython's json encoder is C; PyPy's is Python",
}

CLAIMS = {
    "about-3x-on-average": {
        "claim": "mean on pypy is faster than on cpython by at least 2x",
        "source": "pypy.org", "said": "about 3 times faster than CPython 3.11 on average"},
    "the-jit-makes-them-fast": "mean on pypy is faster than on pypy-nojit by at least 3x",
    "interpreter-alone-is-slower": "mean on pypy-nojit is slower than on cpython",
    "deltablue-slower": {
        "claim": "deltablue on pypy is slower than on cpython",
        "source": "pypy.org", "said": "slower than CPython on some programs, deltablue "
                                      "among them"},
    "json-is-the-exception": {
        "claim": "json_dumps on pypy is faster than on cpython",
        "source": "pypy.org", "said": "json is the notable exception: fast on PyPy"},
}

if __name__ == "__main__":
    import sys
    sys.exit("%s is a topic of pyperformance programs: measure it with jitgap "
             "(`jitgap run programs`), which runs each program's own file" % __file__)
