# Everything a developer runs. `make run` and `make test` set themselves up on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PO := $(wildcard locales/*/LC_MESSAGES/*.po)
MO := $(PO:.po=.mo)

.PHONY: run test bench audit lint format compile i18n-extract i18n-update i18n-compile i18n-check \
	i18n-report demo vnu clean stage-config package deploy deploy-table deploy-all load-catalog update-offers \
	package-admin deploy-admin deploy-admin-table admin-secret fuzz

# Stages, regions and tables live in chalicelib/kernel/stages.json; an unknown STAGE stops here.
DEPLOYED_STAGES = eu us ap
stage-check = @$(PY) -m chalicelib.kernel.stages "$(STAGE)" >/dev/null

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

%.mo: %.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

compile: $(MO)

i18n-compile: compile

DEMO := data/demo-catalog.json
ILLUSTRATIONS := $(wildcard tools/illustrations/*.py)
$(DEMO): data/build_demo.py $(wildcard data/demo/*.json data/demo/text/*.json) $(ILLUSTRATIONS) $(VENV)/.installed
	$(PY) data/build_demo.py

# The demo's product pictures, drawn as the media bucket holds them (served at /media/*).
MEDIA := build/media/.drawn
$(MEDIA): $(DEMO) tools/media.py
	$(PY) tools/media.py demo build/media
	touch $@

run: $(VENV)/.installed compile $(DEMO) $(MEDIA)
	PORT=$(PORT) $(PY) tools/devserver.py

# The Nu Html Checker that tests/storefront/test_html_valid.py runs (Java), from npm into build/.
VNU_VERSION := 26.9.27
VNU_JAR := build/vnu-$(VNU_VERSION)/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU_JAR):
	@if command -v npm >/dev/null; then \
		npm install --prefix build/vnu-$(VNU_VERSION) --no-save --no-audit --no-fund \
			--ignore-scripts vnu-jar@$(VNU_VERSION); \
	else echo "npm is missing: the HTML validity test will be skipped (apt-get install npm)" >&2; fi

vnu: $(VNU_JAR)

test: $(VENV)/.installed compile $(DEMO) $(MEDIA) $(VNU_JAR)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) tools/i18n.py check
	$(PY) tools/stage_config.py check
	$(PY) infra/check.py
	$(PY) -m pytest

bench: $(VENV)/.installed compile $(DEMO)
	$(PY) -m tests.bench
	$(PY) tools/coldstart.py eu us ap --runs 5
	$(PY) tools/memory_curve.py eu

# 10,000 malformed requests in process (no port, no network), fixed seed; COUNT=, SEED= change them.
fuzz: $(VENV)/.installed compile $(DEMO)
	$(PY) tools/fuzz.py --count $(or $(COUNT),10000) --seed $(or $(SEED),10)

# Lighthouse (mobile) and gzipped HTML size per page type; MARKETS="fr-fr ja-jp" by default.
audit: $(VENV)/.installed compile $(DEMO) $(MEDIA)
	$(PY) tools/audit.py $(MARKETS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

i18n-extract: $(VENV)/.installed
	$(PY) tools/i18n.py extract

i18n-update: $(VENV)/.installed
	$(PY) tools/i18n.py update

i18n-check: $(VENV)/.installed
	$(PY) tools/i18n.py check

i18n-report: $(VENV)/.installed
	$(PY) tools/i18n.py report

stage-config: $(VENV)/.installed
	$(PY) tools/stage_config.py write

demo: $(VENV)/.installed
	$(PY) data/build_demo.py
	$(PY) tools/media.py demo build/media

package: $(VENV)/.installed compile
	$(stage-check)
	$(PY) tools/package.py $(STAGE)

# The marketing editor of a stage: its own function (build/$(STAGE)-admin), role and table.
package-admin: $(VENV)/.installed compile
	$(stage-check)
	$(PY) tools/package.py $(STAGE)-admin

deploy: $(VENV)/.installed compile
	$(stage-check)
	$(PY) tools/deploy.py deploy $(STAGE)

deploy-table: $(VENV)/.installed
	$(PY) tools/deploy.py table

deploy-admin: $(VENV)/.installed compile
	$(stage-check)
	$(PY) tools/deploy.py deploy-admin $(STAGE)

deploy-admin-table: $(VENV)/.installed
	$(stage-check)
	$(PY) tools/deploy.py admin-table $(STAGE)

# A new random signing secret for the stage's editor; OVERWRITE=1 replaces an existing one.
admin-secret: $(VENV)/.installed
	$(stage-check)
	$(PY) tools/deploy.py admin-secret $(STAGE) $(if $(OVERWRITE),--overwrite)

# Every stage's shoppers' function, editor table and editor (each editor's secret is put once,
# by hand, with make admin-secret: deploy-admin refuses without it).
deploy-all: $(VENV)/.installed compile deploy-table
	for stage in $(DEPLOYED_STAGES); do \
		$(MAKE) deploy STAGE=$$stage && $(MAKE) deploy-admin-table STAGE=$$stage \
		&& $(MAKE) deploy-admin STAGE=$$stage || exit 1; \
	done

load-catalog: $(VENV)/.installed
	$(stage-check)
	@test -n "$(FILE)" || (echo "error: FILE=catalog.json is required" >&2; exit 2)
	$(PY) tools/deploy.py load-catalog $(STAGE) $(FILE)

update-offers: $(VENV)/.installed
	$(stage-check)
	@test -n "$(FILE)" || (echo "error: FILE=feed.csv is required" >&2; exit 2)
	$(PY) tools/deploy.py update-offers $(STAGE) $(FILE)

clean:
	rm -rf $(VENV) $(MO) $(DEMO) build .pytest_cache .ruff_cache
