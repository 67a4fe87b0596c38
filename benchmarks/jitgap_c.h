/* The harness shared by the C twins of benchmark files (benchmarks/<topic>.c).
 *
 * A C twin holds, for some variants of benchmarks/<topic>.py, the same loop written in
 * C.  jitgap compiles it with the system compiler (`cc -O2 -shared -fPIC`; $CC picks
 * another) and times it with pyperf through ctypes (src/jitgap/_cdriver.py): it is the
 * "C" bar of the topic's chart, the limit a JIT can approach.
 *
 * Each twin defines N (the iterations per call, as in the Python file), then for each
 * variant a function `static long|double VARIANT(long n)` and the line
 * `JITGAP_BENCH(VARIANT)`, which exports
 *
 *   double bench_VARIANT(long loops)   seconds taken by `loops` calls of VARIANT(N);
 *   double check_VARIANT(long n)       VARIANT(n), so tests compare it with Python's.
 *
 * Two things keep the compiler honest without slowing the loop:
 *   - n is read from a volatile on every call, and every result is stored to a
 *     volatile, so no call can be hoisted out of the timing loop or dropped;
 *   - KEEP(total) after each iteration's update says "total is used here", so the
 *     compiler cannot replace a summing loop by its closed form (clang -O2 does that
 *     for 0 + 1 + ... + (n-1)).  With GCC 12 -O2 the loop has the same instructions with
 *     or without it; only the register choice differs.
 */
#ifndef JITGAP_C_H
#define JITGAP_C_H

#include <time.h>

#define KEEP(x) __asm__ volatile("" : "+r"(x))

const long jitgap_n = N;
static volatile long jitgap_n_volatile = N;
static volatile double jitgap_sink;

static double jitgap_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define JITGAP_BENCH(variant)                                       \
    double bench_##variant(long loops)                              \
    {                                                               \
        double start = jitgap_now();                                \
        for (long k = 0; k < loops; k++)                            \
            jitgap_sink = (double)variant(jitgap_n_volatile);       \
        return jitgap_now() - start;                                \
    }                                                               \
    double check_##variant(long n) { return (double)variant(n); }

#endif
