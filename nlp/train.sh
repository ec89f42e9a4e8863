#!/usr/bin/env bash
# Retrain, evaluate and package the project's Norwegian spaCy pipeline (nb_barnekoordinator_sm).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: nlp/train.sh [NORNE_DIR]

Converts the NorNE corpus, trains the pipeline (nlp/configs/nb_sm_core.cfg: tok2vec, morphologizer, lemmatizer,
parser; nlp/configs/nb_sm_ner.cfg: NER, trained at the same time), evaluates it on the
Bokmål and Nynorsk test splits, builds the wheel into nlp/packages/ and rewrites
nlp/EVALUATION.md. Takes about 75 min on a shared 2-core machine (see nlp/EVALUATION.md).

NORNE_DIR  a copy of the NorNE corpus (default: ../shared/data/norne from the project root).
           NorNE is public: clone https://github.com/ltgoslo/norne and pass its directory.
           It is read only; never commit it into this project.

Environment: PYTHON (default .venv/bin/python), NICE (default 10), MAX_STEPS (default: the
config's value). With MAX_STEPS set (a smoke run, e.g. MAX_STEPS=300) the wheel and the report
go to nlp/build/smoke/ instead, so the committed wheel and EVALUATION.md stay as they are.
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

echo "== train (core and NER at the same time, one core each)" >&2
overrides=()
out=training packages=packages report=EVALUATION.md
if [ -n "${MAX_STEPS:-}" ]; then
  overrides+=("--training.max_steps=$MAX_STEPS" "--training.eval_frequency=$(( (MAX_STEPS + 1) / 2 ))")
  out=training/smoke packages=build/smoke/packages report=build/smoke/EVALUATION.md
  mkdir -p "$packages"
fi
model=$out/model
rm -rf "$out/core" "$out/ner" "$model"
mkdir -p "$out"
run scripts/train.py configs/nb_sm_core.cfg "$out/core" "${overrides[@]}" > "$out/core.log" 2>&1 &
core_pid=$!
run scripts/train.py configs/nb_sm_ner.cfg "$out/ner" "${overrides[@]}" > "$out/ner.log" 2>&1 &
ner_pid=$!
status=0
wait "$core_pid" || { status=$?; echo "core training failed, see nlp/$out/core.log" >&2; }
wait "$ner_pid" || { status=$?; echo "NER training failed, see nlp/$out/ner.log" >&2; }
[ "$status" -eq 0 ] || exit "$status"
grep -E '^ *[0-9]+ +[0-9]+ ' "$out/core.log" | tail -n 3 >&2 || true
grep -E '^ *[0-9]+ +[0-9]+ ' "$out/ner.log" | tail -n 3 >&2 || true
mkdir -p "$model"
run scripts/assemble.py "$out/core/model-best" "$out/ner/model-best" corpus "$model/model-final"
t_train=$(date +%s)

echo "== evaluate" >&2
run scripts/evaluate.py "$model/model-final" corpus "$model/metrics.json"
t_eval=$(date +%s)

echo "== package" >&2
run scripts/package.py "$model/model-final" build "$packages" "$model/metrics.json"
t_pack=$(date +%s)

cat > "$model/timing.json" <<EOF
{"convert_s": $((t_convert - start)), "train_s": $((t_train - t_convert)),
 "evaluate_s": $((t_eval - t_train)), "package_s": $((t_pack - t_eval)),
 "total_s": $((t_pack - start)), "nice": $nice_level, "max_steps_override": "${MAX_STEPS:-}",
 "finished": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"}
EOF
run scripts/report.py corpus/stats.json "$model/metrics.json" "$model/timing.json" \
  "$model/model-final" "$report"
echo "== done in $(( (t_pack - start) / 60 )) min: nlp/$packages/, nlp/$report" >&2
echo "   run scripts/setup.sh to install the new wheel into .venv" >&2
