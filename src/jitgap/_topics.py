"""Benchmark files: find them, and read what they declare without running them.

A benchmark file (``benchmarks/<topic>.py``) is a standalone pyperf script.  jitgap
reads three module-level names from its source with :mod:`ast`, so the file is never
imported by the process that inspects it:

* the module docstring: what the topic shows and where the claim comes from;
* ``VARIANTS``: a list of the functions timed, one pyperf benchmark each (named after
  the function);
* ``CLAIMS`` (optional): ``{claim_id: "sentence"}``, see :mod:`jitgap._claims`; a claim
  that comes from elsewhere declares it: ``{claim_id: {"claim": "sentence", "source":
  "2010", "said": "what the source said, in plain words"}}``.  ``source`` is one of
  :data:`CLAIM_SOURCES` (default ``kit``: this talk's own claim);
* ``LABELS`` (optional): ``{variant: "plain words"}`` ("a fresh **kwargs dict"), how the
  deck names a variant in a sentence (default: the variant's name);
* ``REASONS`` (optional): ``{variant: "why PyPy is slower here, in a few words"}``, for
  the variants where PyPy with its JIT loses to CPython (the deck's "Where PyPy is
  slower" slide shows them);
* ``TRACES`` (optional): variants whose JIT trace ``make bench`` stores
  (``jitgap trace --all --save``) for the deck's ``jitgap-trace`` directive;
* ``WARMUPS`` (optional): variants whose warm-up curve ``make bench`` stores
  (``jitgap warmup --all --save``) for the deck's ``jitgap-warmup`` directive;
* ``SAME_RESULT`` (optional): groups of variants that compute the same value,
  ``[["while_loop", "for_range", "sum_builtin"], ...]``; a test calls each group's
  variants under every interpreter (with a small ``n`` when they all take one) and
  compares what they return.

A topic may have a *C twin*, ``benchmarks/<topic>.c``: some of its variants written in C
(one ``JITGAP_BENCH(variant)`` line each, see ``benchmarks/jitgap_c.h``), measured as the
``c`` bar of its chart (:mod:`jitgap._native`).

Any other pyperf script is accepted by path too; it simply has no declared variants
or claims, and its benchmarks are whatever its JSON holds.

Real programs come from pyperformance, run unmodified from the installed package (in the
environment jitgap runs in; PyPy runs the files with pyperf alone):
``pyperformance:NAME`` is the topic of one of its benchmarks (``bm_NAME/run_benchmark.py``,
with its data beside it), and a benchmark file may declare ``PROGRAMS = ["richards",
...]`` instead of ``VARIANTS``: a topic of programs, each measured from its own file
(only its benchmark of that name), the results of all of them in one file per
interpreter.
"""

import ast
import hashlib
import importlib.util
import io
import os
import re
import sys
import tokenize
from pathlib import Path

from ._claims import parse_claim
from ._errors import JitgapError
from ._paths import benchmarks_dir, project_root


#: ``jitgap run pyperformance:NAME``
PYPERFORMANCE = "pyperformance:"


def _pyperformance_package():
    """The installed pyperformance's package folder, or ``None``: importable here, else in
    the project's CPython environment (pyperformance needs Python >= 3.10, so PyPy 3.9 finds
    it there and runs its files with pyperf alone).  Found without importing it."""
    spec = importlib.util.find_spec("pyperformance")
    if spec is not None and spec.origin:
        return Path(spec.origin).resolve().parent
    for init in sorted(project_root().glob(".venv/lib/python3*/site-packages/pyperformance/"
                                           "__init__.py")):
        return init.parent
    return None


def pyperformance_dir():
    """The installed pyperformance's benchmarks folder, or ``None``."""
    package = _pyperformance_package()
    if package is None:
        return None
    folder = package / "data-files" / "benchmarks"
    return folder if folder.is_dir() else None


def pyperformance_names():
    """Every benchmark the installed pyperformance ships (its ``bm_*`` folders)."""
    folder = pyperformance_dir()
    if folder is None:
        return []
    return sorted(p.parent.name[3:] for p in folder.glob("bm_*/run_benchmark.py"))


def pyperformance_file(name):
    """``bm_NAME/run_benchmark.py`` of the installed pyperformance (data files beside it)."""
    folder = pyperformance_dir()
    if folder is None:
        raise JitgapError("pyperformance is not installed here (%s); `make setup` installs "
                          "the version requirements.txt pins" % sys.executable)
    path = folder / ("bm_" + name) / "run_benchmark.py"
    if not path.is_file():
        raise JitgapError("pyperformance has no benchmark %r (it has: %s)"
                          % (name, ", ".join(pyperformance_names())))
    return path


def pyperformance_version():
    """The installed pyperformance's version (from its distribution's metadata), or ``None``."""
    package = _pyperformance_package()
    if package is None:
        return None
    for info in sorted(package.parent.glob("pyperformance-*.dist-info")):
        return info.name[len("pyperformance-"):-len(".dist-info")]
    return None


class Topic:
    """One benchmark file and what it declares."""

    def __init__(self, path, name=None):
        self.path = Path(path).resolve()
        self.name = name or self.path.stem
        try:
            self.source = self.path.read_text(encoding="utf-8")
        except OSError as exc:
            raise JitgapError("cannot read benchmark file %s: %s" % (self.path, exc.strerror))
        try:
            self._tree = ast.parse(self.source, filename=str(self.path))
        except SyntaxError as exc:
            raise JitgapError("benchmark file %s does not parse: %s (line %s)"
                              % (self.path, exc.msg, exc.lineno))
        self.doc = ast.get_docstring(self._tree) or ""
        self.programs = list(self._read_literal("PROGRAMS") or [])
        self.published = self._read_literal("PUBLISHED") or {}
        self.variants = list(self.programs) or self._read_variants()
        self.claims_source = self._read_literal("CLAIMS") or {}
        self.traces = list(self._read_literal("TRACES") or [])
        self.warmups = list(self._read_literal("WARMUPS") or [])
        for name, listed in (("TRACES", self.traces), ("WARMUPS", self.warmups)):
            unknown = [v for v in listed if v not in self.variants]
            if unknown:
                raise JitgapError("%s: %s names unknown variants: %s"
                                  % (self.path, name, ", ".join(map(str, unknown))))
        self.same_result = self._read_groups("SAME_RESULT")
        if not isinstance(self.claims_source, dict):
            raise JitgapError("%s: CLAIMS must be a dict {claim_id: sentence}" % self.path)
        self.labels = self._read_literal("LABELS") or {}
        self.reasons = self._read_literal("REASONS") or {}
        for name, table in (("LABELS", self.labels), ("REASONS", self.reasons)):
            if not isinstance(table, dict) or not all(isinstance(v, str)
                                                      for v in table.values()):
                raise JitgapError("%s: %s must be a dict {variant: text}" % (self.path, name))
            unknown = [v for v in table if v not in self.variants]
            if unknown:
                raise JitgapError("%s: %s names unknown variants: %s"
                                  % (self.path, name, ", ".join(map(str, unknown))))

    def __repr__(self):
        return "<Topic %s (%s)>" % (self.name, self.path)

    @property
    def spec(self):
        """What :func:`get_topic` (and ``jitgap run``) takes to find this topic again: its
        name, a pyperformance benchmark's ``pyperformance:NAME``, or its file."""
        if self.path.parent == benchmarks_dir():
            return self.name
        if self.name != self.path.stem:
            return PYPERFORMANCE + self.name
        return str(self.path)

    @property
    def title(self):
        """First line of the docstring."""
        return self.doc.splitlines()[0].strip() if self.doc else self.name

    def _assignment(self, name):
        for node in self._tree.body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == name:
                        return node.value
        return None

    def _read_literal(self, name):
        node = self._assignment(name)
        if node is None:
            return None
        try:
            return ast.literal_eval(node)
        except ValueError:
            raise JitgapError("%s: %s must be a literal (strings, numbers, lists, dicts)"
                              % (self.path, name))

    def _read_groups(self, name):
        """A declared list of groups of variants (each a list of at least two names)."""
        groups = self._read_literal(name) or []
        if not isinstance(groups, (list, tuple)) or not all(
                isinstance(g, (list, tuple)) and len(g) >= 2
                and all(isinstance(v, str) for v in g) for g in groups):
            raise JitgapError("%s: %s must be a list of groups of variant names, each a list "
                              "of at least two: [[\"a\", \"b\"], ...]" % (self.path, name))
        unknown = [v for g in groups for v in g if v not in self.variants]
        if unknown:
            raise JitgapError("%s: %s names unknown variants: %s"
                              % (self.path, name, ", ".join(unknown)))
        return [list(g) for g in groups]

    def _read_variants(self):
        node = self._assignment("VARIANTS")
        if node is None:
            return []
        if not isinstance(node, (ast.List, ast.Tuple)) or not all(
                isinstance(elt, ast.Name) for elt in node.elts):
            raise JitgapError("%s: VARIANTS must be a list of function names" % self.path)
        names = [elt.id for elt in node.elts]
        functions = {n.name for n in self._tree.body if isinstance(n, ast.FunctionDef)}
        missing = [n for n in names if n not in functions]
        if missing:
            raise JitgapError("%s: VARIANTS names undefined functions: %s"
                              % (self.path, ", ".join(missing)))
        return names

    def _function(self, name):
        for node in self._tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                return node
        raise JitgapError("%s defines no function or class %r" % (self.path, name))

    def code(self, name, docstring=True):
        """Source of one variant (or helper class/function), decorators included;
        ``docstring=False`` leaves its docstring out."""
        node = self._function(name)
        lines = self.source.splitlines()
        start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
        body = lines[start:node.end_lineno]
        first = node.body[0]
        if not docstring and isinstance(first, ast.Expr) and isinstance(
                getattr(first, "value", None), ast.Constant) and isinstance(first.value.value, str):
            body = [line for k, line in enumerate(lines[start:node.end_lineno], start + 1)
                    if not first.lineno <= k <= first.end_lineno]
        return "\n".join(body)

    def label(self, variant):
        """How the deck names a variant in a sentence: its ``LABELS`` entry, else its name."""
        return self.labels.get(variant, variant)

    def summary(self, name):
        """First line of a variant's docstring ('' if none)."""
        doc = ast.get_docstring(self._function(name)) or ""
        return doc.splitlines()[0].strip() if doc else ""

    def files(self):
        """``[(file to run, benchmark names to keep or None for all)]``: the topic's own
        file, or, for a topic of programs, each program's pyperformance file."""
        if not self.programs:
            return [(self.path, None)]
        return [(pyperformance_file(name), [name]) for name in self.programs]

    @property
    def digest(self):
        """sha256 (16 hex digits) of what is measured: the code without its docstrings,
        comments, blank lines, trailing spaces and the declarations of :data:`_NOT_MEASURED`
        (CLAIMS, TRACES, WARMUPS, SAME_RESULT ...), so rewording
        a claim or a docstring does not make stored results stale (the same digest under
        every Python, PyPy's 3.9 included: text and tokens, not ``ast.dump``)."""
        text = self.measured_code()
        if self.programs:       # what runs is pyperformance's code, pinned by its version
            text += "pyperformance %s\n" % pyperformance_version()
            for name in self.programs:
                try:
                    text += pyperformance_file(name).read_text(encoding="utf-8")
                except JitgapError:
                    text += "%s: missing\n" % name
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def measured_code(self):
        """The text :attr:`digest` hashes."""
        text_lines = self.source.splitlines(True)
        spans = []    # ((line, byte column), (line, byte column)) to cut, 1-based lines

        def node_span(node):
            spans.append(((node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)))

        for stmt in self._tree.body:
            if isinstance(stmt, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id in _NOT_MEASURED for t in stmt.targets):
                node_span(stmt)
        for node in ast.walk(self._tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                 ast.AsyncFunctionDef)) and node.body:
                first = node.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                        and isinstance(first.value.value, str):
                    node_span(first)
        for tok in tokenize.generate_tokens(io.StringIO(self.source).readline):
            if tok.type == tokenize.COMMENT:
                line = text_lines[tok.start[0] - 1]
                spans.append(((tok.start[0], len(line[:tok.start[1]].encode("utf-8"))),
                              (tok.end[0], len(line[:tok.end[1]].encode("utf-8")))))
        merged = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        lines = [line.encode("utf-8") for line in text_lines]
        for (row, col), (end_row, end_col) in reversed(merged):
            lines[row - 1:end_row] = [lines[row - 1][:col] + lines[end_row - 1][end_col:]]
        text = b"".join(lines).decode("utf-8")
        return "\n".join(line.rstrip() for line in text.splitlines() if line.strip()) + "\n"

    @property
    def c_path(self):
        """``benchmarks/<topic>.c`` if the topic has a C twin, else ``None``."""
        path = self.path.with_suffix(".c")
        return path if path.is_file() else None

    @property
    def c_variants(self):
        """The variants the C twin defines (its ``JITGAP_BENCH(name)`` lines)."""
        if self.c_path is None:
            return []
        try:
            text = self.c_path.read_text(encoding="utf-8")
        except OSError as exc:
            raise JitgapError("cannot read C twin %s: %s" % (self.c_path, exc.strerror))
        names = re.findall(r"^\s*JITGAP_BENCH\((\w+)\)", text, re.MULTILINE)
        unknown = [n for n in names if n not in self.variants]
        if unknown:
            raise JitgapError("%s: JITGAP_BENCH names variants that %s does not declare: %s"
                              % (self.c_path, self.path.name, ", ".join(unknown)))
        return names

    def c_code(self, name):
        """Source of one function of the C twin (from its first line to the ``}`` that
        closes it at the start of a line)."""
        if self.c_path is None:
            raise JitgapError("%s has no C twin (%s)" % (self.name, self.path.with_suffix(".c")))
        lines = self.c_path.read_text(encoding="utf-8").splitlines()
        head = re.compile(r"^\w[\w\s\*]*\b%s\s*\(" % re.escape(name))
        for start, line in enumerate(lines):
            if head.match(line):
                end = next((k for k in range(start, len(lines)) if lines[k].startswith("}")),
                           None)
                if end is not None:
                    return "\n".join(lines[start:end + 1])
        raise JitgapError("%s defines no function %r" % (self.c_path, name))

    @property
    def claims(self):
        claims = []
        for cid, entry in self.claims_source.items():
            text, source, said = entry, "kit", ""
            if isinstance(entry, dict):
                extra = set(entry) - {"claim", "source", "said"}
                if "claim" not in entry or extra:
                    raise JitgapError(
                        "%s: claim %r: a claim given as a dict has the keys 'claim' "
                        "(the sentence), 'source' and 'said'%s" % (
                            self.path, cid, " (not %s)" % ", ".join(sorted(extra))
                            if extra else ""))
                text = entry["claim"]
                source = str(entry.get("source", "kit"))
                said = str(entry.get("said", ""))
            if source not in CLAIM_SOURCES:
                raise JitgapError("%s: claim %r: unknown source %r (one of: %s)"
                                  % (self.path, cid, source, ", ".join(CLAIM_SOURCES)))
            claim = parse_claim(self.name, cid, text)
            claim.source, claim.said = source, said
            claims.append(claim)
        for claim in claims:
            if getattr(claim, "kind", None) == "trace" and claim.a not in self.traces:
                raise JitgapError("%s: claim %r is about the trace of %s: list it in TRACES so "
                                  "`make bench` stores that trace" % (self.path, claim.id, claim.a))
        return claims


#: declarations that say what to report, not what is measured (left out of the digest)
_NOT_MEASURED = ("CLAIMS", "TRACES", "WARMUPS", "REASONS", "LABELS", "PUBLISHED",
                 "SAME_RESULT")

#: where a claim comes from: Fijałkowski's PyCon 2010 talk, the 2013 coverage.py post on
#: the PyPy blog, pypy.org's pages, PyPy's blog or release notes after 2013, common
#: CPython advice ("folk"), or this talk itself ("kit", the default)
CLAIM_SOURCES = ("2010", "2013", "pypy.org", "pypy-blog", "folk", "kit")


def list_topics(directory=None):
    """Every ``benchmarks/*.py`` file as a :class:`Topic`, sorted by name."""
    directory = Path(directory) if directory else benchmarks_dir()
    return [Topic(p) for p in sorted(directory.glob("*.py")) if not p.name.startswith("_")]


def get_topic(spec):
    """A topic by name (``boxing``), by the path of any benchmark file, or a pyperformance
    benchmark (``pyperformance:deltablue``)."""
    if isinstance(spec, Topic):
        return spec
    spec = str(spec)
    if spec.startswith(PYPERFORMANCE):
        name = spec[len(PYPERFORMANCE):]
        return Topic(pyperformance_file(name), name=name)
    candidate = Path(spec)
    if spec.endswith(".py") or os.sep in spec:
        if not candidate.is_file():
            raise JitgapError("no benchmark file %s" % candidate)
        return Topic(candidate)
    path = benchmarks_dir() / (spec + ".py")
    if not path.is_file():
        known = ", ".join(t.name for t in list_topics()) or "none"
        raise JitgapError("unknown topic %r (known: %s; or give the path of a benchmark file)"
                          % (spec, known))
    return Topic(path)
