#!/usr/bin/env bash
# Run every check: data validation, conversation tests, then pytest (unit, knowledge, NLU floor,
# end-to-end over REST, socket.io and SMS, and the browser tests). Assumes `make train` ran.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH=$PWD
mkdir -p results

echo "== rasa data validate"
.venv/bin/rasa data validate --config bot/config.yml --domain bot/domain --data data

echo "== conversation tests (prediction errors fail the run)"
.venv/bin/rasa test core --model models/barnekoordinator.tar.gz --stories tests/stories \
  --fail-on-prediction-errors --out results/core

echo "== SMS segment budget of every response (fails if one is over the limit)"
.venv/bin/python scripts/sms_segments_report.py --domain > results/sms-segments.txt

echo "== pytest: unit, knowledge, NLU held-out floor, spaCy pipeline, end-to-end channels"
.venv/bin/python -m pytest --ignore=tests/widget --ignore=tests/review_browser "$@"

# A run of its own keeps Playwright's sync API away from the async tests' event loops.
echo "== pytest: browser tests of the widget (real Chromium)"
.venv/bin/python -m pytest tests/widget "$@"

echo "== pytest: browser tests of the staff review app (real Chromium)"
.venv/bin/python -m pytest tests/review_browser "$@"
