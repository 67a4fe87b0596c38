# Speed of PyPy: the talk, its notebooks and the jitgap kit.
# On a fresh machine:  make slides  (or)  make test   -- each sets up what is missing.

CPYTHON ?= python3
PYPY    ?= pypy3
VENV      := .venv
VENV_PYPY := .venv-pypy
PY        := $(VENV)/bin/python
JITGAP    := $(VENV)/bin/jitgap
TEST_JOBS ?= auto
VENV_OK      := $(VENV)/.setup-done
VENV_PYPY_OK := $(VENV_PYPY)/.setup-done
NOTEBOOKS     := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb))
NOTEBOOK_HTML := $(patsubst notebooks/%.ipynb,build/notebooks/%.html,$(NOTEBOOKS))

# Jupyter finds kernels/<name>/kernel.json here; nothing is written to $HOME.
export JUPYTER_PATH := $(CURDIR)
# jupyter/jupyter_config.json: only those two kernels (no venv "Python 3"), PyPy's by default.
export JUPYTER_CONFIG_PATH := $(CURDIR)/jupyter
export MPLCONFIGDIR := $(CURDIR)/build/.config/matplotlib
export IPYTHONDIR   := $(CURDIR)/build/.config/ipython
export JUPYTER_RUNTIME_DIR := $(CURDIR)/build/.config/jupyter-runtime

.DEFAULT_GOAL := help
.PHONY: help setup slides screens pdf check test bench notebooks lab kernels doctor clean distclean

help:  ## list the targets
	@echo "Speed of PyPy -- make targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  make \1\t\2/' | expand -t 20
	@echo "Interpreters: CPYTHON=$(CPYTHON) PYPY=$(PYPY) (override: make setup PYPY=/path/to/pypy3)"

setup: $(VENV_OK) $(VENV_PYPY_OK)  ## install PyPy if missing, make .venv (CPython) and .venv-pypy
	@# notebooks: git stores them without outputs and on the PyPy kernel (tools/nbclean.py)
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
		git config filter.jitgap-notebook.clean '"$(CURDIR)/$(PY)" "$(CURDIR)/tools/nbclean.py"'; \
		git config filter.jitgap-notebook.smudge cat; \
		git config filter.jitgap-notebook.required true; fi

$(VENV_OK): requirements.txt pyproject.toml
	$(CPYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -e .
	sed -n 's/^# no-deps: //p' requirements.txt | xargs $(PY) -m pip install --quiet --disable-pip-version-check --no-deps
	touch $@

$(VENV_PYPY_OK): requirements.txt pyproject.toml
	sh tools/need.sh "PyPy ($(PYPY) with venv)" "$(PYPY) -c 'import ensurepip, venv'" \
		pypy3 pypy3-venv pypy3-dev
	$(PYPY) -m venv $(VENV_PYPY)
	$(VENV_PYPY)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -e .
	touch $@

slides: $(VENV_OK) $(NOTEBOOK_HTML)  ## build build/slides/speed_of_pypy.html from results/ (no PyPy needed)
	$(JITGAP) deck

# Rendered notebooks for the deck's links: executed on the committed results (no measuring)
# in the CPython kernel (reference mode's), so no PyPy is needed; the pages load nothing.
build/notebooks/%.html: notebooks/%.ipynb $(VENV_OK) $(wildcard results/*/*.json)
	$(JITGAP) notebooks --mode reference $<

screens: slides  ## one PNG per slide (1280x720, Chromium) into build/slides/screens/
	sh tools/need.sh "Chromium (screenshots)" "command -v chromium" chromium
	$(JITGAP) screens

pdf: slides  ## the deck as build/slides/speed_of_pypy.pdf, one 1280x720 page per slide (Chromium)
	sh tools/need.sh "Chromium (PDF)" "command -v chromium" chromium
	$(JITGAP) pdf

notebooks: setup  ## execute every notebook headless (live quick measurements) into build/notebooks/
	$(JITGAP) notebooks --mode $${JITGAP_MODE:-quick}

#: PyPy's GC nursery for the reference results: the size PyPy takes when it knows no cache,
#: a desktop's few MB, whatever cache this machine reports (a virtual machine may report
#: its host's 480 MB: README, "The nursery's size"); BENCH_NURSERY= keeps PyPy's own choice
BENCH_NURSERY ?= 4MB
bench: export PYPY_GC_NURSERY = $(BENCH_NURSERY)
bench: setup  ## measure every topic (adaptive mode: until the claims are decided) into results/, PyPy's nursery BENCH_NURSERY (4MB); starts with a 30 s check that the machine is quiet, ends with what changed against the committed results; BENCH_ARGS=--force redoes all
	-$(PY) tools/process_spread.py --spot
	$(JITGAP) run --all --mode adaptive $(BENCH_ARGS)
	$(JITGAP) trace --all --save
	$(JITGAP) warmup --all --save
	$(JITGAP) memory --save
	-$(PY) tools/verdict_changes.py git:HEAD results

check: setup  ## the fast tier: every test that starts no interpreter, kernel or browser (< 30 s)
	JITGAP_TIER=check $(PY) -m pytest -q -m "not (pypy or kernel or browser or slow or serial)"

test: setup  ## run every test (unit, benchmarks, notebooks in both kernels, the deck, browser)
	sh tools/need.sh "Chromium (browser tests)" "command -v chromium" chromium
	$(PY) -m pytest -n $(TEST_JOBS) -m "not serial" --durations=15
	$(PY) -m pytest -m serial -rs --durations=2

lab: setup  ## JupyterLab with only the PyPy (default) and the CPython kernels
	$(VENV)/bin/jupyter lab --notebook-dir=$(CURDIR) $(if $(filter 0,$(shell id -u)),--allow-root) \
		notebooks/00-index.ipynb

kernels: setup  ## install both kernel specs for a Jupyter started outside make (--user)
	$(PY) tools/install_kernels.py

doctor:  ## check interpreters, venvs, kernels, landslide, Chromium, PYPYLOG, C compiler; print fixes
	@if [ -x $(JITGAP) ]; then $(JITGAP) doctor; else \
		echo "FAIL .venv is missing: run make setup"; exit 1; fi

clean:  ## remove build/ (the deck, rendered notebooks, live results)
	rm -rf build

distclean: clean  ## also remove both virtual environments
	rm -rf $(VENV) $(VENV_PYPY)
