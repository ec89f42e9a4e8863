#!/usr/bin/env bash
# Create .venv with a Rasa-compatible Python and the pinned dependencies; fast when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
stamp="$VENV/.setup-stamp"
# Everything that should trigger a reinstall when it changes.
want=$( { cat requirements.lock; cat nlp/packages/*.whl 2>/dev/null || true; } | sha256sum | cut -d" " -f1)

if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

py=$(scripts/find_python.sh)
echo "setup: using $py" >&2
[ -x "$VENV/bin/python" ] || "$py" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check uv
"$VENV/bin/python" -m uv pip install -q -p "$VENV/bin/python" -r requirements.lock
# The project's own Norwegian spaCy pipeline (built by `make nlp`, committed as a wheel).
for whl in nlp/packages/*.whl; do
  [ -f "$whl" ] && "$VENV/bin/python" -m uv pip install -q -p "$VENV/bin/python" --no-deps "$whl"
done
echo "$want" > "$stamp"
echo "setup: $VENV ready" >&2
