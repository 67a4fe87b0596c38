"""Calibration of jitgap's verdicts: identical variants (A/A) and a known work ratio.

Five variants run the very same loop (aa_1 .. aa_5): any claim that two of them differ
is a false verdict.  work_1x runs the loop N times, work_1_5x runs it 1.5 N times: "slower
by at least 1.3x" must hold and "slower by at least 2x" must fail.  The claims below cover
every interpreter; tests/test_calibration.py runs this file (quick and adaptive mode) and
tools/calibration.py repeats it to count false verdicts.
"""

import pyperf

N = 20000


def _loop(n):
    total = 0
    for i in range(n):
        total += (i * i) % 7
    return total


def aa_1(n=N):
    """The loop, N times."""
    return _loop(n)


def aa_2(n=N):
    """The loop, N times."""
    return _loop(n)


def aa_3(n=N):
    """The loop, N times."""
    return _loop(n)


def aa_4(n=N):
    """The loop, N times."""
    return _loop(n)


def aa_5(n=N):
    """The loop, N times."""
    return _loop(n)


def work_1x(n=N):
    """The loop, N times."""
    return _loop(n)


def work_1_5x(n=N):
    """The loop, 1.5 N times."""
    return _loop(n + n // 2)


VARIANTS = [aa_1, aa_2, aa_3, aa_4, aa_5, work_1x, work_1_5x]

#: written out (jitgap reads CLAIMS as a literal): per interpreter, five A/A pairs with
#: two claims each, and the 1.5x pair with two
CLAIMS = {
    "aa-same-12-cpython": "aa_1 on cpython is about as fast as aa_2 within 5%",
    "aa-faster-12-cpython": "aa_1 on cpython is faster than aa_2 by at least 1.1x",
    "aa-same-23-cpython": "aa_2 on cpython is about as fast as aa_3 within 5%",
    "aa-faster-23-cpython": "aa_2 on cpython is faster than aa_3 by at least 1.1x",
    "aa-same-34-cpython": "aa_3 on cpython is about as fast as aa_4 within 5%",
    "aa-faster-34-cpython": "aa_3 on cpython is faster than aa_4 by at least 1.1x",
    "aa-same-45-cpython": "aa_4 on cpython is about as fast as aa_5 within 5%",
    "aa-faster-45-cpython": "aa_4 on cpython is faster than aa_5 by at least 1.1x",
    "aa-same-51-cpython": "aa_5 on cpython is about as fast as aa_1 within 5%",
    "aa-faster-51-cpython": "aa_5 on cpython is faster than aa_1 by at least 1.1x",
    "work-1.3x-cpython": "work_1_5x on cpython is slower than work_1x by at least 1.3x",
    "work-2x-cpython": "work_1_5x on cpython is slower than work_1x by at least 2x",
    "aa-same-12-pypy": "aa_1 on pypy is about as fast as aa_2 within 5%",
    "aa-faster-12-pypy": "aa_1 on pypy is faster than aa_2 by at least 1.1x",
    "aa-same-23-pypy": "aa_2 on pypy is about as fast as aa_3 within 5%",
    "aa-faster-23-pypy": "aa_2 on pypy is faster than aa_3 by at least 1.1x",
    "aa-same-34-pypy": "aa_3 on pypy is about as fast as aa_4 within 5%",
    "aa-faster-34-pypy": "aa_3 on pypy is faster than aa_4 by at least 1.1x",
    "aa-same-45-pypy": "aa_4 on pypy is about as fast as aa_5 within 5%",
    "aa-faster-45-pypy": "aa_4 on pypy is faster than aa_5 by at least 1.1x",
    "aa-same-51-pypy": "aa_5 on pypy is about as fast as aa_1 within 5%",
    "aa-faster-51-pypy": "aa_5 on pypy is faster than aa_1 by at least 1.1x",
    "work-1.3x-pypy": "work_1_5x on pypy is slower than work_1x by at least 1.3x",
    "work-2x-pypy": "work_1_5x on pypy is slower than work_1x by at least 2x",
    "aa-same-12-pypy-nojit": "aa_1 on pypy-nojit is about as fast as aa_2 within 5%",
    "aa-faster-12-pypy-nojit": "aa_1 on pypy-nojit is faster than aa_2 by at least 1.1x",
    "aa-same-23-pypy-nojit": "aa_2 on pypy-nojit is about as fast as aa_3 within 5%",
    "aa-faster-23-pypy-nojit": "aa_2 on pypy-nojit is faster than aa_3 by at least 1.1x",
    "aa-same-34-pypy-nojit": "aa_3 on pypy-nojit is about as fast as aa_4 within 5%",
    "aa-faster-34-pypy-nojit": "aa_3 on pypy-nojit is faster than aa_4 by at least 1.1x",
    "aa-same-45-pypy-nojit": "aa_4 on pypy-nojit is about as fast as aa_5 within 5%",
    "aa-faster-45-pypy-nojit": "aa_4 on pypy-nojit is faster than aa_5 by at least 1.1x",
    "aa-same-51-pypy-nojit": "aa_5 on pypy-nojit is about as fast as aa_1 within 5%",
    "aa-faster-51-pypy-nojit": "aa_5 on pypy-nojit is faster than aa_1 by at least 1.1x",
    "work-1.3x-pypy-nojit": "work_1_5x on pypy-nojit is slower than work_1x by at least 1.3x",
    "work-2x-pypy-nojit": "work_1_5x on pypy-nojit is slower than work_1x by at least 2x",
}

if __name__ == "__main__":
    runner = pyperf.Runner()
    for func in VARIANTS:
        runner.bench_func(func.__name__, func)
