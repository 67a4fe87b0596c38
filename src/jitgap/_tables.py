"""Tables: one model (a header and rows of cells), three renderings, for the command line
(aligned text), the notebooks (Markdown) and the deck (an RST list-table); and
:class:`Markdown`, text that Jupyter shows as Markdown."""


class Markdown:
    """Text shown as Markdown in Jupyter and as itself elsewhere."""

    def __init__(self, text):
        self.text = text

    def _repr_markdown_(self):
        return self.text

    def __str__(self):
        return self.text

    __repr__ = __str__


class Table:
    """A table: ``header`` (a list of cells, or ``None``) and ``rows``, every cell text.
    ``align`` gives each column's alignment in Markdown (``right`` or left)."""

    def __init__(self, header, rows, align=None):
        self.header = list(header) if header is not None else None
        self.rows = [list(row) for row in rows]
        self.align = align

    def _lines(self):
        return ([self.header] if self.header is not None else []) + self.rows

    def text(self, widths, gaps=None):
        """Aligned columns: column ``k`` padded to at least ``widths[k]`` characters and
        followed by ``gaps[k]`` spaces (default 1); the columns after ``widths`` are not
        padded; trailing spaces are dropped."""
        gaps = gaps or [1] * len(widths)
        out = []
        for row in self._lines():
            padded = ["%-*s%s" % (width, cell, " " * gap)
                      for cell, width, gap in zip(row, widths, gaps)]
            out.append(("".join(padded) + " ".join(row[len(widths):])).rstrip())
        return "\n".join(out)

    def markdown(self):
        """A Markdown (GitHub) table."""
        n = len(self.header if self.header is not None else self.rows[0])
        align = self.align or [""] * n
        rule = "|" + "|".join("---:" if a == "right" else "---" for a in align) + "|"
        lines = ["| %s |" % " | ".join(self.header), rule] if self.header is not None else []
        return "\n".join(lines + ["| %s |" % " | ".join(row) for row in self.rows])

    def list_table(self, cls=None):
        """An RST ``list-table`` (its first row the header), with ``cls`` as its class."""
        out = [".. list-table::"] + (["   :header-rows: 1"] if self.header is not None
                                     else []) + (["   :class: %s" % cls] if cls else []) + [""]
        for row in self._lines():
            out += ["   * - %s" % row[0]] + ["     - %s" % cell for cell in row[1:]]
        return "\n".join(out)
