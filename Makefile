# The two commands in the README: `make demo` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test system lint clean swagger-ui

demo: $(VENV)/.installed
	scripts/system-packages runtime
	$(BIN)/labdocs demo

test: system $(VENV)/.installed-dev node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

system:
	scripts/system-packages

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: $(VENV)/.created pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# axe-core for the browser tests' accessibility check, from the npm registry, as the lockfile pins it.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Swagger UI's script and styles, served by labdocs on /api/docs: copied from the locked npm package (the copies
# are committed so an installed wheel serves them; tests/test_openapi.py checks they match package-lock.json).
swagger-ui: node_modules/.installed
	for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE; do \
	  cp node_modules/swagger-ui-dist/$$f src/labdocs/web/static/swagger-ui/; done

clean:
	rm -rf $(VENV) out instance src/instance dist build node_modules .pytest_cache .mypy_cache .ruff_cache
