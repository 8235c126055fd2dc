# The two commands a new user runs: `make site` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test check serve docs benchmark clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

site: $(STAMP)  ## build every site from content/ into site/
	$(PY) -m generator build content --out site

test: $(STAMP)  ## the whole test suite, browser tests included
	$(PY) -m pytest

check: $(STAMP)  ## validate content/ and list every problem
	$(PY) -m generator check content

serve: $(STAMP)  ## build, serve on http://127.0.0.1:8000, rebuild and reload as content/ changes
	$(PY) -m generator serve content --out site

docs: $(STAMP)  ## regenerate docs/authoring.md from the content model
	$(PY) -m generator docs --out docs/authoring.md

benchmark: $(STAMP)  ## time each build stage on the demo content
	$(PY) benchmarks/build_stages.py

clean:
	rm -rf site build .pytest_cache
