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
    """A ratio and its uncertainty (``value ± error``)."""

    def __init__(self, value, error):
        self.value = value
        self.error = error

    def __repr__(self):
        return "Ratio(%.4g +- %.2g)" % (self.value, self.error)

    @property
    def low(self):
        """Lower end of the interval *as it is displayed*: ``value ± error`` when the
        ratio is >= 1, else the displayed inverse ``1/value ± error/value²`` mapped back,
        so a verdict never disagrees with the interval a reader sees."""
        if self.value >= 1:
            return max(self.value - self.error, 0.0)
        inv, err = self.inverse()
        return 1.0 / (inv + err)

    @property
    def high(self):
        if self.value >= 1:
            return self.value + self.error
        inv, err = self.inverse()
        return 1.0 / (inv - err) if inv > err else float("inf")

    def inverse(self):
        """``(1/value, error/value²)``: the same ratio read the other way round."""
        return 1.0 / self.value, self.error / self.value ** 2

    def direction(self, word="faster"):
        """``(factor, error, word)``: the ratio read the way it is at least 1.  ``word``
        says what a ratio above 1 means (``faster``: B is that many times faster than A;
        ``slower`` for a ratio oriented the other way); below 1 the inverse is read with
        the opposite word."""
        if self.value >= 1:
            return self.value, self.error, word
        inverse, err = self.inverse()
        return inverse, err, OPPOSITE[word]

    def parts(self, word="faster"):
        """``("52 ± 4x", "faster")``: the factor as shown, and its direction."""
        value, err, word = self.direction(word)
        return format_factor(value, err), word

    def phrase(self, word="faster"):
        """``52 ± 4x faster`` (or ``1.3 ± 0.1x slower``)."""
        return "%s %s" % self.parts(word)

    def describe(self, subject="B", reference="A"):
        """E.g. ``PyPy 52 ± 4x faster than CPython`` or ``... 1.3 ± 0.1x slower than ...``."""
        return "%s %s than %s" % (subject, self.phrase(), reference)


OPPOSITE = {"faster": "slower", "slower": "faster"}


def ratio(a, b):
    """How many times faster measurement ``b`` is than measurement ``a``."""
    if b.mean <= 0 or a.mean <= 0:
        raise ValueError("non-positive mean")
    value = a.mean / b.mean
    rel = math.hypot(a.stdev / a.mean, b.stdev / b.mean)
    return Ratio(value, value * rel)


def format_factor(value, error):
    """``52 ± 4x``: the error rounded to one significant digit (two when it starts with 1
    or 2, as in particle-physics rounding), the value to the same decimal place."""
    if error > 0 and math.isfinite(error):
        exponent = int(math.floor(math.log10(error)))
        digits = 2 if error / 10 ** exponent < 3 else 1
        places = max(digits - 1 - exponent, 0)
    else:
        places = 2 if value < 10 else 0
    return "%.*f ± %.*fx" % (places, value, places, error)


def _significant(x, digits):
    """``x`` to ``digits`` significant digits, written out (never ``1.7e+02``), trailing
    zeros after the point dropped: ``166``, ``0.05``, ``1000``."""
    if x == 0 or not math.isfinite(x):
        return "%g" % x
    places = max(digits - 1 - int(math.floor(math.log10(abs(x)))), 0)
    text = "%.*f" % (places, x)
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_seconds(seconds, stdev=None):
    """``787 µs ± 166 µs`` style: the one formatter of a time and its spread (tables,
    charts, the deck).  The time to 3 significant digits, the spread to 2 (all its digits
    before the point), both in the time's unit and never in scientific notation."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            break
    text = "%s %s" % (_significant(seconds / scale, 3), unit)
    if stdev is not None:
        text += " ± %s %s" % (_significant(stdev / scale, 2), unit)
    return text
