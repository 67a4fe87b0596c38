/* The C twin of dispatch.py: the 2010 example loop compiled ahead of time.
 *
 * What it shows: the limit for the JIT's loop.  `while i < n: total += i; i += 1`
 * becomes compare, add, add, jump; PyPy's optimised trace of the same loop does that
 * plus an overflow check per addition (Python ints do not wrap; C longs do), so "how
 * close does the JIT get to the metal" is read from the two bars.  while_loop and
 * for_range are the same loop in C.  sum_builtin has no twin: in C there is no builtin
 * to call.
 *
 * Built and timed by jitgap (`jitgap run dispatch`): cc -O2, timed by pyperf through
 * ctypes; see jitgap_c.h for the harness.
 */
#define N 100000
#include "jitgap_c.h"

static long while_loop(long n)
{
    long total = 0;
    long i = 0;
    while (i < n) {
        total += i;
        KEEP(total);
        i += 1;
    }
    return total;
}

static long for_range(long n)
{
    long total = 0;
    for (long i = 0; i < n; i++) {
        total += i;
        KEEP(total);
    }
    return total;
}

JITGAP_BENCH(while_loop)
JITGAP_BENCH(for_range)
