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

# uv makes the venv and installs the pinned packages (it comes from PyPI).
if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check uv >&2 \
    || { apt-get install -y -qq python3-pip >&2 && python3 -m pip install -q --break-system-packages uv >&2; }
  hash -r
fi
uv=$(command -v uv || echo "$HOME/.local/bin/uv")
py=$(scripts/find_python.sh)
echo "setup: using $py" >&2
[ -x "$VENV/bin/python" ] || "$uv" venv -q -p "$py" "$VENV"
"$uv" pip install -q -p "$VENV/bin/python" -r requirements.lock
# The project's own Norwegian spaCy pipeline (built by `make nlp`, committed as a wheel).
for whl in nlp/packages/*.whl; do
  [ -f "$whl" ] && "$uv" pip install -q -p "$VENV/bin/python" --no-deps --reinstall "$whl"
done
echo "$want" > "$stamp"
echo "setup: $VENV ready" >&2
