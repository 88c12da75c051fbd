# Development tasks. GNU make; from a fresh clone, the only prerequisite is a Python 3 (pyenv interpreters for
# `make matrix`). Run `make help` for the list.

PYTHON ?= python3
VENV := .venv
VENV_PYTHON := $(VENV)/bin/python
# Re-made only when what it installs changes, so that re-running `make test` is fast.
VENV_STAMP := $(VENV)/.installed

# Extra pytest arguments, e.g. `make test PYTEST_ARGS='-k oauth -x'`.
PYTEST_ARGS ?=
# pytest-xdist workers: one per core by default; `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= auto
# Interpreters for `make matrix`, e.g. `make matrix MATRIX_VERSIONS='2.7 3.13'` (empty: every supported one).
MATRIX_VERSIONS ?=
PYTEST := $(VENV_PYTHON) -m pytest
COVERAGE_ARGS := --cov=patreon --cov-branch --cov-report=term-missing:skip-covered --cov-fail-under=95

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_NO_INPUT := 1

.DEFAULT_GOAL := help

.PHONY: help venv test soak matrix demo clean

help:
	@echo "make test    run the test suite in $(VENV) with branch coverage of patreon/ enforced at 95%"
	@echo "make soak    run the long variants (pytest marker 'soak')"
	@echo "make matrix  run the test suite on Python 2.7 and 3.6-3.15, each in a fresh virtualenv under .matrix/"
	@echo "make demo    run 'patreon demo' against an embedded sandbox, in $(DEMO_VENV) (the package alone)"
	@echo "make lint    ruff, mypy over the sources and mypy's stubtest over the type stubs"
	@echo "make docs    the documentation site (MkDocs, mkdocstrings) into site/, warnings as errors"
	@echo "make dist    build the sdist and universal wheel, checked with twine"
	@echo "make bench   benchmarks side by side with 0.5.1 (writes benchmarks/RESULTS.md)"
	@echo "make compat  0.5.1's own spec suite against this package (62 of its 65 pass, as on 0.5.1)"
	@echo "make clean   remove virtualenvs, build output and caches"

# --- The development virtualenv ------------------------------------------------------------------------------------

venv: $(VENV_STAMP)

$(VENV_STAMP): setup.py setup.cfg pyproject.toml dev-requirements.txt
	test -x $(VENV_PYTHON) || $(PYTHON) -m venv $(VENV)
	$(VENV_PYTHON) -m pip install --upgrade pip
	$(VENV_PYTHON) -m pip install -e . -r dev-requirements.txt
	touch $@

# --- Tests ---------------------------------------------------------------------------------------------------------

test: $(VENV_STAMP)
	$(PYTEST) -m "not soak" -n $(PYTEST_WORKERS) $(COVERAGE_ARGS) $(PYTEST_ARGS)

# The long variants: thousands of hypothesis examples, long soaks; an hour at most per test.
soak: $(VENV_STAMP)
	$(PYTEST) -m soak -n $(PYTEST_WORKERS) --timeout 3600 $(PYTEST_ARGS)

# Sequential on purpose: the suites of two interpreters at once would compete for the same cores.
matrix: $(VENV_STAMP)
	bash .ci/matrix.sh $(MATRIX_VERSIONS)

# --- Running the package -------------------------------------------------------------------------------------------

# A virtualenv of its own with the package alone (and requests, six): the demo needs no test tool. The package is
# reinstalled (without dependencies) only when a file of it changed, so that the demo is the tree as it is now
# without 8 seconds of pip on every run. Directories count too: their time changes when a file is added or removed.
DEMO_VENV := .demo-venv
DEMO_CREATED := $(DEMO_VENV)/.created
DEMO_STAMP := $(DEMO_VENV)/.installed
DEMO_SOURCES := $(shell find patreon -name __pycache__ -prune -o -print) setup.py setup.cfg pyproject.toml MANIFEST.in

$(DEMO_CREATED): setup.py setup.cfg pyproject.toml
	test -x $(DEMO_VENV)/bin/python || $(PYTHON) -m venv $(DEMO_VENV)
	$(DEMO_VENV)/bin/python -m pip install .
	touch $@

$(DEMO_STAMP): $(DEMO_CREATED) $(DEMO_SOURCES)
	$(DEMO_VENV)/bin/python -m pip install --quiet --force-reinstall --no-deps .
	touch $@

demo: $(DEMO_STAMP)
	$(DEMO_VENV)/bin/patreon demo

# --- Lint and distributions (`make lint`, `make dist`) ----------------------------------------------------------------
# Each in a virtualenv of its own, so that their tools never mix with the test dependencies. The tools are pinned:
# a new release of ruff or mypy must not fail a build that passed the day before.

LINT_VENV := .lint-venv
LINT_PYTHON := $(LINT_VENV)/bin/python
LINT_STAMP := $(LINT_VENV)/.installed
LINT_REQUIREMENTS := ruff==0.17.6 mypy==2.4.1 types-requests==2.33.0.20261030
# What ruff reads (every Python file of the repository); examples/ and benchmarks/ when they exist.
LINT_PATHS := setup.py patreon tests .ci $(wildcard examples benchmarks)

DIST_VENV := .dist-venv
DIST_PYTHON := $(DIST_VENV)/bin/python
DIST_STAMP := $(DIST_VENV)/.installed
DIST_REQUIREMENTS := build==1.6.1 twine==7.0.0

.PHONY: lint dist

# stubtest compares the stubs with the package as imported at runtime: the package is installed here too.
$(LINT_STAMP): Makefile setup.py setup.cfg pyproject.toml
	test -x $(LINT_PYTHON) || $(PYTHON) -m venv $(LINT_VENV)
	$(LINT_PYTHON) -m pip install --upgrade pip
	$(LINT_PYTHON) -m pip install $(LINT_REQUIREMENTS) -e .
	touch $@

# A cache of its own for each mypy run: a package cached whole (private modules included) would be checked again,
# with --strict, by the example's run that only imports it.
lint: $(LINT_STAMP)
	$(LINT_VENV)/bin/ruff check $(LINT_PATHS)
	$(LINT_PYTHON) .ci/check_stubs.py
	$(LINT_PYTHON) -m mypy.stubtest --mypy-config-file mypy.ini --allowlist stubtest-allowlist.txt patreon
	$(LINT_PYTHON) -m mypy --config-file mypy.ini --cache-dir .mypy_cache/sources -p patreon
	$(LINT_PYTHON) -m mypy --config-file mypy.ini --cache-dir .mypy_cache/example --strict examples/typed_usage.py

$(DIST_STAMP): Makefile
	test -x $(DIST_PYTHON) || $(PYTHON) -m venv $(DIST_VENV)
	$(DIST_PYTHON) -m pip install --upgrade pip
	$(DIST_PYTHON) -m pip install $(DIST_REQUIREMENTS)
	touch $@

# The wheel is built from the sdist (what `build` does by default), so a file missing from the sdist shows.
# build/ is removed first: setuptools reuses it, and a stale copy would put deleted modules into the wheel.
dist: $(DIST_STAMP)
	rm -rf build dist
	$(DIST_PYTHON) -m build --outdir dist .
	$(DIST_VENV)/bin/twine check --strict dist/*
	$(DIST_PYTHON) .ci/check_dist.py dist

# --- The documentation site (`make docs`) ----------------------------------------------------------------------------
# MkDocs with the Material theme and mkdocstrings, every package pinned in docs-requirements.txt, in a virtualenv of
# its own. Strict: a warning (a broken link, a page left out of the navigation, a docstring that cannot be read)
# fails the build. The reference is read from the sources, not imported, so the package is not installed here.
DOCS_VENV := .docs-venv
DOCS_STAMP := $(DOCS_VENV)/.installed

.PHONY: docs

$(DOCS_STAMP): docs-requirements.txt
	test -x $(DOCS_VENV)/bin/python || $(PYTHON) -m venv $(DOCS_VENV)
	$(DOCS_VENV)/bin/python -m pip install --upgrade pip
	$(DOCS_VENV)/bin/python -m pip install -r docs-requirements.txt
	touch $@

# NO_MKDOCS_2_WARNING: the theme's banner about its own future, printed on every build, says nothing about ours.
docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(DOCS_VENV)/bin/mkdocs build --strict --clean

# --- Benchmarks (`make bench`, issue 5; owned by the benchmarks) ------------------------------------------------------
# Two virtualenvs of their own under .bench/, both on $(PYTHON): `ours` gets this tree installed afresh on every run
# (plus trustme, for the HTTPS figures), `baseline` gets patreon-v2 0.5.1 (and setuptools<81: its import needs
# pkg_resources). benchmarks/run.py prints one table per figure and writes benchmarks/RESULTS.md.
BENCH_DIR := .bench
BENCH_OURS := $(BENCH_DIR)/ours
BENCH_BASELINE := $(BENCH_DIR)/baseline
BENCH_OURS_STAMP := $(BENCH_OURS)/.created
BENCH_BASELINE_STAMP := $(BENCH_BASELINE)/.installed
BENCH_ARGS ?=

.PHONY: bench

# setup.py names the runtime dependencies, installed here once.
$(BENCH_OURS_STAMP): setup.py
	rm -rf $(BENCH_OURS)
	$(PYTHON) -m venv $(BENCH_OURS)
	$(BENCH_OURS)/bin/python -m pip install . 'trustme>=1.0'
	touch $@

$(BENCH_BASELINE_STAMP):
	rm -rf $(BENCH_BASELINE)
	$(PYTHON) -m venv $(BENCH_BASELINE)
	$(BENCH_BASELINE)/bin/python -m pip install 'patreon-v2==0.5.1' 'setuptools<81'
	touch $@

# A regular (non-editable) install, redone each time so that what is measured is the tree as it is now.
bench: $(BENCH_OURS_STAMP) $(BENCH_BASELINE_STAMP)
	$(BENCH_OURS)/bin/python -m pip install --quiet --force-reinstall --no-deps .
	$(BENCH_OURS)/bin/python benchmarks/run.py --ours-python $(BENCH_OURS)/bin/python \
		--baseline-python $(BENCH_BASELINE)/bin/python $(BENCH_ARGS)

# --- 0.5.1's own specs against this package (`make compat`) ---------------------------------------------------------
# Downloads the patreon-v2 0.5.1 sdist into .compat/ (ignored) on each run and runs its *_spec.py files; the target is
# the 62 of 65 that pass on 0.5.1 itself. See .ci/compat.sh.
.PHONY: compat

compat:
	COMPAT_PYTHON=$(PYTHON) bash .ci/compat.sh

# --- Cleaning ------------------------------------------------------------------------------------------------------

clean:
	rm -rf $(VENV) .demo-venv .matrix .lint-venv .dist-venv .docs-venv site .dist-smoke .bench .compat build dist \
		*.egg-info .eggs \
		.pytest_cache .hypothesis .mypy_cache .ruff_cache .coverage .coverage.* htmlcov
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name '*.py[co]' -delete
