# Quick start: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast install clean bench models screenshots

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

# Shipped model weights, retrained reproducibly from ../shared/data (fixed seeds, one thread);
# weights + cards in src/parallax/models/restricted; one line per model.
DATA ?= ../shared/data
models: $(STAMP)
	OMP_NUM_THREADS=1 nice -n 10 $(BIN)/python -m parallax.training.build framing --data $(DATA)/babe.jsonl
	OMP_NUM_THREADS=1 nice -n 10 $(BIN)/python -m parallax.training.build techniques --data $(DATA)/ptc.jsonl
	OMP_NUM_THREADS=1 nice -n 10 $(BIN)/python -m parallax.training.build polarity --data $(DATA)/directed_sentiment.jsonl
	OMP_NUM_THREADS=1 nice -n 10 $(BIN)/python -m parallax.training.speakers --data $(DATA)/polnear.jsonl
	OMP_NUM_THREADS=1 nice -n 10 $(BIN)/python -m parallax.analysis.claim_pairs_train --gold data/align_gold.jsonl --basil $(DATA)/basil.jsonl --out src/parallax/models/restricted/claim_pairs.json --events 0
	OMP_NUM_THREADS=1 nice -n 10 $(BIN)/python -m parallax.stories.pair_train --data $(DATA)/ecbplus.jsonl --licence "CC BY 3.0 (ECB+)" --data $(DATA)/basil.jsonl --licence "not stated (BASIL)" --out src/parallax/models/restricted/story_pair.json

# docs/screenshots/*.png: web app and HTML report at 1400 and 390 px, layout facts asserted
# (headless Debian chromium at /usr/bin/chromium, driven by Playwright)
screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py

clean:
	rm -rf $(VENV) parallax-report.html build *.egg-info src/*.egg-info
