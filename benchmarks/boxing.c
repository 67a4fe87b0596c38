/* The C twin of boxing.py: values that were never boxed.
 *
 * What it shows: the limit for allocation removal.  In C the ints and doubles live in
 * registers, the pair and the temporary Point are structs the compiler takes apart
 * (scalar replacement, what PyPy's JIT does to a temporary object); the escaping Point
 * is malloc'ed and kept in a growing array, as Python keeps it in a list, then freed.
 * Differences from Python: C longs wrap instead of growing, and `%` of a non-negative
 * number is the same in both.
 *
 * Built and timed by jitgap (`jitgap run boxing`): cc -O2, timed by pyperf through
 * ctypes; see jitgap_c.h for the harness.
 */
#include <stdlib.h>

#define N 10000
#include "jitgap_c.h"

struct point { long x, y; };
struct pair { long a, b; };

static long int_arith(long n)
{
    long total = 0;
    long i = 0;
    while (i < n) {
        total += (i * 3 + 1) % 7;
        KEEP(total);
        i += 1;
    }
    return total;
}

static double float_arith(long n)
{
    double total = 0.0;
    double x = 0.5;
    for (long i = 0; i < n; i++) {
        x = x * 0.999 + 0.001;
        total += x * 2.0 + 0.5;
    }
    return total;
}

static long ints_only(long n)
{
    long total = 0;
    for (long i = 0; i < n; i++) {
        total += i + (i + 1);
        KEEP(total);
    }
    return total;
}

static long tuple_temporary(long n)
{
    long total = 0;
    for (long i = 0; i < n; i++) {
        struct pair pair = {i, i + 1};
        total += pair.a + pair.b;
        KEEP(total);
    }
    return total;
}

static long point_temporary(long n)
{
    long total = 0;
    for (long i = 0; i < n; i++) {
        struct point p = {i, i + 1};
        total += p.x + p.y;
        KEEP(total);
    }
    return total;
}

static long point_escaping(long n)
{
    long size = 0, capacity = 8;
    struct point **kept = malloc(capacity * sizeof *kept);
    long total = 0;
    if (kept == NULL)
        abort();
    for (long i = 0; i < n; i++) {
        struct point *p = malloc(sizeof *p);
        if (p == NULL)
            abort();
        p->x = i;
        p->y = i + 1;
        if (size == capacity) {
            capacity += capacity / 8 + 6;   /* CPython's list over-allocation */
            kept = realloc(kept, capacity * sizeof *kept);
            if (kept == NULL)
                abort();
        }
        kept[size++] = p;
        total += p->x + p->y;
    }
    for (long i = 0; i < size; i++)
        free(kept[i]);
    free(kept);
    return total;
}

JITGAP_BENCH(int_arith)
JITGAP_BENCH(float_arith)
JITGAP_BENCH(ints_only)
JITGAP_BENCH(tuple_temporary)
JITGAP_BENCH(point_temporary)
JITGAP_BENCH(point_escaping)
