#!/usr/bin/env bash
# Train the Rasa model only when training data, domain, config or knowledge changed since the last one.
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL=models/barnekoordinator.tar.gz
stamp=models/.inputs-sha256
inputs_hash() {
  find data bot/config.yml bot/domain bot/components knowledge scripts/build_domain.py -type f \
    \( -name '*.yml' -o -name '*.yaml' -o -name '*.py' -o -name '*.md' \) 2>/dev/null \
    | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1
}

.venv/bin/python scripts/build_domain.py
want=$(inputs_hash)
if [ -f "$MODEL" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "train: model is up to date ($MODEL)" >&2
  exit 0
fi
mkdir -p models
start=$(date +%s)
# No --force: it makes Rasa skip its training cache (.rasa/cache, RASA_CACHE_DIRECTORY), so a
# change in one part retrained every component. Without it, components whose inputs and config
# did not change are taken from the cache (rules only changed: only RulePolicy trains; NLU
# examples or FAQ answer texts changed: the NLU components retrain, they learn all topics at once).
PYTHONPATH=$PWD .venv/bin/rasa train --config bot/config.yml --domain bot/domain --data data \
  --out models --fixed-model-name barnekoordinator
echo "$want" > "$stamp"
echo "train: trained $MODEL in $(( $(date +%s) - start )) s" >&2
