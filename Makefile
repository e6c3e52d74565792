# 北辰区工业经济“十四五”规划后评估报告 — build and test.
# `make help` lists the targets. Paths are relative to this file, wherever make is started.
SHELL := /bin/bash
# A recipe fails when any command of it fails, a pipe's first command included.
.SHELLFLAGS := -e -o pipefail -c
.DELETE_ON_ERROR:
ROOT  := $(dir $(abspath $(lastword $(MAKEFILE_LIST))))
VENV  := $(ROOT).venv
PY    := $(VENV)/bin/python
YEAR  ?= 2024
YEARS ?= 2024

.DEFAULT_GOAL := help
# What is typed on the command line (YEAR=, YEARS=, FILE=, OUT=, RUNS=, XLSX=) reaches the programs
# as data, never as code: $(value …) is not expanded by make (YEAR='$(shell …)' stays text), and
# `q` makes it one single-quoted shell word (YEAR='2019; touch x' is a year the build refuses, not
# a command). The programs check the values and answer in Chinese.
q = '$(subst ','"'"',$(1))'
YEAR_ARG  = $(call q,$(value YEAR))
YEARS_ARG = $(foreach y,$(value YEARS),$(call q,$(y)))
FILE_ARG  = $(call q,$(value FILE))
PLAN_ARG  = $(if $(value PLAN),--plan $(call q,$(value PLAN)),)
# make new-plan's words: the plan's short name, and optionally title, previous plan and issuing body.
NEW_PLAN_ARGS = --plan $(call q,$(value PLAN)) --name $(call q,$(value NAME)) \
	$(if $(value TITLE),--title $(call q,$(value TITLE)),) \
	$(if $(value PREVIOUS),--previous $(call q,$(value PREVIOUS)),) \
	$(if $(value AUTHOR),--author $(call q,$(value AUTHOR)),)
# Make would expand them (and run a $(shell …) in them) to put them in the recipes' environment.
unexport YEAR YEARS FILE OUT RUNS XLSX PLAN NAME TITLE PREVIOUS AUTHOR APPLY

# Each plan period has its own data folder: data/ for 十四五, plans/<first>-<target>/ for a later plan
# (lib/beichen/inputs/plans.py). A command for YEAR works in the folder of the plan that evaluates YEAR, or of
# PLAN=<folder> when given: `plan_dir` is set by asking lib/beichen/inputs/plans.py, whose Chinese refusal (no
# plan or two plans for the year, an unknown PLAN) stops the recipe (.SHELLFLAGS -e).
IN_PLAN   = plan_dir=$$($(PY) -m beichen.inputs.plans --year $(YEAR_ARG) $(PLAN_ARG)) &&
PLAN_DIRS = --data-dir "$$plan_dir" --narrative-dir "$$plan_dir/narrative"
# make validate checks every plan, or one when YEAR= or PLAN= is typed.
VALIDATE_ARGS = $(if $(filter command line,$(origin YEAR)),--year $(YEAR_ARG),) $(PLAN_ARG)


## help: list the targets (YEAR=2026 works in the plan that evaluates 2026; PLAN=2026-2030 names a plan folder: data or plans/<first>-<target>)
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  make /'

## report: set up if needed, then build the edition of YEAR (default 2024): site/YEAR/ and its PDF (its internal 核查报告: review/YEAR/)
report: setup
	$(IN_PLAN) $(PY) -m beichen.publish.build --year $(YEAR_ARG) --pdf $(PLAN_DIRS)

## pdf: build the edition of YEAR with its PDF (site/YEAR/report-YEAR.pdf; same as report)
pdf: report

## html: build the edition of YEAR as HTML only (faster)
html: setup
	$(IN_PLAN) $(PY) -m beichen.publish.build --year $(YEAR_ARG) $(PLAN_DIRS)

## docx: the edition of YEAR as an editable Word draft for the review round (征求意见稿): review/word/YEAR/report-YEAR.docx (internal)
docx: setup
	$(IN_PLAN) $(PY) -m beichen.publish.word_draft --year $(YEAR_ARG) $(PLAN_DIRS)

## review: bring a reviewed Word draft back (YEAR=… FILE=reviewed.docx): every change and comment placed; APPLY=1 writes the passage edits (all or none)
review: setup
	$(IN_PLAN) $(PY) -m beichen.publish.word_review --year $(YEAR_ARG) --file $(FILE_ARG) $(if $(value APPLY),--apply,) $(PLAN_DIRS)

## new-plan: start a plan period: plans/PLAN/ from templates/plan/ (PLAN=2026-2030 NAME=十五五 [TITLE=… PREVIOUS=十四五 AUTHOR=…]); never touches data/
new-plan: setup
	$(PY) -m beichen.inputs.newplan $(NEW_PLAN_ARGS)

## new-year: start YEAR in its plan's folder: entry/YEAR.csv (rows to fill) and narrative/YEAR/ (text stubs); XLSX=1 for .xlsx
new-year: setup
	$(IN_PLAN) $(PY) -m beichen.publish.new_year --year $(YEAR_ARG) $(if $(value XLSX),--xlsx,) $(PLAN_DIRS)

## import: check entry/YEAR.csv|.xlsx of YEAR's plan folder (or FILE=...) and merge it into that folder (all-or-nothing)
import: setup
	$(IN_PLAN) $(PY) -m beichen.inputs.intake --year $(YEAR_ARG) $(if $(value FILE),--file $(FILE_ARG),) --data-dir "$$plan_dir"

## site: build the editions of YEARS (e.g. YEARS="2024 2026", each from its own plan) with PDFs, and the landing page site/index.html
site: setup
	$(PY) -m beichen.publish.make_site --years $(YEARS_ARG)

## validate: check every data file of every plan against its schema and its plan (YEAR= or PLAN= for one plan)
validate: setup
	$(PY) -m beichen.inputs.validate $(VALIDATE_ARGS)

# One pytest-xdist worker per core, each taking whole test modules (a module's fixtures are made once);
# the shared 2024 build is made once for all workers (tests/conftest.py: built_2024).
PARALLEL := -n auto --dist loadfile --no-loadscope-reorder

## test: unit tests, data contracts, and build/PDF/browser tests of the 2024 edition
test: setup $(VENV)/.installed-test
	$(PY) -m pytest $(PARALLEL)

## test-fast: the inner loop (under a minute): unit tests only, no build, PDF, browser or slow (subprocess) test
test-fast: setup $(VENV)/.installed-test
	$(PY) -m pytest $(PARALLEL) -q -m "not build and not pdf and not browser and not slow"

## lighthouse: Lighthouse (desktop and mobile presets, median of 3) over every page of site/YEAR; prints the table
lighthouse: setup
	test -d $(call q,$(ROOT)site/$(value YEAR)) || $(MAKE) html YEAR=$(YEAR_ARG)
	cd $(call q,$(ROOT)tools/lighthouse) && npm ci --no-audit --no-fund --silent
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(PY) $(call q,$(ROOT)tools/lighthouse/run_lighthouse.py) $(call q,$(ROOT)site) --year $(YEAR_ARG) $(if $(value RUNS),--runs $(call q,$(value RUNS)),)

## bench: build times, cold and after one change, against plain Jupyter Book (median of RUNS=3; not in make test)
bench: setup
	$(PY) $(call q,$(ROOT)tools/bench.py) $(if $(value RUNS),--runs $(call q,$(value RUNS)),) $(if $(value OUT),--out $(call q,$(value OUT)),)

## setup: install system packages (as root) and the pinned Python environment in .venv
setup: $(VENV)/.installed

# Every package is pinned with its hashes (pip-compile --generate-hashes; see requirements.in):
# pip refuses anything else. Runtime and test tools are pinned apart.
$(VENV)/.installed: requirements.lock pyproject.toml tools/setup_system.sh
	bash $(ROOT)tools/setup_system.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(ROOT)requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e $(ROOT)
	touch $@

# axe-core for the browser tests, as pinned (npm ci checks the lock's integrity hash); without npm or
# the registry the accessibility test says it is skipped.
$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock tools/axe/package-lock.json
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(ROOT)requirements-test.lock
	cd $(call q,$(ROOT)tools/axe) && npm ci --no-audit --no-fund --silent || echo "axe-core not installed: test_axe_finds_no_violations will be skipped"
	touch $@

## clean: remove staging files (published editions in site/ are kept)
clean:
	rm -rf $(ROOT)build

.PHONY: bench help lighthouse report pdf html validate test test-fast setup clean new-plan new-year import site docx review
