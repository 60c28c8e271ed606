# Quick start: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast install clean bench models

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/parallax demo --html parallax-report.html

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e"

bench: $(STAMP)
	$(BIN)/parallax bench pairs --data ../shared/data/semeval22_pairs.jsonl
	$(BIN)/parallax bench speed --data ../shared/data/basil.jsonl

# Shipped model weights, retrained reproducibly (fixed seeds, one thread); one line per model.
models: $(STAMP)
	OMP_NUM_THREADS=1 PYTHONPATH=src $(BIN)/python -m parallax.analysis.claim_pairs_train --gold data/align_gold.jsonl --basil ../shared/data/basil.jsonl --out src/parallax/models/restricted/claim_pairs.json --events 0

clean:
	rm -rf $(VENV) parallax-report.html build *.egg-info src/*.egg-info
