# The two commands a newcomer needs: `make run` and `make test`. `make help` lists the rest.
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)

# Each area's targets (privacy, review, production, performance) live in mk/<area>.mk.
-include mk/*.mk

.PHONY: help setup train run shell test test-fast validate lint browser nlp clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

setup: ## Create .venv with Python 3.9/3.10 and the pinned dependencies (fast when done)
	@scripts/setup.sh

train: setup ## Train the Rasa model if data, domain, config or knowledge changed
	@scripts/train.sh

run: train ## Start action server, Rasa server (REST + socket.io + SMS) and the demo page
	@scripts/run.sh

shell: train ## Chat with the assistant in the terminal
	@scripts/shell.sh

browser: ## Install Chromium for the browser tests (Debian packages)
	@scripts/install_browser.sh

validate: train ## Check training data and domain for consistency
	@$(VENV)/bin/rasa data validate --config bot/config.yml --domain bot/domain --data data

test: train browser ## Run every test: unit, knowledge, data validation, conversations, NLU, end-to-end, browser
	@scripts/test.sh

test-fast: setup ## Unit and knowledge tests only (no model, no servers)
	@$(PY) -m pytest -m "not e2e and not browser and not model" -q

lint: setup ## Ruff over the Python code
	@$(PY) -m ruff check actions bot tests scripts review

nlp: setup ## Retrain and re-evaluate the Norwegian spaCy pipeline from NorNE (NORNE=../shared/data/norne)
	@nlp/train.sh $(or $(NORNE),../shared/data/norne)

sms-report: setup ## Segment count of every answer as sent by SMS
	@$(PY) scripts/sms_segments_report.py --domain

bench-sms: train ## SMS vs REST webhook latency on a fresh server
	@$(PY) scripts/bench_sms.py

measure: train ## Time from run.sh to the first answer, and REST latency
	@$(PY) scripts/measure_startup.py

clean: ## Remove the trained model, the local tracker database and test artefacts
	rm -rf models var test-artifacts
