# OCMS: `make run` serves the demo on SQLite; `make test` runs the checks and the suite on a throwaway PostgreSQL.
.PHONY: run test bench install messages clean

VENV := .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_ENV := DJANGO_SETTINGS_MODULE=ocms.settings_test

$(STAMP): pyproject.toml package-lock.json scripts/install
	scripts/install

install: $(STAMP)

run: $(STAMP)
	scripts/system-packages
	OCMS_DEBUG=true $(PYTHON) manage.py migrate --noinput -v0
	OCMS_DEBUG=true $(PYTHON) manage.py load_demo
	OCMS_DEBUG=true $(PYTHON) manage.py generate_clients --if-empty --count 300 --agency "Maple Settlement Services"
	@echo "OCMS is at http://127.0.0.1:8000, its background worker beside it (stop both with Ctrl+C)"
	OCMS_DEBUG=true scripts/serve-demo $(PYTHON)

test: $(STAMP)
	scripts/system-packages --test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TEST_ENV) $(PYTHON) manage.py makemigrations --check --dry-run -v0
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(TEST_ENV) scripts/with-postgres $(VENV)/bin/pytest -q -rs

bench: $(STAMP)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(TEST_ENV) scripts/with-postgres sh -c \
	  '$(PYTHON) manage.py migrate --noinput -v0 && $(PYTHON) manage.py load_demo >/dev/null && $(PYTHON) manage.py bench $(BENCH_ARGS)'

messages: $(STAMP)
	OCMS_DEBUG=true $(PYTHON) manage.py makemessages -l fr --ignore=node_modules --ignore=.venv --ignore=staticfiles
	OCMS_DEBUG=true $(PYTHON) manage.py compilemessages --ignore=node_modules --ignore=.venv

clean:
	rm -rf $(VENV) node_modules staticfiles
