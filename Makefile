# The two commands a new user runs: `make site` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test check serve docs benchmark clean i18n-extract i18n-update i18n-check

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

site: $(STAMP)  ## build every site from content/ into site/
	$(PY) -m generator build content --out site

test: $(STAMP)  ## the whole test suite, browser tests included
	$(PY) -m pytest -n auto --maxprocesses 4 --dist loadfile --durations=25

check: $(STAMP)  ## validate content/ and list every problem
	$(PY) -m generator check content

serve: $(STAMP)  ## build, serve on http://127.0.0.1:8000, rebuild and reload as content/ changes
	$(PY) -m generator serve content --out site

docs: $(STAMP)  ## regenerate docs/authoring.md from the content model
	$(PY) -m generator docs --out docs/authoring.md

benchmark: $(STAMP)  ## time each build stage on the demo content
	$(PY) benchmarks/build_stages.py

# The message catalogues (docs/translating.md): the template of every message, each language's .po updated from it
BABEL_KEYWORDS := -k N_ -k Nn_:1,2 -k translate -k ntranslate:1,2
i18n-extract: $(STAMP)  ## write generator/locale/generator.pot from the code and templates
	$(VENV)/bin/pybabel extract -F generator/locale/babel.cfg $(BABEL_KEYWORDS) --no-wrap --sort-by-file \
		--project generator -o generator/locale/generator.pot .

i18n-update: i18n-extract  ## merge new and changed messages into every language's .po (new ones empty, changed ones fuzzy)
	$(VENV)/bin/pybabel update -i generator/locale/generator.pot -d generator/locale -D generator --no-wrap --ignore-obsolete

i18n-check: $(STAMP)  ## compile each .po (reports errors and counts) and run the catalogue tests
	$(VENV)/bin/pybabel compile -d generator/locale -D generator --statistics
	$(PY) -m pytest -q tests/render/test_catalogue.py

clean:
	rm -rf site build .pytest_cache
