#!/usr/bin/env bash
# Retrain, evaluate and package the project's Norwegian spaCy pipeline (nb_barnekoordinator_sm).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: nlp/train.sh [NORNE_DIR]

Converts the NorNE corpus and trains the pipeline, two runs at the same time, one core each:
nlp/configs/nb_sm_core.cfg (tok2vec, morphologizer, lemmatizer, parser) and
nlp/configs/nb_sm_ner.cfg (NER with its own tok2vec: first on train with checkpoints scored on
dev, then the shipped NER models on train + dev for the best number of steps, one per seed in
NER_SEEDS; they vote on each entity in the shipped pipeline). Then it evaluates on
the Bokmål and Nynorsk test splits, builds the wheel into nlp/packages/ and rewrites
nlp/EVALUATION.md. Takes about 75 min on a shared 2-core machine (see nlp/EVALUATION.md).

NORNE_DIR  a copy of the NorNE corpus (default: ../shared/data/norne from the project root).
           NorNE is public: clone https://github.com/ltgoslo/norne and pass its directory.
           It is read only; never commit it into this project.

Environment: PYTHON (default .venv/bin/python), NICE (default 10), MAX_STEPS (default: the
config's value), CORE_MODEL (a trained pipeline directory or installed package, e.g.
nb_barnekoordinator_sm: reuse its core and retrain only the NER; 25 min for 0.4.0),
NER_SEEDS (default "0 1 2": the random seeds of the voting NER models; an odd number).
With MAX_STEPS set (a smoke run, e.g. MAX_STEPS=300) the wheel and the report go to
nlp/build/smoke/ instead, so the committed wheel and EVALUATION.md stay as they are.
Outputs that are not committed: nlp/corpus/, nlp/training/, nlp/build/.
EOF
}
case "${1:-}" in -h|--help) usage; exit 0 ;; esac

cd "$(dirname "$0")/.."
root=$(pwd)
norne=$(cd "${1:-../shared/data/norne}" 2>/dev/null && pwd) || {
  echo "nlp/train.sh: NorNE directory not found: ${1:-../shared/data/norne}" >&2
  usage >&2
  exit 2
}
py=${PYTHON:-$root/.venv/bin/python}
nice_level=${NICE:-10}
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 TF_CPP_MIN_LOG_LEVEL=3
run() { nice -n "$nice_level" "$py" "$@"; }

start=$(date +%s)
cd "$root/nlp"
mkdir -p training build
echo "== convert ($norne)" >&2
run scripts/convert.py "$norne" corpus
t_convert=$(date +%s)

echo "== train" >&2
overrides=()
out=training packages=packages report=EVALUATION.md
if [ -n "${MAX_STEPS:-}" ]; then
  overrides+=("--training.max_steps=$MAX_STEPS" "--training.eval_frequency=$(( (MAX_STEPS + 1) / 2 ))")
  out=training/smoke packages=build/smoke/packages report=build/smoke/EVALUATION.md
  mkdir -p "$packages"
fi
model=$out/model
ner_seeds=${NER_SEEDS:-0 1 2}
rm -rf "$out/core" "$out/ner" "$out"/ner-final* "$model"
mkdir -p "$out"
# One core each, at the same time: the core pipeline, and the NER (its own tok2vec).
train_core() {
  if [ -n "${CORE_MODEL:-}" ]; then  # reuse a trained core, retrain only the NER
    run scripts/core_from.py "$CORE_MODEL" "$out/core/model-best"
  else
    run scripts/train.py configs/nb_sm_core.cfg "$out/core" "${overrides[@]}"
  fi
}
train_ner() {
  # First on train, checkpoints scored on dev: the dev figures, and which step is best ...
  run scripts/train.py configs/nb_sm_ner.cfg "$out/ner" "${overrides[@]}" > "$out/ner.log" 2>&1 || return 1
  # ... then the shipped NER: train + dev, that many steps scaled by the extra data, the last
  # (averaged) weights. The dev files come from the same sources and years as the test files.
  local steps
  run scripts/final_steps.py --json "$out/ner.log" corpus/train.spacy corpus/dev.spacy \
    > "$out/ner-final.json" || return 1
  steps=$(run -c 'import json, sys; print(json.load(open(sys.argv[1]))["steps"])' "$out/ner-final.json")
  mkdir -p corpus/train+dev
  ln -sf ../train.spacy ../dev.spacy corpus/train+dev/
  local seed
  for seed in $ner_seeds; do  # the voting members: same data and steps, another random seed
    run scripts/train.py configs/nb_sm_ner.cfg "$out/ner-final-s$seed" "${overrides[@]}" \
      --paths.train=corpus/train+dev --training.max_steps="$steps" --system.seed="$seed" \
      --training.eval_frequency="$steps" --training.patience=0 || return 1
  done
}
echo "   core: nlp/$out/core.log${CORE_MODEL:+ (reusing $CORE_MODEL)}; NER: nlp/$out/ner.log, then nlp/$out/ner-final.log" >&2
train_core > "$out/core.log" 2>&1 &
core_pid=$!
train_ner > "$out/ner-final.log" 2>&1 &
ner_pid=$!
status=0
wait "$core_pid" || { status=$?; echo "core training failed, see nlp/$out/core.log" >&2; }
wait "$ner_pid" || { status=$?; echo "NER training failed, see nlp/$out/ner.log and ner-final.log" >&2; }
[ "$status" -eq 0 ] || exit "$status"
grep -E '^ *[0-9]+ +[0-9]+ ' "$out/core.log" | tail -n 3 >&2 || true
grep -E '^ *[0-9]+ +[0-9]+ ' "$out/ner.log" | tail -n 3 >&2 || true
echo "   final NER on train + dev: $(cat "$out/ner-final.json"), seeds: $ner_seeds" >&2
mkdir -p "$model"
members=()
for seed in $ner_seeds; do members+=("$out/ner-final-s$seed/model-last"); done
run scripts/assemble.py "$out/core/model-best" corpus "$model/model-final" "${members[@]}"
t_train=$(date +%s)

echo "== evaluate" >&2
run scripts/evaluate.py "$model/model-final" corpus "$model/metrics.json"
t_eval=$(date +%s)

echo "== package" >&2
run scripts/package.py "$model/model-final" build "$packages" "$model/metrics.json"
t_pack=$(date +%s)

cat > "$model/timing.json" <<EOF
{"convert_s": $((t_convert - start)), "train_s": $((t_train - t_convert)),
 "core_model": "${CORE_MODEL:-}",
 "ner": $(cat "$out/ner-final.json"), "ner_seeds": "$ner_seeds",
 "evaluate_s": $((t_eval - t_train)), "package_s": $((t_pack - t_eval)),
 "total_s": $((t_pack - start)), "nice": $nice_level, "max_steps_override": "${MAX_STEPS:-}",
 "finished": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"}
EOF
run scripts/report.py corpus/stats.json "$model/metrics.json" "$model/timing.json" \
  "$model/model-final" "$report"
echo "== done in $(( (t_pack - start) / 60 )) min: nlp/$packages/, nlp/$report" >&2
echo "   run scripts/setup.sh to install the new wheel into .venv" >&2
