"""Ratios of two measurements with their uncertainty.

``ratio(a, b)`` is how many times faster ``b`` is than ``a``: ``mean(a) / mean(b)``.
Its spread comes from each side's standard deviation (first-order propagation of the
relative errors: ``r * sqrt((sa/ma)^2 + (sb/mb)^2)``), and ``interval`` is
``value +- error``.  With pyperf's values spread over several worker processes this is
deliberately conservative: on a noisy machine a small effect reads "inconclusive"
rather than a win.
"""

import math


class Ratio:
    def __init__(self, value, error):
        self.value = value
        self.error = error

    def __repr__(self):
        return "Ratio(%.4g +- %.2g)" % (self.value, self.error)

    @property
    def low(self):
        return max(self.value - self.error, 0.0)

    @property
    def high(self):
        return self.value + self.error

    def describe(self, subject="B", reference="A"):
        """E.g. ``PyPy 52 ± 4x faster than CPython`` or ``... 1.3 ± 0.1x slower than ...``."""
        if self.value >= 1:
            return "%s %s faster than %s" % (subject, format_factor(self.value, self.error),
                                            reference)
        inverse = 1.0 / self.value
        err = self.error / self.value ** 2
        return "%s %s slower than %s" % (subject, format_factor(inverse, err), reference)


def ratio(a, b):
    """How many times faster measurement ``b`` is than measurement ``a``."""
    if b.mean <= 0 or a.mean <= 0:
        raise ValueError("non-positive mean")
    value = a.mean / b.mean
    rel = math.hypot(a.stdev / a.mean, b.stdev / b.mean)
    return Ratio(value, value * rel)


def _significant(x, digits=2):
    if x == 0 or not math.isfinite(x):
        return 0
    return digits - 1 - int(math.floor(math.log10(abs(x))))


def format_factor(value, error):
    """``52 ± 4x``: the error with 1-2 significant digits, the value to the same place."""
    places = max(_significant(error, 1 if error >= 1 else 2), 0) if error > 0 else 2
    if value >= 100 and error == 0:
        places = 0
    return "%.*f ± %.*fx" % (places, value, places, error)


def format_seconds(seconds, stdev=None):
    """``1.23 ms ± 0.05 ms`` style."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            break
    text = "%.3g %s" % (seconds / scale, unit)
    if stdev is not None:
        text += " ± %.2g %s" % (stdev / scale, unit)
    return text
